"""Flip thresholds: for each parameter, the values inside its range where a preferred action changes.

Holding the choices below a node fixed, every action's value is a sum over outcomes of
(path probability x utility). When the parameter enters each such product through at most one
factor, and affinely (weights always do), every action's value is affine in the parameter between
flips, ``v_a(x) = v_a(x0) + s_a (x - x0)``, and the next flip has a closed form:
``x = x0 + (v_c - v_b) / (s_b - s_c)`` for the chosen action c and a rising action b. We step from
flip to flip across the range (all such parameters at once, one batched solve per step). For any
other parameter we solve on a grid, bracket each change of choice and refine the root of the
margin ``v_from - v_to`` with ``scipy.optimize.brentq``.

A threshold records the value, the node, the action preferred just below and just above it, and
whether the equilibrium path changes there. A tie exactly at either end of a range, broken by the tie
rule otherwise than just inside it, is a threshold at that end: the slider set there shows another
choice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from scipy.optimize import brentq

from ..core.backward_induction import TIE_TOLERANCE, Leaves, backward_induction, leaf_values
from ..core.game import Game, full_information, game_of, make_env
from ..core.result import Result, csv_text
from ..core.scenario import Parameter, Scenario
from ..text.explanations import NOTE, describe_threshold
from . import Command

GRID_POINTS = 257
MAX_STEPS = 500
SIDE = 1e-6  # "either side" of a threshold: this fraction of the range
METHOD = ("closed form where every action's value is affine in the parameter between flips; otherwise a "
          f"{GRID_POINTS}-point grid and brentq on the margin")
FIELDS = ("parameter", "value", "node", "player", "below", "above", "path_changes", "method")


@dataclass(frozen=True)
class Threshold:
    """At ``value`` of ``parameter`` the mover at ``node`` switches from ``below`` to ``above``."""

    parameter: str
    value: float
    node: str
    player: str
    below: str
    above: str
    path_changes: bool
    method: str

    def to_json(self) -> dict:
        return {
            "parameter": self.parameter, "value": self.value, "node": self.node, "player": self.player,
            "below": self.below, "above": self.above, "path_changes": self.path_changes, "method": self.method,
        }


def _column_env(base: dict, params: list[Parameter], xs: np.ndarray, repeat: int = 1) -> dict:
    """A batch env: column block j moves parameter j to ``xs[j*repeat:(j+1)*repeat]``, all else at base."""
    n = len(params) * repeat
    env = dict(base)
    for j, p in enumerate(params):
        col = np.full(n, float(base[p.id]))
        col[j * repeat:(j + 1) * repeat] = xs[j * repeat:(j + 1) * repeat]
        env[p.id] = col
    return env


def _record(game: Game, param: Parameter, x: float, r: int, below: int, above: int, changes_path: bool,
            method: str) -> Threshold:
    spec = game.scenario.node(game.node_ids[game.decisions[r]])
    return Threshold(parameter=param.id, value=float(x), node=spec.id, player=spec.player,
                     below=spec.actions[below].id, above=spec.actions[above].id, path_changes=changes_path,
                     method=method)


def _choice_rows(game: Game) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The decision rows with two or more actions, as padded arrays: ``(rows, kids, movers, real)``,
    ``kids[j, a]`` the node of action a at row ``rows[j]`` (the first action's where the row has fewer)."""
    memo = game.scenario.memo
    if "choice_rows" not in memo:
        rows = [r for r, node in enumerate(game.decisions) if len(game.children[node]) >= 2]
        width = max((len(game.children[game.decisions[r]]) for r in rows), default=2)
        kids = np.array([[*game.children[game.decisions[r]],
                          *[game.children[game.decisions[r]][0]] * (width - len(game.children[game.decisions[r]]))]
                         for r in rows], dtype=np.intp).reshape(len(rows), width)
        real = np.array([[a < len(game.children[game.decisions[r]]) for a in range(width)] for r in rows],
                        dtype=bool).reshape(len(rows), width)
        movers = np.array([game.mover[game.decisions[r]] for r in rows], dtype=np.intp)
        memo["choice_rows"] = (np.array(rows, dtype=np.intp), kids, movers, real)
    return memo["choice_rows"]


