"""With private types, ``nash``: the Bayesian game's strategic form, ex ante (Harsanyi 1967-68), every pure Nash
equilibrium, and which of them are the strategy profiles of perfect Bayesian equilibria.

The form: each uninformed player's pure strategies name an action at each of its nodes (one information set
across the types); the informed player's name a reply for each type (its strategy as that type). Strategies are
reduced as in ``normal_form``: a node the player's own earlier move rules out is left out (for the informed
player, within each type). A cell holds every player's utility expected over the prior,
``u_i(s) = sum_theta pi(theta) u_i(theta, s)``, where ``u_i(theta, s)`` is the utility of the play ``s`` produces
when the type is theta (expected values at chance nodes).

A profile is a pure Nash equilibrium when no player gains more than the tie tolerance by switching strategy. It
is (the strategy profile of) a perfect Bayesian equilibrium, by the rule of ``model.core.pbe_batch``, when some
completion of it at the nodes it leaves out is sequentially rational everywhere: at each of its nodes, each type's
action is a best reply to the profile below; at each uninformed node, the action is a best reply under the belief
Bayes's rule gives from the types' strategies wherever they lead there, or, where no type's strategy does, under
some belief. A Nash equilibrium that is not one rests on a move that would not be made once its node is reached:
a type's non-credible threat, or an uninformed move that no belief allowed by Bayes's rule supports; each is
said in a sentence with its numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.backward_induction import TIE_TOLERANCE
from ..core.game import Game, make_env
from ..core.pbe_batch import BayesianGame, _typed_env, bayesian_game, belief_interval
from ..core.perfect_bayesian import belief_sentence
from ..core.result import Result
from ..core.scenario import Scenario
from ..core.utility import utilities
from ..errors import ScenarioError
from ..text.explanations import NOTE, fmt
from . import Typed
from .normal_form import (MAX_CELLS, MixedEquilibrium, _label, _mixed, _play_values, _threats, form_lines,
                          pure_nash_cells, reduced_strategies)

MAX_COMPLETIONS = 4096
METHOD = ("the ex-ante strategic form of the Bayesian game (utilities expected over the prior); every profile of "
          "reduced pure strategies checked for profitable deviations; perfect Bayesian when some completion is "
          "sequentially rational at every node under beliefs by Bayes's rule (Mas-Colell, Whinston and Green 9.C)")

Choice = dict[int, int]  # decision node -> action index


@dataclass(frozen=True)
class BayesianPureEquilibrium:
    """A pure Nash equilibrium of the Bayesian strategic form: ``profile`` (each player's strategy index), the
    ex-ante ``payoffs``; ``reasons``: why it is not a perfect Bayesian equilibrium (empty when it is)."""

    profile: tuple[int, ...]
    payoffs: tuple[float, ...]
    perfect_bayesian: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BayesianNormalForm(Result):
    """``payoffs (n_1, ..., n_P, P)``, expected over the prior; ``labels[i][s]`` strategy s of player i in words and
    ``choices[i][s]`` the same as data (node -> action; for the informed player, type -> node -> action)."""

    players: tuple[str, ...]
    informed: str
    types: tuple[tuple[str, str, float], ...]  # (id, label, prior)
    labels: tuple[tuple[str, ...], ...]
    choices: tuple[tuple[dict, ...], ...]
    payoffs: np.ndarray
    equilibria: tuple[BayesianPureEquilibrium, ...]
    mixed: tuple[MixedEquilibrium, ...]
    mixed_note: str
    method: str = METHOD

    def to_text(self, scenario: Scenario) -> str:
        """The human report of ``python -m model nash`` on a scenario with private types."""
        names = {p.id: p.name for p in scenario.players}
        odds = ", ".join(f"{label} {fmt(p)}" for _, label, p in self.types)
        out = [scenario.title, NOTE, "",
               f"The Bayesian game's strategic form, ex ante: {names[self.informed]}'s type is private (prior: {odds}). "
               f"A strategy of {names[self.informed]} names its reply as each type; each cell holds every side's "
               "utility expected over the prior."]
        out += form_lines(scenario, self.players, self.labels, "perfect Bayesian",
                          [(e.profile, e.payoffs, e.perfect_bayesian, e.reasons) for e in self.equilibria],
                          kinds={self.informed: "type-contingent"})
        out += [f"\nMixed equilibria: {self.mixed_note}", f"Method: {self.method}."]
        return "\n".join(out)

    def to_json(self) -> dict:
        return {
            "solution": "the Bayesian game's strategic form, ex ante", "informed": self.informed,
            "types": {i: {"label": label, "prior": p} for i, label, p in self.types},
            "players": list(self.players),
            "strategies": {p: list(ls) for p, ls in zip(self.players, self.labels)},
            "choices": {p: list(cs) for p, cs in zip(self.players, self.choices)},
            "payoffs": self.payoffs.tolist(),
            "pure_equilibria": [
                {"strategies": {p: self.labels[i][s] for i, (p, s) in enumerate(zip(self.players, e.profile))},
                 "payoffs": dict(zip(self.players, e.payoffs)), "perfect_bayesian": e.perfect_bayesian,
                 "not_sequentially_rational": list(e.reasons)} for e in self.equilibria],
            "mixed_equilibria": [{"probabilities": {p: list(q) for p, q in zip(self.players, m.probabilities)},
                                  "payoffs": dict(zip(self.players, m.payoffs))} for m in self.mixed],
            "mixed_note": self.mixed_note, "method": self.method,
        }


@dataclass(frozen=True)
class _Point:
    """The Bayesian game at one point: utilities ``U (n_outcomes, n_players, K)``, chance ``probs``, ``prior (K,)``
    and ``types`` (id, label, prior) as ``belief_sentence`` takes them."""

    bg: BayesianGame
    U: np.ndarray
    probs: list[list[float]]
    prior: np.ndarray
    types: tuple[tuple[str, str, float], ...]

    @property
    def fill(self) -> Choice:
        """An action at every decision node, for where a reduced profile is silent (play never goes there)."""
        return {d: 0 for d in self.bg.game.decisions}

    def values(self, theta: int, profile: Choice) -> np.ndarray:
        """Every node's value to every player when the type is ``theta`` and play follows ``profile``."""
        return _play_values(self.bg.game, self.U[:, :, theta], self.probs, profile, self.fill)


def _point(scenario: Scenario, values: Mapping[str, float] | None) -> _Point:
    bg = bayesian_game(scenario)
    game, K = bg.game, bg.n_types
    env, _ = make_env(scenario, values)
    U = np.asarray(utilities(game, _typed_env(bg, env, 1), K)).reshape(len(game.outcomes), game.n_players, K)
    prior = np.array(scenario.uncertainty.priors(env))
    types = tuple((t.id, t.label, float(p)) for t, p in zip(scenario.uncertainty.types, prior))
    return _Point(bg=bg, U=U, probs=[[float(f(env)) for f in row] for row in game.probs], prior=prior, types=types)


def strategies(bg: BayesianGame) -> list[list[tuple[Choice, ...]]]:
    """Each player's reduced pure strategies: an uninformed player's as a one-tuple of its choice, the informed
    player's as one choice per type (every combination of its reduced strategies)."""
    game = bg.game
    out = []
    for i in range(game.n_players):
        mine = reduced_strategies(game, i)
        out.append(list(itertools.product(mine, repeat=bg.n_types)) if i == bg.informed else [(s,) for s in mine])
    return out


def _profile(bg: BayesianGame, cell: Sequence[tuple[Choice, ...]], theta: int) -> Choice:
    """The choices at every node the cell's strategies name, as the type ``theta`` meets them."""
    out: Choice = {}
    for i, strategy in enumerate(cell):
        out.update(strategy[theta] if i == bg.informed else strategy[0])
    return out


def _completions(bg: BayesianGame, un: Choice, informed: Sequence[Choice]):
    """Every way to fill in the nodes a reduced profile leaves out: (uninformed choices, each type's choices)."""
    game = bg.game
    gaps = [(None, d) for d in bg.uninformed if d not in un]
    gaps += [(t, d) for t, mine in enumerate(informed) for d in bg.informed_nodes if d not in mine]
    count = int(np.prod([len(game.children[d]) for _, d in gaps], dtype=object))
    if count > MAX_COMPLETIONS:
        raise ScenarioError(f"a Nash equilibrium leaves {count:,} ways to fill in the nodes its strategies rule out; "
                            f"the check of perfect Bayesian equilibrium tries at most {MAX_COMPLETIONS:,}")
    for picks in itertools.product(*[range(len(game.children[d])) for _, d in gaps]):
        full_un, full_inf = dict(un), [dict(m) for m in informed]
        for (t, d), a in zip(gaps, picks):
            (full_un if t is None else full_inf[t])[d] = a
        yield full_un, full_inf


def _not_rational(scenario: Scenario, at: _Point, un: Choice, informed: Sequence[Choice]) -> list[str]:
    """Where a complete profile is not sequentially rational, one sentence each: each type's moves against the
    profile below, then each uninformed move under the belief Bayes's rule allows (``pbe_batch``'s rule)."""
    bg, game = at.bg, at.bg.game
    I, K = bg.informed, bg.n_types
    me = scenario.players[I].id
    out = []
    V = []
    for t in range(K):
        profile = {**un, **informed[t]}
        V.append(at.values(t, profile))
        out += [f"If its type is \u201c{at.types[t][1]}\u201d: {x.sentence}"
                for x in _threats(game, at.U[:, :, t], at.probs, profile, at.fill) if x.player == me]
    for h in bg.uninformed:
        j, kids, a = game.mover[h], game.children[h], un[h]
        D = [np.array([[V[t][kids[a]][j] - V[t][kid][j]] for t in range(K)]) for kid in kids]  # (K, 1) each
        rho = np.array([all(informed[t][bg.informed_nodes[r]] == b for r, b in bg.informed_before[h])
                        for t in range(K)])
        w = at.prior * rho
        fixed = K == 1 or w.sum() > 0
        mu = np.ones(1) if K == 1 else w / (w.sum() if fixed else 1.0)
        ok = all(float(mu @ d[:, 0]) >= -TIE_TOLERANCE for d in D) if fixed else bool(belief_interval(D)[2][0])
        if not ok:
            spec = scenario.node(game.node_ids[h])
            belief = tuple((t[0], float(m)) for t, m in zip(at.types, mu)) if fixed else None
            out.append(belief_sentence(scenario, spec.id, spec.actions[a].id, at.types, belief, None, best=False))
    return out


def _why_not(scenario: Scenario, at: _Point, cell: Sequence[tuple[Choice, ...]]) -> tuple[str, ...]:
    """Empty when some completion of ``cell`` is a perfect Bayesian equilibrium; else the failures of the
    completion with the fewest."""
    bg = at.bg
    un = {d: a for i, s in enumerate(cell) if i != bg.informed for d, a in s[0].items()}
    fewest: list[str] | None = None
    for full_un, full_inf in _completions(bg, un, cell[bg.informed]):
        reasons = _not_rational(scenario, at, full_un, full_inf)
        if not reasons:
            return ()
        if fewest is None or len(reasons) < len(fewest):
            fewest = reasons
    return tuple(fewest or ())


def _words(game: Game, types, strategy: tuple[Choice, ...], informed: bool) -> str:
    if not informed:
        return _label(game, strategy[0])
    return "; ".join(f"as \u201c{label}\u201d: {_label(game, s)}" for (_, label, _), s in zip(types, strategy))


def _data(scenario: Scenario, bg: BayesianGame, strategy: tuple[Choice, ...], informed: bool) -> dict:
    def ids(choice: Choice) -> dict[str, str]:
        return {bg.game.node_ids[d]: scenario.node(bg.game.node_ids[d]).actions[a].id for d, a in choice.items()}
    if not informed:
        return ids(strategy[0])
    return {t.id: ids(s) for t, s in zip(scenario.uncertainty.types, strategy)}


def bayesian_normal_form(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> BayesianNormalForm:
    """The Bayesian game's ex-ante strategic form at the current values (or ``values``), every pure Nash equilibrium
    and whether each is a perfect Bayesian equilibrium's strategy profile (and, if not, why not)."""
    at = _point(scenario, values)
    bg, game, K = at.bg, at.bg.game, at.bg.n_types
    table = strategies(bg)
    shape = tuple(len(s) for s in table)
    cells = int(np.prod(shape, dtype=object))
    if cells > MAX_CELLS:
        raise ScenarioError(f"the Bayesian strategic form would have {cells:,} cells; at most {MAX_CELLS:,} are shown")
    payoffs = np.zeros(shape + (game.n_players,))
    for cell in itertools.product(*[range(n) for n in shape]):
        chosen = [table[i][s] for i, s in enumerate(cell)]
        payoffs[cell] = sum(at.prior[t] * at.values(t, _profile(bg, chosen, t))[0] for t in range(K))
    equilibria = []
    for cell in pure_nash_cells(payoffs):
        reasons = _why_not(scenario, at, [table[i][s] for i, s in enumerate(cell)])
        equilibria.append(BayesianPureEquilibrium(profile=cell, payoffs=tuple(float(x) for x in payoffs[cell]),
                                                  perfect_bayesian=not reasons, reasons=reasons))
    _, mixed, note = _mixed(payoffs) if game.n_players == 2 else (
        True, (), "Mixed equilibria are computed for two-player games only.")
    return BayesianNormalForm(
        players=tuple(p.id for p in scenario.players), informed=scenario.uncertainty.player, types=at.types,
        labels=tuple(tuple(_words(game, at.types, s, i == bg.informed) for s in table[i]) for i in range(len(table))),
        choices=tuple(tuple(_data(scenario, bg, s, i == bg.informed) for s in table[i]) for i in range(len(table))),
        payoffs=payoffs, equilibria=tuple(equilibria), mixed=mixed, mixed_note=note)


TYPED = Typed(command="nash", run=lambda scenario, options: bayesian_normal_form(scenario),
              help="with private types, the Bayesian game's ex-ante strategic form, and which of its pure Nash "
                   "equilibria are perfect Bayesian")
