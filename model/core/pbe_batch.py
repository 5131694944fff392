"""The batched solver of ``perfect_bayesian``: pure-strategy perfect Bayesian equilibrium over N parameter points,
for a game whose ``[uncertainty]`` gives one player types.

The game (Harsanyi): chance draws the informed player I's type theta with prior ``pi(theta)``; then the
scenario's tree is played with theta's values of some parameters (I's weights or outcome levels). The
other players do not observe theta, so at each of their decision nodes h the nodes {(theta, h)} form one
information set; I's nodes are singletons (it knows its type).

The rule (weak perfect Bayesian equilibrium, Mas-Colell, Whinston and Green 1995, Definition 9.C.3, with
Bayes's rule applied wherever the informed player's own strategy makes it possible):

1. enumerate the uninformed players' pure strategies ``s`` (one action at every uninformed node);
2. given ``s``, each type's sequentially rational best reply ``sigma_theta(s)``: backward induction on
   the tree with the uninformed nodes fixed to ``s``, expected values at chance nodes, and theta's
   payoffs (a tie goes to the first listed action, as in ``backward_induction``);
3. beliefs at an uninformed node h: ``mu_h(theta) = pi(theta) rho_theta(h) / sum_theta' pi(theta')
   rho_theta'(h)``, where ``rho_theta(h)`` is 1 when theta's own strategy takes every informed move on the
   way to h and 0 otherwise (chance moves and the uninformed players' own moves do not depend on theta,
   so they cancel). When no type's strategy leads to h the belief is free: the set of beliefs for which
   ``s(h)`` is optimal is reported (for two types, an interval of the first type's probability), or that
   no belief supports it;
4. ``(s, sigma(s), mu)`` is an equilibrium when at every uninformed node h, ``s(h)`` maximises
   ``sum_theta mu_h(theta) V_theta(a)``, the mover's value of action a under ``(s, sigma_theta)`` below h
   (within ``TIE_TOLERANCE``), for the Bayes belief, or for some belief of the free set.

Each equilibrium is labelled by what the informed player's play reveals: *pooling* when every type makes
the same informed moves on the path, *separating* when no two types do, *partially pooling* otherwise.
The Cho-Kreps intuitive criterion (Cho and Kreps 1987) is assessed at one point (``perfect_bayesian``)
for off-path information sets entered by one informed move with no informed move after them.

Arrays: ``pbe_batch`` takes N parameter points; types are a second axis, strategies a loop (the
strategy set is small). Shapes: utilities ``(n_outcomes, n_players, K, N)``, node values ``(n_players,
K, N)``, ``equilibrium (S, N)``.
"""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import product

import numpy as np

from ..errors import ScenarioError
from .backward_induction import TIE_TOLERANCE
from .game import BOUNDS, ROWS, Game, check_rows, game_of
from .scenario import Scenario
from .utility import utilities

MAX_STRATEGIES = 4096
KINDS = ("pooling", "separating", "partially pooling")
METHOD = ("pure-strategy (weak) perfect Bayesian equilibrium: every pure strategy of the uninformed side, each type's "
          "backward induction against it, beliefs by Bayes's rule where the informed play reaches (Mas-Colell, "
          "Whinston and Green 9.C)")


