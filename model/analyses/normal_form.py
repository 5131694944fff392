"""The reduced strategic (normal) form, its pure Nash equilibria, and which of them are credible.

A pure strategy names an action at each of a player's decision nodes; the *reduced* form leaves out
the nodes the player's own earlier actions already rule out (so strategies that differ only there
are one). Each cell holds every player's expected utility of the play the profile produces.

A profile is a pure Nash equilibrium when no player gains more than the tie tolerance by switching
to another of its strategies. It is subgame perfect when, at every node where a strategy names an
action, that action is a best reply given what the profile (completed by backward induction where
it is silent) does afterwards. A Nash equilibrium that is not subgame perfect rests on a
non-credible threat or promise: an action its player would not take once the node is reached.

Mixed equilibria (two players): found by support enumeration when the game is non-degenerate; game
trees almost always give degenerate strategic forms (strategies that tie), and then the mixed
equilibria come in continua that this module does not list; it says so instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.backward_induction import TIE_TOLERANCE
from ..core.equilibrium import solve
from ..errors import ScenarioError
from ..text.explanations import NOTE, fmt
from . import Command
from ..core.game import Game, full_information, game_of, make_env
from ..core.result import Result
from ..core.utility import utilities
from ..core.scenario import Scenario

MAX_CELLS = 200_000

Strategy = tuple[tuple[str, str], ...]  # (decision node id, action id) at the nodes it specifies


METHOD = ("every profile of reduced pure strategies checked for profitable deviations; subgame perfection by "
          "backward induction at every node a strategy names")


@dataclass(frozen=True)
class Threat:
    """At ``node`` the strategy names ``action`` though ``better`` is worth more to its player there."""

    player: str
    node: str
    action: str
    better: str
    value: float
    better_value: float
    sentence: str


@dataclass(frozen=True)
class PureEquilibrium:
    profile: tuple[int, ...]  # strategy index of each player
    payoffs: tuple[float, ...]
    subgame_perfect: bool
    threats: tuple[Threat, ...]


@dataclass(frozen=True)
class MixedEquilibrium:
    probabilities: tuple[tuple[float, ...], ...]  # per player, over its strategies
    payoffs: tuple[float, ...]


@dataclass(frozen=True)
class NormalForm(Result):
    """``payoffs``: shape ``(n_1, ..., n_P, P)``; ``strategies[i][s]`` the nodes and actions of strategy s."""

    players: tuple[str, ...]
    strategies: tuple[tuple[Strategy, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    equilibria: tuple[PureEquilibrium, ...]
    degenerate: bool
    mixed: tuple[MixedEquilibrium, ...]
    mixed_note: str
    method: str = METHOD

    def to_text(self, scenario: Scenario) -> str:
        """The human report of ``python -m model nash``."""
        out = [scenario.title, NOTE, "", "Strategic (normal) form, reduced: each side's strategies"]
        out += form_lines(scenario, self.players, self.labels, "subgame perfect",
                          [(e.profile, e.payoffs, e.subgame_perfect, [t.sentence for t in e.threats])
                           for e in self.equilibria])
        out.append(f"\nMixed equilibria: {self.mixed_note}")
        return "\n".join(out)

    def to_json(self) -> dict:
        return {
            "players": list(self.players),
            "strategies": {p: list(ls) for p, ls in zip(self.players, self.labels)},
            "payoffs": self.payoffs.tolist(),
            "pure_equilibria": [
                {"strategies": {p: self.labels[i][s] for i, (p, s) in enumerate(zip(self.players, e.profile))},
                 "payoffs": dict(zip(self.players, e.payoffs)), "subgame_perfect": e.subgame_perfect,
                 "non_credible": [t.sentence for t in e.threats]}
                for e in self.equilibria
            ],
            "mixed_equilibria": [
                {"probabilities": {p: list(q) for p, q in zip(self.players, m.probabilities)},
                 "payoffs": dict(zip(self.players, m.payoffs))} for m in self.mixed
            ],
            "mixed_note": self.mixed_note,
        }


def form_lines(scenario: Scenario, players: Sequence[str], labels: Sequence[Sequence[str]], concept: str,
               equilibria: Sequence[tuple[Sequence[int], Sequence[float], bool, Sequence[str]]], *,
               kinds: Mapping[str, str] | None = None) -> list[str]:
    """Each side's strategies, numbered ("U1", ...; ``kinds[player]`` says what kind), then each pure Nash equilibrium
    given as (profile, payoffs, whether it is ``concept``, the sentences that say why not)."""
    names = {p.id: p.name for p in scenario.players}
    pre = dict(zip(players, strategy_prefixes([names[p] for p in players])))
    out = []
    for i, p in enumerate(players):
        kind = f" {kinds[p]}" if kinds and p in kinds else ""
        out.append(f"\n{names[p]} ({len(labels[i])}{kind} strategies):")
        out += [f"  {pre[p]}{k + 1}. {label}" for k, label in enumerate(labels[i])]
    out.append(f"\nPure Nash equilibria: {len(equilibria)}; {concept}: {sum(holds for _, _, holds, _ in equilibria)}")
    for profile, payoffs, holds, why_not in equilibria:
        who = ", ".join(f"{pre[p]}{k + 1}" for p, k in zip(players, profile))
        pays = ", ".join(f"{names[p]} {fmt(v)}" for p, v in zip(players, payoffs))
        out.append(f"  ({who}): {pays} \u2014 {concept if holds else 'NOT ' + concept}")
        out += [f"      {sentence}" for sentence in why_not]
    return out


def strategy_prefixes(names: list[str] | tuple[str, ...]) -> list[str]:
    """A prefix for each side's strategy numbers, from its name: the initial ("U1", "I1"), or, when two
    names share it, the shortest start of each name that no other side's starts with ("Truster1",
    "Trustee1"); "P1-", "P2-" only if names are equal or do not start with a letter."""
    clean = [n.strip() for n in names]
    if len(set(clean)) == len(clean) and all(n[:1].isalpha() for n in clean):
        for k in range(1, max(map(len, clean)) + 1):
            pre = [n[:k] for n in clean]
            pre = [x[:1].upper() + x[1:] for x in pre]
            if len(set(pre)) == len(pre):
                return pre
    return [f"P{k}-" for k in range(1, len(names) + 1)]


def reduced_strategies(game: Game, player: int) -> list[dict[int, int]]:
    """The reduced pure strategies of ``player``: node -> action index, at the nodes it can still reach."""
    mine = [d for d in game.decisions if game.mover[d] == player]

    out: list[dict[int, int]] = [{}]
    for d in mine:  # parents before children (game.decisions is breadth-first)
        grown = []
        for choice in out:
            if _excluded(game, d, choice):
                grown.append(choice)
                continue
            for a in range(len(game.children[d])):
                grown.append({**choice, d: a})
        out = grown
    return out


def _preorder(game: Game) -> dict[int, int]:
    """Each node's position in a depth-first walk (the order a reader follows the tree)."""
    out, stack = {}, [0]
    while stack:
        node = stack.pop()
        out[node] = len(out)
        stack.extend(reversed(game.children[node]))
    return out


