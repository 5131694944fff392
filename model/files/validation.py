"""From a shape-checked document to a ``Scenario``, checking what the shape cannot: meaning.

Rules: ids are unique across nodes; every reference names something that exists; parameter
ranges are ordered and hold their defaults; the nodes form one tree from ``root`` (each node has
exactly one parent, none is unreachable, there are no cycles); every outcome has a level and every
player a weight for every attribute; each chance node's probabilities lie in [0, 1] and sum to 1
wherever its parameters can be set within their ranges (checked at the defaults and at every corner
of the ranges of the parameters it uses, which is exact for expressions linear in each parameter).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np

from ..core.backward_induction import MAX_PATH_KEYS
from ..errors import ScenarioError
from ..core.expressions import FUNCTIONS, Expr
from ..core.scenario import (
    Action,
    Attribute,
    Bargaining,
    Chance,
    Decision,
    Outcome,
    Parameter,
    Player,
    PlayerType,
    Scenario,
    Uncertainty,
)
from .claim_format import check_ids, claim_of
from .scenario_format import check_shape

PROBABILITY_TOLERANCE = 1e-9
MAX_CORNER_PARAMS = 12
MAX_LEVEL = 1e12


def _expr(raw, field: str, known: set[str]) -> Expr:
    try:
        expr = Expr.of(raw)
    except ScenarioError as err:
        raise err.at(field=field) from None
    unknown = sorted(expr.names - known)
    if unknown:
        raise ScenarioError(
            f"refers to unknown parameter {unknown[0]!r}; known parameters: "
            f"{', '.join(sorted(known)) or 'none (add a [parameters] table)'}",
            field=field,
        )
    return expr


def _keys_match(got: Iterable[str], want: list[str], field: str, what: str) -> None:
    got = list(got)
    for key in got:
        if key not in want:
            raise ScenarioError(f"unknown attribute {key!r}; attributes: {', '.join(want)}", field=f"{field}.{key}")
    for key in want:
        if key not in got:
            raise ScenarioError(f"missing the {what} for attribute {key!r}; every attribute needs one",
                                field=f"{field}.{key}")


def build_scenario(data: object) -> Scenario:
    """Check a parsed document (TOML or JSON) and build the ``Scenario``, or raise ScenarioError."""
    doc = check_shape(data)

    attributes = tuple(
        Attribute(id=aid, label=a["label"], better=a.get("better", "higher"), unit=a.get("unit", ""),
                  description=a.get("description", ""))
        for aid, a in doc["attributes"].items()
    )
    attr_ids = [a.id for a in attributes]

    parameters = []
    for pid, p in doc.get("parameters", {}).items():
        field = f"parameters.{pid}"
        if pid in FUNCTIONS:
            raise ScenarioError(f"{pid!r} is reserved for the function {pid}(); choose another id", field=field)
        if p["min"] > p["max"]:
            raise ScenarioError(f"min {p['min']:g} is greater than max {p['max']:g}; min must be <= max",
                                field=f"{field}.min")
        if not (p["min"] <= p["default"] <= p["max"]):
            raise ScenarioError(
                f"default {p['default']:g} is outside the range; allowed: {p['min']:g} to {p['max']:g}",
                field=f"{field}.default",
            )
        if p["step"] <= 0:
            raise ScenarioError(f"step {p['step']:g} must be greater than 0", field=f"{field}.step")
        if p["max"] > p["min"] and p["step"] > p["max"] - p["min"]:
            raise ScenarioError(
                f"step {p['step']:g} is larger than the range {p['max'] - p['min']:g}; allowed: up to max - min",
                field=f"{field}.step",
            )
        parameters.append(
            Parameter(id=pid, label=p["label"], default=p["default"], min=p["min"], max=p["max"], step=p["step"],
                      unit=p.get("unit", ""), description=p.get("description", ""))
        )
    known = {p.id for p in parameters}

    players = []
    for pid, p in doc["players"].items():
        field = f"players.{pid}"
        if pid == "chance":
            raise ScenarioError("'chance' is reserved for chance nodes; choose another player id", field=field)
        _keys_match(p["weights"], attr_ids, f"{field}.weights", "weight")
        weights = tuple((aid, _expr(p["weights"][aid], f"{field}.weights.{aid}", known)) for aid in attr_ids)
        players.append(Player(id=pid, name=p["name"], weights=weights, description=p.get("description", "")))
    player_ids = {p.id for p in players}

    nodes = []
    for nid, n in doc["nodes"].items():
        field = f"nodes.{nid}"
        label, description = n.get("label", ""), n.get("description", "")
        if n["kind"] == "outcome":
            _keys_match(n["levels"], attr_ids, f"{field}.levels", "level")
            levels = tuple((aid, _expr(n["levels"][aid], f"{field}.levels.{aid}", known)) for aid in attr_ids)
            nodes.append(Outcome(id=nid, levels=levels, label=label, description=description))
            continue
        is_chance = n["kind"] == "chance"
        items = n["branches"] if is_chance else n["actions"]
        key = "branches" if is_chance else "actions"
        actions, seen = [], set()
        for i, a in enumerate(items):
            if a["id"] in seen:
                raise ScenarioError(f"duplicate id {a['id']!r}; ids must be unique within a node",
                                    field=f"{field}.{key}[{i}].id")
            seen.add(a["id"])
            prob = _expr(a["probability"], f"{field}.{key}[{i}].probability", known) if is_chance else None
            actions.append(Action(id=a["id"], label=a["label"], next=a["next"], probability=prob))
        if is_chance:
            nodes.append(Chance(id=nid, actions=tuple(actions), label=label, description=description))
        else:
            if n["player"] not in player_ids:
                raise ScenarioError(
                    f"unknown player {n['player']!r}; players: {', '.join(sorted(player_ids))}",
                    field=f"{field}.player",
                )
            nodes.append(Decision(id=nid, player=n["player"], actions=tuple(actions), label=label,
                                  description=description))

    uncertainty = _uncertainty(doc["uncertainty"], player_ids, known) if "uncertainty" in doc else None
    bargaining = _bargaining(doc["bargaining"]) if "bargaining" in doc else None
    claims = tuple(claim_of(c) for c in doc.get("claims", ()))
    scenario = Scenario(
        title=doc["title"], description=doc.get("description", ""), players=tuple(players), attributes=attributes,
        parameters=tuple(parameters), root=doc["root"], nodes=tuple(nodes), schema_version=doc["schema_version"],
        uncertainty=uncertainty, bargaining=bargaining, claims=claims, leaves_out=tuple(doc.get("leaves_out", ())),
        teaches=doc.get("teaches", ""),
    )
    check_tree(scenario)
    check_probabilities(scenario)
    check_finite(scenario)
    if uncertainty is not None:
        check_uncertainty(scenario)
    if bargaining is not None:
        check_bargaining(scenario)
    for k, claim in enumerate(claims):
        check_ids(scenario, claim, f"claims[{k}]")
    return scenario


def _bargaining(doc: dict) -> Bargaining:
    alternatives = tuple((player, tuple(tuple(m.split(":", 1)) for m in moves))
                         for player, moves in doc["alternatives"].items())
    return Bargaining(deal=doc["deal"], parameter=doc["parameter"], alternatives=alternatives,
                      description=doc.get("description", ""))


def check_bargaining(scenario: Scenario) -> None:
    """The deal is an outcome, the parameter exists, and each alternative is a move of the game."""
    b = scenario.bargaining
    nodes = {n.id: n for n in scenario.nodes}
    if b.deal not in nodes or nodes[b.deal].kind != "outcome":
        raise ScenarioError(f"{b.deal!r} is not an outcome of this game", field="bargaining.deal")
    if b.parameter not in scenario.values:
        raise ScenarioError(f"{b.parameter!r} is not a parameter", field="bargaining.parameter")
    for player, moves in b.alternatives:
        if player not in {p.id for p in scenario.players}:
            raise ScenarioError(f"{player!r} is not a player", field=f"bargaining.alternatives.{player}")
        for k, (node, action) in enumerate(moves):
            actions = [a.id for a in getattr(nodes.get(node), "actions", ())] if node in nodes else None
            if actions is None or action not in actions or nodes[node].kind != "decision":
                raise ScenarioError(f"{node}:{action} is not a move of this game",
                                    field=f"bargaining.alternatives.{player}[{k}]")



def _uncertainty(doc: dict, player_ids: set[str], known: set[str]) -> Uncertainty:
    if doc["player"] not in player_ids:
        raise ScenarioError(f"unknown player {doc['player']!r}; players: {', '.join(sorted(player_ids))}",
                            field="uncertainty.player")
    types = []
    for tid, t in doc["types"].items():
        field = f"uncertainty.types.{tid}"
        for name in t["values"]:
            if name not in known:
                raise ScenarioError(f"unknown parameter {name!r}; known parameters: {', '.join(sorted(known))}",
                                    field=f"{field}.values.{name}")
        types.append(PlayerType(id=tid, label=t["label"], prior=_expr(t["prior"], f"{field}.prior", known),
                                values=tuple(t["values"].items()), description=t.get("description", "")))
    return Uncertainty(player=doc["player"], types=tuple(types), label=doc.get("label", ""),
                       description=doc.get("description", ""))


def check_uncertainty(scenario: Scenario) -> None:
    """Types: values inside the ranges, each changing the informed player's weights or outcome levels (never
    chance probabilities, priors or another player's weights); no two types alike; priors a distribution."""
    u = scenario.uncertainty
    informed = scenario.player(u.player)
    own = frozenset().union(*(e.names for _, e in informed.weights))
    levels = frozenset().union(*(e.names for n in scenario.nodes if isinstance(n, Outcome) for _, e in n.levels))
    forbidden = frozenset().union(
        *(e.names for p in scenario.players if p.id != u.player for _, e in p.weights),
        *(a.probability.names for n in scenario.nodes if isinstance(n, Chance) for a in n.actions),
        *(t.prior.names for t in u.types),
    )
    for t in u.types:
        for name, x in t.values:
            field = f"uncertainty.types.{t.id}.values.{name}"
            p = scenario.parameter(name)
            if not p.min <= x <= p.max:
                raise ScenarioError(f"{x:g} is outside the range; allowed: {p.min:g} to {p.max:g}", field=field)
            if name not in own | levels or name in forbidden:
                raise ScenarioError(
                    f"a type may only change parameters of {informed.name}'s weights or of outcome levels, never a "
                    f"chance probability, a prior or another player's weight; {name!r} does not qualify", field=field)
    for k, t in enumerate(u.types):
        for other in u.types[:k]:
            if dict(t.values) == dict(other.values):
                raise ScenarioError(
                    f"type {t.id!r} changes nothing: it sets the same values as type {other.id!r}, so the two "
                    "cannot be told apart; give it its own values or drop it", field=f"uncertainty.types.{t.id}.values")
    used = frozenset().union(*(t.prior.names for t in u.types))
    env = _corner_points(scenario, used)
    total = 0.0
    for t in u.types:
        p = np.broadcast_to(np.asarray(t.prior.value(env), dtype=float), (_n_points(env),))
        if not ((p >= -PROBABILITY_TOLERANCE) & (p <= 1 + PROBABILITY_TOLERANCE)).all():
            raise ScenarioError(f"{t.prior.source!r} leaves [0, 1] somewhere in the parameter ranges; a prior must "
                                "lie in [0, 1]", field=f"uncertainty.types.{t.id}.prior")
        total = total + p
    if (np.abs(np.asarray(total) - 1.0) > PROBABILITY_TOLERANCE).any():
        raise ScenarioError("the priors do not sum to 1 everywhere in the parameter ranges (for two types write the "
                            "second as 1 - <first>)", field="uncertainty.types")


