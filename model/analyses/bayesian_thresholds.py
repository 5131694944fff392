"""Where the set of perfect Bayesian equilibria changes: every parameter's flips, the prior included.

For each parameter that no type sets (a type's value replaces the slider), an even grid of its range with
the others held, all in one batched ``pbe_batch`` call; each change between neighbours is then located by
bisection, every change's midpoint in one batched call per step (40 steps: to 1e-12 of the range). Two
points have the same equilibrium set when the same uninformed strategies are equilibria, with the same
labels and the same replies of every type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..core.game import make_env
from ..core.pbe_batch import KINDS, BayesianGame, bayesian_game, pbe_batch
from ..core.result import Result
from ..core.scenario import Scenario
from ..text.explanations import NOTE, fmt

GRID = 201
STEPS = 40
METHOD = (f"perfect Bayesian equilibrium set on an even grid of {GRID} points per parameter (one batched call), "
          f"each change located by {STEPS} bisection steps")


@dataclass(frozen=True)
class SetFlip:
    """At ``value`` of ``parameter`` the equilibrium set changes from ``below`` to ``above`` (described)."""

    parameter: str
    value: float
    below: str
    above: str


@dataclass(frozen=True)
class BayesianThresholds(Result):
    title: str
    flips: tuple[SetFlip, ...]
    skipped: tuple[str, ...]  # parameters a type sets (the slider is not used)
    current: str
    method: str = METHOD

    def to_text(self, scenario: Scenario) -> str:
        out = [scenario.title, NOTE, "", f"The perfect Bayesian equilibria now: {self.current}", "",
               "Where the set of equilibria changes (each parameter moved alone):"]
        if not self.flips:
            out.append("  nowhere in any parameter's range.")
        for f in self.flips:
            out.append(f"  {scenario.parameter(f.parameter).label} [{f.parameter}] = {f.value:.6g}: "
                       f"{f.below}  ->  {f.above}")
        if self.skipped:
            out.append("Not varied (set by the types): " + ", ".join(self.skipped))
        out.append(f"Method: {self.method}.")
        return "\n".join(out)


def _keys(bg: BayesianGame, batch) -> np.ndarray:
    """One row per point naming its equilibrium set: (S, ...) codes, zero where a strategy is not an equilibrium."""
    eq = batch.equilibrium  # (S, N)
    S, N = eq.shape
    parts = [eq.astype(np.int16), (batch.kind.astype(np.int16) + 1) * eq]
    choice = batch.informed_choice.reshape(S, -1, N).astype(np.int16) + 1
    parts.append((choice * eq[:, None, :]).reshape(-1, N))
    return np.concatenate([p.reshape(-1, N) for p in parts]).T


def _where(scenario: Scenario, bg: BayesianGame, h: int) -> str:
    """The mover's name when it has one uninformed node, else "name at node"."""
    g = bg.game
    mover = g.mover[h]
    name = scenario.player_name(scenario.players[mover].id)
    if sum(1 for k in bg.uninformed if g.mover[k] == mover) == 1:
        return name
    return f"{name} at {g.node_ids[h]}"


def _informed_play(scenario: Scenario, bg: BayesianGame, batch, si: int, j: int, k: int) -> str:
    """Type ``k``'s own moves on its path (strategy ``si``, point ``j``), e.g. "Reject and operate"."""
    g = bg.game
    index = {nid: i for i, nid in enumerate(g.node_ids)}
    fixed = {h: int(a) for h, a in zip(bg.uninformed, bg.strategies[si])}
    fixed |= {h: int(batch.informed_choice[si, r, k, j]) for r, h in enumerate(bg.informed_nodes)}
    moves, todo = [], [scenario.root]
    while todo:
        node = scenario.node(todo.pop(0))
        if node.kind == "chance":
            todo += [a.next for a in node.actions]
        elif node.kind == "decision":
            action = node.actions[fixed[index[node.id]]]
            if node.player == scenario.uncertainty.player:
                moves.append(action.label)
            todo.append(action.next)
    return ", ".join(moves) or "no move"


def describe_set(scenario: Scenario, bg: BayesianGame, batch, j: int) -> str:
    """The equilibrium set at point ``j`` of ``batch`` in words: the uninformed strategy, the label and what
    the types do on the path ("US: Limited package (separating: High: Reject; Low: Accept)")."""
    g = bg.game
    out = []
    for si in np.flatnonzero(batch.equilibrium[:, j]):
        s = bg.strategies[si]
        moves = ", ".join(f"{_where(scenario, bg, h)}: {scenario.node(g.node_ids[h]).actions[int(a)].label}"
                          for h, a in zip(bg.uninformed, s))
        plays = [_informed_play(scenario, bg, batch, si, j, k) for k in range(bg.n_types)]
        if bg.n_types == 1:
            out.append(f"{moves} (one type: {plays[0]})")
            continue
        kind = KINDS[int(batch.kind[si, j])]
        types = scenario.uncertainty.types
        what = (f"{'both' if bg.n_types == 2 else 'all'} types: {plays[0]}" if len(set(plays)) == 1 else
                "; ".join(f"{t.label}: {play}" for t, play in zip(types, plays)))
        out.append(f"{moves} ({kind}: {what})")
    return "; ".join(out) if out else "no pure-strategy perfect Bayesian equilibrium"


