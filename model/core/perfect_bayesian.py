"""Perfect Bayesian equilibrium in pure strategies at one parameter point, as a reader sees it: every
equilibrium's uninformed strategy, each type's play and utilities, the beliefs in sentences, its label and
the Cho-Kreps intuitive criterion; ``candidates`` shows every uninformed strategy, equilibrium or not.

The rule and the batched arrays are in ``model.core.pbe_batch`` (weak perfect Bayesian equilibrium,
Mas-Colell, Whinston and Green 1995, Definition 9.C.3). Each equilibrium is labelled by what the informed
player's play reveals: *pooling* when every type makes the same informed moves on the path, *separating*
when no two types do, *partially pooling* otherwise. The Cho-Kreps intuitive criterion (Cho and Kreps
1987) is assessed for off-path information sets entered by one informed move with no informed move after
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .backward_induction import TIE_TOLERANCE
from .pbe_batch import KINDS, METHOD, BayesianGame, PBEBatch, bayesian_game, pbe_batch
from .scenario import Scenario


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
    tie_rule: str = ("a type's tie goes to the action listed first, so at exact tie values an equilibrium in which "
                     "the type takes the other tied action is not listed; an uninformed player's tied actions are "
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
        odds = ", ".join(f"{label} {prob(p)}" for _, label, p in self.types)
        out = [scenario.title, NOTE, "",
               f"{names[self.player]}'s type is private (prior: {odds}).",
               *("   " + line for line in type_sentences(scenario)),
               f"Perfect Bayesian equilibria in pure strategies: {len(self.equilibria)}.", self.sentence]
        for k, eq in enumerate(self.equilibria, start=1):
            head = f"{k}. {eq.kind}"
            if eq.intuitive is not None:
                head += ("; survives" if eq.intuitive else "; fails") + " the intuitive criterion"
            out += ["", head]
            out.append("   " + "; ".join(f"{names[scenario.node(n).player]} at {n}: {_label(scenario, n, a)}"
                                         for n, a in eq.strategy))
            for t in eq.types:
                out.append(f"   {t.label}: " + (play_words(scenario, t.play) or "(no move)")
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


def play_words(scenario: Scenario, play, *, joiner: str = ", ") -> str:
    """A type's play in words, "US: Limited package, Israel: Reject and operate" ("" for no move)."""
    names = {p.id: p.name for p in scenario.players}
    return joiner.join(f"{names[scenario.node(n).player]}: {_label(scenario, n, a)}" for n, a in play)


def prob(p: float) -> str:
    """A probability for people: two decimals, or three when two would round it (0.375, not 0.38)."""
    from ..text.explanations import fmt
    return fmt(p) if abs(round(p, 2) - p) < 1e-6 else f"{p:.3f}"


def type_sentences(scenario: Scenario) -> tuple[str, ...]:
    """One sentence per type: its prior and the values it gives its parameters, e.g. "High weight on
    deterrence (prior 0.50): Israel's weight on deterrence 0.80"."""
    u = scenario.uncertainty
    return tuple(f"{t.label} (prior {prob(p)}): "
                 + ("; ".join(f"{scenario.parameter(k).label} = {v:g}" for k, v in t.values) or "no parameter changed")
                 + "." for t, p in zip(u.types, u.priors(scenario.values)))


def _times(ratio: float, post: float) -> str:
    """How the belief ``post`` compares with the prior (``ratio`` = post / prior): certain, ruled out, or a
    ratio in words ("twice as likely as before", "half as likely as before", "0.40 times as likely")."""
    from ..text.explanations import fmt
    if abs(post - 1) < 1e-9 and abs(ratio - 1) > 1e-9:
        return "now certain"
    if ratio == 0:
        return "ruled out"
    words = {1: "as likely as before", 2: "twice as likely as before", 0.5: "half as likely as before"}
    near = next((w for r, w in words.items() if abs(ratio - r) < 1e-9), None)
    return near or f"{fmt(ratio)} times as likely as before"


def _informed_before(scenario: Scenario, node: str) -> bool:
    """Whether the type's own player moves somewhere on the way from the root to ``node``."""
    parent = {a.next: n for n in scenario.nodes if n.kind != "outcome" for a in n.actions}
    informed = scenario.uncertainty.player if scenario.uncertainty is not None else None
    at = parent.get(node)
    while at is not None:
        if at.kind == "decision" and at.player == informed:
            return True
        at = parent.get(at.id)
    return False


