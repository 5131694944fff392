"""Entry point: ``streamlit run ui/app.py``. It only routes."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `ui` and `model` import when run as a script
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Conditional-offer simulator", page_icon="\u2696", layout="wide")
pages = [
    st.Page(str(ROOT / "ui" / "pages" / "explore.py"), title="Explore", icon="\U0001f50e", default=True),
    st.Page(str(ROOT / "ui" / "pages" / "sensitivity.py"), title="Sensitivity", icon=":material/tune:"),
    st.Page(str(ROOT / "ui" / "pages" / "uncertainty.py"), title="Uncertainty", icon=":material/help:"),
]
st.navigation(pages).run()
