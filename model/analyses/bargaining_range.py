"""The bargaining range (Fearon 1995): the values of one term of the deal (by default the package's
size) for which every side prefers the kept deal to its own best alternative.

For a side i with alternatives A_i (moves declared in the scenario's ``[bargaining]`` section), its
surplus at term x is ``s_i(x) = u_i(deal; x) - max_{a in A_i} V_i(a; x)``, where V_i(a; x) is i's
value of the subgame after move a under equilibrium play there. Side i accepts where s_i(x) >= 0;
the range is where every side accepts. Exact: between consecutive flip thresholds of x no choice
changes, so (for a term that enters affinely) each surplus is affine there and its zero is solved in
closed form; the pieces are checked on the chord. ``least`` is the smallest x the side that gains
from a larger x accepts; ``most`` the largest x the side that loses from it accepts; no deal is
possible when least > most, and the gap is least - most.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.backward_induction import backward_induction
from ..core.game import game_of, make_env
from ..core.result import Result, csv_text
from ..core.scenario import Scenario
from ..errors import ScenarioError
from ..text.explanations import NOTE, apart, fmt
from . import Command, Option
from .thresholds import thresholds

METHOD = ("surpluses affine between the term's flip thresholds: zeros in closed form, checked on the chord; "
          "the side whose surplus rises with the term sets the least, the other the most")
PIECE_POINTS = 3
CURVE_POINTS = 201


@dataclass(frozen=True)
class Acceptable:
    """Where one side prefers the deal to its best alternative: ``intervals`` of the term."""

    player: str
    intervals: tuple[tuple[float, float], ...]
    rising: bool  # its surplus grows with the term (it sets the least); else it sets the most
    alternative: str = ""  # the label of its best alternative at its limit (or at the current value)
    alternatives: int = 1  # how many alternatives it has ("its alternative" or "its best alternative")

    def compared(self) -> str:
        """What the side compares the deal with: "its alternative (“Reject”)"."""
        best = "best " if self.alternatives > 1 else ""
        return f"its {best}alternative (\u201c{self.alternative}\u201d)" if self.alternative else f"its {best}alternative"


@dataclass(frozen=True)
class BargainingRange(Result):
    """``least``/``most`` (None when a side accepts nowhere); ``empty`` when no value suits every side;
    ``gap`` = least - most when empty and least > most (else None); ``intervals``: where every side accepts."""

    parameter: str
    lo: float
    hi: float
    current: float
    sides: tuple[Acceptable, ...]
    intervals: tuple[tuple[float, float], ...]
    least: float | None
    most: float | None
    empty: bool
    gap: float | None
    chord_error: float
    xs: np.ndarray  # (n,) an even grid of the term, for drawing
    surplus: np.ndarray  # (n_sides, n): each side's surplus of the deal over its best alternative on the grid
    method: str = METHOD

    def to_csv(self, out: TextIO | None = None) -> str | None:
        rows = [[s.player, a, b] for s in self.sides for a, b in s.intervals]
        rows += [["every side", a, b] for a, b in self.intervals]
        return csv_text(["who accepts", "from", "to"], rows, out)

    def sentence(self, scenario: Scenario) -> str:
        """The result in one sentence, naming the term and each side. A side's limit ("at least", "at most")
        is said only when it accepts on one stretch reaching its end of the term's range; otherwise the
        sentence says where each side accepts."""
        p = scenario.parameter(self.parameter)
        term = p.label.lower()
        names = {s.player: scenario.player(s.player).name for s in self.sides}
        if self.empty and (self.least is None or self.most is None):
            who = next(names[s.player] for s in self.sides if not s.intervals)
            return f"No deal is possible: {_the(who)} prefers its alternative at every value of {term} from {p.min:g} to {p.max:g}."
        rising = next((s for s in self.sides if s.rising), None)
        falling = next((s for s in self.sides if not s.rising), None)
        # a side is regular when it accepts on one stretch reaching its end of the range (the top if it gains
        # from a larger term, else the bottom): then "at least" / "at most" its limit is true of it
        regular = all(len(s.intervals) == 1 and s.intervals[0][1 if s.rising else 0] == (p.max if s.rising else p.min)
                      for s in self.sides)
        if regular and rising is not None and falling is not None:
            # each limit against that side's own alternative: the least is where the side that gains from a
            # larger term starts to prefer the deal, the most where the side that gives it stops. Every riser's
            # stretch reaches the top and every faller's the bottom, so the range is empty exactly when
            # least > most, and otherwise it is one stretch.
            num = fmt if self.empty else (lambda x: f"{x:.3g}")
            limits = (f"{names[rising.player]} prefers the deal to {rising.compared()} when the "
                      f"{term} is at least {num(self.least)} (the least it accepts); "
                      f"{_the(names[falling.player])} prefers it to {falling.compared()} when it is at most "
                      f"{num(self.most)} (the most {_the(names[falling.player])} would give).")
            if self.empty:
                return (f"No deal is possible: the least {term} {names[rising.player]} accepts "
                        f"({fmt(self.least)}) exceeds the most {_the(names[falling.player])} would give "
                        f"({fmt(self.most)}) by {fmt(self.gap)}. " + limits[:1].upper() + limits[1:])
            (a, b), = self.intervals
            return limits[:1].upper() + limits[1:] + f" The range is {a:.3g} to {b:.3g}."
        show = apart([x for s in self.sides for pair in s.intervals for x in pair]
                     + [x for pair in self.intervals for x in pair])
        where = "; ".join(f"{_the(names[s.player])} prefers the deal to {s.compared()} {_stretches(term, s.intervals, show)}"
                          for s in self.sides)
        where = where[:1].upper() + where[1:]
        if self.empty:  # no single least and most to compare (the sides' stretches interleave, or both rise or fall)
            return f"No deal is possible: no value of {term} from {p.min:g} to {p.max:g} suits every side. {where}."
        out = f"Every side prefers the deal to its alternative {_stretches(term, self.intervals, show)}."
        return out if regular else f"{where}. {out}"

    def to_text(self, scenario: Scenario) -> str:
        p = scenario.parameter(self.parameter)
        out = [scenario.title, NOTE, "", f"Bargaining range over {p.id} \u2014 {p.label} (range {p.min:g} to {p.max:g}, "
               f"now {self.current:g}); other parameters at their current values.", ""]
        for s in self.sides:
            where = ", ".join(f"{a:.4g} to {b:.4g}" for a, b in s.intervals) or "nowhere"
            role = "least" if s.rising else "most"
            out.append(f"  {scenario.player(s.player).name} prefers the deal to {s.compared()}: {where} "
                       f"(sets the {role})")
        out += ["", self.sentence(scenario)]
        if self.least is not None and self.most is not None and not self.empty:
            out.append(f"least {self.least:.4g}, most {self.most:.4g}")
        return "\n".join(out)


def _the(name: str) -> str:
    """A side's name in a sentence: "the US" for an acronym, "Israel" otherwise."""
    return f"the {name}" if len(name) > 1 and name.isupper() else name