@dataclass(frozen=True)
class BayesianGame:
    """The compiled tree plus the types: ``informed`` (player index), ``typed`` (parameter ids a type sets),
    ``type_values (K, n_typed)``, ``uninformed`` and ``informed_nodes`` (decision node indices), and
    ``strategies (S, n_uninformed)``: every pure strategy of the uninformed players, first actions first."""

    game: Game
    informed: int
    type_ids: tuple[str, ...]
    typed: tuple[str, ...]
    type_values: np.ndarray
    uninformed: tuple[int, ...]
    informed_nodes: tuple[int, ...]
    strategies: np.ndarray

    @property
    def n_types(self) -> int:
        return len(self.type_ids)

    @cached_property
    def informed_before(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each node, the informed moves ``(row in informed_nodes, action)`` on the way to it."""
        g = self.game
        row = {node: r for r, node in enumerate(self.informed_nodes)}
        out: list[tuple] = [()] * len(g.node_ids)
        for node in range(len(g.node_ids)):
            for b, kid in enumerate(g.children[node]):
                out[kid] = out[node] + (((row[node], b),) if node in row else ())
        return tuple(out)


def bayesian_game(scenario: Scenario) -> BayesianGame:
    """The compiled Bayesian game of ``scenario`` (kept with the Scenario object); ScenarioError without types."""
    bg = scenario.memo.get("bayesian")
    if bg is not None:
        return bg
    u = scenario.uncertainty
    if u is None:
        raise ScenarioError("this scenario has no [uncertainty] section: there are no types to solve for",
                            field="uncertainty")
    if len(u.types) > 2:
        raise ScenarioError(f"{len(u.types)} types: the perfect Bayesian solver handles one or two types",
                            field="uncertainty.types")
    game = game_of(scenario)
    informed = [p.id for p in scenario.players].index(u.player)
    typed = tuple(sorted({name for t in u.types for name, _ in t.values}))
    now = scenario.values
    values = np.array([[dict(t.values).get(name, now[name]) for name in typed] for t in u.types]).reshape(
        len(u.types), len(typed))
    uninformed = tuple(d for d in game.decisions if game.mover[d] != informed)
    informed_nodes = tuple(d for d in game.decisions if game.mover[d] == informed)
    sizes = [len(game.children[d]) for d in uninformed]
    count = int(np.prod(sizes, dtype=object)) if sizes else 1
    if count > MAX_STRATEGIES:
        raise ScenarioError(f"the uninformed players have {count:,} pure strategies; the perfect Bayesian solver "
                            f"enumerates at most {MAX_STRATEGIES:,}", field="uncertainty")
    strategies = np.array(list(product(*[range(m) for m in sizes])), dtype=np.int16).reshape(count, len(sizes))
    bg = BayesianGame(game=game, informed=informed, type_ids=tuple(t.id for t in u.types), typed=typed,
                      type_values=values, uninformed=uninformed, informed_nodes=informed_nodes, strategies=strategies)
    scenario.memo["bayesian"] = bg
    return bg


@dataclass(frozen=True)
class PBEBatch:
    """Every uninformed strategy ``s`` at N points.

    ``equilibrium (S, N)`` bool; ``informed_choice (S, n_informed, K, N)`` each type's action index;
    ``belief (S, n_uninformed, K, N)`` the Bayes belief, NaN where free; ``low``, ``high (S, n_uninformed, N)``:
    where the belief is free and there are two types, the first type's probabilities that support ``s(h)``
    (``low > high``: none does); NaN where the belief is fixed; ``supported (S, n_uninformed, N)`` whether
    ``s(h)`` is optimal under the (Bayes or some free) belief; ``payoff (S, n_players, N)`` the prior-expected
    utility, ``type_payoff (S, n_players, K, N)`` each type's; ``kind (S, N)`` an index of ``KINDS``;
    ``prior (K, N)``; ``reached (S, n_nodes, K, N)`` whether play reaches each node given the type (only with
    ``detail``), ``action_values (S, n_uninformed)``: per action, the mover's ``(K, N)`` values (``detail``).
    """

    equilibrium: np.ndarray
    informed_choice: np.ndarray
    belief: np.ndarray
    low: np.ndarray
    high: np.ndarray
    supported: np.ndarray
    payoff: np.ndarray
    type_payoff: np.ndarray
    kind: np.ndarray
    prior: np.ndarray
    reached: np.ndarray | None = None
    action_values: tuple | None = None
    node_values: tuple | None = None


def _typed_env(bg: BayesianGame, env: Mapping, n: int) -> dict:
    """``env`` with every point repeated once per type (index ``theta * n + i``) and the typed parameters set."""
    k = bg.n_types
    out: dict = {}
    for key, v in env.items():
        if key in (ROWS, BOUNDS):
            continue
        out[key] = np.tile(v, k) if isinstance(v, np.ndarray) else v
    for j, name in enumerate(bg.typed):
        out[name] = np.repeat(bg.type_values[:, j], n)
    return out


def belief_interval(D) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """With two types, the beliefs that support a chosen action: the first type's probabilities m from ``lo`` to
    ``hi`` with ``m d0 + (1 - m) d1 >= -TIE_TOLERANCE`` for every action's ``d (2, n)`` (the chosen action's value
    minus that action's, per type); ``feasible`` is False where no m in [0, 1] does."""
    n = D[0].shape[1]
    lo, hi, feasible = np.zeros(n), np.ones(n), np.ones(n, dtype=bool)
    for d in D:
        c, rhs = d[0] - d[1], -TIE_TOLERANCE - d[1]
        safe = np.where(c == 0, 1.0, c)
        lo = np.where(c > 0, np.maximum(lo, rhs / safe), lo)
        hi = np.where(c < 0, np.minimum(hi, rhs / safe), hi)
        feasible &= (c != 0) | (rhs <= 0)
    return lo, hi, feasible & (lo <= hi)


def pbe_batch(bg: BayesianGame, env: Mapping, n: int, *, detail: bool = False) -> PBEBatch:
    """Steps 1-4 of the module docstring at ``n`` points (``env`` from ``make_env``), all strategies."""
    if BOUNDS in env:
        check_rows(env, 0, n)
    g, I, K = bg.game, bg.informed, bg.n_types
    tol = TIE_TOLERANCE
    scenario = g.scenario
    U = np.asarray(utilities(g, _typed_env(bg, env, n), K * n)).reshape(len(g.outcomes), g.n_players, K, n)
    prior = np.empty((K, n))
    for j, t in enumerate(scenario.uncertainty.types):
        prior[j] = np.broadcast_to(np.asarray(t.prior.value(env), dtype=float), (n,))
    probs = [[np.broadcast_to(np.asarray(f(env), dtype=float), (n,)) for f in row] for row in g.probs]
    outcome_row = {node: r for r, node in enumerate(g.outcomes)}
    chance_row = {node: r for r, node in enumerate(g.chances)}
    un_row = {node: r for r, node in enumerate(bg.uninformed)}
    inf_row = {node: r for r, node in enumerate(bg.informed_nodes)}
    S, n_un, n_inf, n_nodes = len(bg.strategies), len(bg.uninformed), len(bg.informed_nodes), len(g.node_ids)
    widest = max((len(g.children[d]) for d in g.decisions), default=1)
    equilibrium = np.ones((S, n), dtype=bool)
    informed_choice = np.zeros((S, n_inf, K, n), dtype=np.int8 if widest < 127 else np.int16)
    belief = np.full((S, n_un, K, n), np.nan)
    low = np.full((S, n_un, n), np.nan)
    high = np.full((S, n_un, n), np.nan)
    supported = np.ones((S, n_un, n), dtype=bool)
    payoff = np.empty((S, g.n_players, n))
    type_payoff = np.empty((S, g.n_players, K, n))
    kind = np.zeros((S, n), dtype=np.int8)
    reached_out = np.zeros((S, n_nodes, K, n), dtype=bool) if detail else None
    action_values: list = [] if detail else None
    node_values: list = [] if detail else None
    for si, s in enumerate(bg.strategies):
        # 2. each type's backward induction against s: V[node] (n_players, K, n)
        V: list = [None] * n_nodes
        for node in reversed(range(n_nodes)):
            kids, mover = g.children[node], g.mover[node]
            if mover == -2:
                V[node] = U[outcome_row[node]]
            elif mover == -1:
                V[node] = sum(p * V[kid] for p, kid in zip(probs[chance_row[node]], kids))
            elif mover != I:
                V[node] = V[kids[s[un_row[node]]]]
            else:
                keys = [V[kid][I] for kid in kids]  # (K, n) each
                best = keys[0]
                for key in keys[1:]:
                    best = np.maximum(best, key)
                pick = np.full((K, n), len(kids) - 1, dtype=informed_choice.dtype)
                value = V[kids[-1]]
                for j in range(len(kids) - 2, -1, -1):
                    ok = keys[j] >= best - tol
                    pick = np.where(ok, j, pick)
                    value = np.where(ok[None], V[kids[j]], value)
                informed_choice[si, inf_row[node]] = pick
                V[node] = value
        # 3. rho (the informed moves agree with sigma) and reach (play gets there), forward
        rho = np.ones((n_nodes, K, n), dtype=bool)
        reach = np.ones((n_nodes, K, n), dtype=bool)
        for node in range(n_nodes):
            kids, mover = g.children[node], g.mover[node]
            for b, kid in enumerate(kids):
                if mover == I:
                    took = informed_choice[si, inf_row[node]] == b
                    rho[kid] = rho[node] & took
                    reach[kid] = reach[node] & took
                elif mover == -1:
                    rho[kid] = rho[node]
                    reach[kid] = reach[node] & (probs[chance_row[node]][b] > 0)
                elif mover >= 0:
                    rho[kid] = rho[node]
                    reach[kid] = reach[node] & (b == s[un_row[node]])
        # 4. sequential rationality at every uninformed node
        vals_s = []
        for h in bg.uninformed:
            r, j = un_row[h], g.mover[h]
            kids = g.children[h]
            chosen = V[kids[s[r]]][j]
            D = [chosen - V[kid][j] for kid in kids]  # (K, n) each: chosen minus action a, per type
            if detail:
                vals_s.append(tuple(V[kid][j] for kid in kids))
            w = prior * rho[h]
            z = w.sum(axis=0)
            fixed = z > 0
            mu = w / np.where(fixed, z, 1.0)
            if K == 1:
                mu = np.ones((1, n))
                fixed = np.ones(n, dtype=bool)
            ok_fixed = np.ones(n, dtype=bool)
            for d in D:
                ok_fixed &= (mu * d).sum(axis=0) >= -tol
            ok = ok_fixed
            if K == 2 and not fixed.all():
                lo, hi, feasible = belief_interval(D)
                low[si, r] = np.where(fixed, np.nan, np.clip(lo, 0, 1))
                high[si, r] = np.where(fixed, np.nan, np.where(feasible, np.clip(hi, 0, 1), -1.0))
                low[si, r] = np.where(~fixed & ~feasible, 1.0, low[si, r])
                ok = np.where(fixed, ok_fixed, feasible)
            belief[si, r] = np.where(fixed[None], mu, np.nan)
            supported[si, r] = ok
            equilibrium[si] &= ok
        # payoffs and the label
        type_payoff[si] = V[0]
        payoff[si] = (prior[None] * V[0]).sum(axis=1)
        if detail:
            reached_out[si] = reach
            action_values.append(tuple(vals_s))
            node_values.append(tuple(V))
        if K > 1 and n_inf:
            # a type's informed play: per informed node, 0 if not reached, else 1 + its action
            sig = [(reach[node] * (informed_choice[si, inf_row[node]].astype(np.int16) + 1)) for node in bg.informed_nodes]
            same = np.ones(n, dtype=bool)  # K == 2: one pair
            for part in sig:
                same &= part[0] == part[1]
            kind[si] = np.where(same, 0, 1)
    return PBEBatch(equilibrium=equilibrium, informed_choice=informed_choice, belief=belief, low=low, high=high,
                    supported=supported, payoff=payoff, type_payoff=type_payoff, kind=kind, prior=prior,
                    reached=reached_out, action_values=tuple(action_values) if detail else None,
                    node_values=tuple(node_values) if detail else None)
