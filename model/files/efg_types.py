"""One player's private type, read from an ``.efg`` game whose information sets hold more than one node.

The rule: such a game is read when it has the one-sided structure the project models as ``[uncertainty]``
(solved by ``model.core.pbe_batch``; ``to_efg`` writes it):

1. the root is a chance node: its moves are the types, its probabilities the prior;
2. below each move, the same tree, position by position: the same kind of node, the same player, the same
   action labels and the same chance probabilities (payoffs may differ: a type changes them);
3. every information set holds one node, or the nodes at one position across all types' subtrees, one
   per type (a player whose node is joined there does not see the type);
4. exactly one player, the informed one, sees the type: each of its nodes is alone in its information set;
   every other player's nodes are joined;
5. some payoff differs between the types.

Anything else is refused with one line naming the construct (``ScenarioError``, ``field``: where).

The scenario: the first type's subtree is the tree, with one attribute per player as for perfect
information; a parameter ``is_<type>`` per type, 1 for that type and 0 for the others, set by each type;
an outcome level that differs between the types is ``sum_theta u_theta * is_theta``. Node ids and labels
come from the name the types' copies share (``shared_name``; ``to_efg`` names them ``<id>@<type>``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.expressions import Expr
from ..core.scenario import (Action, Attribute, Chance, Decision, Node, Outcome, Parameter, Player, PlayerType, Scenario,
                             Uncertainty)
from ..errors import ScenarioError
from .efg_tree import EfgGame, EfgNode, payoff_players, slug

ONE_SIDED = ("chance draws one player's type at the root, then the same tree for every type, in which each other "
             "player's matching nodes share one information set")
READ = f"(only one-sided private types are read: {ONE_SIDED})"


def _where(player: int, infoset: int) -> str:
    """An information set as the file numbers it (the field of a message)."""
    return f"player {player}'s information set {infoset}"


def _node(node: EfgNode) -> str:
    return f"the file's node {node.index + 1}" + (f" ({node.name!r})" if node.name else "")


def _fractions(probs: Sequence) -> str:
    return ", ".join(str(p) for p in probs)


def _same_shape(a: EfgNode, b: EfgNode, labels: tuple[str, str], game: EfgGame) -> None:
    """Rule 2 for one position: ``a`` (the first type's copy) and ``b`` (another type's) are the same move."""
    where = f"the subtrees of the types {labels[0]!r} and {labels[1]!r} differ here"
    field = _node(b)
    kinds = {"p": "a player's node", "c": "a chance node", "t": "a terminal node"}
    if a.kind != b.kind:
        raise ScenarioError(f"{where}: {kinds[b.kind]} where the other has {kinds[a.kind]} {READ}", field=field)
    if a.kind == "p" and a.player != b.player:
        raise ScenarioError(f"{where}: {game.player_name(b.player)} moves where {game.player_name(a.player)} "
                            f"moves in the other {READ}", field=field)
    if a.actions != b.actions:
        raise ScenarioError(f"{where}: the actions are {', '.join(b.actions)} where the other has "
                            f"{', '.join(a.actions)} {READ}", field=field)
    if a.kind == "c" and a.probs != b.probs:
        raise ScenarioError(
            f"a chance node below the root draws with different probabilities in different types' subtrees: "
            f"{_fractions(a.probs)} for {labels[0]!r} but {_fractions(b.probs)} for {labels[1]!r} {READ}", field=field)


def positions(game: EfgGame) -> list[tuple[EfgNode, ...]]:
    """Rules 1 and 2: each position of the types' common tree (preorder) as its copies, one per type."""
    root = game.root
    if root.kind != "c":
        (player, infoset), nodes = next((k, v) for k, v in game.infosets().items() if len(v) > 1)
        raise ScenarioError(f"imperfect information: it holds {len(nodes)} nodes, but the root is not a chance "
                            f"node drawing a player's type; allowed: perfect information (every information set one "
                            f"node), or one-sided private types ({ONE_SIDED})", field=_where(player, infoset))
    out, stack = [], [root.children]
    while stack:
        copies = stack.pop()
        for label, copy in zip(root.actions[1:], copies[1:]):
            _same_shape(copies[0], copy, (root.actions[0], label), game)
        out.append(copies)
        stack.extend(reversed(list(zip(*(c.children for c in copies)))))
    return out


def informed_player(game: EfgGame, copies: list[tuple[EfgNode, ...]]) -> int:
    """Rules 3 and 4: the one player who sees the type, or ScenarioError naming the information set."""
    position = {node.index: k for k, nodes in enumerate(copies) for node in nodes}
    infosets = game.infosets()
    joined: dict[int, list[int]] = {}
    for (player, infoset), nodes in infosets.items():
        if len(nodes) == 1:
            continue
        if {position[n.index] for n in nodes} != {position[nodes[0].index]}:
            raise ScenarioError("joins nodes that are not the same move in different types' subtrees " + READ,
                                field=_where(player, infoset))
        if len(nodes) != len(copies[0]):
            raise ScenarioError(f"joins the copies of one move in only {len(nodes)} of the {len(copies[0])} types' "
                                f"subtrees {READ}", field=_where(player, infoset))
        joined.setdefault(player, []).append(infoset)
    seeing = sorted({n.player for nodes in copies if nodes[0].kind == "p" for n in nodes
                     if len(infosets[(n.player, n.infoset)]) == 1})
    if not seeing:
        raise ScenarioError(f"no player sees the type drawn at the root: every player's nodes are joined across the "
                            f"types' subtrees, and one player must know its type {READ}")
    if len(seeing) > 1:
        raise ScenarioError(f"{' and '.join(game.player_name(p) for p in seeing)} "
                            f"{'both' if len(seeing) == 2 else 'all'} see the type drawn at the "
                            f"root: each has nodes alone in their information sets, but only one player's type may "
                            f"be private {READ}")
    informed = seeing[0]
    if informed in joined:
        infoset = joined[informed][0]
        raise ScenarioError(f"the informed player's information set holds {len(infosets[(informed, infoset)])} "
                            f"nodes: {game.player_name(informed)} sees its type at its other nodes, so it must see it "
                            f"at every node {READ}", field=_where(informed, infoset))
    return informed