def _stretches(term: str, intervals, show) -> str:
    """Where a side accepts: "for price from 0.2 to 0.4 and 0.6 to 1", "only at price 0.3" for one point."""
    if len(intervals) == 1 and intervals[0][0] == intervals[0][1]:
        return f"only at {term} {show(intervals[0][0])}"
    return f"for {term} from " + " and ".join(
        f"{show(a)} to {show(b)}" if a < b else f"{show(a)} (one point)" for a, b in intervals)


def _best_alternative(scenario: Scenario, values: Mapping[str, float], parameter: str, x: float,
                      moves) -> str:
    """The label of the move among ``moves`` worth most to the side at term ``x``."""
    game = game_of(scenario)
    env, n = make_env(scenario, {**values, parameter: np.array([x])})
    V = backward_induction(game, env, n, detail=True).node_values[0]
    index = {nid: j for j, nid in enumerate(game.node_ids)}
    return max(moves, key=lambda m: float(V[index[next(a.next for a in scenario.node(m[0]).actions
                                                       if a.id == m[1])], m[2], 0]))[3]


def _surpluses(scenario: Scenario, values: Mapping[str, float], parameter: str, xs: np.ndarray) -> np.ndarray:
    """``(n_players_in_bargaining, len(xs))``: each side's surplus of the deal over its best alternative."""
    game = game_of(scenario)
    b = scenario.bargaining
    env, n = make_env(scenario, {**values, parameter: xs})
    V = backward_induction(game, env, n, detail=True).node_values[0]  # (nodes, players, n)
    index = {nid: j for j, nid in enumerate(game.node_ids)}
    player = {p.id: j for j, p in enumerate(scenario.players)}
    out = []
    for pid, moves in b.alternatives:
        i = player[pid]
        alt = np.max([V[index[next(a.next for a in scenario.node(node).actions if a.id == act)], i]
                      for node, act in moves], axis=0)
        out.append(V[index[b.deal], i] - alt)
    return np.array(out)


def _positive(a: float, b: float, xs: np.ndarray, f: np.ndarray) -> tuple[float, float] | None:
    """The part of [a, b] where the affine function through (xs[0], f[0]) and (xs[-1], f[-1]) is >= 0."""
    slope = (f[-1] - f[0]) / (xs[-1] - xs[0])
    if abs(slope) < 1e-14:
        return (a, b) if f[0] >= 0 else None
    root = xs[0] - f[0] / slope
    lo, hi = (max(a, root), b) if slope > 0 else (a, min(b, root))
    return (lo, hi) if lo <= hi else None


