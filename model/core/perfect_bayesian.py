"""Perfect Bayesian equilibrium in pure strategies, for a game whose ``[uncertainty]`` gives one player types.

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
METHOD = ("pure-strategy perfect Bayesian equilibrium: every pure strategy of the uninformed side, each type's "
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
                lo, hi, feasible = np.zeros(n), np.ones(n), np.ones(n, dtype=bool)
                for d in D:  # m d0 + (1 - m) d1 >= -tol, m = the first type's probability
                    c, rhs = d[0] - d[1], -tol - d[1]
                    safe = np.where(c == 0, 1.0, c)
                    lo = np.where(c > 0, np.maximum(lo, rhs / safe), lo)
                    hi = np.where(c < 0, np.minimum(hi, rhs / safe), hi)
                    feasible &= (c != 0) | (rhs <= 0)
                feasible &= lo <= hi
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


# -- one point, with everything a reader needs ------------------------------------------------------------


@dataclass(frozen=True)
class Belief:
    """An uninformed player's information set (one node of the tree, every type): the action taken there,
    whether play reaches it, and the belief: ``belief`` (type id -> probability, by Bayes's rule) when the
    informed play reaches it, else ``support``: the first type's probabilities supporting the action, as
    ``(low, high)`` (None when no belief does); ``values``: action id -> the mover's value per type."""

    node: str
    player: str
    action: str
    on_path: bool
    belief: tuple[tuple[str, float], ...] | None
    support: tuple[float, float] | None
    values: tuple[tuple[str, tuple[float, ...]], ...]
    sentence: str
    best: bool = True  # whether ``action`` is a best choice under the belief (always, in an equilibrium)


@dataclass(frozen=True)
class TypePlay:
    """One type in one equilibrium: its prior, its action at each of its nodes, its play and utilities."""

    id: str
    label: str
    prior: float
    choices: tuple[tuple[str, str], ...]
    play: tuple[tuple[str, str], ...]
    utility: tuple[float, ...]
    reached: tuple[str, ...] = ()  # every node (decision, chance, outcome) this type's play reaches


@dataclass(frozen=True)
class BayesianEquilibrium:
    """One pure-strategy PBE: the uninformed strategy, each type's reply, the beliefs and its label.
    ``intuitive``: whether it survives the Cho-Kreps intuitive criterion (None: not assessed here)."""

    kind: str
    strategy: tuple[tuple[str, str], ...]
    types: tuple[TypePlay, ...]
    beliefs: tuple[Belief, ...]
    payoffs: tuple[tuple[str, float], ...]
    intuitive: bool | None
    intuitive_reason: str
    equilibrium: bool = True  # False only for a rejected candidate (``candidates``)


@dataclass(frozen=True)
class PerfectBayesian:
    """Every pure-strategy perfect Bayesian equilibrium at one parameter point (``equilibria`` empty: none)."""

    title: str
    values: tuple[tuple[str, float], ...]
    player: str
    types: tuple[tuple[str, str, float], ...]  # (id, label, prior)
    players: tuple[str, ...]
    equilibria: tuple[BayesianEquilibrium, ...]
    sentence: str
    method: str = METHOD
    outcome_values: tuple[tuple[str, tuple[tuple[str, tuple[float, ...]], ...]], ...] = ()  # type -> outcome -> utilities
    tie_rule: str = ("a type's tie goes to the action listed first; an uninformed player's tied actions are "
                     f"each an equilibrium candidate (tolerance {TIE_TOLERANCE:g})")

    def to_json(self) -> dict:
        """Plain data: the types and priors, then every equilibrium with its strategy, replies and beliefs."""
        def play(p):
            return [{"node": n, "action": a} for n, a in p]

        return {
            "title": self.title, "method": self.method, "tie_rule": self.tie_rule, "informed": self.player,
            "players": list(self.players),
            "types": {i: {"label": label, "prior": p} for i, label, p in self.types},
            "count": len(self.equilibria), "sentence": self.sentence,
            "equilibria": [{
                "kind": e.kind,
                "strategy": dict(e.strategy),
                "types": {t.id: {"choices": dict(t.choices), "play": play(t.play),
                                 "utility": dict(zip(self.players, t.utility))} for t in e.types},
                "payoffs": dict(e.payoffs),
                "beliefs": {b.node: {"player": b.player, "action": b.action, "on_path": b.on_path,
                                     "belief": None if b.belief is None else dict(b.belief),
                                     "support": None if b.belief is not None else (
                                         None if b.support is None else
                                         {"type": self.types[0][0], "low": b.support[0], "high": b.support[1]}),
                                     "values": {a: list(v) for a, v in b.values},
                                     "sentence": b.sentence} for b in e.beliefs},
                "intuitive_criterion": e.intuitive, "intuitive_reason": e.intuitive_reason,
            } for e in self.equilibria],
            "parameters": dict(self.values),
        }

    def to_text(self, scenario: Scenario) -> str:
        from ..text.explanations import NOTE, fmt
        names = {p.id: p.name for p in scenario.players}
        odds = ", ".join(f"{label} {fmt(p)}" for _, label, p in self.types)
        out = [scenario.title, NOTE, "",
               f"{names[self.player]}'s type is private (prior: {odds}).",
               f"Perfect Bayesian equilibria in pure strategies: {len(self.equilibria)}.", self.sentence]
        for k, eq in enumerate(self.equilibria, start=1):
            head = f"{k}. {eq.kind}"
            if eq.intuitive is not None:
                head += ("; survives" if eq.intuitive else "; fails") + " the intuitive criterion"
            out += ["", head]
            out.append("   " + "; ".join(f"{names[scenario.node(n).player]} at {n}: {_label(scenario, n, a)}"
                                         for n, a in eq.strategy))
            for t in eq.types:
                out.append(f"   {t.label}: " + (_play_words(scenario, t.play) or "(no move)")
                           + " | utility " + ", ".join(f"{names[p]} {fmt(v)}" for p, v in zip(self.players, t.utility)))
            out.append("   Expected utility: " + ", ".join(f"{names[p]} {fmt(v)}" for p, v in eq.payoffs))
            for b in eq.beliefs:
                out.append("   " + b.sentence)
            if eq.intuitive_reason:
                out.append("   " + eq.intuitive_reason)
        out += ["", f"Method: {self.method}.", f"Ties: {self.tie_rule}."]
        return "\n".join(out)


def _label(scenario: Scenario, node: str, action: str) -> str:
    return next(a.label for a in scenario.node(node).actions if a.id == action)


def _play_words(scenario: Scenario, play) -> str:
    names = {p.id: p.name for p in scenario.players}
    return ", ".join(f"{names[scenario.node(n).player]}: {_label(scenario, n, a)}" for n, a in play)


def _times(ratio: float) -> str:
    from ..text.explanations import fmt
    if abs(ratio - 1) < 1e-9:
        return "as likely as before"
    if abs(ratio - 2) < 1e-9:
        return "twice as likely as before"
    if ratio > 1:
        return f"{fmt(ratio)} times as likely as before"
    if ratio == 0:
        return "ruled out"
    return f"{fmt(1 / ratio)} times less likely than before"


def belief_sentence(scenario: Scenario, node: str, action: str, types, belief, support, *, best: bool = True) -> str:
    """One sentence: what the mover at ``node`` believes, against the prior, and what that supports."""
    from ..text.explanations import fmt
    spec = scenario.node(node)
    who = scenario.player(spec.player).name
    where = spec.label or node
    first_id, first_label, first_prior = types[0]
    act = _label(scenario, node, action)
    if belief is not None:
        post = dict(belief)[first_id]
        if len(types) == 1:
            return f"At \u201c{where}\u201d {who} knows the type; it chooses \u201c{act}\u201d."
        ratio = post / first_prior if first_prior > 0 else float("inf")
        change = _times(ratio) if first_prior > 0 else "possible although the prior rules it out"
        then = (f"it chooses \u201c{act}\u201d" if best else
                f"\u201c{act}\u201d is not its best choice at that belief")
        return (f"At \u201c{where}\u201d {who} believes the type is \u201c{first_label}\u201d with probability "
                f"{fmt(post)}: {change} (prior {fmt(first_prior)}); {then}.")
    if support is None:
        return (f"At \u201c{where}\u201d, which no type's play reaches, no belief makes \u201c{act}\u201d {who}'s "
                "best choice.")
    lo, hi = support
    return (f"At \u201c{where}\u201d, which no type's play reaches, Bayes's rule says nothing; \u201c{act}\u201d is "
            f"{who}'s best choice when it believes the type is \u201c{first_label}\u201d with probability "
            f"from {fmt(lo)} to {fmt(hi)}.")


def _assemble(scenario: Scenario, bg: BayesianGame, batch: PBEBatch, si: int, types) -> BayesianEquilibrium:
    """Strategy ``si`` of ``batch`` (a ``detail`` batch at one point) as a reader sees it."""
    g, u = bg.game, scenario.uncertainty
    players = tuple(p.id for p in scenario.players)
    prior = batch.prior[:, 0]
    s = bg.strategies[si]
    strategy = tuple((g.node_ids[h], scenario.node(g.node_ids[h]).actions[int(a)].id)
                     for h, a in zip(bg.uninformed, s))
    reach = batch.reached[si][:, :, 0]  # (n_nodes, K)
    plays = []
    for j, t in enumerate(u.types):
        choices = tuple((g.node_ids[d], scenario.node(g.node_ids[d]).actions[
            int(batch.informed_choice[si, r, j, 0])].id) for r, d in enumerate(bg.informed_nodes))
        chosen = {**dict(choices), **dict(strategy)}
        play = tuple((g.node_ids[d], chosen[g.node_ids[d]]) for d in g.decisions if reach[d, j])
        plays.append(TypePlay(id=t.id, label=t.label, prior=float(prior[j]), choices=choices, play=play,
                              utility=tuple(float(x) for x in batch.type_payoff[si, :, j, 0]),
                              reached=tuple(g.node_ids[k] for k in range(len(g.node_ids)) if reach[k, j])))
    beliefs = []
    for r, h in enumerate(bg.uninformed):
        nid = g.node_ids[h]
        action = dict(strategy)[nid]
        mu = batch.belief[si, r, :, 0]
        fixed = not np.isnan(mu).any()
        belief = tuple((t.id, float(m)) for t, m in zip(u.types, mu)) if fixed else None
        support = None
        if not fixed:
            lo, hi = float(batch.low[si, r, 0]), float(batch.high[si, r, 0])
            support = (lo, hi) if lo <= hi else None
        vals = tuple((a.id, tuple(float(x[j, 0]) for j in range(bg.n_types)))
                     for a, x in zip(scenario.node(nid).actions, batch.action_values[si][r]))
        best = bool(batch.supported[si, r, 0])
        beliefs.append(Belief(node=nid, player=scenario.node(nid).player, action=action,
                              on_path=bool(reach[h].any()), belief=belief, support=support, values=vals,
                              sentence=belief_sentence(scenario, nid, action, types, belief, support, best=best),
                              best=best))
    ok = bool(batch.equilibrium[si, 0])
    intuitive, reason = _intuitive(scenario, bg, batch, si) if ok else (None, "")
    return BayesianEquilibrium(
        kind=KINDS[int(batch.kind[si, 0])] if bg.n_types > 1 else "one type (no uncertainty)",
        strategy=strategy, types=tuple(plays), beliefs=tuple(beliefs),
        payoffs=tuple((p, float(batch.payoff[si, i, 0])) for i, p in enumerate(players)),
        intuitive=intuitive, intuitive_reason=reason, equilibrium=ok)


def _detail(scenario: Scenario, values: Mapping[str, float] | None):
    from .game import make_env
    bg = bayesian_game(scenario)
    env, _ = make_env(scenario, values)
    batch = pbe_batch(bg, env, 1, detail=True)
    types = tuple((t.id, t.label, float(p)) for t, p in zip(scenario.uncertainty.types, batch.prior[:, 0]))
    return bg, env, batch, types


def candidates(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> tuple[BayesianEquilibrium, ...]:
    """Step 1 of the rule made visible: every pure strategy of the uninformed side with each type's reply and
    the beliefs, equilibria or not (``equilibrium``; a Belief with ``best`` False is where a candidate fails)."""
    bg, _, batch, types = _detail(scenario, values)
    return tuple(_assemble(scenario, bg, batch, si, types) for si in range(len(bg.strategies)))


def perfect_bayesian(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> PerfectBayesian:
    """Every pure-strategy perfect Bayesian equilibrium of ``scenario`` at its current values (or ``values``)."""
    bg, env, batch, types = _detail(scenario, values)
    g, u = bg.game, scenario.uncertainty
    players = tuple(p.id for p in scenario.players)
    equilibria = [_assemble(scenario, bg, batch, si, types) for si in np.flatnonzero(batch.equilibrium[:, 0])]
    who = scenario.player(u.player).name
    if not equilibria:
        sentence = (f"No perfect Bayesian equilibrium in pure strategies exists at these values: against every pure "
                    f"strategy of the side that does not see {who}'s type, some choice is not a best reply to any "
                    "belief Bayes's rule allows.")
    else:
        kinds = [e.kind for e in equilibria]
        sentence = (f"{len(equilibria)} equilibri{'um' if len(equilibria) == 1 else 'a'}: "
                    + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) + ".")
    V = batch.node_values[0]  # an outcome's utilities do not depend on the strategy
    outcome_values = tuple((t.id, tuple((g.node_ids[o], tuple(float(x) for x in V[o][:, j, 0])) for o in g.outcomes))
                           for j, t in enumerate(u.types))
    return PerfectBayesian(
        title=scenario.title, values=tuple((k, float(np.asarray(env[k]).reshape(-1)[0])) for k in scenario.values),
        player=u.player, types=types, players=players, equilibria=tuple(equilibria), sentence=sentence,
        outcome_values=outcome_values)


def _intuitive(scenario: Scenario, bg: BayesianGame, batch: PBEBatch, si: int) -> tuple[bool | None, str]:
    """The Cho-Kreps intuitive criterion at off-path information sets h entered by one informed move and with
    no informed move below h. A type is equilibrium-dominated at h when its equilibrium utility exceeds the
    most it can get there under any of the mover's best replies to some belief; the equilibrium fails when,
    with beliefs on the other types only, every best reply gives one of them more than its equilibrium utility."""
    from ..text.explanations import fmt
    g, I, K = bg.game, bg.informed, bg.n_types
    if K != 2:
        return None, ""
    eq_u = batch.type_payoff[si, I, :, 0]  # (K,)
    informed_set = set(bg.informed_nodes)
    below_informed = [False] * len(g.node_ids)
    for node in reversed(range(len(g.node_ids))):
        below_informed[node] = any(below_informed[k] or g.mover[k] == I for k in g.children[node])
    parent = {kid: node for node in range(len(g.node_ids)) for kid in g.children[node]}
    assessed, reasons = False, []
    V = batch.node_values[si]
    for r, h in enumerate(bg.uninformed):
        if not np.isnan(batch.belief[si, r, :, 0]).any():
            continue  # on the informed path: Bayes's rule fixes the belief
        if parent.get(h) not in informed_set or below_informed[h]:
            return None, ""
        j = g.mover[h]
        vals = np.array([[V[kid][j, t, 0] for t in range(K)] for kid in g.children[h]])  # (m, K)
        mine = np.array([[V[kid][I, t, 0] for t in range(K)] for kid in g.children[h]])

        def replies(ms):  # the mover's best replies to some belief with the first type's probability in ms
            out = set()
            for m in ms:
                ev = vals @ np.array([m, 1 - m])
                out |= set(np.flatnonzero(ev >= ev.max() - TIE_TOLERANCE).tolist())
            return out

        grid = np.linspace(0, 1, 1001)
        br_all = replies(grid)
        dominated = [eq_u[t] > max(mine[a, t] for a in br_all) + TIE_TOLERANCE for t in range(K)]
        assessed = True
        alive = [t for t in range(K) if not dominated[t]]
        if not alive or len(alive) == K:
            continue
        br = replies([1.0] if alive == [0] else [0.0])
        for t in alive:
            if all(mine[a, t] > eq_u[t] + TIE_TOLERANCE for a in br):
                label = scenario.uncertainty.types[t].label
                other = scenario.uncertainty.types[1 - t].label
                spec = scenario.node(g.node_ids[h])
                return False, (f"Intuitive criterion: at \u201c{spec.label or spec.id}\u201d the type \u201c{other}\u201d "
                               f"could only lose by deviating, so a sensible belief puts it at 0; then "
                               f"\u201c{label}\u201d gains by deviating (more than its {fmt(eq_u[t])}): the "
                               "off-path belief this equilibrium needs is not intuitive.")
    if not assessed:
        return None, ""
    return True, "Intuitive criterion: satisfied (no off-path belief it needs is ruled out by equilibrium dominance)."
