"""Backward induction over many parameter points at once: one solver call on stacked arrays.

``sweep(scenario, vary={name: array or (lo, hi, n)})`` solves every point (arrays broadcast to a
common length N; other parameters stay at the scenario's values) and labels each point with its
equilibrium path: ``path[j]`` indexes ``paths``, the distinct equilibrium paths found, each a tuple
of ``(node id, action id)`` for the decisions reached with positive probability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .backward_induction import backward_induction
from .errors import ScenarioError
from .game import Game, compile_game, make_env
from .scenario import Scenario

Path = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Sweep:
    """Equilibria at N points. Shapes: ``choice (n_decisions, N)`` (action index at each decision node,
    in ``decisions`` order), ``root (n_players, N)``, ``path (N,)``; ``node_values
    (n_nodes, n_players, N)`` only when asked for (``detail=True``), nodes in ``node_ids`` order."""

    parameters: tuple[str, ...]
    points: dict[str, np.ndarray]
    players: tuple[str, ...]
    decisions: tuple[str, ...]
    node_ids: tuple[str, ...]
    choice: np.ndarray
    root: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    node_values: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.choice.shape[1]


def path_signature(game: Game, choice: np.ndarray, positive: Sequence[np.ndarray]) -> np.ndarray:
    """``(n_decisions, N)``: the chosen action at decision nodes reached by equilibrium play, else -1.

    ``positive[c]`` is a ``(n_branches, N)`` boolean array: which branches of chance node c have
    positive probability. Two points share an equilibrium path exactly when their signatures match.
    """
    n = choice.shape[1]
    reach = np.zeros((len(game.node_ids), n), dtype=bool)
    reach[0] = True
    dec_row = {node: r for r, node in enumerate(game.decisions)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    sig = np.full(choice.shape, -1, dtype=np.int16)
    for node in range(len(game.node_ids)):
        kids = game.children[node]
        if game.mover[node] >= 0:
            r = dec_row[node]
            sig[r] = np.where(reach[node], choice[r], -1)
            for a, kid in enumerate(kids):
                reach[kid] = reach[node] & (choice[r] == a)
        elif game.mover[node] == -1:
            pos = positive[chance_row[node]]
            for b, kid in enumerate(kids):
                reach[kid] = reach[node] & pos[b]
    return sig


def label_paths(game: Game, signature: np.ndarray) -> tuple[np.ndarray, tuple[Path, ...]]:
    """Index each point's equilibrium path into a list of the distinct paths, in order of first appearance."""
    radix = [len(game.children[node]) + 1 for node in game.decisions]
    if not radix:
        return np.zeros(signature.shape[1], dtype=np.int64), ((),)
    key = np.zeros(signature.shape[1], dtype=np.int64)
    for r, base in enumerate(radix):
        key = key * base + (signature[r].astype(np.int64) + 1)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first)  # first appearance order
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    sc = game.scenario
    paths = []
    for u in order:
        col = signature[:, first[u]]
        steps = []
        for r, node in enumerate(game.decisions):
            if col[r] >= 0:
                spec = sc.node(game.node_ids[node])
                steps.append((spec.id, spec.actions[int(col[r])].id))
        paths.append(tuple(steps))
    return rank[inverse].astype(np.int64), tuple(paths)


def points_of(scenario: Scenario, vary: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Arrays for each varied parameter: an array as given, or ``(lo, hi, n)`` as an even grid."""
    out = {}
    for name, spec in vary.items():
        scenario.parameter(name)
        if isinstance(spec, tuple) and len(spec) == 3 and not isinstance(spec[2], float):
            lo, hi, n = spec
            if int(n) < 1 or int(n) > 100_000_000:
                raise ScenarioError(f"grid size {n} must be between 1 and 100,000,000", field=f"parameters.{name}")
            out[name] = np.linspace(float(lo), float(hi), int(n))
        else:
            out[name] = np.asarray(spec, dtype=float).reshape(-1)
    return out


def sweep_game(game: Game, vary: Mapping[str, object], *, values: Mapping[str, float] | None = None,
               detail: bool = False) -> Sweep:
    """Solve every point of ``vary`` (others at ``values`` or the scenario's defaults) in one call."""
    sc = game.scenario
    pts = points_of(sc, vary)
    env, n = make_env(sc, {**(values or {}), **pts})
    batch = backward_induction(game, env, n, detail=detail)
    positive = [np.broadcast_to(np.asarray(f(env)) > 0, (n,)) for row in game.probs for f in row]
    pos_by_chance, k = [], 0
    for row in game.probs:
        pos_by_chance.append(np.stack(positive[k:k + len(row)]))
        k += len(row)
    sig = path_signature(game, batch.choice, pos_by_chance)
    path, paths = label_paths(game, sig)
    return Sweep(
        parameters=tuple(pts), points={k: np.broadcast_to(v, (n,)) for k, v in pts.items()},
        players=tuple(p.id for p in sc.players), decisions=tuple(game.node_ids[d] for d in game.decisions),
        node_ids=game.node_ids, choice=batch.choice, root=batch.root, path=path, paths=paths,
        node_values=batch.node_values[0] if detail else None,
    )


def sweep(scenario: Scenario, /, *, vary: Mapping[str, object], values: Mapping[str, float] | None = None,
          detail: bool = False) -> Sweep:
    """Equilibria over a batch of parameter points (see ``sweep_game``)."""
    return sweep_game(compile_game(scenario), vary, values=values, detail=detail)


def option_values(game: Game, result: Sweep, node: str) -> np.ndarray:
    """``(n_actions, N)``: each action's value to the mover at ``node`` across a detailed sweep."""
    if result.node_values is None:
        raise ValueError("option_values needs a sweep with detail=True")
    j = game.index(node)
    kids = list(game.children[j])
    return result.node_values[kids, game.mover[j], :]
