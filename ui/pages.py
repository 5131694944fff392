"""The page registry: every page of the app, declared once.

``ui/app.py`` builds the navigation from it, lessons name pages by ``id``, and the tests open pages
through it. A page is one module, ``ui/views/<id>.py``, that is both importable and run by Streamlit
as the page's script (its ``page()`` runs under ``__main__``). A new page is one row here and its
module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VIEWS = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    icon: str
    group: str
    default: bool = False
    instructor: bool = False  # shown only to an unlocked instructor

    @property
    def file(self) -> Path:
        return VIEWS / f"{self.id}.py"

    @property
    def script(self) -> str:
        """The page's script relative to ``ui/`` (how AppTest's ``switch_page`` names it)."""
        return f"views/{self.id}.py"


PAGES: tuple[Page, ...] = (
    Page("explore", "Explore", "\U0001f50e", "Explore", default=True),
    Page("sensitivity", "Sensitivity", ":material/tune:", "Explore"),
    Page("uncertainty", "Uncertainty", ":material/help:", "Explore"),
    Page("compare", "Compare", ":material/compare_arrows:", "Explore"),
    Page("strategic_form", "Strategic form", ":material/grid_on:", "Teach"),
    Page("step_by_step", "Step by step", ":material/stairs:", "Teach"),
    Page("predict", "Predict & reveal", ":material/quiz:", "Teach"),
    Page("lesson", "Lesson", ":material/school:", "Teach"),
    Page("instructor", "Lesson: instructor", ":material/lock:", "Teach", instructor=True),
    Page("live_join", "Join a class", ":material/smartphone:", "Live class"),
    Page("live_class", "Live class: instructor", ":material/cast_for_education:", "Live class", instructor=True),
    Page("live_projector", "Live class: projector", ":material/co_present:", "Live class", instructor=True),
    Page("glossary", "Glossary", ":material/menu_book:", "Reference"),
)


def page(page_id: str) -> Page:
    """The page with this id, or KeyError naming the pages there are."""
    for p in PAGES:
        if p.id == page_id:
            return p
    raise KeyError(f"no page {page_id!r}; pages: {', '.join(p.id for p in PAGES)}")