def check_tree(scenario: Scenario) -> None:
    """One tree from the root: every node reached exactly once, by exactly one parent."""
    ids = [n.id for n in scenario.nodes]
    by_id = {n.id: n for n in scenario.nodes}
    if scenario.root not in by_id:
        raise ScenarioError(f"root {scenario.root!r} is not a node; nodes: {', '.join(ids)}", field="root")
    if isinstance(by_id[scenario.root], Outcome):
        raise ScenarioError("the root is an outcome; it must be a decision or chance node", field="root")
    parent: dict[str, str] = {}
    for n in scenario.nodes:
        if isinstance(n, Outcome):
            continue
        key = "branches" if isinstance(n, Chance) else "actions"
        for i, a in enumerate(n.actions):
            field = f"nodes.{n.id}.{key}[{i}].next"
            if a.next not in by_id:
                raise ScenarioError(f"{a.next!r} is not a node id; nodes: {', '.join(ids)}", field=field)
            if a.next == scenario.root:
                raise ScenarioError(f"leads back to the root {a.next!r}, which would make a cycle; a game tree "
                                    "has no cycles", field=field)
            if a.next in parent:
                raise ScenarioError(
                    f"{a.next!r} is already reached from node {parent[a.next]!r}; in a game tree each node has "
                    "exactly one parent (copy the node under a new id instead)",
                    field=field,
                )
            parent[a.next] = n.id
    reached, stack = {scenario.root}, [scenario.root]
    while stack:
        n = by_id[stack.pop()]
        for a in getattr(n, "actions", ()):
            if a.next not in reached:
                reached.add(a.next)
                stack.append(a.next)
    for nid in ids:
        if nid not in reached:
            raise ScenarioError(
                "this node cannot be reached from the root (it is unused or part of a cycle); "
                "remove it or lead an action to it",
                field=f"nodes.{nid}",
            )
    decisions = [n for n in scenario.nodes if isinstance(n, Decision)]
    # the solver's path keys: a digit of base (actions + 1) per decision node (backward_induction.path_radix)
    numbers = int(np.prod([len(n.actions) + 1 for n in decisions], dtype=object))
    if numbers > MAX_PATH_KEYS:
        raise ScenarioError(
            f"too many decisions: the solver numbers each equilibrium path with one 64-bit integer, using "
            f"{numbers:.3g} numbers for these {len(decisions)} decision nodes (the product, over decision nodes, of "
            f"(number of actions + 1)); allowed: at most 2^63, about 9.2e+18 (for example 39 decisions of two "
            f"actions each, or 31 of three)",
            field="nodes")