def _merge(intervals: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + 1e-12:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((float(a), float(b)) for a, b in out)


def _intersect(a: tuple, b: tuple) -> tuple[tuple[float, float], ...]:
    out = []
    for x0, x1 in a:
        for y0, y1 in b:
            lo, hi = max(x0, y0), min(x1, y1)
            if lo <= hi:
                out.append((lo, hi))
    return _merge(out)


def bargaining_range(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                     parameter: str | None = None) -> BargainingRange:
    """Where every side prefers the deal to its best alternative, over ``parameter`` (default: the one
    the scenario's ``[bargaining]`` section names), other parameters at their current values."""
    if scenario.bargaining is None:
        raise ScenarioError("this scenario declares no deal to bargain over: it needs a [bargaining] section "
                            "(the deal's outcome and each side's alternatives)", field="bargaining")
    now = {**scenario.values, **(values or {})}
    name = parameter or scenario.bargaining.parameter
    p = scenario.parameter(name)
    if not p.max > p.min:
        raise ScenarioError(f"{name!r} has no range to bargain over", field=f"parameters.{name}")
    others = {k: v for k, v in now.items() if k != name}
    cuts = sorted({t.value for t in thresholds(scenario, values=now, parameters=[name]) if p.min < t.value < p.max})
    edges = [p.min, *cuts, p.max]
    pieces = [np.linspace(a + (b - a) / 4, b - (b - a) / 4, PIECE_POINTS) for a, b in zip(edges, edges[1:])]
    grid = np.linspace(p.min, p.max, CURVE_POINTS)
    S_all = _surpluses(scenario, others, name, np.concatenate(pieces + [grid]))  # one batched solve
    S, curve = S_all[:, :-CURVE_POINTS], S_all[:, -CURVE_POINTS:]
    players = [pid for pid, _ in scenario.bargaining.alternatives]
    accept: list[list[tuple[float, float]]] = [[] for _ in players]
    rises = np.zeros(len(players))
    chord = 0.0
    for k, (a, b) in enumerate(zip(edges, edges[1:])):
        xs = pieces[k]
        for j in range(len(players)):
            f = S[j, k * PIECE_POINTS:(k + 1) * PIECE_POINTS]
            chord = max(chord, abs(f[1] - (f[0] + f[2]) / 2))
            rises[j] += (f[-1] - f[0]) / (xs[-1] - xs[0]) * (b - a)
            seg = _positive(a, b, xs, f)
            if seg is not None:
                accept[j].append(seg)
    index = {q.id: i for i, q in enumerate(scenario.players)}
    sides = []
    for j, (pid, acc) in enumerate(zip(players, accept)):
        intervals, rising = _merge(acc), bool(rises[j] > 0)
        at = (intervals[0][0] if rising else intervals[-1][1]) if intervals else now[name]
        moves = [(node, act, index[pid], next(a.label for a in scenario.node(node).actions if a.id == act))
                 for node, act in dict(scenario.bargaining.alternatives)[pid]]
        sides.append(Acceptable(player=pid, intervals=intervals, rising=rising, alternatives=len(moves),
                                alternative=_best_alternative(scenario, others, name, at, moves)))
    sides = tuple(sides)
    both = sides[0].intervals
    for s in sides[1:]:
        both = _intersect(both, s.intervals)
    risers = [s for s in sides if s.rising]
    fallers = [s for s in sides if not s.rising]
    least = max((s.intervals[0][0] for s in risers if s.intervals), default=None) if risers else p.min
    most = min((s.intervals[-1][1] for s in fallers if s.intervals), default=None) if fallers else p.max
    if any(not s.intervals for s in sides):
        least = least if all(s.intervals for s in risers) else None
        most = most if all(s.intervals for s in fallers) else None
    empty = not both
    gap = (least - most) if empty and least is not None and most is not None and least > most else None
    return BargainingRange(parameter=name, lo=p.min, hi=p.max, current=now[name], sides=sides, intervals=both,
                           least=least, most=most, empty=empty, gap=gap, chord_error=float(chord), xs=grid,
                           surplus=curve)


COMMAND = Command(
    name="range", order=38, help="the bargaining range: where every side prefers the deal to its best alternative",
    run=lambda scenario, options: bargaining_range(scenario, parameter=options["parameter"]),
    options=(Option("--parameter", dict(metavar="NAME", help="the term to bargain over (default: the one the "
                                                             "scenario's [bargaining] section names)")),),
)
