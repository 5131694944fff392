"""Gambit's extensive-form ``.efg`` format: read perfect-information games and one-sided private types,
write any scenario.

Reading (the text's syntax: ``efg_tree``): a game where each player node is alone in its information set
(perfect information) becomes a scenario with one attribute per player ("Payoff to <player>") that its
player weighs 1 and the others 0, so ``u_i(t)`` is exactly Gambit's payoff; a game with larger information
sets is read only when it has the one-sided structure of ``efg_types`` (a player's private type drawn by
chance at the root), and refused otherwise. Writing: the tree at the scenario's current parameter values,
each player node in its own information set, probabilities as exact fractions; with private types, chance
draws the type first and the other players' nodes are joined across the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from ..text.explanations import NOTE
from ..core.expressions import Expr
from ..core.game import full_information, game_of, make_env
from ..core.utility import utilities
from ..core.scenario import Action, Chance, Decision, Outcome, Scenario
from .efg_tree import EfgGame, EfgNode, payoff_players, read_efg_tree, slug
from .efg_types import typed_scenario


def parse_efg(text: str, *, name: str = "") -> Scenario:
    """A scenario from the text of an ``.efg`` game, or ScenarioError.

    Read: games of perfect information (every information set holds one node), and games with one
    player's private type (``efg_types``: chance draws the type at the root, then one identical subtree
    per type in which the other players' corresponding nodes form one information set). Any other
    information set is refused with one line naming it."""
    game = read_efg_tree(text)
    if any(len(nodes) > 1 for nodes in game.infosets().values()):
        return typed_scenario(game)
    return _perfect_scenario(game)


def _perfect_scenario(game: EfgGame) -> Scenario:
    """The scenario of a perfect-information game: node ``n<k>`` is the file's k-th node (preorder)."""
    players, attributes = payoff_players(game.player_names)
    attr_ids = [a.id for a in attributes]
    nodes: list = []

    def build(raw: EfgNode) -> str:
        nid = f"n{raw.index}"
        if raw.kind == "t":
            levels = tuple((aid, Expr.of(float(x))) for aid, x in zip(attr_ids, raw.pay))
            nodes.append(Outcome(id=nid, levels=levels, label=raw.name))
            return nid
        slot = len(nodes)
        nodes.append(None)
        taken: set[str] = set()
        acts = tuple(
            Action(id=slug(label, taken, f"a{j + 1}"), label=label or f"Action {j + 1}", next=build(child),
                   probability=Expr.of(float(raw.probs[j])) if raw.kind == "c" else None)
            for j, (label, child) in enumerate(zip(raw.actions, raw.children)))
        if raw.kind == "c":
            nodes[slot] = Chance(id=nid, actions=acts, label=raw.label or "Chance")
        else:
            nodes[slot] = Decision(id=nid, player=players[raw.player - 1].id, actions=acts,
                                   label=raw.label or f"{game.player_names[raw.player - 1]} moves")
        return nid

    root = build(game.root)
    return Scenario(
        title=game.title or "Gambit game",
        description="Imported from a Gambit .efg file: each player's utility is its Gambit payoff.",
        players=players,
        attributes=attributes,
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
    prior = list(u.priors(env))
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
