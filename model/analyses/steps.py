"""Backward induction one node at a time, for walking a class through it.

Step 0 states every outcome's utilities, ``u_i(t) = sum_k w_ik s_k a_k(t)``. Then each decision or
chance node is solved once all the nodes below it are (depth first, left to right): a chance node
takes the probability-weighted average of its branches for every player; a decision node compares
the mover's values of its actions and keeps the best (ties to the first listed).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..core.equilibrium import Solution, solve
from ..core.result import Result
from ..core.scenario import Scenario
from ..text.explanations import fmt

METHOD = "backward induction, one node at a time (depth first, left to right)"


@dataclass(frozen=True)
class Step:
    """One step: the ``node`` solved (None for step 0), what was compared, and the nodes solved so far."""

    index: int
    node: str | None
    kind: str  # "outcomes", "chance" or "decision"
    title: str
    lines: tuple[str, ...]
    solved: tuple[str, ...]


@dataclass(frozen=True)
class StepByStep(Result):
    """The steps in order (iterating gives them) and the solution they arrive at."""

    steps: tuple[Step, ...]
    solution: Solution
    method: str = METHOD

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k: int) -> Step:
        return self.steps[k]


def backward_induction_steps(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> StepByStep:
    """The steps of backward induction on ``scenario`` at its current values (or ``values``)."""
    sc = scenario
    sol = solve(scenario, values=values)
    node_values = dict(sol.node_values)
    names = [p.name for p in sc.players]
    by_id = {n.id: n for n in sc.nodes}

    def show(values_: tuple[float, ...]) -> str:
        return ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, values_))

    outcomes = [n for n in sc.nodes if n.kind == "outcome"]
    steps = [Step(
        index=0, node=None, kind="outcomes",
        title="Start at the outcomes: each side's utility, the weighted sum of what it cares about",
        lines=tuple(f"{n.label or n.id}: {show(node_values[n.id])}" for n in outcomes),
        solved=tuple(n.id for n in outcomes),
    )]
    solved = [n.id for n in outcomes]
    order: list[str] = []

    def post(nid: str) -> None:
        node = by_id[nid]
        for a in getattr(node, "actions", ()):
            post(a.next)
        if node.kind != "outcome":
            order.append(nid)

    post(sc.root)
    for nid in order:
        node = by_id[nid]
        solved.append(nid)
        if node.kind == "chance":
            probs = sol.probabilities(nid)
            lines = []
            for i, who in enumerate(names):
                terms = " + ".join(f"{fmt(probs[a.id])} \u00d7 {fmt(node_values[a.next][i])}" for a in node.actions)
                lines.append(f"{who}: {terms} = {fmt(node_values[nid][i])}")
            steps.append(Step(index=len(steps), node=nid, kind="chance",
                              title=f"Chance: {node.label or nid} \u2014 take the expected value",
                              lines=tuple(lines), solved=tuple(solved)))
        else:
            c = sol.choice(nid)
            who = sc.player(node.player).name
            lines = [f"{a.label}: {who} gets {fmt(v)}" for a, (_, v) in zip(node.actions, c.values)]
            chosen = next(a.label for a in node.actions if a.id == c.action)
            lines.append(f"{who} chooses \u201c{chosen}\u201d; the node is now worth {show(node_values[nid])}.")
            lines.append(c.explanation)
            steps.append(Step(index=len(steps), node=nid, kind="decision",
                              title=f"{who}: {node.label or nid} \u2014 compare {who}'s values and keep the best",
                              lines=tuple(lines), solved=tuple(solved)))
    return StepByStep(steps=tuple(steps), solution=sol)