def belief_sentence(scenario: Scenario, node: str, action: str, types, belief, support, *, best: bool = True,
                    reached_by: tuple[str, ...] = ()) -> str:
    """One sentence: what the mover at ``node`` believes, against the prior, and what that supports.
    ``reached_by``: the labels of the types whose play reaches ``node`` although the prior rules them out."""
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
        if not _informed_before(scenario, node):
            change = "the prior itself: it moves before the type's own player does, so it has seen nothing to update on"
        elif first_prior > 0:
            change = _times(post / first_prior, post)
        else:
            change = "ruled out, as in the prior" if post == 0 else "possible although the prior rules it out"
        then = (f"it chooses \u201c{act}\u201d" if best else
                f"\u201c{act}\u201d is not its best choice at that belief")
        return (f"At \u201c{where}\u201d {who} believes the type is \u201c{first_label}\u201d with probability "
                f"{prob(post)}: {change} (prior {prob(first_prior)}); {then}.")
    unreached = ("which only " + " and ".join(f"\u201c{label}\u201d" for label in reached_by)
                 + "'s play reaches, a type the prior rules out" if reached_by else "which no type's play reaches")
    if support is None:
        return f"At \u201c{where}\u201d, {unreached}, no belief makes \u201c{act}\u201d {who}'s best choice."
    lo, hi = support
    return (f"At \u201c{where}\u201d, {unreached}, Bayes's rule says nothing; \u201c{act}\u201d is "
            f"{who}'s best choice when it believes the type is \u201c{first_label}\u201d with probability "
            f"from {prob(lo)} to {prob(hi)}.")


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
                              sentence=belief_sentence(scenario, nid, action, types, belief, support, best=best,
                                                       reached_by=tuple(t.label for j, t in enumerate(u.types)
                                                                        if reach[h, j] and not fixed)),
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
                    "belief Bayes's rule allows. An equilibrium in mixed strategies (a side choosing at random) "
                    "always exists; this tool finds the pure ones only.")
    else:
        kinds = [e.kind for e in equilibria]
        sentence = (f"{len(equilibria)} equilibri{'um' if len(equilibria) == 1 else 'a'}: "
                    + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) + ".")
        ruled_out = [label for _, label, p in types if p == 0]
        if ruled_out:
            sentence += (f" The prior rules out \u201c{ruled_out[0]}\u201d, so only one type can occur: "
                         "the label describes the strategies each type would follow, but play "
                         f"reveals nothing about {who}'s type that was not known before.")
    V = batch.node_values[0]  # an outcome's utilities do not depend on the strategy
    outcome_values = tuple((t.id, tuple((g.node_ids[o], tuple(float(x) for x in V[o][:, j, 0])) for o in g.outcomes))
                           for j, t in enumerate(u.types))
    return PerfectBayesian(
        title=scenario.title, values=tuple((k, float(np.asarray(env[k]).reshape(-1)[0])) for k in scenario.values),
        player=u.player, types=types, players=players, equilibria=tuple(equilibria), sentence=sentence,
        outcome_values=outcome_values)


def type_option_values(scenario: Scenario, result: PerfectBayesian, eq: BayesianEquilibrium, *, type_id: str,
                       node_id: str, values: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """At one of the informed player's nodes, each option's value to it for one type in one equilibrium: the
    utility of the outcome reached, later moves as ``eq`` has them (the type's own and the uninformed side's),
    a chance node's branches weighed by their probabilities at ``values``; as (option label, value)."""
    (t,) = [x for x in eq.types if x.id == type_id]
    (utilities,) = [dict(v) for k, v in result.outcome_values if k == type_id]
    mover = [p.id for p in scenario.players].index(scenario.node(node_id).player)
    chosen = {**dict(t.choices), **dict(eq.strategy)}
    env = {**scenario.values, **(values or {}), **dict(next(x for x in scenario.uncertainty.types if x.id == type_id).values)}

    def value(nid: str) -> float:
        n = scenario.node(nid)
        if n.kind == "outcome":
            return utilities[nid][mover]
        if n.kind == "chance":
            return sum(float(a.probability.value(env)) * value(a.next) for a in n.actions)
        return value(next(a.next for a in n.actions if a.id == chosen[nid]))

    return [(a.label, value(a.next)) for a in scenario.node(node_id).actions]


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
                best_other = max(mine[a, 1 - t] for a in br_all)
                gain = min(mine[a, t] for a in br)
                return False, (f"Intuitive criterion: at \u201c{spec.label or spec.id}\u201d the type \u201c{other}\u201d "
                               f"could only lose by deviating (at most {fmt(best_other)} against its "
                               f"{fmt(eq_u[1 - t])} in equilibrium), so a sensible belief puts probability 0 on it; "
                               f"then \u201c{label}\u201d gains by deviating (at least {fmt(gain)} against its "
                               f"{fmt(eq_u[t])}): the off-path belief this equilibrium needs is not intuitive.")
    if not assessed:
        return None, ""
    return True, "Intuitive criterion: satisfied (no off-path belief it needs is ruled out by equilibrium dominance)."
