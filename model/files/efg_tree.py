"""Gambit's ``.efg`` text as a tree: the syntax both ``.efg`` readers share.

The rule of the format (Gambit's documentation, "The .efg file format"): a header ``EFG 2 R "title"
{ "player" ... } "comment"``, then the nodes in preorder, each ``p name player infoset [iname {actions}]
outcome``, ``c name infoset [iname {action prob ...}] outcome`` or ``t name outcome [oname {payoffs}]``.
An information set's actions are listed at its first node and may be left out at later ones; an
outcome's payoffs are listed at its first use. Payoffs of an outcome at a non-terminal node add to every
outcome below it, so each node here carries the payoffs summed along the path to it. The tree is kept
as the file says; what a game may be (perfect information, one-sided types) is the readers' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..core.expressions import Expr
from ..core.scenario import Attribute, Player
from ..errors import ScenarioError

MAX_DEPTH = 500
_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([{},])|([^\s{},"]+))', re.S)


@dataclass(frozen=True)
class EfgNode:
    """One node as the file lists it. ``index``: its place in the file's preorder (the root is 0);
    ``player``: 1, 2, ... for a player's node, 0 for chance, -1 for a terminal; ``infoset``: its
    information set's number (0 for a terminal); ``label``: the information set's name where this line
    lists the actions, else the node's name (a terminal: the node's name); ``outcome_name``: the name of
    its outcome; ``pay``: the payoffs summed along the path to it; ``probs``: a chance node's."""

    index: int
    kind: str
    name: str
    player: int
    infoset: int
    label: str
    outcome_name: str
    actions: tuple[str, ...]
    probs: tuple[Fraction, ...]
    pay: tuple[Fraction, ...]
    children: tuple["EfgNode", ...]


@dataclass(frozen=True)
class EfgGame:
    """A whole ``.efg`` file: its title, its players' names, the tree, and each information set's name
    (``infoset_names``: ``(player, number) -> name``; chance is player 0)."""

    title: str
    player_names: tuple[str, ...]
    root: EfgNode
    infoset_names: dict[tuple[int, int], str]

    def preorder(self) -> list[EfgNode]:
        """Every node, in the file's order."""
        out, stack = [], [self.root]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def infosets(self) -> dict[tuple[int, int], list[EfgNode]]:
        """Each player's information set ``(player, number)`` and its nodes, in the file's order."""
        out: dict[tuple[int, int], list[EfgNode]] = {}
        for node in self.preorder():
            if node.kind == "p":
                out.setdefault((node.player, node.infoset), []).append(node)
        return out

    def player_name(self, player: int) -> str:
        return self.player_names[player - 1] or f"Player {player}"


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos:].strip():
                raise ScenarioError(f"unreadable text near {text[pos:pos + 20].strip()!r} (an unclosed quote?)")
            return out
        pos = m.end()
        if m.group(1) is not None:
            out.append(("str", re.sub(r"\\(.)", r"\1", m.group(1))))
        elif m.group(2) is not None:
            out.append(("sym", m.group(2)))
        else:
            out.append(("word", m.group(3)))


class _Reader:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def next(self, kind: str | None = None, what: str = "a value"):
        if self.i >= len(self.toks):
            raise ScenarioError(f"the file ends where {what} was expected")
        tok = self.toks[self.i]
        if kind is not None and tok[0] != kind:
            raise ScenarioError(f"expected {what}, found {tok[1]!r} (token {self.i + 1})")
        self.i += 1
        return tok[1]

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def at_string(self) -> bool:
        return self.peek() is not None and self.peek()[0] == "str"

    def sym(self, s: str) -> None:
        got = self.next("sym", f"'{s}'")
        if got != s:
            raise ScenarioError(f"expected '{s}', found {got!r} (token {self.i})")

    def number(self, what: str) -> Fraction:
        text = self.next("word", what)
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ScenarioError(f"{what} {text!r} is not a number (token {self.i})") from None

    def integer(self, what: str) -> int:
        text = self.next("word", what)
        if not text.isdigit():
            raise ScenarioError(f"{what} {text!r} is not a whole number (token {self.i})")
        return int(text)

    def strings(self) -> list[str]:
        self.sym("{")
        out = []
        while self.at_string():
            out.append(self.next())
        self.sym("}")
        return out


