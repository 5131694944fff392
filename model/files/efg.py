"""Gambit's extensive-form ``.efg`` format: read perfect-information games, write any scenario.

Reading: each player node must be alone in its information set (perfect information); outcomes
attached to non-terminal nodes add to every outcome below them, as in Gambit. The game becomes a
scenario with one attribute per player ("Payoff to <player>") that its player weighs 1 and the
others 0, so ``u_i(t)`` is exactly Gambit's payoff. Writing: the tree at the scenario's current
parameter values, each player node in its own information set, probabilities as exact fractions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from ..errors import ScenarioError
from ..text.explanations import NOTE
from ..core.expressions import Expr
from ..core.game import full_information, game_of, make_env
from ..core.utility import utilities
from ..core.scenario import Action, Attribute, Chance, Decision, Outcome, Player, Scenario

_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([{},])|([^\s{},"]+))', re.S)


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
        while self.peek() is not None and self.peek()[0] == "str":
            out.append(self.next())
        self.sym("}")
        return out


def _slug(label: str, taken: set[str], fallback: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_]+", "_", label).strip("_")[:40]
    if not base or not re.match(r"[A-Za-z_]", base):
        base = fallback
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def parse_efg(text: str, *, name: str = "") -> Scenario:
    """A scenario from the text of a perfect-information ``.efg`` game, or ScenarioError."""
    r = _Reader(text)
    if r.next("word", "the header 'EFG'") != "EFG":
        raise ScenarioError("not a Gambit extensive-form file: it must start with 'EFG 2 R'")
    if r.next("word", "the version") != "2":
        raise ScenarioError("only version 2 of the .efg format is supported")
    if r.next("word", "R or D") not in ("R", "D"):
        raise ScenarioError("the header must say R or D after the version")
    title = r.next("str", "the game's title")
    player_names = r.strings()
    if not player_names:
        raise ScenarioError("the game has no players")
    if r.peek() is not None and r.peek()[0] == "str":
        r.next()  # comment

    n_players = len(player_names)
    infosets: dict[tuple[int, int], tuple[list[str], list[Fraction] | None, int]] = {}
    outcomes: dict[int, list[Fraction]] = {}
    raw_nodes: list[dict] = []

    def outcome_ref() -> list[Fraction]:
        number = r.integer("an outcome number")
        if r.peek() is not None and r.peek()[0] == "str":
            r.next()  # outcome name
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
            if number in outcomes and number != 0 and outcomes[number] != pays:
                raise ScenarioError(f"outcome {number} is defined twice with different payoffs")
            outcomes[number] = pays
        if number == 0:
            return [Fraction(0)] * n_players
        if number not in outcomes:
            raise ScenarioError(f"outcome {number} is used before its payoffs are given")
        return outcomes[number]

    while r.peek() is not None:
        kind = r.next("word", "a node type (p, c or t)")
        name = r.next("str", "a node name")
        if kind == "t":
            raw_nodes.append({"kind": "t", "name": name, "pay": outcome_ref()})
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
        probs = None
        if r.peek() is not None and r.peek()[0] == "str":
            iname = r.next()
            r.sym("{")
            actions, probs = [], []
            while r.peek() is not None and r.peek() != ("sym", "}"):
                actions.append(r.next("str", "an action name"))
                if kind == "c":
                    if r.peek() == ("sym", ","):
                        r.next()
                    probs.append(r.number("a probability"))
                    if r.peek() == ("sym", ","):
                        r.next()
            r.sym("}")
            if not actions:
                raise ScenarioError(f"information set {iset} has no actions")
            if (player, iset) in infosets and player != 0:
                raise ScenarioError(
                    f"imperfect information: player {player}'s information set {iset} holds more than one node; "
                    "only games with perfect information can be solved by backward induction")
            infosets[(player, iset)] = (actions, probs if kind == "c" else None, 0)
            label = iname or name
        else:
            if (player, iset) not in infosets:
                raise ScenarioError(f"information set {iset} of {'chance' if player == 0 else f'player {player}'} "
                                    "is used before its actions are listed")
            if player != 0:
                raise ScenarioError(
                    f"imperfect information: player {player}'s information set {iset} holds more than one node; "
                    "only games with perfect information can be solved by backward induction")
            label = name
        actions, probs, _ = infosets[(player, iset)]
        raw_nodes.append({"kind": kind, "name": name, "label": label, "player": player, "actions": actions,
                          "probs": probs, "pay": outcome_ref()})

    if not raw_nodes:
        raise ScenarioError("the game has no nodes")

    # rebuild the tree from the preorder listing, adding payoffs along each path
    players = [f"p{j + 1}" for j in range(n_players)]
    attr_ids = [f"payoff_{p}" for p in players]
    nodes: list = []
    pos = 0

    def build(acc: list[Fraction], depth: int) -> str:
        nonlocal pos
        if depth > 500:
            raise ScenarioError("the game tree is deeper than 500 moves")
        if pos >= len(raw_nodes):
            raise ScenarioError("the file ends before every action has a node below it")
        raw = raw_nodes[pos]
        nid = f"n{pos}"
        pos += 1
        acc = [a + b for a, b in zip(acc, raw["pay"])]
        if raw["kind"] == "t":
            levels = tuple((aid, Expr.of(float(x))) for aid, x in zip(attr_ids, acc))
            nodes.append(Outcome(id=nid, levels=levels, label=raw["name"]))
            return nid
        slot = len(nodes)
        nodes.append(None)
        taken: set[str] = set()
        acts = []
        for j, label in enumerate(raw["actions"]):
            child = build(acc, depth + 1)
            prob = None
            if raw["kind"] == "c":
                p = raw["probs"][j]
                if not 0 <= p <= 1:
                    raise ScenarioError(f"chance node {raw['name']!r}: probability {p} is outside [0, 1]")
                prob = Expr.of(float(p))
            acts.append(Action(id=_slug(label, taken, f"a{j + 1}"), label=label or f"Action {j + 1}", next=child,
                               probability=prob))
        if raw["kind"] == "c":
            if sum(raw["probs"]) != 1:
                raise ScenarioError(f"chance node {raw['name']!r}: probabilities sum to {sum(raw['probs'])}, not 1")
            nodes[slot] = Chance(id=nid, actions=tuple(acts), label=raw["label"] or "Chance")
        else:
            nodes[slot] = Decision(id=nid, player=players[raw["player"] - 1], actions=tuple(acts),
                                   label=raw["label"] or f"{player_names[raw['player'] - 1]} moves")
        return nid

    root = build([Fraction(0)] * n_players, 0)
    if pos != len(raw_nodes):
        raise ScenarioError(f"{len(raw_nodes) - pos} node(s) after the end of the tree")

    zero, one = Expr.of(0.0), Expr.of(1.0)
    return Scenario(
        title=title or "Gambit game",
        description="Imported from a Gambit .efg file: each player's utility is its Gambit payoff.",
        players=tuple(
            Player(id=p, name=name or f"Player {j + 1}",
                   weights=tuple((aid, one if k == j else zero) for k, aid in enumerate(attr_ids)))
            for j, (p, name) in enumerate(zip(players, player_names))
        ),
        attributes=tuple(
            Attribute(id=aid, label=f"Payoff to {name or f'Player {j + 1}'}")
            for j, (aid, name) in enumerate(zip(attr_ids, player_names))
        ),
        parameters=(),
        root=root,
        nodes=tuple(nodes),
    )


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: float) -> str:
    return repr(float(x)) if x != int(x) else str(int(x))


def to_efg(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> str:
    """The scenario at its current parameter values (or ``values``) as Gambit ``.efg`` text. With private
    types, the root is chance drawing the type (the priors), then the tree once per type; a node of any other
    player is in one information set across the types (it does not see the type)."""
    if scenario.uncertainty is not None:
        return _bayesian_efg(scenario, values)
    full_information(scenario)
    game = game_of(scenario)
    env, _ = make_env(scenario, values)
    U = np.asarray(utilities(game, env, 1))[:, :, 0]  # (n_outcomes, n_players)
    probs = [[float(f(env)) for f in row] for row in game.probs]
    player_index = {p.id: j + 1 for j, p in enumerate(scenario.players)}
    lines = [
        f"EFG 2 R {_q(scenario.title)} {{ {' '.join(_q(p.name) for p in scenario.players)} }}",
        _q("Exported by the conditional-offer simulator at the scenario's current parameter values. " + NOTE),
        "",
    ]
    counters: dict[int, int] = {}
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    chance_row = {node: r for r, node in enumerate(game.chances)}

    def emit(node: int) -> None:
        spec = scenario.node(game.node_ids[node])
        if isinstance(spec, Outcome):
            t = outcome_row[node]
            pays = ", ".join(_num(x) for x in U[t])
            lines.append(f"t {_q(spec.label or spec.id)} {t + 1} {_q(spec.id)} {{ {pays} }}")
            return
        if isinstance(spec, Chance):
            counters[0] = counters.get(0, 0) + 1
            fr = [Fraction(p).limit_denominator(10**9) for p in probs[chance_row[node]]]
            fr[-1] = 1 - sum(fr[:-1])
            moves = " ".join(f"{_q(a.label)} {f}" for a, f in zip(spec.actions, fr))
            lines.append(f"c {_q(spec.label or spec.id)} {counters[0]} {_q(spec.id)} {{ {moves} }} 0")
        else:
            pl = player_index[spec.player]
            counters[pl] = counters.get(pl, 0) + 1
            moves = " ".join(_q(a.label) for a in spec.actions)
            lines.append(f"p {_q(spec.label or spec.id)} {pl} {counters[pl]} {_q(spec.id)} {{ {moves} }} 0")
        for kid in game.children[node]:
            emit(kid)

    emit(0)
    return "\n".join(lines) + "\n"


def _bayesian_efg(scenario: Scenario, values: Mapping[str, float] | None) -> str:
    from ..core.pbe_batch import _typed_env, bayesian_game
    bg = bayesian_game(scenario)
    game, K = bg.game, bg.n_types
    env, _ = make_env(scenario, values)
    U = np.asarray(utilities(game, _typed_env(bg, env, 1), K)).reshape(len(game.outcomes), game.n_players, K)
    probs = [[float(f(env)) for f in row] for row in game.probs]
    u = scenario.uncertainty
    prior = [float(t.prior.value(env)) for t in u.types]
    player_index = {p.id: j + 1 for j, p in enumerate(scenario.players)}
    lines = [
        f"EFG 2 R {_q(scenario.title)} {{ {' '.join(_q(p.name) for p in scenario.players)} }}",
        _q("Exported by the conditional-offer simulator at the scenario's current parameter values, with "
           f"{scenario.player(u.player).name}'s type drawn first by chance. " + NOTE),
        "",
    ]
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    infoset: dict[tuple[int, int, int], int] = {}  # (player, node, type or -1) -> information set number
    chance_sets = [0]
    n_outcomes = [0]

    def number(pl: int, key: tuple) -> int:
        if key not in infoset:
            infoset[key] = 1 + sum(1 for k in infoset if k[0] == pl)
        return infoset[key]

    def fractions(ps):
        fr = [Fraction(p).limit_denominator(10**9) for p in ps]
        fr[-1] = 1 - sum(fr[:-1])
        return fr

    def emit(node: int, t: int) -> None:
        spec = scenario.node(game.node_ids[node])
        if isinstance(spec, Outcome):
            n_outcomes[0] += 1
            pays = ", ".join(_num(x) for x in U[outcome_row[node], :, t])
            lines.append(f"t {_q(f'{spec.id}@{u.types[t].id}')} {n_outcomes[0]} {_q(spec.label or spec.id)} "
                         f"{{ {pays} }}")
            return
        if isinstance(spec, Chance):
            chance_sets[0] += 1
            moves = " ".join(f"{_q(a.label)} {f}" for a, f in zip(spec.actions, fractions(probs[chance_row[node]])))
            lines.append(f"c {_q(f'{spec.id}@{u.types[t].id}')} {chance_sets[0]} {_q(f'{spec.id}@{u.types[t].id}')} "
                         f"{{ {moves} }} 0")
        else:
            pl = player_index[spec.player]
            informed = game.mover[node] == bg.informed
            iset = number(pl, (pl, node, t if informed else -1))
            name = f"{spec.id}@{u.types[t].id}" if informed else spec.id
            moves = " ".join(_q(a.label) for a in spec.actions)
            lines.append(f"p {_q(f'{spec.id}@{u.types[t].id}')} {pl} {iset} {_q(name)} {{ {moves} }} 0")
        for kid in game.children[node]:
            emit(kid, t)

    chance_sets[0] += 1
    moves = " ".join(f"{_q(t.label)} {f}" for t, f in zip(u.types, fractions(prior)))
    lines.append(f"c {_q('type')} {chance_sets[0]} {_q(u.label or 'type')} {{ {moves} }} 0")
    for t in range(K):
        emit(0, t)
    return "\n".join(lines) + "\n"
