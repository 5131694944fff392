"""An uninformed side's options valued at a belief, in a perfect Bayesian equilibrium: why it chooses what it
does at an information set (the reason next to the belief sentence of ``perfect_bayesian``)."""

from __future__ import annotations

from collections.abc import Mapping

from .perfect_bayesian import BayesianEquilibrium
from .scenario import Scenario


def belief_option_values(scenario: Scenario, eq: BayesianEquilibrium, *, node_id: str,
                         belief: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """At one of the uninformed side's information sets, each option's expected utility to the mover over a
    belief: the sum over the types t of belief(t) times the option's utility against t (later moves as ``eq``
    has them). The belief is Bayes's in ``eq`` unless ``belief`` (type id -> probability) is given; off the
    path Bayes's rule gives none, so there ``belief`` is needed (ValueError without it). As (option label,
    expected utility), in the order of the file."""
    (b,) = [x for x in eq.beliefs if x.node == node_id]
    if belief is None:
        if b.belief is None:
            raise ValueError(f"no type's play reaches {node_id!r} in this equilibrium: give the belief")
        belief = dict(b.belief)
    mu = [float(belief[t.id]) for t in scenario.uncertainty.types]
    worth = dict(b.values)
    return [(a.label, sum(m * v for m, v in zip(mu, worth[a.id]))) for a in scenario.node(node_id).actions]
