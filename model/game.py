"""A scenario compiled for solving: nodes in topological order, expressions as closures.

Parameter values come in an ``env``: parameter id -> a float, or an array of shape ``(N,)`` for a
batch of N parameter points (one row per varied parameter). Expressions that use no varied
parameter are evaluated once, as numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import ScenarioError
from .expressions import compile_tree
from .scenario import Chance, Decision, Outcome, Scenario

Value = float | np.ndarray


@dataclass(frozen=True)
class Game:
    """The tree of a scenario as index arrays (parents before children) plus compiled expressions.

    ``children[n]`` are node indices; ``mover[n]`` is a player index for decision nodes, -1 for
    chance nodes and -2 for outcomes; ``decisions``/``chances``/``outcomes`` list node indices of
    each kind in topological order; ``levels[j][k]`` is outcome j's level of attribute k;
    ``weights[i][k]`` is player i's weight on attribute k times the attribute's sense (+1/-1);
    ``probs[c][b]`` is branch b of chance node c.
    """

    scenario: Scenario
    node_ids: tuple[str, ...]
    children: tuple[tuple[int, ...], ...]
    mover: tuple[int, ...]
    decisions: tuple[int, ...]
    chances: tuple[int, ...]
    outcomes: tuple[int, ...]
    levels: tuple[tuple[Callable, ...], ...]
    weights: tuple[tuple[Callable, ...], ...]
    probs: tuple[tuple[Callable, ...], ...]
    level_names: tuple[tuple[frozenset, ...], ...]
    weight_names: tuple[tuple[frozenset, ...], ...]
    prob_names: tuple[tuple[frozenset, ...], ...]

    @property
    def n_players(self) -> int:
        return len(self.scenario.players)

    def index(self, node_id: str) -> int:
        return self.node_ids.index(node_id)


def compile_game(scenario: Scenario) -> Game:
    """Lay the scenario's tree out for ``backward_induction`` (breadth-first from the root)."""
    by_id = {n.id: n for n in scenario.nodes}
    order = [scenario.root]
    i = 0
    while i < len(order):
        node = by_id[order[i]]
        order.extend(a.next for a in getattr(node, "actions", ()))
        i += 1
    index = {nid: j for j, nid in enumerate(order)}
    player_index = {p.id: j for j, p in enumerate(scenario.players)}
    children, mover = [], []
    decisions, chances, outcomes = [], [], []
    levels, level_names, probs, prob_names = [], [], [], []
    for j, nid in enumerate(order):
        node = by_id[nid]
        children.append(tuple(index[a.next] for a in getattr(node, "actions", ())))
        if isinstance(node, Decision):
            mover.append(player_index[node.player])
            decisions.append(j)
        elif isinstance(node, Chance):
            mover.append(-1)
            chances.append(j)
            probs.append(tuple(compile_tree(a.probability.tree) for a in node.actions))
            prob_names.append(tuple(a.probability.names for a in node.actions))
        elif isinstance(node, Outcome):
            mover.append(-2)
            outcomes.append(j)
            levels.append(tuple(compile_tree(e.tree) for _, e in node.levels))
            level_names.append(tuple(e.names for _, e in node.levels))
    weights, weight_names = [], []
    senses = [a.sense for a in scenario.attributes]
    for p in scenario.players:
        row = []
        for (aid, e), s in zip(p.weights, senses):
            f = compile_tree(e.tree)
            row.append(f if s > 0 else (lambda env, f=f: -f(env)))
        weights.append(tuple(row))
        weight_names.append(tuple(e.names for _, e in p.weights))
    return Game(
        scenario=scenario, node_ids=tuple(order), children=tuple(children), mover=tuple(mover),
        decisions=tuple(decisions), chances=tuple(chances), outcomes=tuple(outcomes), levels=tuple(levels),
        weights=tuple(weights), probs=tuple(probs), level_names=tuple(level_names),
        weight_names=tuple(weight_names), prob_names=tuple(prob_names),
    )


def make_env(scenario: Scenario, values: Mapping[str, Value] | None = None) -> tuple[dict[str, Value], int]:
    """Every parameter's value (defaults unless given) and the batch size N (1 without arrays).

    Arrays are broadcast against each other to one shape ``(N,)``; values are checked to be finite
    and inside each parameter's range.
    """
    env: dict[str, Value] = dict(scenario.values)
    arrays: dict[str, np.ndarray] = {}
    for name, raw in (values or {}).items():
        param = scenario.parameter(name)
        if np.ndim(raw) == 0:
            x = float(raw)
            if not (param.min <= x <= param.max):
                raise ScenarioError(
                    f"value {raw!r} is outside the range; allowed: {param.min:g} to {param.max:g}",
                    field=f"parameters.{name}",
                )
            env[name] = x
            continue
        arr = np.asarray(raw, dtype=float)
        if arr.ndim != 1:
            raise ScenarioError(f"expected a number or a one-dimensional array, got shape {arr.shape}",
                                field=f"parameters.{name}")
        if arr.size and not ((arr.min() >= param.min) & (arr.max() <= param.max)):  # NaN fails both
            raise ScenarioError(
                f"values from {np.nanmin(arr):g} to {np.nanmax(arr):g} (or NaN) are outside the range; "
                f"allowed: {param.min:g} to {param.max:g}",
                field=f"parameters.{name}",
            )
        arrays[name] = arr
    n = 1
    if arrays:
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
        except ValueError:
            raise ScenarioError(
                "parameter arrays have different lengths: "
                + ", ".join(f"{k} has {a.size}" for k, a in arrays.items())
            ) from None
        n = shape[0]
        for name, arr in arrays.items():
            env[name] = np.broadcast_to(arr, shape) if arr.shape != shape else arr
    return env, n
