"""Two scenarios side by side: which parameters differ, and how equilibria, utilities and thresholds differ.

Parameters are matched by id; decision nodes by id (scenarios built from the same tree share them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.equilibrium import Solution, solve
from ..core.result import Result
from ..core.scenario import Scenario
from ..text.explanations import describe_path
from .thresholds import Threshold
from .thresholds import thresholds as flip_thresholds

METHOD = "each scenario solved by backward induction with its exact flip thresholds; parameters and nodes matched by id"


@dataclass(frozen=True)
class Comparison(Result):
    a_title: str
    b_title: str
    changed: tuple[tuple[str, str, float, float], ...]  # id, label, value in a, value in b
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    path_a: str
    path_b: str
    same_path: bool
    payoffs: tuple[tuple[str, float | None, float | None], ...]  # player name, a, b
    choices: tuple[tuple[str, str, str, str], ...]  # node label, mover, choice in a, choice in b (differing)
    thresholds: tuple[tuple[str, str, str], ...]  # parameter label, flips in a, flips in b (differing)
    solution_a: Solution
    solution_b: Solution
    method: str = METHOD


def _flips(scenario: Scenario, found: tuple[Threshold, ...], pid: str) -> str:
    values = sorted({round(t.value, 4) for t in found if t.parameter == pid and t.path_changes})
    return ", ".join(f"{v:g}" for v in values) or "none"


def compare(scenario: Scenario, /, *, other: Scenario, values: Mapping[str, float] | None = None,
            other_values: Mapping[str, float] | None = None) -> Comparison:
    """How scenario ``other`` (at ``other_values``) differs from ``scenario`` (at ``values``)."""
    a, b = scenario.with_values(values), other.with_values(dict(other_values or {}))
    sa, sb = solve(a), solve(b)
    ta, tb = flip_thresholds(a), flip_thresholds(b)
    pa, pb = {p.id: p for p in a.parameters}, {p.id: p for p in b.parameters}
    changed = tuple((pid, pa[pid].label, pa[pid].default, pb[pid].default) for pid in pa
                    if pid in pb and pa[pid].default != pb[pid].default)
    names_a = {p.id: p.name for p in a.players}
    names_b = {p.id: p.name for p in b.players}
    payoff_a, payoff_b = dict(sa.payoffs), dict(sb.payoffs)
    payoffs = tuple((names_a.get(pid) or names_b[pid], payoff_a.get(pid), payoff_b.get(pid))
                    for pid in dict.fromkeys([*payoff_a, *payoff_b]))
    choices = []
    cb = {c.node: c for c in sb.choices}
    for c in sa.choices:
        other = cb.get(c.node)
        if other is None or other.action == c.action:
            continue
        spec_a, spec_b = a.node(c.node), b.node(c.node)
        label_a = next(x.label for x in spec_a.actions if x.id == c.action)
        label_b = next(x.label for x in spec_b.actions if x.id == other.action)
        choices.append((spec_a.label or spec_a.id, names_a[c.player], label_a, label_b))
    thresholds = tuple((pa[pid].label, _flips(a, ta, pid), _flips(b, tb, pid)) for pid in pa
                       if pid in pb and _flips(a, ta, pid) != _flips(b, tb, pid))
    path = lambda s: tuple((x.node, x.action) for x in s.path)  # noqa: E731
    return Comparison(
        a_title=a.title, b_title=b.title, changed=changed,
        only_a=tuple(pid for pid in pa if pid not in pb), only_b=tuple(pid for pid in pb if pid not in pa),
        path_a=describe_path(a, sa), path_b=describe_path(b, sb), same_path=path(sa) == path(sb),
        payoffs=payoffs, choices=tuple(choices), thresholds=thresholds, solution_a=sa, solution_b=sb,
    )
