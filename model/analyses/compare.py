"""Two scenarios side by side: which parameters differ, and how equilibria, utilities and thresholds differ.

Parameters are matched by id; decision nodes by id (scenarios built from the same tree share them).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.equilibrium import Solution, solve_game
from ..text.explanations import describe_path
from ..core.game import compile_game
from ..core.scenario import Scenario
from .thresholds import Threshold, thresholds_game


@dataclass(frozen=True)
class Comparison:
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


def _flips(scenario: Scenario, found: tuple[Threshold, ...], pid: str) -> str:
    values = sorted({round(t.value, 4) for t in found if t.parameter == pid and t.path_changes})
    return ", ".join(f"{v:g}" for v in values) or "none"


def compare(a: Scenario, b: Scenario, /) -> Comparison:
    """How scenario ``b`` differs from scenario ``a``."""
    ga, gb = compile_game(a), compile_game(b)
    sa, sb = solve_game(ga), solve_game(gb)
    ta, tb = thresholds_game(ga), thresholds_game(gb)
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
