"""Entry point: ``streamlit run ui/app.py``. It only routes: the pages come from ``ui.pages``."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `ui` and `model` import when run as a script
    sys.path.insert(0, str(ROOT))

from ui import access  # noqa: E402
from ui.pages import PAGES  # noqa: E402

st.set_page_config(page_title="Conditional-offer simulator", page_icon="\u2696", layout="wide")
allowed = access.unlocked()  # instructor pages exist only for an unlocked session: not even a URL opens them
groups: dict[str, list] = {}
for p in PAGES:
    if allowed or not p.instructor:
        groups.setdefault(p.group, []).append(st.Page(str(p.file), title=p.title, icon=p.icon, default=p.default))
page = st.navigation(groups)
access.sidebar()
page.run()
