"""With private types, ``sweep``: the perfect Bayesian equilibria of every point of a grid in one batched
``pbe_batch`` call, and the share of the points where each distinct set of equilibria holds.

Two points hold the same set when the same uninformed strategies are equilibria, with the same labels and the
same replies of every type (``label_points``, as the Bayesian region map and thresholds have it). A set is named
as the region map names it, and each of its equilibria is shown as ``solve`` shows it at the set's first point
(``perfect_bayesian``): its label, the uninformed side's strategy and each type's play. The prior's parameters
may be varied like any other; a parameter a type sets may not (its slider is not used).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.game import ONE, ROWS, make_env
from ..core.pbe_batch import bayesian_game, pbe_batch
from ..core.perfect_bayesian import BayesianEquilibrium, _label, perfect_bayesian, play_words
from ..core.result import Result, csv_text
from ..core.scenario import Scenario
from ..errors import ScenarioError
from ..text.explanations import NOTE, fmt, pct
from . import Typed
from .bayesian_region import prior_parameters, refuse_typed
from .bayesian_thresholds import label_points
from .sweep import CSV_CHUNK, MAX_JSON_POINTS, Grid, on_grid, points_of

MAX_CELLS = 4_000_000  # points x uninformed strategies in one call (about 0.3 kB each)
SOLUTION = "perfect Bayesian equilibria in pure strategies"
METHOD = ("every point's pure-strategy perfect Bayesian equilibria in one batched call; two points hold the same set "
          "when the same uninformed strategies are equilibria, with the same labels and the same replies of every type")


@dataclass(frozen=True)
class EquilibriumSet:
    """One set of equilibria: ``words`` (as the region map names it), ``first`` (its first point), ``at`` (the
    varied parameters' values there), its ``equilibria`` as ``solve`` gives them at that point (their payoffs are
    that point's) and ``lines``: each equilibrium's types' play in words (``set_lines``)."""

    words: str
    first: int
    at: tuple[tuple[str, float], ...]
    equilibria: tuple[BayesianEquilibrium, ...]
    lines: tuple[str, ...]


@dataclass(frozen=True)
class BayesianSweep(Result):
    """The equilibrium set of N points: ``set_index (N,)`` indexes ``sets`` (numbered by their first point)."""

    parameters: tuple[str, ...]
    points: dict[str, np.ndarray]
    informed: str
    sets: tuple[EquilibriumSet, ...]
    set_index: np.ndarray
    grids: tuple[Grid, ...] = ()
    held: tuple[tuple[str, float], ...] = ()  # the prior's parameters not varied, at the values used
    solution: str = SOLUTION
    method: str = METHOD

    @property
    def n(self) -> int:
        return int(self.set_index.size)

    @property
    def counts(self) -> np.ndarray:
        """How many points hold each of ``sets``."""
        return np.bincount(self.set_index, minlength=len(self.sets))

    @property
    def compact_json(self) -> bool:
        return self.n > 1000

    def to_json(self) -> dict:
        counts = self.counts
        data = {
            "solution": self.solution, "informed": self.informed, "parameters": list(self.parameters),
            "grid": {g.name: {"lo": g.lo, "hi": g.hi, "n": g.n} for g in self.grids}, "n_points": self.n,
            "sets": [set_json(s, int(c), self.n) for s, c in zip(self.sets, counts)],
            "counts": counts.tolist(), "method": self.method,
        }
        if self.n <= MAX_JSON_POINTS:
            data["points"] = {name: np.asarray(self.points[name]).tolist() for name in self.parameters}
            data["set"] = self.set_index.tolist()
        return data

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per point: the varied values, the index of its equilibrium set and how many equilibria it has."""
        sizes = np.array([len(s.equilibria) for s in self.sets], dtype=np.int64)

        def rows():
            for lo in range(0, self.n, CSV_CHUNK):
                hi = min(self.n, lo + CSV_CHUNK)
                cols = [np.asarray(self.points[name][lo:hi]).tolist() for name in self.parameters]
                cols += [self.set_index[lo:hi].tolist(), sizes[self.set_index[lo:hi]].tolist()]
                yield from zip(*cols)

        return csv_text([*self.parameters, "set", "equilibria"], rows(), out)

    def to_text(self, scenario: Scenario) -> str:
        counts = self.counts
        sizes = f" ({' x '.join(str(g.n) for g in self.grids)})" if len(self.grids) > 1 else ""
        out = [scenario.title, NOTE, "",
               f"Sweep: {self.n:,} points{sizes}, one batched solve for the {SOLUTION} "
               f"({scenario.player_name(self.informed)}'s type is private):"]
        out += [f"  {g.name} from {g.lo:g} to {g.hi:g} ({g.n} values)" for g in self.grids]
        out += held_lines(scenario, self.parameters, self.held)
        out += ["", f"Sets of {SOLUTION} ({len(self.sets)} distinct; [index] as in --json and --csv):"]
        for k in np.argsort(-counts, kind="stable").tolist():
            n = int(counts[k])
            out.append(f"  [{k}] {pct(n / self.n):>6} ({n:,} point{'s' if n != 1 else ''})  {self.sets[k].words}")
            out += [f"        {line}" for line in self.sets[k].lines]
        out.append(f"Method: {self.method}.")
        return "\n".join(out)


def held_lines(scenario: Scenario, varied: Sequence[str], held: Sequence[tuple[str, float]]) -> list[str]:
    """What is not varied: the prior's parameters (``held`` at the values used, or varied) and the parameters
    the types set."""
    out = ["Every other parameter at its current value."]
    prior = prior_parameters(scenario)
    if held:
        out.append("The prior is held: " + ", ".join(f"{p} = {fmt(v)}" for p, v in held) + ".")
    elif prior:
        out.append("The prior is varied: " + ", ".join(prior) + ".")
    typed = bayesian_game(scenario).typed
    if typed:
        out.append("Set by the types (their sliders are not used): " + ", ".join(typed) + ".")
    return out


def set_lines(scenario: Scenario, equilibria: Sequence[BayesianEquilibrium]) -> list[str]:
    """Each equilibrium (numbered when there are several): each type's play, and its replies off its path."""
    out = []
    for k, e in enumerate(equilibria, start=1):
        pad = ""
        if len(equilibria) > 1:
            moves = ", ".join(f"{_label(scenario, n, a)} at \u201c{scenario.node(n).label or n}\u201d"
                              for n, a in e.strategy)
            out.append(f"{k}. {e.kind}: {moves}")
            pad = "   "
        for t in e.types:
            off = [(n, a) for n, a in t.choices if n not in t.reached]
            line = f"{pad}{t.label}: {play_words(scenario, t.play) or '(no move)'}"
            if off:
                line += " (off its path: " + "; ".join(
                    f"\u201c{scenario.node(n).label or n}\u201d \u2192 {_label(scenario, n, a)}" for n, a in off) + ")"
            out.append(line)
    return out


def set_json(s: EquilibriumSet, count: int, total: int) -> dict:
    """A set as plain data: its name, count and share, its first point's varied values, and its equilibria."""
    return {
        "label": s.words, "count": count, "share": count / total if total else 0.0, "first_point": dict(s.at),
        "equilibria": [{"kind": e.kind, "strategy": dict(e.strategy),
                        "types": {t.id: {"choices": dict(t.choices),
                                         "play": [{"node": n, "action": a} for n, a in t.play]} for t in e.types}}
                       for e in s.equilibria],
        "in_words": list(s.lines),
    }


def equilibrium_set(scenario: Scenario, env: Mapping, varied: Sequence[str], words: str, j: int) -> EquilibriumSet:
    """The set named ``words`` whose first point is ``j``, its equilibria solved there as ``solve`` solves them."""
    values = point_values(scenario, env, j)
    equilibria = perfect_bayesian(scenario, values=values).equilibria
    return EquilibriumSet(words=words, first=j, at=tuple((p, values[p]) for p in varied), equilibria=equilibria,
                          lines=tuple(set_lines(scenario, equilibria)))


def point_values(scenario: Scenario, env: Mapping, j: int) -> dict[str, float]:
    """Every parameter's value at point ``j`` of ``env``."""
    return {name: float(np.asarray(env[name]).reshape(-1)[j] if np.ndim(env[name]) else env[name])
            for name in scenario.values}


def bayesian_sweep(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                   vary: Mapping[str, object] | None = None, rows: tuple[Sequence[str], np.ndarray] | None = None,
                   grids: Sequence[Grid] = (), validate: bool = True) -> BayesianSweep:
    """Every point's set of perfect Bayesian equilibria, in one ``pbe_batch`` call; points as ``sweep`` takes them
    (``vary``, or ``rows`` of names and a ``(len(names), N)`` array), other parameters at ``values``."""
    bg = bayesian_game(scenario)
    if rows is not None:
        env, n = make_env(scenario, values, rows=rows, validate=validate)
    else:
        env, n = make_env(scenario, {**(values or {}), **points_of(scenario, vary or {})}, validate=validate)
    varied = tuple(name for name in env[ROWS][0] if name != ONE) if ROWS in env else ()
    refuse_typed(scenario, varied)
    cells = n * len(bg.strategies)
    if cells > MAX_CELLS:
        raise ScenarioError(f"{n:,} points x {len(bg.strategies):,} pure strategies of the uninformed side = {cells:,}; "
                            f"the perfect Bayesian sweep solves at most {MAX_CELLS:,} at once (use fewer points)")
    index, first, words = label_points(scenario, bg, pbe_batch(bg, env, n))
    sets = tuple(equilibrium_set(scenario, env, varied, w, int(j)) for w, j in zip(words, first))
    now = {**scenario.values, **(values or {})}
    held = tuple((p, float(now[p])) for p in prior_parameters(scenario) if p not in varied)
    return BayesianSweep(parameters=varied, points={name: np.broadcast_to(env[name], (n,)) for name in varied},
                         informed=scenario.uncertainty.player, sets=sets, set_index=index, grids=tuple(grids),
                         held=held)


TYPED = Typed(command="sweep", run=on_grid(bayesian_sweep),
              help="with private types, the share of the grid where each set of perfect Bayesian equilibria holds")
