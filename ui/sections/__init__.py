"""Sections of a page, one module each, found here by the page that shows them.

A section module declares ``ID``, ``TITLE``, ``PAGE`` (the page id from ``ui.pages``) and ``ORDER``,
and draws itself with ``draw(key, scenario, values)``. Its tables and charts are pure functions in the
same module; its widget keys come from ``ui.state.section_key(ID, ...)``; its model calls go through
``ui.model_calls.run``. A new analysis on a page is therefore one new module here (and its model).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def sections(page: str) -> tuple[ModuleType, ...]:
    """The section modules of ``page``, in ``ORDER``."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if getattr(module, "PAGE", None) == page:
            found.append(module)
    return tuple(sorted(found, key=lambda m: (m.ORDER, m.ID)))