def _subtree(game: Game, node: int) -> set[int]:
    seen, stack = set(), [node]
    while stack:
        n = stack.pop()
        seen.add(n)
        stack.extend(game.children[n])
    return seen


def _excluded(game: Game, node: int, choice: dict[int, int]) -> bool:
    """Whether the player's own choices already steer play away from ``node``."""
    for d, a in choice.items():
        if node in _subtree(game, d) and node not in _subtree(game, game.children[d][a]):
            return True
    return False


def _play_values(game: Game, U: np.ndarray, probs: list[list[float]], profile: dict[int, int],
                 fill: dict[int, int]) -> np.ndarray:
    """Every node's value to every player when play follows ``profile`` (``fill`` where it is silent)."""
    V = np.zeros((len(game.node_ids), game.n_players))
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    for node in reversed(range(len(game.node_ids))):
        kids = game.children[node]
        if game.mover[node] == -2:
            V[node] = U[outcome_row[node]]
        elif game.mover[node] == -1:
            V[node] = sum(p * V[k] for p, k in zip(probs[chance_row[node]], kids))
        else:
            a = profile.get(node, fill[node])
            V[node] = V[kids[a]]
    return V


def normal_form(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> NormalForm:
    """The reduced strategic form at the current values (or ``values``), with every pure Nash equilibrium."""
    full_information(scenario)
    sc = scenario
    game = game_of(scenario)
    env, _ = make_env(sc, values)
    U = np.asarray(utilities(game, env, 1))[:, :, 0]  # (T, P)
    probs = [[float(f(env)) for f in row] for row in game.probs]
    spe = solve(scenario, values=values)
    fill = {game.index(c.node): [a.id for a in sc.node(c.node).actions].index(c.action) for c in spe.choices}
    strategies = [reduced_strategies(game, i) for i in range(game.n_players)]
    shape = tuple(len(s) for s in strategies)
    if int(np.prod(shape, dtype=object)) > MAX_CELLS:
        raise ScenarioError(f"the strategic form would have {int(np.prod(shape, dtype=object)):,} cells; at most "
                            f"{MAX_CELLS:,} are shown")
    payoffs = np.zeros(shape + (game.n_players,))
    for cell in itertools.product(*[range(n) for n in shape]):
        profile = {}
        for i, s in enumerate(cell):
            profile.update(strategies[i][s])
        payoffs[cell] = _play_values(game, U, probs, profile, fill)[0]

    equilibria = []
    for cell in pure_nash_cells(payoffs):
        profile = {}
        for i, s in enumerate(cell):
            profile.update(strategies[i][s])
        threats = _threats(game, U, probs, profile, fill)
        equilibria.append(PureEquilibrium(profile=cell, payoffs=tuple(float(x) for x in payoffs[cell]),
                                          subgame_perfect=not threats, threats=threats))
    labels = tuple(tuple(_label(game, s) for s in strategies[i]) for i in range(game.n_players))
    strat_ids = tuple(tuple(tuple((game.node_ids[d], sc.node(game.node_ids[d]).actions[a].id)
                                  for d, a in s.items()) for s in strategies[i]) for i in range(game.n_players))
    degenerate, mixed, note = _mixed(payoffs) if game.n_players == 2 else (
        True, (), "Mixed equilibria are computed for two-player games only.")
    return NormalForm(players=tuple(p.id for p in sc.players), strategies=strat_ids, labels=labels, payoffs=payoffs,
                      equilibria=tuple(equilibria), degenerate=degenerate, mixed=mixed, mixed_note=note)


def pure_nash_cells(payoffs: np.ndarray) -> list[tuple[int, ...]]:
    """Every cell of ``payoffs (n_1, ..., n_P, P)`` where no player gains more than the tie tolerance by switching to
    another of its strategies, in reading order."""
    P = payoffs.shape[-1]
    return [cell for cell in itertools.product(*[range(n) for n in payoffs.shape[:-1]])
            if all(payoffs[cell][i] >= payoffs[cell[:i] + (slice(None),) + cell[i + 1:]][:, i].max() - TIE_TOLERANCE
                   for i in range(P))]


def _label(game: Game, strategy: dict[int, int]) -> str:
    """A strategy in words, one "question \u2192 answer" per node it specifies."""
    sc = game.scenario
    if not strategy:
        return "(no move)"
    order = _preorder(game)
    parts = []
    for d, a in sorted(strategy.items(), key=lambda item: order[item[0]]):
        spec = sc.node(game.node_ids[d])
        parts.append(f"{spec.label or spec.id} \u2192 {spec.actions[a].label}")
    return " | ".join(parts)


def _threats(game: Game, U: np.ndarray, probs, profile: dict[int, int], fill: dict[int, int]) -> tuple[Threat, ...]:
    sc = game.scenario
    V = _play_values(game, U, probs, profile, fill)
    out = []
    for d, a in profile.items():
        i = game.mover[d]
        kids = game.children[d]
        vals = [V[k][i] for k in kids]
        best = int(np.argmax(vals))
        if vals[best] > vals[a] + TIE_TOLERANCE:
            spec = sc.node(game.node_ids[d])
            who = sc.player(spec.player).name
            act, alt = spec.actions[a], spec.actions[best]
            sentence = (f"{who} plans \u201c{act.label}\u201d at \u201c{spec.label or spec.id}\u201d, but once there "
                        f"{who} prefers \u201c{alt.label}\u201d: {fmt(vals[best])} vs {fmt(vals[a])}. "
                        f"The plan is not credible.")
            out.append(Threat(player=spec.player, node=spec.id, action=act.id, better=alt.id, value=float(vals[a]),
                              better_value=float(vals[best]), sentence=sentence))
    return tuple(out)


def _mixed(payoffs: np.ndarray) -> tuple[bool, tuple[MixedEquilibrium, ...], str]:
    """Support enumeration for a non-degenerate bimatrix game; an honest note for a degenerate one."""
    A, B = payoffs[:, :, 0], payoffs[:, :, 1]
    m, n = A.shape
    degenerate = _is_degenerate(A, B)
    if degenerate:
        return True, (), ("The strategic form is degenerate (against some pure strategy a player has tied best "
                          "replies, as strategy tables from game trees usually do), so its mixed equilibria come in "
                          "continua; only the pure equilibria are listed.")
    found = []
    for k in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                eq = _solve_support(A, B, rows, cols)
                if eq is not None:
                    found.append(eq)
    note = f"{len(found)} equilibria in mixed strategies (pure ones included), by support enumeration."
    return False, tuple(found), note


def _is_degenerate(A: np.ndarray, B: np.ndarray) -> bool:
    for j in range(A.shape[1]):
        col = A[:, j]
        if np.sum(col >= col.max() - TIE_TOLERANCE) > 1:
            return True
    for i in range(B.shape[0]):
        row = B[i]
        if np.sum(row >= row.max() - TIE_TOLERANCE) > 1:
            return True
    return False


def _solve_support(A, B, rows, cols) -> MixedEquilibrium | None:
    k = len(rows)
    # column player's mix y on cols makes the row player indifferent over rows (and vice versa)
    def indifference(M, support_own, support_other, transpose):
        size = len(support_other)
        lhs = np.zeros((k + 1, size + 1))
        for r, s in enumerate(support_own):
            lhs[r, :size] = M[s, list(support_other)] if not transpose else M[list(support_other), s]
            lhs[r, size] = -1.0
        lhs[k, :size] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        try:
            sol = np.linalg.solve(lhs, rhs)
        except np.linalg.LinAlgError:
            return None
        return sol[:size], sol[size]

    ry = indifference(A, rows, cols, False)
    cx = indifference(B, cols, rows, True)
    if ry is None or cx is None:
        return None
    y, u = ry
    x, v = cx
    if (y < -1e-12).any() or (x < -1e-12).any():
        return None
    X = np.zeros(A.shape[0])
    Y = np.zeros(A.shape[1])
    X[list(rows)], Y[list(cols)] = x, y
    if (A @ Y).max() > u + 1e-9 or (X @ B).max() > v + 1e-9:
        return None
    return MixedEquilibrium(probabilities=(tuple(float(p) for p in X), tuple(float(q) for q in Y)),
                            payoffs=(float(X @ A @ Y), float(X @ B @ Y)))


COMMAND = Command(
    name="nash", order=40, run=lambda scenario, options: normal_form(scenario),
    help="the strategic form: every pure Nash equilibrium, whether it is subgame perfect, and the non-credible "
         "threats the others rest on",
)
