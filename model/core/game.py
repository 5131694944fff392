"""A scenario compiled for solving: nodes in topological order, expressions as closures.

Parameter values come in an ``env``: parameter id -> a float, or an array of shape ``(N,)`` for a
batch of N parameter points (one row per varied parameter). Expressions that use no varied
parameter are evaluated once, as numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import ScenarioError
from .expressions import affine_in, compile_tree
from .scenario import Chance, Decision, Outcome, Scenario

Value = float | np.ndarray


@dataclass(frozen=True)
class Game:
    """The tree of a scenario as index arrays (parents before children) plus compiled expressions.

    ``children[n]`` are node indices; ``mover[n]`` is a player index for decision nodes, -1 for
    chance nodes and -2 for outcomes; ``decisions``/``chances``/``outcomes`` list node indices of
    each kind in topological order; ``levels[j][k]`` is outcome j's level of attribute k;
    ``weights[i][k]`` is player i's weight on attribute k and ``senses[k]`` the attribute's sense
    (+1/-1); ``weight_param[i][k]`` names the parameter when the weight is exactly one parameter;
    ``closed_form``: the parameters whose flip thresholds have a closed form (see ``affine_parameters``);
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
    senses: tuple[float, ...]
    weight_param: tuple[tuple[str | None, ...], ...]

    @property
    def n_players(self) -> int:
        return len(self.scenario.players)

    def index(self, node_id: str) -> int:
        return self.node_ids.index(node_id)

    @cached_property
    def closed_form(self) -> frozenset[str]:
        return affine_parameters(self, self.scenario.values)


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
    weights = tuple(tuple(compile_tree(e.tree) for _, e in p.weights) for p in scenario.players)
    weight_names = tuple(tuple(e.names for _, e in p.weights) for p in scenario.players)
    weight_param = tuple(tuple(e.tree[1] if e.tree[0] == "name" else None for _, e in p.weights)
                         for p in scenario.players)
    return Game(
        scenario=scenario, node_ids=tuple(order), children=tuple(children), mover=tuple(mover),
        decisions=tuple(decisions), chances=tuple(chances), outcomes=tuple(outcomes), levels=tuple(levels),
        weights=weights, probs=tuple(probs), level_names=tuple(level_names), weight_names=weight_names,
        prob_names=tuple(prob_names), senses=tuple(a.sense for a in scenario.attributes), weight_param=weight_param,
    )


def full_information(scenario: Scenario) -> None:
    """Refuse a scenario with private types (an ``[uncertainty]`` section): the solvers of full
    information would answer for neither type without saying so. ``screening`` handles such games."""
    if scenario.uncertainty is not None:
        who = scenario.player_name(scenario.uncertainty.player)
        raise ScenarioError(f"this scenario has an [uncertainty] section ({who}'s type is private), and this "
                            "analysis solves games of full information only: it would answer for neither type. Use "
                            "solve or thresholds (perfect Bayesian equilibrium), or the Uncertainty page",
                            field="uncertainty")


def game_of(scenario: Scenario) -> Game:
    """The compiled game of ``scenario``: compiled on first use and kept with that Scenario object."""
    game = scenario.memo.get("game")
    if game is None:
        game = scenario.memo["game"] = compile_game(scenario)
    return game


def affine_parameters(game: Game, env: Mapping) -> frozenset[str]:
    """The parameters that enter every path-probability x utility product through at most one
    factor, affinely: for them each action's value is affine between flips (closed-form thresholds)."""
    sc = game.scenario
    ok = {p.id for p in sc.parameters}
    exprs = [e for p in sc.players for _, e in p.weights]
    exprs += [e for n in sc.nodes if n.kind == "outcome" for _, e in n.levels]
    exprs += [a.probability for n in sc.nodes if n.kind == "chance" for a in n.actions]
    for e in exprs:
        if e.tree[0] != "name":
            ok -= {name for name in e.names if affine_in(e.tree, name, env) is None}
    # how many chance factors on the path to each node mention each name
    chance_row = {node: r for r, node in enumerate(game.chances)}
    on_path: list[dict[str, int]] = [dict() for _ in game.node_ids]
    for node in range(len(game.node_ids)):
        for b, kid in enumerate(game.children[node]):
            counts = dict(on_path[node])
            if game.mover[node] == -1:
                for name in game.prob_names[chance_row[node]][b]:
                    counts[name] = counts.get(name, 0) + 1
            on_path[kid] = counts
    for t_row, node in enumerate(game.outcomes):
        for i in range(game.n_players):
            mentions: dict[str, int] = dict(on_path[node])
            for w_names, a_names in zip(game.weight_names[i], game.level_names[t_row]):
                ok -= w_names & a_names  # weight x level, both moving: quadratic
                for name in w_names | a_names:
                    mentions[name] = mentions.get(name, 0)
            utility_names = frozenset().union(*game.weight_names[i], *game.level_names[t_row])
            ok -= {name for name, k in mentions.items() if k + (name in utility_names) > 1}
    return frozenset(ok)