def _at(ends: Leaves, step: Leaves, idx: np.ndarray, t: np.ndarray) -> tuple[Leaves, Leaves]:
    """The leaves at ``t`` (fractions of each range) of the columns ``idx``, interpolated between the
    range ends (exact for a parameter that enters every utility and probability affinely), and at
    ``t + 1`` (one span further: its slope breaks ties)."""
    (U0, P0), (dU, dP) = ends, step
    U = U0[..., idx] + t * dU[..., idx]
    P = [[p if not isinstance(p, np.ndarray) else p[idx] + t * d[idx] for p, d in zip(row, drow)]
         for row, drow in zip(P0, dP)]
    U2 = U + dU[..., idx]
    P2 = [[p if not isinstance(p, np.ndarray) else p + d[idx] for p, d in zip(row, drow)] for row, drow in zip(P, dP)]
    return (U, P), (U2, P2)


def affine_thresholds(game: Game, base: dict, params: list[Parameter]) -> list[Threshold]:
    """Closed-form flips for parameters that enter every action value affinely (all at once).

    Utilities and probabilities are computed once, at both ends of every range; each step of the walk
    interpolates them (they are affine in the parameter) and runs backward induction on them."""
    params = [p for p in params if p.max > p.min]
    if not params:
        return []
    lo = np.array([p.min for p in params])
    hi = np.array([p.max for p in params])
    span = hi - lo
    k = len(params)
    ends_env = _column_env(base, params, np.ravel(np.column_stack([lo, hi])), repeat=2)
    U, P = leaf_values(game, ends_env, 2 * k)
    at_ends = backward_induction(game, ends_env, 2 * k, path_keys=True, leaves=(U, P))
    low_end = (U[..., 0::2], [[p[0::2] if isinstance(p, np.ndarray) else p for p in row] for row in P])
    up = ((U[..., 1::2] - low_end[0]),
          [[p[1::2] - p0 if isinstance(p, np.ndarray) else 0.0 for p, p0 in zip(row, row0)]
           for row, row0 in zip(P, low_end[1])])
    rows, kids, movers, real = _choice_rows(game)
    x = lo.copy()
    active = np.ones(k, dtype=bool)
    prev_choice: np.ndarray | None = None
    prev_sig: np.ndarray | None = None
    first_choice: np.ndarray | None = None  # the choices just above each range's start
    first_sig: np.ndarray | None = None
    out: list[Threshold] = []
    for _ in range(MAX_STEPS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        here, ahead = _at(low_end, up, idx, (x[idx] - lo[idx]) / span[idx])
        batch = backward_induction(game, ends_env, idx.size, detail=True, leaves=here, tiebreak_leaves=ahead,
                                   path_keys=True)
        choice = batch.choice
        sig = batch.path_key
        if prev_choice is not None:
            old = prev_choice[:, idx]
            for col, r in zip(*np.nonzero((old != choice).T)):
                j = idx[col]
                out.append(_record(game, params[j], x[j], int(r), int(old[r, col]), int(choice[r, col]),
                                   bool(prev_sig[j] != sig[col]), "closed form"))
        # next flip: where a rising action overtakes the chosen one at some node, in spans (all nodes at once)
        nxt = np.full(idx.size, np.inf)
        if rows.size:
            v = batch.node_values[0, kids, movers[:, None], :]  # (rows, actions, B)
            s = batch.node_values[1, kids, movers[:, None], :] - v  # value change over one span
            c = choice[rows].astype(np.intp)[:, None, :]
            vc, sc_ = np.take_along_axis(v, c, axis=1), np.take_along_axis(s, c, axis=1)
            rising = (s - sc_ > TIE_TOLERANCE) & real[:, :, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                dx = np.where(rising, (vc - v) / (s - sc_), np.inf)
            dx = np.where(dx > 1e-13, dx, np.where(rising, 1e-13, np.inf))
            nxt = dx.min(axis=(0, 1))
        new_x = x[idx] + nxt * span[idx]
        if prev_choice is None:
            prev_choice = np.zeros((choice.shape[0], k), dtype=choice.dtype)
            prev_sig = np.zeros(k, dtype=np.int64)
            first_choice, first_sig = choice.copy(), np.array(sig, dtype=np.int64)
        prev_choice[:, idx] = choice
        prev_sig[idx] = sig
        done = new_x >= hi[idx] - 1e-12 * span[idx]
        x[idx] = np.where(done, x[idx], new_x)
        active[idx[done]] = False
    if first_choice is not None:
        out += _range_ends(game, params, at_ends, first_choice, first_sig, prev_choice, prev_sig, ~active)
    return out


def _range_ends(game: Game, params: list[Parameter], batch, above_min: np.ndarray, sig_min: np.ndarray,
                below_max: np.ndarray, sig_max: np.ndarray, finished: np.ndarray) -> list[Threshold]:
    """Flips exactly at a range's ends: a tie there that the tie rule breaks another way than just
    inside the range, so a slider set to its minimum or maximum shows another choice. The walk above
    ranks ties by the slope (it follows the choice just above each point), so it does not see them.
    ``batch``: backward induction at both ends of every range (column 2j: parameter j's minimum)."""
    at_min, at_max = batch.choice[:, 0::2], batch.choice[:, 1::2]
    key_min, key_max = batch.path_key[0::2], batch.path_key[1::2]
    out: list[Threshold] = []
    for j, r in zip(*np.nonzero((at_min != above_min).T)):
        out.append(_record(game, params[j], params[j].min, int(r), int(at_min[r, j]), int(above_min[r, j]),
                           bool(key_min[j] != sig_min[j]), "closed form"))
    for j, r in zip(*np.nonzero(((below_max != at_max) & finished).T)):
        out.append(_record(game, params[j], params[j].max, int(r), int(below_max[r, j]), int(at_max[r, j]),
                           bool(sig_max[j] != key_max[j]), "closed form"))
    return out


def _margin(game: Game, base: dict, param: Parameter, node: int, a: int, b: int):
    kids = game.children[node]
    i = game.mover[node]

    def f(x: float) -> float:
        env = dict(base)
        env[param.id] = float(x)
        batch = backward_induction(game, env, 1, detail=True)
        return float(batch.node_values[0, kids[a], i, 0] - batch.node_values[0, kids[b], i, 0])

    return f


def grid_thresholds(game: Game, base: dict, params: list[Parameter], points: int = GRID_POINTS) -> list[Threshold]:
    """Flips found on a grid of each parameter's range and refined with ``brentq`` on the margin."""
    params = [p for p in params if p.max > p.min]
    if not params:
        return []
    xs = np.concatenate([np.linspace(p.min, p.max, points) for p in params])
    env = _column_env(base, params, xs, repeat=points)
    batch = backward_induction(game, env, len(xs))
    out: list[Threshold] = []
    seen: set = set()
    dec_row = list(game.decisions)
    for j, p in enumerate(params):
        block = slice(j * points, (j + 1) * points)
        ch, grid = batch.choice[:, block], xs[block]
        for g in np.flatnonzero((ch[:, :-1] != ch[:, 1:]).any(axis=0)):
            for r in np.flatnonzero(ch[:, g] != ch[:, g + 1]):
                node = dec_row[r]
                a, b = int(ch[r, g]), int(ch[r, g + 1])
                f = _margin(game, base, p, node, a, b)
                fa, fb = f(grid[g]), f(grid[g + 1])
                if fa <= TIE_TOLERANCE:
                    root = grid[g]
                elif fb >= -TIE_TOLERANCE:
                    root = grid[g + 1]
                else:
                    root = brentq(f, grid[g], grid[g + 1], xtol=1e-12 * (p.max - p.min), rtol=4 * np.finfo(float).eps)
                # keep it only if the choice really differs just below and just above (a tie at a
                # single point, with the same choice on both sides, is not a flip)
                near, lo_a, hi_a = _either_side(game, base, p, root, r)
                if lo_a == hi_a:
                    # the margin's root is not where the choice changes: where two values touch without
                    # crossing (q^2 against 0 at q = 0), the choice changes only where the gap leaves
                    # the tie tolerance. Find that place by bisection on the choice itself.
                    root = _bisect_choice(game, base, p, r, grid[g], grid[g + 1])
                    near, lo_a, hi_a = _either_side(game, base, p, root, r)
                if lo_a == hi_a or (p.id, float(root), node) in seen:
                    continue
                seen.add((p.id, float(root), node))
                spec = game.scenario.node(game.node_ids[node])
                out.append(Threshold(parameter=p.id, value=float(root), node=spec.id, player=spec.player,
                                     below=spec.actions[lo_a].id, above=spec.actions[hi_a].id,
                                     path_changes=bool(near.path_key[0] != near.path_key[1]), method="brentq"))
    return out


def _either_side(game: Game, base: dict, p: Parameter, x: float, r: int):
    """The batch just below and just above ``x`` (``SIDE`` of the range), and decision row ``r``'s choices there."""
    delta = SIDE * (p.max - p.min)
    sides = np.clip([x - delta, x + delta], p.min, p.max)
    near = backward_induction(game, _column_env(base, [p], sides, repeat=2), 2, path_keys=True)
    return near, int(near.choice[r, 0]), int(near.choice[r, 1])


def _bisect_choice(game: Game, base: dict, p: Parameter, r: int, lo: float, hi: float) -> float:
    """Where decision row ``r``'s choice changes between ``lo`` and ``hi`` (where it differs), to a
    billionth of the range."""

    def choice(x: float) -> int:
        env = dict(base)
        env[p.id] = float(x)
        return int(backward_induction(game, env, 1).choice[r, 0])

    left = choice(lo)
    while hi - lo > 1e-9 * (p.max - p.min):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if choice(mid) == left else (lo, mid)
    return float((lo + hi) / 2)


@dataclass(frozen=True)
class Thresholds(Result):
    """Every flip of the chosen parameters, sorted by parameter (file order), value and node.

    Iterating gives the ``Threshold`` records; ``values`` are the other parameters' values used."""

    items: tuple[Threshold, ...]
    parameters: tuple[str, ...]
    values: tuple[tuple[str, float], ...]
    method: str = METHOD

    def __iter__(self) -> Iterator[Threshold]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: int) -> Threshold:
        return self.items[k]

    def of(self, parameter: str) -> tuple[Threshold, ...]:
        """The flips of one parameter, in order of value."""
        return tuple(t for t in self.items if t.parameter == parameter)

    def nearest(self, scenario: Scenario, values: Mapping[str, float] | None = None) -> tuple[Threshold, ...]:
        """The flips in order of distance from the current values (or ``values``), in units of each
        parameter's range; flips that change equilibrium play come before those that do not."""
        now = {**dict(self.values), **(values or {})}

        def distance(t: Threshold) -> tuple[bool, float]:
            p = scenario.parameter(t.parameter)
            return (not t.path_changes, abs(t.value - now[t.parameter]) / (p.max - p.min))

        return tuple(sorted(self.items, key=distance))

    def to_json(self) -> dict:
        return {"thresholds": [t.to_json() for t in self.items]}

    def to_csv(self, out: TextIO | None = None) -> str | None:
        return csv_text(FIELDS, ([getattr(t, f) for f in FIELDS] for t in self.items), out)

    def to_text(self, scenario: Scenario) -> str:
        """The human report of ``python -m model thresholds``."""
        out = [scenario.title, NOTE, "", "Flip thresholds: where a preferred action changes inside a parameter's "
               "range", "(other parameters at their current values)."]
        for p in scenario.parameters:
            if p.id not in self.parameters:
                continue
            mine = self.of(p.id)
            unit = f" {p.unit}" if p.unit else ""
            out.append(f"\n{p.id} \u2014 {p.label} (now {dict(self.values)[p.id]:g}{unit}, range {p.min:g} to {p.max:g})")
            if not mine:
                out.append("  no choice changes anywhere in the range")
            out += ["  " + describe_threshold(scenario, t) for t in mine]
        return "\n".join(out)


def thresholds(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
               parameters: Sequence[str] | None = None) -> Thresholds:
    """Every flip threshold of the chosen parameters (all by default), others at their current values
    (or ``values``)."""
    full_information(scenario)
    game = game_of(scenario)
    base, _ = make_env(scenario, values)
    chosen = [scenario.parameter(pid) for pid in parameters] if parameters is not None else list(scenario.parameters)
    affine = [p for p in chosen if p.id in game.closed_form]
    other = [p for p in chosen if p.id not in game.closed_form]
    found = affine_thresholds(game, base, affine) + grid_thresholds(game, base, other)
    order = {p.id: j for j, p in enumerate(scenario.parameters)}
    node_order = {nid: j for j, nid in enumerate(game.node_ids)}
    return Thresholds(items=tuple(sorted(found, key=lambda t: (order[t.parameter], t.value, node_order[t.node]))),
                      parameters=tuple(p.id for p in chosen),
                      values=tuple((k, float(base[k])) for k in scenario.values), method=METHOD)


COMMAND = Command(
    name="thresholds", order=20, help="where each parameter flips a preferred action",
    run=lambda scenario, options: (_bayesian(scenario) if scenario.uncertainty is not None else thresholds(scenario)),
)


def _bayesian(scenario: Scenario):
    from .bayesian_thresholds import bayesian_thresholds
    return bayesian_thresholds(scenario)