def slug(label: str, taken: set[str], fallback: str) -> str:
    """An id from ``label`` (letters, digits and ``_``, at most 40), unique in ``taken`` (then added to it)."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", label).strip("_")[:40]
    if not base or not re.match(r"[A-Za-z_]", base):
        base = fallback
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def payoff_players(names: tuple[str, ...]) -> tuple[tuple[Player, ...], tuple[Attribute, ...]]:
    """Players ``p1, p2, ...`` and one attribute per player ("Payoff to <player>", id ``payoff_p<j>``) that
    its player weighs 1 and the others 0, so ``u_i(t)`` is exactly Gambit's payoff."""
    ids = [f"p{j + 1}" for j in range(len(names))]
    attr_ids = [f"payoff_{p}" for p in ids]
    zero, one = Expr.of(0.0), Expr.of(1.0)
    players = tuple(Player(id=p, name=name or f"Player {j + 1}",
                           weights=tuple((aid, one if k == j else zero) for k, aid in enumerate(attr_ids)))
                    for j, (p, name) in enumerate(zip(ids, names)))
    attributes = tuple(Attribute(id=aid, label=f"Payoff to {name or f'Player {j + 1}'}")
                       for j, (aid, name) in enumerate(zip(attr_ids, names)))
    return players, attributes


def _header(r: _Reader) -> tuple[str, tuple[str, ...]]:
    if r.next("word", "the header 'EFG'") != "EFG":
        raise ScenarioError("not a Gambit extensive-form file: it must start with 'EFG 2 R'")
    if r.next("word", "the version") != "2":
        raise ScenarioError("only version 2 of the .efg format is supported")
    if r.next("word", "R or D") not in ("R", "D"):
        raise ScenarioError("the header must say R or D after the version")
    title = r.next("str", "the game's title")
    names = tuple(r.strings())
    if not names:
        raise ScenarioError("the game has no players")
    if r.at_string():
        r.next()  # comment
    return title, names


def _lines(r: _Reader, n_players: int) -> tuple[list[dict], dict[tuple[int, int], str]]:
    """Each node line as a dict (preorder), and each information set's name."""
    listed: dict[tuple[int, int], tuple[str, tuple[str, ...], tuple[Fraction, ...]]] = {}
    outcomes: dict[int, tuple[str, tuple[Fraction, ...]]] = {}
    lines: list[dict] = []

    def outcome_ref() -> tuple[str, tuple[Fraction, ...]]:
        number = r.integer("an outcome number")
        if r.at_string():
            oname = r.next()
            r.sym("{")
            pays = []
            while r.peek() is not None and r.peek() != ("sym", "}"):
                if r.peek() == ("sym", ","):
                    r.next()
                    continue
                pays.append(r.number("a payoff"))
            r.sym("}")
            if len(pays) != n_players:
                raise ScenarioError(f"outcome {number} has {len(pays)} payoffs for {n_players} players")
            if number in outcomes and number != 0 and outcomes[number][1] != tuple(pays):
                raise ScenarioError(f"outcome {number} is defined twice with different payoffs")
            outcomes[number] = (oname, tuple(pays))
        if number == 0:
            return "", (Fraction(0),) * n_players
        if number not in outcomes:
            raise ScenarioError(f"outcome {number} is used before its payoffs are given")
        return outcomes[number]

    while r.peek() is not None:
        kind = r.next("word", "a node type (p, c or t)")
        name = r.next("str", "a node name")
        if kind == "t":
            oname, pay = outcome_ref()
            lines.append({"kind": "t", "name": name, "player": -1, "infoset": 0, "label": name, "actions": (),
                          "probs": (), "outcome_name": oname, "pay": pay})
            continue
        if kind == "p":
            player = r.integer("a player number")
            if not 1 <= player <= n_players:
                raise ScenarioError(f"player {player} does not exist; the game has {n_players} players")
        elif kind == "c":
            player = 0
        else:
            raise ScenarioError(f"unknown node type {kind!r}; allowed: p (player), c (chance), t (terminal)")
        iset = r.integer("an information set number")
        who = "chance" if player == 0 else f"player {player}"
        if r.at_string():
            iname = r.next()
            actions, probs = _action_list(r, chance=kind == "c")
            if not actions:
                raise ScenarioError(f"information set {iset} has no actions")
            known = listed.get((player, iset))
            if known is not None and player != 0 and known[1] != actions:
                raise ScenarioError(f"{who}'s information set {iset} is listed twice with different actions "
                                    f"({', '.join(known[1])} and {', '.join(actions)}); its nodes must share one list")
            listed[(player, iset)] = (iname if known is None or player == 0 else known[0], actions, probs)
            label = iname or name
        else:
            if (player, iset) not in listed:
                raise ScenarioError(f"information set {iset} of {who} is used before its actions are listed")
            _, actions, probs = listed[(player, iset)]
            label = name
        oname, pay = outcome_ref()
        lines.append({"kind": kind, "name": name, "player": player, "infoset": iset, "label": label,
                      "actions": actions, "probs": probs, "outcome_name": oname, "pay": pay})
    return lines, {key: value[0] for key, value in listed.items()}


