"""pygambit's tree read once, with exact payoffs and probabilities; shared by the cross-check tests
and benchmarks/bench_sweep.py (the exact pygambit route)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

@dataclass
class GNode:
    """One node of pygambit's tree, read once: preorder index, kind, and exact numbers."""

    index: int
    kind: str  # "p" (player), "c" (chance) or "t" (terminal)
    player: int | None = None  # position in game.players (player nodes)
    infoset_label: str = ""
    labels: list[str] = field(default_factory=list)  # action labels, in order
    actions: list = field(default_factory=list)  # pygambit Action objects, in order
    probs: list[Fraction] = field(default_factory=list)  # chance nodes
    pay: tuple[Fraction, ...] | None = None  # this node's own outcome, if any
    children: list[GNode] = field(default_factory=list)


def read_gambit_tree(game) -> GNode:
    """pygambit's tree in preorder (children in action order), with exact payoffs and probabilities."""
    players = list(game.players)
    counter = 0

    def walk(node) -> GNode:
        nonlocal counter
        g = GNode(index=counter, kind="t")
        counter += 1
        outcome = node.outcome  # pygambit 16.7: a view that is falsy (not None) when there is none
        if outcome:
            g.pay = tuple(Fraction(outcome[p]) for p in players)
        if not node.is_terminal:
            infoset = node.infoset
            g.actions = list(infoset.actions)
            g.labels = [a.label for a in g.actions]
            g.infoset_label = infoset.label
            if node.player.is_chance:
                g.kind = "c"
                g.probs = [Fraction(a.prob) for a in g.actions]
            else:
                g.kind = "p"
                g.player = players.index(node.player)
            g.children = [walk(child) for child in node.children]
            assert len(g.children) == len(g.actions)
        return g

    return walk(game.root)


def preorder(g: GNode):
    yield g
    for child in g.children:
        yield from preorder(child)


def gambit_values(root: GNode, choice: dict[int, int], n_players: int) -> dict[int, tuple[Fraction, ...]]:
    """Every node's value to every player under ``choice`` (preorder index -> action position),
    counting the outcomes on the way down to it as well as below it, in exact arithmetic."""
    out: dict[int, tuple[Fraction, ...]] = {}

    def value(g: GNode, acc: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
        if g.pay is not None:
            acc = tuple(a + b for a, b in zip(acc, g.pay))
        kids = [value(child, acc) for child in g.children]
        if g.kind == "t":
            v = acc
        elif g.kind == "c":
            assert sum(g.probs) == 1
            v = tuple(sum(p * k[i] for p, k in zip(g.probs, kids)) for i in range(n_players))
        else:
            v = kids[choice[g.index]]
        out[g.index] = v
        return v

    value(root, (Fraction(0),) * n_players)
    return out


def pure_choice(eq, g: GNode) -> str:
    """The label of the one action an equilibrium plays with probability 1 at player node ``g``."""
    probs = [eq[a] for a in g.actions]
    assert sorted(probs) == [0] * (len(probs) - 1) + [1], f"not a pure profile at {g.infoset_label!r}: {probs}"
    return g.labels[probs.index(1)]




def sequentially_rational(root: GNode, choice: dict[int, int], n_players: int) -> bool:
    """Whether every player node's chosen action is a best reply for its mover under ``choice``, exactly."""
    values = gambit_values(root, choice, n_players)
    for g in preorder(root):
        if g.kind == "p":
            mine = values[g.children[choice[g.index]].index][g.player]
            if mine < max(values[k.index][g.player] for k in g.children):
                return False
    return True


def strategy_label(scenario, infosets, choice) -> str:
    """pygambit's label of a pure strategy: one digit (the 1-based action) per information set of the player, in
    its order, or ``*`` where ``choice`` (information set label -> action id) names nothing, as in a reduced
    strategy. An informed player's information sets are labelled ``node@type``, an uninformed one's ``node``."""
    digits = []
    for iset in infosets:
        actions = [a.id for a in scenario.node(iset.label.split("@")[0]).actions]
        digits.append(str(actions.index(choice[iset.label]) + 1) if iset.label in choice else "*")
    return "".join(digits)
