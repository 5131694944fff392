"""An uninformed side's options valued at a belief, in a perfect Bayesian equilibrium: why it chooses what it
does at an information set (the reason next to the belief sentence of ``perfect_bayesian``)."""

from __future__ import annotations

from .perfect_bayesian import BayesianEquilibrium
from .scenario import Scenario


def belief_option_values(scenario: Scenario, eq: BayesianEquilibrium, *, node_id: str) -> list[tuple[str, float]]:
    """At one of the uninformed side's information sets on the path of ``eq``, each option's expected utility to
    the mover over Bayes's belief: the sum over the types t of belief(t) times the option's utility against t
    (later moves as ``eq`` has them). As (action id, expected utility), in the order of the file. Off the path
    Bayes's rule gives no belief (ValueError)."""
    (b,) = [x for x in eq.beliefs if x.node == node_id]
    if b.belief is None:
        raise ValueError(f"no type's play reaches {node_id!r} in this equilibrium: Bayes's rule gives no belief")
    belief = dict(b.belief)
    mu = [float(belief[t.id]) for t in scenario.uncertainty.types]
    worth = dict(b.values)
    return [(a.id, sum(m * v for m, v in zip(mu, worth[a.id]))) for a in scenario.node(node_id).actions]