def _action_list(r: _Reader, *, chance: bool) -> tuple[tuple[str, ...], tuple[Fraction, ...]]:
    r.sym("{")
    actions, probs = [], []
    while r.peek() is not None and r.peek() != ("sym", "}"):
        actions.append(r.next("str", "an action name"))
        if chance:
            if r.peek() == ("sym", ","):
                r.next()
            probs.append(r.number("a probability"))
            if r.peek() == ("sym", ","):
                r.next()
    r.sym("}")
    return tuple(actions), tuple(probs)


def _tree(lines: list[dict], n_players: int) -> EfgNode:
    """The tree from the preorder listing, adding payoffs along each path; probabilities checked."""
    pos = 0

    def build(acc: tuple[Fraction, ...], depth: int) -> EfgNode:
        nonlocal pos
        if depth > MAX_DEPTH:
            raise ScenarioError(f"the game tree is deeper than {MAX_DEPTH} moves")
        if pos >= len(lines):
            raise ScenarioError("the file ends before every action has a node below it")
        line, index = lines[pos], pos
        pos += 1
        acc = tuple(a + b for a, b in zip(acc, line["pay"]))
        children = tuple(build(acc, depth + 1) for _ in line["actions"])
        if line["kind"] == "c":
            for p in line["probs"]:
                if not 0 <= p <= 1:
                    raise ScenarioError(f"chance node {line['name']!r}: probability {p} is outside [0, 1]")
            if sum(line["probs"]) != 1:
                raise ScenarioError(f"chance node {line['name']!r}: probabilities sum to {sum(line['probs'])}, not 1")
        return EfgNode(index=index, kind=line["kind"], name=line["name"], player=line["player"],
                       infoset=line["infoset"], label=line["label"], outcome_name=line["outcome_name"],
                       actions=line["actions"], probs=line["probs"], pay=acc, children=children)

    root = build((Fraction(0),) * n_players, 0)
    if pos != len(lines):
        raise ScenarioError(f"{len(lines) - pos} node(s) after the end of the tree")
    return root


def read_efg_tree(text: str) -> EfgGame:
    """The game of an ``.efg`` text as the file lists it, or ScenarioError naming what is wrong."""
    r = _Reader(text)
    title, names = _header(r)
    lines, infoset_names = _lines(r, len(names))
    if not lines:
        raise ScenarioError("the game has no nodes")
    return EfgGame(title=title, player_names=names, root=_tree(lines, len(names)), infoset_names=infoset_names)
