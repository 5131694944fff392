"""What would it take: the smallest change to the unlocked parameters that makes a target play the equilibrium.

A target play is the equilibrium's when the equilibrium strategy takes the target's action at every
decision the target names (one below a chance branch of probability 0 included, though never reached).
Distance is measured in units of each slider's range: ``sum_j |new_j - now_j| / (max_j - min_j)``.

Exact route (every unlocked parameter is one player's weight and nothing else): for a full strategy
profile sigma that plays the target, sigma is subgame perfect when at every decision node the
chosen action beats every other by a margin (sufficient, not necessary: a profile that holds only at an
exact tie is not sought); each margin is linear in the weights,
``(pi_sigma(a) - pi_sigma(b)) . (c_i + B_i theta) >= delta``, where pi_sigma is the outcome
distribution after an action. Minimising the distance subject to these constraints and the slider
ranges is a linear program (``scipy.optimize.linprog``); we solve one per profile that plays the target
and keep the best. Otherwise (probabilities or outcome levels unlocked) we search: solve 20,000
random points of the unlocked box in one batch, keep the nearest that plays the target, then pull it
back towards the current point by bisection, which is approximate and says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from scipy.optimize import linprog

from ..core.equilibrium import solve
from ..errors import ScenarioError
from ..text.explanations import apart, describe_play
from ..core.game import ONE, Game, game_of, make_env
from ..core.plays import Path
from ..core.result import Result, csv_text
from ..core.utility import linear_plan
from ..core.scenario import Scenario
from .sweep import sweep

MARGIN = 1e-6
MAX_PROFILES = 4096
SEARCH_POINTS = 20_000


@dataclass(frozen=True)
class WhatItTakes(Result):
    """The answer: ``feasible``, the new values of the parameters that change, the distance, how found."""

    target: Path
    unlocked: tuple[str, ...]
    feasible: bool
    already: bool
    distance: float
    changes: tuple[tuple[str, float, float], ...]
    method: str
    sentence: str

    @property
    def new_values(self) -> dict[str, float]:
        return {name: new for name, _, new in self.changes}

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per parameter that changes: its value now and the value it takes."""
        return csv_text(["parameter", "now", "new"], self.changes, out)


def plays(scenario: Scenario) -> tuple[Path, ...]:
    """Every play the tree allows: one action at each decision node reached, every branch of a chance node."""
    by_id = {n.id: n for n in scenario.nodes}

    def from_node(nid: str) -> list[Path]:
        node = by_id[nid]
        if node.kind == "outcome":
            return [()]
        if node.kind == "chance":
            parts = [from_node(a.next) for a in node.actions]
            return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]
        return [((nid, a.id),) + rest for a in node.actions for rest in from_node(a.next)]

    return tuple(from_node(scenario.root))


def _exact_ok(game: Game, unlocked: Sequence[str]) -> bool:
    names = set(unlocked)
    if any(ns & names for row in game.level_names for ns in row):
        return False
    if any(ns & names for row in game.prob_names for ns in row):
        return False
    for row_names, row_params in zip(game.weight_names, game.weight_param):
        for ns, plain in zip(row_names, row_params):
            if ns & names and plain not in names:
                return False
    return True


def _distributions(game: Game, profile: dict[int, int], probs: list[list[float]]) -> np.ndarray:
    """``(n_nodes, n_outcomes)``: the outcome distribution below each node under ``profile``."""
    n_out = len(game.outcomes)
    out = np.zeros((len(game.node_ids), n_out))
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    for node in reversed(range(len(game.node_ids))):
        kids = game.children[node]
        if game.mover[node] == -2:
            out[node, outcome_row[node]] = 1.0
        elif game.mover[node] == -1:
            out[node] = sum(p * out[k] for p, k in zip(probs[chance_row[node]], kids))
        else:
            out[node] = out[kids[profile[node]]]
    return out


def _profiles(game: Game, target: Path):
    """Full profiles (decision node -> action index) whose equilibrium play is ``target``."""
    sc = game.scenario
    fixed = {game.index(node): [a.id for a in sc.node(node).actions].index(action) for node, action in target}
    free = [d for d in game.decisions if d not in fixed]
    sizes = [len(game.children[d]) for d in free]
    if int(np.prod(sizes, dtype=object)) > MAX_PROFILES:
        return None
    out = []
    for combo in itertools.product(*[range(s) for s in sizes]):
        profile = {**fixed, **dict(zip(free, combo))}
        out.append(profile)
    return out