def _corner_points(scenario: Scenario, names: Iterable[str]) -> dict[str, np.ndarray]:
    """Defaults, plus every corner of the ranges of ``names`` (others at their defaults)."""
    names = sorted(names)
    env = {p.id: np.array([p.default]) for p in scenario.parameters}
    if not names:
        return env
    if len(names) > MAX_CORNER_PARAMS:  # too many corners: one at a time instead
        rows = []
        for name in names:
            p = scenario.parameter(name)
            rows += [{name: p.min}, {name: p.max}]
    else:
        rows = [dict(zip(names, c)) for c in itertools.product(
            *[(scenario.parameter(n).min, scenario.parameter(n).max) for n in names])]
    n_points = len(rows) + 1
    out = {}
    for p in scenario.parameters:
        col = np.full(n_points, p.default)
        for j, row in enumerate(rows, start=1):
            if p.id in row:
                col[j] = row[p.id]
        out[p.id] = col
    return out


def check_probabilities(scenario: Scenario) -> None:
    """Each chance node: every probability in [0, 1] and their sum 1 at the defaults and every corner."""
    for n in scenario.nodes:
        if not isinstance(n, Chance):
            continue
        used = frozenset().union(*(a.probability.names for a in n.actions))
        env = _corner_points(scenario, used)
        total = 0.0
        for i, a in enumerate(n.actions):
            p = np.broadcast_to(np.asarray(a.probability.value(env), dtype=float), (_n_points(env),))
            field = f"nodes.{n.id}.branches[{i}].probability"
            bad = ~((p >= -PROBABILITY_TOLERANCE) & (p <= 1 + PROBABILITY_TOLERANCE))
            if bad.any():
                j = int(np.argmax(bad))
                raise ScenarioError(
                    f"{a.probability.source!r} is {p[j]:g}{_at(scenario, env, j, used)}; a probability must lie "
                    "in [0, 1]",
                    field=field,
                )
            total = total + p
        total = np.asarray(total)
        off = np.abs(total - 1.0) > PROBABILITY_TOLERANCE
        if off.any():
            j = int(np.argmax(off))
            raise ScenarioError(
                f"the branch probabilities sum to {total[j]:g}{_at(scenario, env, j, used)}; they must sum to 1 "
                "(for two branches write the second as 1 - <first>)",
                field=f"nodes.{n.id}.branches",
            )


