"""Content files of the app (``ui/content/``): the glossary's terms, read once (content, not code)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "content" / "glossary.toml"


@cache
def terms() -> tuple[tuple[str, str, str], ...]:
    """(id, term, text) for every glossary entry, in file order."""
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    return tuple((tid, t["term"], t["text"]) for tid, t in data["terms"].items())


def define(term_id: str) -> str:
    """One entry as "Term: text" (for help pop-ups)."""
    for tid, term, text in terms():
        if tid == term_id:
            return f"{term}: {text}"
    raise KeyError(term_id)