def _exact(game: Game, now: dict, unlocked: Sequence[str], target: Path):
    sc = game.scenario
    names = tuple(unlocked) + (ONE,)
    rows = np.array([[now[n]] for n in unlocked] + [[1.0]])
    env, _ = make_env(sc, {k: v for k, v in now.items() if k not in unlocked}, rows=(names, rows))
    M, _ = linear_plan(game, env)  # (n_out * n_players, n_unlocked + 1), last column the constants
    n_out, n_players = len(game.outcomes), game.n_players
    M = M.reshape(n_out, n_players, len(names))
    probs = [[float(f(env)) for f in row] for row in game.probs]
    profiles = _profiles(game, target)
    theta0 = np.array([now[n] for n in unlocked])
    span = np.array([sc.parameter(n).max - sc.parameter(n).min for n in unlocked])
    lo = np.array([sc.parameter(n).min for n in unlocked]) - theta0
    hi = np.array([sc.parameter(n).max for n in unlocked]) - theta0
    k = len(unlocked)
    best = None
    for profile in profiles:
        dist = _distributions(game, profile, probs)
        A_ub, b_ub = [], []
        for d in game.decisions:
            i, kids = game.mover[d], game.children[d]
            a = profile[d]
            for b in range(len(kids)):
                if b == a:
                    continue
                g = (dist[kids[a]] - dist[kids[b]]) @ M[:, i, :]  # margin = g[:k] . theta + g[k]
                # g . (theta0 + delta) + const >= MARGIN  ->  -g . delta <= g . theta0 + const - MARGIN
                A_ub.append(np.concatenate([-g[:k], g[:k]]))
                b_ub.append(g[:k] @ theta0 + g[k] - MARGIN)
        cost = np.concatenate([1 / span, 1 / span])
        bounds = [(0, max(0.0, h)) for h in hi] + [(0, max(0.0, -l)) for l in lo]
        res = linprog(cost, A_ub=np.array(A_ub) if A_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                      bounds=bounds, method="highs")
        if res.status == 0 and (best is None or res.fun < best[0]):
            best = (res.fun, theta0 + res.x[:k] - res.x[k:])
    return best


def _takes(choices: Mapping[str, str], target: Path) -> bool:
    """The equilibrium strategy plays ``target``: at every decision the target names it takes the target's
    action. With every chance branch possible this is "the equilibrium path is the target"; a decision
    below a branch of probability 0 is never reached, and the target's action there is the strategy's."""
    return all(choices.get(node) == action for node, action in target)


def _off_path(scenario: Scenario, solution, target: Path) -> str:
    """A note on the target's decisions that equilibrium play never reaches (a chance branch before them
    has probability 0): the strategy takes them there, off the path."""
    on = {step.node for step in solution.path}
    off = tuple((node, action) for node, action in target if node not in on)
    if not off:
        return ""
    return (f" (off its path, never reached because a chance branch before it has probability 0, the strategy "
            f"still chooses {describe_play(scenario, off)})")


