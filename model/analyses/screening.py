"""Uncertainty about the other side: chance draws the informed player's type; the others know only the prior.

Each type of the informed player answers for itself (its own backward induction: the types are a
batch axis). Every other player chooses by the prior-expected value of each action,
``E[u_j(a)] = sum_theta prior(theta) u_j(a | theta)``. Because a type may only change parameters in
the informed player's own weights, the others' payoffs do not depend on the type, so at a node with
no informed moves below it every type gives them the same values; at a node with informed moves
below it and none above it, the prior is the right belief. Where some other player moves after an
informed move, its belief must be updated from what it has seen (Bayes's rule): the prior would be
wrong there, so such scenarios are refused and ``model.core.perfect_bayesian`` solves them.
An offer that some types accept and others refuse *screens* the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..core.backward_induction import TIE_TOLERANCE
from ..core.utility import utilities
from ..errors import ScenarioError
from ..text.explanations import describe_play, fmt
from ..core.game import Game, game_of, make_env
from ..core.plays import Path
from ..core.result import Result
from ..core.scenario import Scenario


@dataclass(frozen=True)
class TypeAnswer:
    """One type: its prior, its choice at each of its moves, its play and every player's utility."""

    id: str
    label: str
    prior: float
    choices: tuple[tuple[str, str], ...]
    play: Path
    utility: tuple[float, ...]


@dataclass(frozen=True)
class Offer:
    """One action of the first uninformed mover: its prior-expected value and how each type answers."""

    action: str
    label: str
    expected: float
    answers: tuple[tuple[str, Path], ...]  # type id -> the play after this action

    @property
    def screens(self) -> bool:
        return len({play for _, play in self.answers}) > 1


@dataclass(frozen=True)
class Screening(Result):
    player: str
    mover: str
    node: str
    types: tuple[TypeAnswer, ...]
    offers: tuple[Offer, ...]
    chosen: str
    choices: tuple[tuple[str, str], ...]  # uninformed nodes -> action
    expected_utility: tuple[float, ...]
    sentence: str


def _informed_above(game: Game, informed: int) -> str | None:
    """A node of an uninformed player with an informed move above it (its belief is not the prior), if any."""
    above = [False] * len(game.node_ids)
    for node in range(len(game.node_ids)):
        for k in game.children[node]:
            above[k] = above[node] or game.mover[node] == informed
    for node in game.decisions:
        if game.mover[node] != informed and above[node]:
            return game.node_ids[node]
    return None


