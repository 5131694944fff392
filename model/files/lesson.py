"""Lesson files: a guided lesson as data (TOML), read and checked for shape.

A lesson has a ``title``, an ``intro`` and ``[[steps]]``. Each step names the shipped scenario it
uses (``scenario``, a file name in ``scenarios/`` without ``.toml``) and the page it opens (``page``,
a page id of the app), says what to ``look_at``, asks ``questions``, gives the instructor's
``answer``, lists ``[[steps.figures]]`` (figures the tool computes live from the model, each a
``kind`` with its options: node, parameter and scenario ids) and ``[[steps.claims]]``: what the
answer states as a fact of the model, each backing answer sentences (``says``) in the vocabulary of
scenario claims (``model.files.claim_format``), checked by ``model.analyses.claims``. Which ids
exist is checked against the step's scenario by the lesson contract test; this module checks shape.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..core.scenario import Claim
from ..errors import ScenarioError
from .claim_format import CLAIM, claim_of
from .shape import Items

MAX_BYTES = 200_000


@dataclass(frozen=True)
class Figure:
    """A live figure: its ``kind`` and ``options``."""

    kind: str
    options: tuple[tuple[str, object], ...] = ()

    def option(self, name: str, default: object = None) -> object:
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class LessonStep:
    id: str
    title: str
    scenario: str
    page: str
    look_at: str
    questions: tuple[str, ...]
    answer: str
    figures: tuple[Figure, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Lesson:
    title: str
    intro: str
    steps: tuple[LessonStep, ...]


def _text(table: dict, key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ScenarioError("must be a non-empty text" if required else "must be a text", field=f"{where}.{key}")
    return value


def figure_of(data: object, where: str) -> Figure:
    """A figure from its table (``kind``, ``expect`` and options), or ScenarioError naming ``where``."""
    if not isinstance(data, dict):
        raise ScenarioError("must be a table with a 'kind'", field=where)
    kind = _text(data, "kind", where)
    return Figure(kind=kind, options=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in data.items()
                                           if k != "kind"))


def lesson_of(doc: dict) -> Lesson:
    """A lesson from parsed TOML, every problem named by its field."""
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScenarioError("must be a list of at least one [[steps]] table", field="steps")
    out, seen = [], set()
    for j, step in enumerate(steps):
        where = f"steps[{j}]"
        if not isinstance(step, dict):
            raise ScenarioError("must be a table", field=where)
        sid = _text(step, "id", where)
        if sid in seen:
            raise ScenarioError(f"the step id {sid!r} is used twice", field=f"{where}.id")
        seen.add(sid)
        questions = step.get("questions", [])
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            raise ScenarioError("must be a list of texts", field=f"{where}.questions")
        figures = step.get("figures", [])
        if not isinstance(figures, list):
            raise ScenarioError("must be a list of [[steps.figures]] tables", field=f"{where}.figures")
        claims = Items(CLAIM, min_items=0).check(step.get("claims", []), f"{where}.claims")
        out.append(LessonStep(
            id=sid, title=_text(step, "title", where), scenario=_text(step, "scenario", where),
            page=_text(step, "page", where), look_at=_text(step, "look_at", where), questions=tuple(questions),
            answer=_text(step, "answer", where),
            figures=tuple(figure_of(f, f"{where}.figures[{k}]") for k, f in enumerate(figures)),
            claims=tuple(claim_of(c) for c in claims),
        ))
    return Lesson(title=_text(doc, "title", "lesson"), intro=_text(doc, "intro", "lesson"), steps=tuple(out))


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read a lesson file; one ScenarioError naming the file and the field for anything wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ScenarioError(f"cannot be read: {err.strerror}", file=str(path)) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"the file is larger than {MAX_BYTES:,} bytes", file=str(path))
    try:
        return lesson_of(tomllib.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ScenarioError(f"not valid TOML: {err}", file=str(path)) from None
    except ScenarioError as err:
        raise err.at(file=str(path)) from None