ROWS = "#rows"  # env key of the varied parameters as one (n_varied, N) array; never a parameter id
ONE = "#one"  # name of an optional row of ones in that array (it carries the constant terms of a matmul)
BOUNDS = "#bounds"  # env key: (low, high) of each row, checked block by block while the rows are in cache


def make_env(scenario: Scenario, values: Mapping[str, Value] | None = None, *,
             rows: tuple[Sequence[str], np.ndarray] | None = None, validate: bool = True) -> tuple[dict, int]:
    """Every parameter's value (defaults unless given) and the batch size N (1 without arrays).

    Varied parameters are laid out one row per parameter in a single ``(n_varied, N)`` array
    (``env[ROWS] = (names, rows)``; ``env[name]`` is a view of its row), given directly as ``rows``
    or stacked from the arrays in ``values`` (broadcast to one length, with a row of ones named
    ``ONE`` added). Every value must be finite and inside its parameter's range: ``check_rows``
    checks it block by block as the solver reads the rows (``env[BOUNDS]``), unless a caller that
    drew the rows inside the ranges itself passes ``validate=False``.
    """
    env: dict = dict(scenario.values)
    arrays: dict[str, np.ndarray] = {}
    for name, raw in (values or {}).items():
        param = scenario.parameter(name)
        if np.ndim(raw) == 0:
            x = float(raw)
            if not param.contains(x):
                raise param.out_of_range(raw)
            env[name] = x
            continue
        arr = np.asarray(raw, dtype=float)
        if arr.ndim != 1:
            raise ScenarioError(f"expected a number or a one-dimensional array, got shape {arr.shape}",
                                field=f"parameters.{name}")
        arrays[name] = arr
    if rows is not None:
        if arrays:
            raise ScenarioError("give varied parameters either as rows or as arrays in values, not both: "
                                + ", ".join(arrays))
        names, block = list(rows[0]), np.asarray(rows[1], dtype=float)
        if block.ndim != 2 or block.shape[0] != len(names):
            raise ScenarioError(f"rows must have one row per name: {len(names)} names, shape {block.shape}")
        for name in names:
            if name != ONE:
                scenario.parameter(name)
    elif arrays:
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
        except ValueError:
            raise ScenarioError(
                "parameter arrays have different lengths: "
                + ", ".join(f"{k} has {a.size}" for k, a in arrays.items())
            ) from None
        names = [*arrays, ONE]
        block = np.empty((len(names), shape[0]))
        for j, arr in enumerate(arrays.values()):
            block[j] = arr
        block[-1] = 1.0
    else:
        return env, 1
    if validate:
        bounds = np.array([(1.0, 1.0) if name == ONE else (scenario.parameter(name).min,
                                                          scenario.parameter(name).max) for name in names])
        env[BOUNDS] = (bounds[:, 0], bounds[:, 1], scenario)
    for j, name in enumerate(names):
        if name != ONE:
            env[name] = block[j]
    env[ROWS] = (tuple(names), block)
    return env, block.shape[1]


def check_rows(env: Mapping, lo: int, hi: int) -> None:
    """Raise ScenarioError if any value in columns ``lo:hi`` of the rows is outside its range or NaN."""
    low, high, scenario = env[BOUNDS]
    names, block = env[ROWS]
    part = block[:, lo:hi]
    if not part.shape[1]:
        return
    mins, maxs = part.min(axis=1), part.max(axis=1)
    bad = ~((mins >= low) & (maxs <= high))
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        if names[j] == ONE:
            raise ScenarioError(f"the row named {ONE!r} must hold only ones")
        p = scenario.parameter(names[j])
        row = block[j]
        if np.isnan(row).any():
            problem = f"{int(np.isnan(row).sum())} value(s) are NaN"
        else:
            problem = f"values from {row.min():g} to {row.max():g} are outside the range"
        raise ScenarioError(f"{problem}; allowed: numbers from {p.min:g} to {p.max:g}", field=f"parameters.{p.id}")
