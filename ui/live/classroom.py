"""The live class's side of the model, as pure functions (no Streamlit): a class's settings, the model's
answers to its questions, the plays the students' own assumptions lead to, and the spread of their values.

A class asks questions about the decision nodes of one scenario ("What will Israel do here?": the
question id is the node id, its answers the node's action ids) and lets students set some parameters.
The model's answer to a question is the action backward induction picks at that node at the class's
values (the scenario's own, or those the instructor had on the Explore page). The plays of the class's
own assumptions come from ONE batched solve over every student's point (``own_plays``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import segno

from model import Scenario, Sweep, sweep

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class ClassSettings:
    """What the instructor chose when opening the class (kept in the store as the class's settings)."""

    questions: tuple[str, ...]  # decision node ids, in the order they are asked
    parameters: tuple[str, ...]  # the parameters students may set
    map: tuple[str, str] | None  # the two parameters of the class map (both among ``parameters``), or None
    values: tuple[tuple[str, float], ...] = ()  # the class's values where they differ from the scenario's own

    def to_json(self) -> dict:
        return {"version": SETTINGS_VERSION, "questions": list(self.questions), "parameters": list(self.parameters),
                "map": list(self.map) if self.map else None, "values": dict(self.values)}

    @classmethod
    def parse(cls, text: str, scenario: Scenario) -> ClassSettings:
        """The settings as stored, keeping only what this scenario has: decision nodes, parameters with a
        range, values inside their range (anything else is dropped, never trusted)."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            data = {}
        data = data if isinstance(data, dict) else {}
        nodes = {n.id for n in scenario.nodes if n.kind == "decision"}
        params = {p.id: p for p in scenario.parameters if p.max > p.min}
        questions = tuple(q for q in _strings(data.get("questions")) if q in nodes)
        chosen = tuple(p for p in _strings(data.get("parameters")) if p in params)
        pair = tuple(_strings(data.get("map")))
        values = data.get("values") if isinstance(data.get("values"), dict) else {}
        kept = tuple((k, float(v)) for k, v in values.items() if k in params and _finite(v) and params[k].contains(v))
        ok_map = len(pair) == 2 and pair[0] != pair[1] and set(pair) <= set(chosen)
        return cls(tuple(dict.fromkeys(questions)), tuple(dict.fromkeys(chosen)), pair if ok_map else None, kept)


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def changed_values(scenario: Scenario, values: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """The values that differ from the scenario's own (what a class keeps in its settings)."""
    return tuple((p.id, float(values[p.id])) for p in scenario.parameters if p.id in values and values[p.id] != p.default)


def class_values(scenario: Scenario, settings: ClassSettings) -> dict[str, float]:
    """Every parameter's value for the class: the scenario's own, with the class's changes."""
    return {**scenario.values, **dict(settings.values)}


def model_actions(scenario: Scenario, choice_map: Mapping[str, str], question_ids: Sequence[str]) -> dict[str, str]:
    """The model's answer (an action id) to each of these questions, from a solution's ``choice_map``."""
    return {q: choice_map[q] for q in question_ids if q in choice_map}


def student_matrix(points, names: Sequence[str], values: Mapping[str, float]) -> tuple[tuple[int, ...], np.ndarray]:
    """The students' points as ``(seats, block)``: ``block (len(names), n_students)``, a student's own value
    where it submitted one, else the class's value. ``points`` are the store's ``StudentPoint`` records."""
    seats = tuple(p.seat for p in points)
    block = np.empty((len(names), len(points)))
    for j, p in enumerate(points):
        own = dict(p.values)
        block[:, j] = [own.get(n, values[n]) for n in names]
    return seats, block


def own_plays(scenario: Scenario, /, *, values: Mapping[str, float] | None = None, names: tuple[str, ...] = (),
              points: tuple[tuple[float, ...], ...] = ()) -> Sweep:
    """The equilibrium play of every student's own assumptions, and last the class's values: ONE batched
    solve (``model.sweep``) over ``len(points[0]) + 1`` points. ``points`` holds one tuple per parameter in
    ``names`` (hashable, so the call caches); the other parameters stay at ``values``."""
    now = {**scenario.values, **(values or {})}
    vary = {n: np.append(np.asarray(col, dtype=float), now[n]) for n, col in zip(names, points)}
    return sweep(scenario, values=now, vary=vary)


@dataclass(frozen=True)
class PlayShare:
    play: int  # index into the sweep's ``paths``
    count: int
    share: float
    model: bool  # the class's values lead to this play too


def play_shares(result: Sweep) -> list[PlayShare]:
    """Each play's share of the students (the sweep's last point, the class's values, is not a student),
    most common first; the model's play is listed even when no student gets it."""
    students = result.path[:-1]
    model = int(result.path[-1])
    counts = np.bincount(students, minlength=len(result.paths))
    n = max(int(students.size), 1)
    order = sorted((k for k in range(len(result.paths)) if counts[k] or k == model), key=lambda k: (-counts[k], k))
    return [PlayShare(k, int(counts[k]), float(counts[k] / n), k == model) for k in order]


@dataclass(frozen=True)
class Spread:
    parameter: str
    n: int
    low: float
    q1: float
    median: float
    q3: float
    high: float
    mean: float
    model: float  # the class's value


def spread(points, names: Sequence[str], values: Mapping[str, float]) -> list[Spread]:
    """How the students' own values of each parameter spread (only students who submitted that one)."""
    out = []
    for name in names:
        xs = np.array([v for p in points for k, v in p.values if k == name], dtype=float)
        if xs.size == 0:
            continue
        q = np.quantile(xs, [0.0, 0.25, 0.5, 0.75, 1.0])
        out.append(Spread(name, int(xs.size), *map(float, q), float(xs.mean()), float(values[name])))
    return out


def base_url(page_url: str | None, page_path: str) -> str | None:
    """The app's address from the address of one of its pages (``st.context.url``), without the page."""
    if not page_url:
        return None
    url = page_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return url.removesuffix("/" + page_path) if page_path else url


def join_link(base: str, page_path: str, join_code: str) -> str:
    """The link a student opens: the join page with the class's code."""
    return f"{base.rstrip('/')}/{page_path}?code={join_code}"


def shown_code(join_code: str) -> str:
    """A join code as people read it: two groups of four."""
    return f"{join_code[:4]}-{join_code[4:]}"


def qr_svg(text: str, *, title: str) -> str:
    """``text`` as a QR code in inline SVG (segno; error correction M survives a glare spot on a screen),
    without a fixed size: it fills the width of its container."""
    svg = segno.make(text, error="m", micro=False).svg_inline(scale=1, border=4, dark="#000000", light="#ffffff",
                                                               omitsize=True, title=title, svgclass="co-qr")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the join link" shape-rendering="crispEdges" ', 1)
