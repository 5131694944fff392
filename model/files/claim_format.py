"""Claims in a scenario file (``[[claims]]``), declared once: each kind's fields and what each field
names. ``CLAIM`` is the shape check and JSON Schema; ``check_ids`` checks, once the scenario is
built, that every node, action, parameter, player and attribute a claim names exists. What each
kind means, and how it is checked against the model, is in ``model.analyses.claims``.

Every claim may say which sentence of the scenario's ``description`` it backs (``says``: the
sentence's first words, or a list of them), evaluate with sliders moved (``at``), and set the
smallest margin it accepts (``min_margin``) and the tolerance of a stated number (``tolerance``).
"""

from __future__ import annotations

from typing import Any

from ..core.scenario import Claim, Scenario
from ..errors import ScenarioError
from .shape import ID_PATTERN, Choice, Const, Items, Keyed, Number, Spec, Table, Tagged, Text

# role -> how a field of that role is checked for shape
MOVE = Text(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}:[A-Za-z_][A-Za-z0-9_]{0,63}$", max_length=130,
            description="NODE:ACTION")
TYPED_MOVE = Text(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}:[A-Za-z_][A-Za-z0-9_]{0,63}:[A-Za-z_][A-Za-z0-9_]{0,63}$",
                  max_length=200, description="TYPE:NODE:ACTION (a type's reply at one of its player's nodes)")
ROLES: dict[str, Spec] = {
    "node": Text(pattern=ID_PATTERN, max_length=64), "action": Text(pattern=ID_PATTERN, max_length=64),
    "parameter": Text(pattern=ID_PATTERN, max_length=64), "player": Text(pattern=ID_PATTERN, max_length=64),
    "scenario": Text(pattern=ID_PATTERN, max_length=64, description="a shipped scenario's file name without .toml"),
    "moves": Items(MOVE), "typed_moves": Items(TYPED_MOVE), "pair": Items(Number(), min_items=2), "number": Number(), "count": Number(integer=True),
    "term": Text(max_length=200, description="equilibrium, outcome:ID, node:ID or action:NODE:ACTION"),
    "op": Choice((">", "<", ">=", "<=")), "attributes": Items(Text(pattern=ID_PATTERN, max_length=64), min_items=0),
    "values": Keyed(Number()), "text": Text(max_length=1000),
    "label": Choice(("pooling", "separating", "partially pooling")),
}

# kind -> ((field, role, required), ...)
KINDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "path": (("expect", "moves", False), ("contains", "moves", False), ("excludes", "moves", False),
             ("parameter", "parameter", False), ("over", "pair", False)),
    "choice": (("node", "node", True), ("action", "action", True)),
    "reasons": (("node", "node", True), ("action", "action", True), ("favour", "attributes", False),
                ("against", "attributes", False)),
    "compare": (("player", "player", True), ("left", "term", True), ("op", "op", True), ("right", "term", True)),
    "threshold": (("parameter", "parameter", True), ("node", "node", True), ("below", "action", True),
                  ("above", "action", True), ("value", "number", True)),
    "monitoring": (("node", "node", True), ("keep", "action", True), ("break", "action", True),
                   ("parameter", "parameter", True), ("value", "number", True)),
    "range": (("parameter", "parameter", False), ("least", "number", False), ("most", "number", False),
              ("empty", "flag", False), ("gap", "number", False)),
    "differs": (("from", "scenario", True), ("values", "values", True)),
    "payoff": (("outcome", "node", True), ("values", "values", True)),
    "nash": (("pure", "count", True), ("subgame_perfect", "count", True), ("non_credible", "moves", False)),
    "story": (("why", "text", True),),
    "bayesian": (("count", "count", True), ("label", "label", False), ("strategy", "moves", False),
                 ("replies", "typed_moves", False), ("intuitive", "flag", False)),
    "switch": (("parameter", "parameter", True), ("node", "node", True), ("below", "action", True),
               ("above", "action", True), ("value", "number", True)),
}
COMMON = (("says", "says", False), ("at", "values", False), ("min_margin", "number", False),
          ("tolerance", "number", False))


class _Flag(Spec):
    def check(self, value, path):
        if not isinstance(value, bool):
            raise ScenarioError(f"expected true or false, got {value!r}", field=path)
        return value

    def schema(self):
        return {"type": "boolean"}