def screen(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> Screening:
    """Solve the scenario with its ``[uncertainty]`` section: each type's answers and the offers' expected values."""
    u = scenario.uncertainty
    if u is None:
        raise ScenarioError("this scenario has no [uncertainty] section: add types of one player to use it",
                            field="uncertainty")
    game = game_of(scenario)
    informed = [p.id for p in scenario.players].index(u.player)
    bad = _informed_above(game, informed)
    if bad is not None:
        raise ScenarioError(
            f"node {bad!r} is a move of another player after a move of {scenario.player(u.player).name}: there its "
            "belief is updated from what it has seen, not the prior, so screening by the prior would be wrong. "
            "Use perfect_bayesian (solve) instead", field="uncertainty")
    now = {**scenario.values, **(values or {})}
    typed = sorted({name for t in u.types for name, _ in t.values})
    arrays = {name: np.array([dict(t.values).get(name, now[name]) for t in u.types]) for name in typed}
    env, n = make_env(scenario, {**{k: v for k, v in now.items() if k not in typed}, **arrays})
    base_env, _ = make_env(scenario, now)
    prior = np.array(u.priors(base_env))
    U = np.asarray(utilities(game, env, n))  # (T, P, n_types)
    probs = [[float(f(base_env)) for f in row] for row in game.probs]
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    V: list = [None] * len(game.node_ids)
    choice: dict[int, np.ndarray | int] = {}
    pooled: dict[int, list[float]] = {}
    for node in reversed(range(len(game.node_ids))):
        kids, mover = game.children[node], game.mover[node]
        if mover == -2:
            V[node] = U[outcome_row[node]]
        elif mover == -1:
            V[node] = sum(p * V[k] for p, k in zip(probs[chance_row[node]], kids))
        elif mover == informed:
            vals = np.stack([V[k][mover] for k in kids])  # (m, n_types)
            pick = (vals >= vals.max(axis=0) - TIE_TOLERANCE).argmax(axis=0)
            choice[node] = pick
            V[node] = np.stack([V[kids[pick[j]]][:, j] for j in range(n)], axis=1)
        else:
            expected = [float(prior @ V[k][mover]) for k in kids]
            best = max(expected)
            pick = next(j for j, e in enumerate(expected) if e >= best - TIE_TOLERANCE)
            choice[node], pooled[node] = pick, expected
            V[node] = V[kids[pick]]

    def play_of(start: int, j: int) -> Path:
        out, stack = [], [start]
        while stack:
            node = stack.pop()
            if game.mover[node] >= 0:
                spec = scenario.node(game.node_ids[node])
                a = int(choice[node][j]) if game.mover[node] == informed else int(choice[node])
                out.append((spec.id, spec.actions[a].id))
                stack.append(game.children[node][a])
            elif game.mover[node] == -1:
                stack += [k for k, p in reversed(list(zip(game.children[node], probs[chance_row[node]]))) if p > 0]
        return tuple(out)

    types = []
    for j, t in enumerate(u.types):
        mine = tuple((game.node_ids[d], scenario.node(game.node_ids[d]).actions[int(choice[d][j])].id)
                     for d in game.decisions if game.mover[d] == informed)
        types.append(TypeAnswer(id=t.id, label=t.label, prior=float(prior[j]), choices=mine, play=play_of(0, j),
                                utility=tuple(float(x) for x in V[0][:, j])))
    first = next((d for d in game.decisions if game.mover[d] != informed), None)
    offers, chosen, mover_id, node_id = [], "", "", ""
    if first is not None:
        spec = scenario.node(game.node_ids[first])
        mover_id, node_id = spec.player, spec.id
        for a, (act, kid) in enumerate(zip(spec.actions, game.children[first])):
            offers.append(Offer(action=act.id, label=act.label, expected=pooled[first][a],
                                answers=tuple((t.id, play_of(kid, j)) for j, t in enumerate(u.types))))
        chosen = spec.actions[int(choice[first])].id
    expected_utility = tuple(float(prior @ V[0][i]) for i in range(game.n_players))
    return Screening(
        player=u.player, mover=mover_id, node=node_id, types=tuple(types), offers=tuple(offers), chosen=chosen,
        choices=tuple((game.node_ids[d], scenario.node(game.node_ids[d]).actions[int(choice[d])].id)
                      for d in game.decisions if game.mover[d] != informed),
        expected_utility=expected_utility, sentence=_sentence(scenario, u, types, offers, chosen, mover_id),
    )


def _sentence(scenario: Scenario, u, types, offers, chosen: str, mover: str) -> str:
    if not offers:
        return "Only the informed player moves; each type simply plays its own best reply."
    who = scenario.player(mover).name
    best = next(o for o in offers if o.action == chosen)
    odds = ", ".join(f"{t.label} {fmt(t.prior)}" for t in types)
    text = (f"Not knowing the type ({odds}), {who} expects {fmt(best.expected)} from \u201c{best.label}\u201d, "
            f"its best option (" + "; ".join(f"{o.label} {fmt(o.expected)}" for o in offers) + ").")
    answers = "; ".join(f"the {t.label.lower()} type: {describe_play(scenario, dict(best.answers)[t.id])}"
                        for t in types)
    text += f" After it, {answers}."
    if best.screens:
        text += " The types answer differently, so the offer screens them."
    return text


@dataclass(frozen=True)
class OfferSwitch:
    """At ``value`` of the parameter, the uninformed mover's best offer changes from ``below`` to ``above``."""

    parameter: str
    value: float
    below: str
    above: str


def offer_switches(scenario: Scenario, /, *, parameter: str, values: Mapping[str, float] | None = None,
                   points: int = 101) -> tuple[OfferSwitch, ...]:
    """Where in ``parameter``'s range (say, a prior) the best offer changes: ``screen`` on an even grid,
    then each change located by bisection to a billionth of the range."""
    p = scenario.parameter(parameter)
    base = dict(values or {})

    def chosen(x: float) -> str:
        return screen(scenario, values={**base, parameter: float(x)}).chosen

    grid = np.linspace(p.min, p.max, points)
    picks = [chosen(x) for x in grid]
    out = []
    for lo, hi, a, b in zip(grid, grid[1:], picks, picks[1:]):
        if a == b:
            continue
        while hi - lo > 1e-9 * (p.max - p.min):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if chosen(mid) == a else (lo, mid)
        out.append(OfferSwitch(parameter=parameter, value=float((lo + hi) / 2), below=a, above=b))
    return tuple(out)