def shared_name(names: Sequence[str]) -> str:
    """What the copies' names share: the name when they are all equal, else the part before ``@`` when they
    all have the same one (``to_efg`` writes ``<id>@<type>``: ``breakfast@weak``, ``breakfast@strong`` give
    ``breakfast``), else nothing."""
    if all(n == names[0] for n in names):
        return names[0]
    heads = {n.rpartition("@")[0] for n in names}
    return heads.pop() if len(heads) == 1 and all("@" in n for n in names) else ""


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x)


def typed_level(values: Sequence[float], indicators: Sequence[str]) -> Expr:
    """A level per type: the number when every type has it, else ``u_1*is_1 + u_2*is_2 + ...``."""
    if all(v == values[0] for v in values):
        return Expr.of(values[0])
    terms = " + ".join(f"{_number(v)}*{name}" for v, name in zip(values, indicators))
    return Expr.of(terms.replace("+ -", "- "))


def type_parameters(labels: Sequence[str], probs: Sequence, informed: str
                    ) -> tuple[tuple[Parameter, ...], tuple[PlayerType, ...]]:
    """The indicator parameters ``is_<type>`` (0 or 1; the first type's 1 by default) and the types, each with
    its label, its prior and its indicators' values (its own 1, the others 0)."""
    taken: set[str] = set()
    ids = [slug(label, taken, f"type{j + 1}") for j, label in enumerate(labels)]
    labels = [label or f"Type {j + 1}" for j, label in enumerate(labels)]
    parameters = tuple(
        Parameter(id=f"is_{tid}", label=f"1 when {informed}'s type is {label}", default=float(j == 0), min=0.0,
                  max=1.0, step=1.0, description=f"Set by the type: 1 for {label}, 0 for the others.")
        for j, (tid, label) in enumerate(zip(ids, labels)))
    types = tuple(
        PlayerType(id=tid, label=label, prior=Expr.of(float(p)),
                   values=tuple((q.id, float(k == j)) for k, q in enumerate(parameters)))
        for j, (tid, label, p) in enumerate(zip(ids, labels, probs)))
    return parameters, types


def typed_scenario(game: EfgGame) -> Scenario:
    """The scenario of a game with one player's private type (the module's rule), or ScenarioError."""
    copies = positions(game)
    informed = informed_player(game, copies)
    if all(len(set(n.pay for n in nodes)) == 1 for nodes in copies if nodes[0].kind == "t"):
        raise ScenarioError("the types drawn at the root change no payoff, so they cannot be told apart; a type must "
                            "change some payoffs")
    root, name = game.root, game.player_name(informed)
    players, attributes = payoff_players(game.player_names)
    parameters, types = type_parameters(root.actions, root.probs, name)
    indicators = [p.id for p in parameters]
    taken: set[str] = set()
    node_ids = [slug(shared_name([n.name for n in nodes]) or shared_name(_labels(game, nodes)), taken,
                     f"n{nodes[0].index}") for nodes in copies]
    position = {nodes[0].index: k for k, nodes in enumerate(copies)}
    nodes = tuple(
        _scenario_node(game, copy, node_id, [node_ids[position[kid.index]] for kid in copy[0].children], players,
                       attributes, indicators)
        for copy, node_id in zip(copies, node_ids))
    return Scenario(
        title=game.title or "Gambit game",
        description=(f"Imported from a Gambit .efg file: chance draws {name}'s type, which only {name} sees; each "
                     "player's utility is its Gambit payoff in that type's subtree."),
        players=players, attributes=attributes, parameters=parameters, root=node_ids[0], nodes=nodes,
        uncertainty=Uncertainty(player=players[informed - 1].id, types=types, label=root.label or "Type"),
    )


def _labels(game: EfgGame, nodes: Sequence[EfgNode]) -> list[str]:
    """Each copy's information-set name (a terminal: its outcome's name)."""
    if nodes[0].kind == "t":
        return [n.outcome_name for n in nodes]
    return [game.infoset_names.get((n.player, n.infoset), "") for n in nodes]


def _scenario_node(game: EfgGame, nodes: Sequence[EfgNode], node_id: str, next_ids: Sequence[str],
                   players: Sequence[Player], attributes: Sequence[Attribute], indicators: Sequence[str]) -> Node:
    """The scenario's node for one position of the common tree (``nodes``: its copies, one per type), whose
    actions lead to ``next_ids``."""
    first = nodes[0]
    label = shared_name(_labels(game, nodes)) or shared_name([n.name for n in nodes])
    if first.kind == "t":
        levels = tuple((a.id, typed_level([float(n.pay[j]) for n in nodes], indicators))
                       for j, a in enumerate(attributes))
        return Outcome(id=node_id, levels=levels, label=label)
    taken: set[str] = set()
    actions = tuple(
        Action(id=slug(a, taken, f"a{j + 1}"), label=a or f"Action {j + 1}", next=nxt,
               probability=Expr.of(float(first.probs[j])) if first.kind == "c" else None)
        for j, (a, nxt) in enumerate(zip(first.actions, next_ids)))
    if first.kind == "c":
        return Chance(id=node_id, actions=actions, label=label or "Chance")
    return Decision(id=node_id, player=players[first.player - 1].id, actions=actions,
                    label=label or f"{game.player_name(first.player)} moves")