class _Says(Spec):
    """The first words of the description sentence(s) a claim backs: a text or a list of texts."""

    def check(self, value, path):
        if isinstance(value, list):
            return [Text(max_length=300).check(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return [Text(max_length=300).check(value, path)]

    def schema(self):
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "the first words of the description sentence(s) this claim backs"}


ROLES["flag"] = _Flag()
ROLES["says"] = _Says()

CLAIM = Tagged(
    tuple((kind, Table((("kind", Const(kind), True),
                        *((name, ROLES[role], required) for name, role, required in fields + COMMON))))
          for kind, fields in KINDS.items()),
    "a statement of fact about the model that the tool checks (see model/analyses/claims.py)",
)


def claim_of(doc: dict) -> Claim:
    """A ``Claim`` from a checked claim table."""
    options = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in doc.items()
                    if k not in ("kind", "says"))
    return Claim(kind=doc["kind"], says=tuple(doc.get("says", ())), options=options)


def check_ids(scenario: Scenario, claim: Claim, where: str) -> None:
    """Every id the claim names exists in ``scenario`` (or ScenarioError naming the field)."""
    nodes = {n.id: n for n in scenario.nodes}
    params = {p.id for p in scenario.parameters}
    players = {p.id for p in scenario.players}
    attributes = {a.id for a in scenario.attributes}
    roles = {name: role for name, role, _ in KINDS[claim.kind] + COMMON}

    def action_of(node: str, action: str, field: str) -> None:
        if node not in nodes:
            raise ScenarioError(f"{node!r} is not a node; known: {', '.join(nodes)}", field=field)
        actions = [a.id for a in getattr(nodes[node], "actions", ())]
        if action not in actions:
            raise ScenarioError(f"{action!r} is not an action at {node!r}; allowed: {', '.join(actions) or 'none'}",
                                field=field)

    for name, value in claim.options:
        role, field = roles[name], f"{where}.{name}"
        if role == "node" and value not in nodes:
            raise ScenarioError(f"{value!r} is not a node; known: {', '.join(nodes)}", field=field)
        if role == "parameter" and value not in params:
            raise ScenarioError(f"{value!r} is not a parameter; known: {', '.join(sorted(params))}", field=field)
        if role == "player" and value not in players:
            raise ScenarioError(f"{value!r} is not a player; known: {', '.join(players)}", field=field)
        if role == "action":
            action_of(dict(claim.options)["node"], value, field)
        if role == "moves":
            for k, move in enumerate(value):
                action_of(*move.split(":"), f"{field}[{k}]")
        if role == "typed_moves":
            types = [t.id for t in scenario.uncertainty.types] if scenario.uncertainty is not None else []
            for k, move in enumerate(value):
                type_id, node, action = move.split(":")
                if type_id not in types:
                    raise ScenarioError(f"{type_id!r} is not a type; known: {', '.join(types) or 'none (no [uncertainty])'}",
                                        field=f"{field}[{k}]")
                action_of(node, action, f"{field}[{k}]")
        if role == "attributes":
            for k, a in enumerate(value):
                if a not in attributes:
                    raise ScenarioError(f"{a!r} is not an attribute; known: {', '.join(attributes)}",
                                        field=f"{field}[{k}]")
        if role == "values":
            known, what = (players, "player") if claim.kind == "payoff" and name == "values" else (params, "parameter")
            unknown = [k for k in value if k not in known]
            if unknown:
                raise ScenarioError(f"{unknown[0]!r} is not a {what}", field=f"{field}.{unknown[0]}")
        if role == "term":
            _check_term(value, nodes, field, action_of)


def _check_term(term: str, nodes: dict, field: str, action_of: Any) -> None:
    kind, _, rest = term.partition(":")
    if term == "equilibrium":
        return
    if kind in ("outcome", "node") and rest in nodes:
        return
    if kind == "action" and ":" in rest:
        action_of(*rest.split(":", 1), field)
        return
    raise ScenarioError(f"{term!r} is not a term; allowed: equilibrium, outcome:ID, node:ID, action:NODE:ACTION "
                        "with ids of this scenario", field=field)
