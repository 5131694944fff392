"""Opening the app in streamlit.testing's AppTest, shared by the page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from .conftest import ROOT

APP = str(ROOT / "ui" / "app.py")


def page(path: str, **query) -> AppTest:
    """The app opened on Explore (as a person would, with ``query`` in the link), then switched to ``path``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(path).run()
