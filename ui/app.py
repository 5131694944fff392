"""Entry point: ``streamlit run ui/app.py``. It only routes."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `ui` and `model` import when run as a script
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Conditional-offer simulator", page_icon="\u2696", layout="wide")
PAGES = ROOT / "ui" / "page_scripts"  # not "pages": that name would make Streamlit skip this file on direct links
pages = {
    "Explore": [
        st.Page(str(PAGES / "explore.py"), title="Explore", icon="\U0001f50e", default=True),
        st.Page(str(PAGES / "sensitivity.py"), title="Sensitivity", icon=":material/tune:"),
        st.Page(str(PAGES / "uncertainty.py"), title="Uncertainty", icon=":material/help:"),
        st.Page(str(PAGES / "compare.py"), title="Compare", icon=":material/compare_arrows:"),
    ],
    "Teach": [
        st.Page(str(PAGES / "strategic_form.py"), title="Strategic form", icon=":material/grid_on:"),
        st.Page(str(PAGES / "step_by_step.py"), title="Step by step", icon=":material/stairs:"),
        st.Page(str(PAGES / "predict.py"), title="Predict & reveal", icon=":material/quiz:"),
        st.Page(str(PAGES / "lesson.py"), title="Lesson", icon=":material/school:"),
        st.Page(str(PAGES / "instructor.py"), title="Lesson: instructor", icon=":material/lock:"),
    ],
    "Reference": [
        st.Page(str(PAGES / "glossary.py"), title="Glossary", icon=":material/menu_book:"),
    ],
}
st.navigation(pages).run()
