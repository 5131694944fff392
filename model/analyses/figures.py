"""Live figures: what an instructor sees computed from the model for a lesson step, as data.

A figure is a ``kind`` with options naming node, parameter and scenario ids; ``render`` computes it
now, as sentences, so it stays right when a scenario changes. (What a lesson *states* as a fact is
a claim, checked in ``claims``.) Kinds:

- ``path``: the equilibrium play.
- ``margins``: each on-path choice's margin and reason.
- ``nearest_flips``: the ``count`` flips of equilibrium play nearest the current values.
- ``choice`` (``node``): the choice there and why.
- ``non_credible`` (``node``): the Nash equilibria, and the non-credible plan at ``node``.
- ``flips`` (``parameter``, optional ``node``, ``path_changes``): where the choices flip.
- ``compare`` (``with``: a scenario id): how this scenario differs from the other.
- ``region_share`` (``x``, ``y``, ``move``: ``"node:action"``): the share of the region map whose
  equilibrium play contains the move.
- ``range`` (optional ``parameter``): the bargaining range.
- ``monte_carlo`` (``draws``, ``seed``): the most common play over uniform draws of every slider.
- ``screening``: the perfect Bayesian equilibria, each type's play in each, in sentences.
- ``prior_switch`` (``parameter``): where along the prior the perfect Bayesian equilibria change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import numpy as np

from ..core.equilibrium import solve
from ..core.scenario import Scenario
from ..errors import ScenarioError
from ..files.lesson import Figure
from ..text.explanations import describe_path, describe_play, fmt
from .bargaining_range import bargaining_range
from .compare import compare
from .montecarlo import monte_carlo
from .normal_form import normal_form
from .region_map import region_map
from .thresholds import thresholds

Load = Callable[[str], Scenario]  # a shipped scenario by id


def _move(text: str, where: str) -> tuple[str, str]:
    node, sep, action = str(text).partition(":")
    if not sep:
        raise ScenarioError(f"a move must look like NODE:ACTION, got {text!r}", field=where)
    return node, action


def _play(scenario: Scenario) -> list[str]:
    return [f"{s.node}:{s.action}" for s in solve(scenario).path if s.action is not None]


def _flips(scenario: Scenario, fig: Figure):
    found = thresholds(scenario, parameters=[fig.option("parameter")]).items
    if fig.option("node") is not None:
        found = tuple(t for t in found if t.node == fig.option("node"))
    if fig.option("path_changes"):
        found = tuple(t for t in found if t.path_changes)
    return found


def _render(scenario: Scenario, fig: Figure, load: Load) -> list[str]:
    kind = fig.kind
    if kind == "path":
        return [f"Equilibrium play: {describe_path(scenario, solve(scenario))}."]
    if kind == "margins":
        return [f"{scenario.player(c.player).name} at \u201c{scenario.node(c.node).label}\u201d: margin "
                f"{fmt(c.margin)}. {c.explanation}" for c in solve(scenario).choices if c.on_path and c.margin is not None]
    if kind == "nearest_flips":
        out, seen = [], set()
        for t in thresholds(scenario).nearest(scenario):
            if t.path_changes and t.parameter not in seen and len(out) < int(fig.option("count", 3)):
                seen.add(t.parameter)
                p = scenario.parameter(t.parameter)
                out.append(f"{p.label}: play changes at {t.value:.3g} (now {p.default:g}).")
        return out
    if kind == "choice":
        return [solve(scenario).choice(fig.option("node")).explanation]
    if kind == "non_credible":
        nf = normal_form(scenario)
        bad = sum(not e.subgame_perfect for e in nf.equilibria)
        out = [f"{len(nf.equilibria)} pure Nash equilibria; {bad} are not subgame perfect."]
        threat = next((t for e in nf.equilibria for t in e.threats if t.node == fig.option("node")), None)
        return out + ([threat.sentence] if threat else [])
    if kind == "flips":
        out = []
        for t in _flips(scenario, fig):
            labels = {a.id: a.label for a in scenario.node(t.node).actions}
            out.append(f"At {t.value:.3g}: {scenario.player(t.player).name} switches from \u201c{labels[t.below]}\u201d "
                       f"to \u201c{labels[t.above]}\u201d.")
        return out or [f"No choice flips anywhere in the range of {scenario.parameter(fig.option('parameter')).label}."]
    if kind == "compare":
        c = compare(load(fig.option("with")), other=scenario)
        out = [f"{label}: {a:g} in {c.a_title}, {b:g} here." for _, label, a, b in c.changed]
        out += [f"{who}: expected utility {fmt(a)} there, {fmt(b)} here." for who, a, b in c.payoffs]
        return out + [f"There: {c.path_a}. Here: {c.path_b}."]
    if kind == "region_share":
        x, y = scenario.parameter(fig.option("x")), scenario.parameter(fig.option("y"))
        return [f"The equilibrium play includes \u201c{_move_words(scenario, fig)}\u201d in {_share(scenario, fig):.0%} "
                f"of the map ({x.label} {x.min:g}\u2013{x.max:g} by {y.label} {y.min:g}\u2013{y.max:g})."]
    if kind == "monte_carlo":
        draws = int(fig.option("draws", 20_000))
        mc = monte_carlo(scenario, draws=draws, seed=int(fig.option("seed", 0)))
        return [f"Most common play over {draws:,} uniform draws of every slider: {describe_play(scenario, mc.paths[0])} "
                f"(in {mc.shares[0]:.0%} of the slider box, 95% interval {mc.ci_low[0]:.0%}\u2013{mc.ci_high[0]:.0%})."]
    if kind == "screening":  # the perfect Bayesian equilibria: each type's play in each
        from ..core.perfect_bayesian import perfect_bayesian
        r = perfect_bayesian(scenario)
        return [r.sentence] + [f"Equilibrium {k} ({e.kind}): " + "; ".join(
            f"the {t.label.lower()} type: {describe_play(scenario, t.play)}" for t in e.types) + "."
            for k, e in enumerate(r.equilibria, start=1)]
    if kind == "range":
        return [bargaining_range(scenario, parameter=fig.option("parameter")).sentence(scenario)]
    if kind == "prior_switch":  # where along the prior the perfect Bayesian equilibria change
        from .bayesian_thresholds import bayesian_thresholds
        flips = bayesian_thresholds(scenario, parameters=(fig.option("parameter"),)).flips
        return [f"At a prior of {f.value:.3g} the equilibria change from {f.below} to {f.above}." for f in flips] or [
            "The equilibria do not change with the prior."]
    raise ScenarioError(f"unknown figure kind {kind!r}; known: {', '.join(KINDS)}", field="kind")


def _move_words(scenario: Scenario, fig: Figure) -> str:
    node, action = _move(fig.option("move"), "move")
    return describe_play(scenario, [(node, action)])


def _share(scenario: Scenario, fig: Figure) -> float:
    m = region_map(scenario, x=fig.option("x"), y=fig.option("y"), points=int(fig.option("points", 100)))
    move = _move(fig.option("move"), "move")
    hit = [k for k, p in enumerate(m.paths) if move in p]
    return float(np.isin(m.path, hit).mean())


def render(scenario: Scenario, figure: Figure, *, load: Load) -> list[str]:
    """The figure as sentences, computed now from the model."""
    return _render(scenario, figure, load)


def problems(scenario: Scenario, figure: Figure, *, scenarios: Sequence[str]) -> list[str]:
    """Every id the figure names that does not exist (nodes, parameters, moves, scenarios), and an
    unknown kind; empty when the figure can be computed."""
    out = []
    if figure.kind not in KINDS:
        return [f"unknown figure kind {figure.kind!r}; known: {', '.join(KINDS)}"]
    nodes = {n.id: n for n in scenario.nodes}
    params = {p.id for p in scenario.parameters}
    for name in ("node",):
        if figure.option(name) is not None and figure.option(name) not in nodes:
            out.append(f"{name} {figure.option(name)!r} is not a node of {scenario.title!r}")
    for name in ("parameter", "x", "y"):
        if figure.option(name) is not None and figure.option(name) not in params:
            out.append(f"{name} {figure.option(name)!r} is not a parameter of {scenario.title!r}")
    moves = [figure.option("move")] if figure.option("move") is not None else []
    for move in moves:
        node, _, action = str(move).partition(":")
        if node not in nodes or action not in [a.id for a in getattr(nodes[node], "actions", ())]:
            out.append(f"move {move!r} is not an action of {scenario.title!r}")
    if figure.option("with") is not None and figure.option("with") not in scenarios:
        out.append(f"with {figure.option('with')!r} is not a shipped scenario")
    required = {"choice": ["node"], "non_credible": ["node"], "flips": ["parameter"], "compare": ["with"],
                "region_share": ["x", "y", "move"], "prior_switch": ["parameter"]}.get(figure.kind, [])
    out += [f"a {figure.kind!r} figure needs {name!r}" for name in required if figure.option(name) is None]
    return out


KINDS = ("path", "margins", "nearest_flips", "choice", "non_credible", "flips", "compare", "region_share", "range",
         "monte_carlo", "screening", "prior_switch")