def _n_points(env: dict) -> int:
    return len(next(iter(env.values()))) if env else 1


def _at(scenario: Scenario, env: dict, j: int, used: Iterable[str]) -> str:
    used = sorted(used)
    if not used or j == 0:
        return " at the default values" if used else ""
    return " when " + ", ".join(f"{name} = {env[name][j]:g}" for name in used)


def check_finite(scenario: Scenario) -> None:
    """Every weight and level is finite and at most 1e12 in size at the defaults and the corners of its parameters."""
    exprs = [(f"players.{p.id}.weights.{aid}", e) for p in scenario.players for aid, e in p.weights]
    exprs += [(f"nodes.{n.id}.levels.{aid}", e) for n in scenario.nodes if isinstance(n, Outcome) for aid, e in n.levels]
    for field, e in exprs:
        if e.number is not None:
            continue  # a plain number was checked by the shape check
        env = _corner_points(scenario, e.names)
        with np.errstate(all="ignore"):
            v = np.asarray(e.value(env), dtype=float)
        bad = ~(np.abs(v) <= MAX_LEVEL)  # also catches NaN
        if bad.any():
            j = int(np.argmax(bad.reshape(-1)))
            raise ScenarioError(
                f"{e.source!r} is {v.reshape(-1)[j]:g}{_at(scenario, env, j, e.names)}; levels and weights must be "
                f"finite numbers no larger than {MAX_LEVEL:g} everywhere in the parameter ranges (division by zero?)",
                field=field,
            )