def _search(game: Game, now: dict, unlocked: Sequence[str], target: Path, seed: int):
    sc = game.scenario
    theta0 = np.array([now[n] for n in unlocked])
    span = np.array([sc.parameter(n).max - sc.parameter(n).min for n in unlocked])
    lo = np.array([sc.parameter(n).min for n in unlocked])
    hi = lo + span
    others = {k: v for k, v in now.items() if k not in unlocked}
    names = tuple(unlocked) + (ONE,)
    row_of = {game.node_ids[d]: r for r, d in enumerate(game.decisions)}  # the sweep's choice rows
    wanted = [(row_of[node], [a.id for a in sc.node(node).actions].index(action)) for node, action in target]

    def hits(points: np.ndarray) -> np.ndarray:  # points (k, n)
        rows = np.vstack([points, np.ones(points.shape[1])])
        result = sweep(sc, values=others, rows=(names, rows), validate=False)
        return np.all([result.choice[row] == action for row, action in wanted], axis=0)

    rng = np.random.default_rng(seed)
    cloud = lo[:, None] + span[:, None] * rng.random((len(unlocked), SEARCH_POINTS))
    # also points near the current one, where the answer usually is
    near = theta0[:, None] + span[:, None] * rng.normal(0, 0.1, (len(unlocked), SEARCH_POINTS))
    cloud = np.clip(np.concatenate([cloud, near], axis=1), lo[:, None], hi[:, None])
    good = hits(cloud)
    if not good.any():
        return None
    dist = (np.abs(cloud - theta0[:, None]) / span[:, None]).sum(axis=0)
    dist[~good] = np.inf
    best = cloud[:, int(np.argmin(dist))]
    # pull back towards the current point along the segment, then one parameter at a time
    for _ in range(2):
        for mask in [np.ones(len(unlocked), bool)] + [np.eye(len(unlocked), dtype=bool)[j] for j in range(len(unlocked))]:
            t_lo, t_hi = 0.0, 1.0  # t = share of the way back to the current point; t_lo is known to work
            for _ in range(2):  # a grid, then a finer grid between the last good and the first bad point
                ts = np.linspace(t_lo, t_hi, 65)
                ok = hits(best[:, None] + (theta0 - best)[:, None] * mask[:, None] * ts[None, :])
                good_ts = ts[np.flatnonzero(ok)] if ok.any() else np.array([t_lo])
                last = good_ts.max()
                t_lo, t_hi = last, min(t_hi, last + (ts[1] - ts[0]))
            best = best + (theta0 - best) * mask * t_lo
    return float((np.abs(best - theta0) / span).sum()), best


def what_it_takes(scenario: Scenario, /, *, target: Path, unlocked: Sequence[str] | None = None,
                  values: Mapping[str, float] | None = None, seed: int = 0) -> WhatItTakes:
    """The smallest change (in units of each slider's range) to ``unlocked`` that makes ``target`` the equilibrium."""
    game = game_of(scenario)
    target = tuple((str(n), str(a)) for n, a in target)
    if target not in plays(scenario):
        raise ScenarioError("the target is not a play of this game; choose one of model.analyses.what_it_takes.plays(scenario)",
                            field="target")
    now = {**scenario.values, **(values or {})}
    unlocked = tuple(unlocked) if unlocked is not None else tuple(p.id for p in scenario.parameters if p.max > p.min)
    for name in unlocked:
        scenario.parameter(name)
    what = describe_play(scenario, target)
    current = solve(scenario, values=now)
    if _takes(current.choice_map, target):
        return WhatItTakes(target, unlocked, True, True, 0.0, (), "none needed",
                           f"It already is the equilibrium: {what}{_off_path(scenario, current, target)}.")
    if not unlocked:
        return WhatItTakes(target, unlocked, False, False, float("inf"), (), "none",
                           "Unlock at least one slider to ask what it would take.")
    if _exact_ok(game, unlocked) and _profiles(game, target) is not None:
        best, method = _exact(game, now, unlocked, target), "linear program (exact)"
    else:
        best, method = _search(game, now, unlocked, target, seed), "search (approximate)"
    labels = {p.id: p.label for p in scenario.parameters}
    if best is None:
        return WhatItTakes(target, unlocked, False, False, float("inf"), (), method,
                           f"No change within the ranges of the unlocked sliders "
                           f"({', '.join(labels[n] for n in unlocked)}) makes this the equilibrium: {what}.")
    distance, theta = best
    changes = tuple((n, now[n], float(v)) for n, v in zip(unlocked, theta) if abs(v - now[n]) > 1e-9)
    check = solve(scenario, values={**now, **{n: v for n, _, v in changes}})
    if not _takes(check.choice_map, target):
        return WhatItTakes(target, unlocked, False, False, float("inf"), (), method,
                           f"The {method} found no change that survives a check; treat this target as out of reach "
                           f"of the unlocked sliders: {what}.")
    moves = "; ".join(f"{labels[n]} from {apart((old, new))(old)} to {apart((old, new))(new)}" for n, old, new in changes)
    share = f"{distance:.0%}" if distance >= 0.005 else "under 1%"
    sentence = (f"{what[0].upper() + what[1:]} becomes the equilibrium{_off_path(scenario, check, target)} if {moves} "
                f"(a total change of {share} of the slider ranges; found by {method}).")
    return WhatItTakes(target, unlocked, True, False, float(distance), changes, method, sentence)