def _row_ids(keys: np.ndarray) -> np.ndarray:
    """``(N,)`` integers, equal exactly where rows of ``keys (N, m)`` are equal: the columns factorised one by one
    (``np.unique(axis=0)`` sorts rows as bytes, ten times slower on a million points)."""
    ids, top = np.zeros(keys.shape[0], dtype=np.int64), 1  # ids < top
    for col in keys.T:
        lo, width = int(col.min()), int(col.max()) - int(col.min()) + 1
        if width > 1:
            if top * width > 2**40:  # renumber 0, 1, ... before the ids could overflow
                ids = np.unique(ids, return_inverse=True)[1].reshape(-1)
                top = int(ids.max()) + 1
            ids, top = ids * width + (col - lo), top * width
    return ids


def label_points(scenario: Scenario, bg: BayesianGame, batch) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Each point's equilibrium set (``_keys``): ``index (N,)`` numbers the sets by their first point (so the
    numbers are stable), ``first`` holds each set's first point and ``words`` each set described there."""
    _, first, index = np.unique(_row_ids(_keys(bg, batch)), return_index=True, return_inverse=True)
    order = np.argsort(first)
    renumber = np.empty_like(order)
    renumber[order] = np.arange(order.size)
    first = first[order]
    return renumber[index.reshape(-1)], first, tuple(describe_set(scenario, bg, batch, int(j)) for j in first)


def bayesian_thresholds(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                        parameters: tuple[str, ...] | None = None) -> BayesianThresholds:
    """Every change of the equilibrium set along each parameter's range (or only ``parameters``)."""
    bg = bayesian_game(scenario)
    now = {**scenario.values, **(values or {})}
    chosen = [p for p in scenario.parameters if (parameters is None or p.id in parameters)]
    params = [p for p in chosen if p.id not in bg.typed and p.max > p.min]
    skipped = tuple(p.id for p in chosen if p.id in bg.typed)

    def run(which: list[int], xs: np.ndarray):
        arrays = {name: np.full(xs.size, v) for name, v in now.items()}
        for k, p in enumerate(params):
            mask = np.asarray(which) == k
            arrays[p.id][mask] = xs[mask]
        env, n = make_env(scenario, arrays)
        batch = pbe_batch(bg, env, n)
        return batch, _keys(bg, batch)

    env0, _ = make_env(scenario, now)
    b0 = pbe_batch(bg, env0, 1)
    current = describe_set(scenario, bg, b0, 0)
    if not params:
        return BayesianThresholds(title=scenario.title, flips=(), skipped=skipped, current=current)
    grids = [np.linspace(p.min, p.max, GRID) for p in params]
    which = np.repeat(np.arange(len(params)), GRID)
    batch, keys = run(list(which), np.concatenate(grids))
    changes = [(k, i) for k in range(len(params)) for i in range(GRID - 1)
               if not np.array_equal(keys[k * GRID + i], keys[k * GRID + i + 1])]
    if not changes:
        return BayesianThresholds(title=scenario.title, flips=(), skipped=skipped, current=current)
    lo = np.array([grids[k][i] for k, i in changes])
    hi = np.array([grids[k][i + 1] for k, i in changes])
    left = np.array([keys[k * GRID + i] for k, i in changes])
    who = [k for k, _ in changes]
    for _ in range(STEPS):
        mid = (lo + hi) / 2
        _, mk = run(who, mid)
        same = (mk == left).all(axis=1)
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    # each side just outside the tie band at the flip (a tie holds both sets over ~1e-9 of the range)
    span = np.array([params[k].max - params[k].min for k in who])
    b_lo, _ = run(who, np.maximum(lo - 1e-7 * span, [params[k].min for k in who]))
    b_hi, _ = run(who, np.minimum(hi + 1e-7 * span, [params[k].max for k in who]))
    flips: list[SetFlip] = []
    for m, k in enumerate(who):
        value = float((lo[m] + hi[m]) / 2)
        for end in (params[k].min, params[k].max):  # a change at a range's end: bisection's dust snapped onto it
            if abs(value - end) <= 1e-9 * (params[k].max - params[k].min):
                value = float(end)
        flip = SetFlip(parameter=params[k].id, value=value,
                       below=describe_set(scenario, bg, b_lo, m), above=describe_set(scenario, bg, b_hi, m))
        last = flips[-1] if flips else None
        if last and last.parameter == flip.parameter and flip.value - last.value <= 1e-6 * (params[k].max - params[k].min):
            # a tie at one point (both sets hold there): one flip from the set below to the set above
            flip = SetFlip(parameter=flip.parameter, value=last.value, below=last.below, above=flip.above)
            flips[-1] = flip
        else:
            flips.append(flip)
    flips = tuple(flips)
    return BayesianThresholds(title=scenario.title, flips=flips, skipped=skipped, current=current)
