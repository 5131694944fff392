"""The guided lesson: steps from ui/content/lesson.toml, and the figures the instructor view computes live."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from model import Scenario, solve
from model.analyses.compare import compare
from model.text.explanations import describe_path, describe_play, fmt
from model.analyses.montecarlo import monte_carlo
from model.analyses.normal_form import normal_form
from model.analyses.screening import offer_switches, screen
from model.analyses.sensitivity import region_map
from model.analyses.thresholds import thresholds

LESSON = Path(__file__).resolve().parent / "content" / "lesson.toml"


def load_lesson() -> dict:
    return tomllib.loads(LESSON.read_text(encoding="utf-8"))


def _path(s: Scenario, load) -> list[str]:
    return [f"Equilibrium play: {describe_path(s, solve(s))}."]


def _margins(s: Scenario, load) -> list[str]:
    sol = solve(s)
    return [f"{s.player(c.player).name} at \u201c{s.node(c.node).label}\u201d: margin {fmt(c.margin)}. {c.explanation}"
            for c in sol.choices if c.on_path and c.margin is not None]


def _nearest_flips(s: Scenario, load) -> list[str]:
    found = [t for t in thresholds(s) if t.path_changes]
    found.sort(key=lambda t: abs(t.value - s.parameter(t.parameter).default) /
               (s.parameter(t.parameter).max - s.parameter(t.parameter).min))
    out, seen = [], set()
    for t in found:
        if t.parameter in seen:
            continue
        seen.add(t.parameter)
        p = s.parameter(t.parameter)
        out.append(f"{p.label}: play changes at {t.value:.3g} (now {p.default:g}).")
        if len(out) == 3:
            break
    return out


def _us_response(s: Scenario, load) -> list[str]:
    c = solve(s).choice("us_responds")
    return [c.explanation]


def _non_credible(s: Scenario, load) -> list[str]:
    nf = normal_form(s)
    n_bad = sum(not e.subgame_perfect for e in nf.equilibria)
    first = next((e for e in nf.equilibria if not e.subgame_perfect and any(t.node == "us_responds" for t in e.threats)),
                 None)
    out = [f"{len(nf.equilibria)} pure Nash equilibria; {n_bad} are not subgame perfect."]
    if first is not None:
        out.append(next(t.sentence for t in first.threats if t.node == "us_responds"))
    return out


def _credibility_flip(s: Scenario, load) -> list[str]:
    found = [t for t in thresholds(s, parameters=["w_us_mediator"]) if t.node == "us_responds"]
    return [f"The US would cut off once its weight on mediator standing passes {t.value:.3g} (now "
            f"{s.parameter('w_us_mediator').default:g})." for t in found]


def _p_detect_flips(s: Scenario, load) -> list[str]:
    out = []
    for t in thresholds(s, parameters=["p_detect"]):
        if t.path_changes:
            spec = s.node(t.node)
            labels = {a.id: a.label for a in spec.actions}
            out.append(f"At {t.value:.3g}: {s.player(t.player).name} switches from \u201c{labels[t.below]}\u201d to "
                       f"\u201c{labels[t.above]}\u201d.")
    return out


def _compare_default(s: Scenario, load) -> list[str]:
    c = compare(load("default"), s)
    out = [f"{label}: {a:g} in the default, {b:g} here." for _, label, a, b in c.changed]
    out += [f"{who}: expected utility {fmt(a)} in the default, {fmt(b)} here." for who, a, b in c.payoffs]
    out.append(f"Default: {c.path_a}. Here: {c.path_b}.")
    return out


def _region_share(s: Scenario, load) -> list[str]:
    m = region_map(s, x="p_detect", y="w_il_deterrence", points=100)
    deal = [k for k, p in enumerate(m.paths) if ("israel_keeps_pledge", "comply") in p]
    share = float(np.isin(m.path, deal).mean())
    return [f"The deal holds in {share:.0%} of the map (chance of confirmation 0\u20131 by Israel's weight on "
            "deterrence 0\u20131)."]


def _monte_carlo(s: Scenario, load) -> list[str]:
    mc = monte_carlo(s, draws=20_000, seed=0)
    top = mc.paths[0]
    return [f"Most common outcome over 20,000 uniform draws of every slider: {describe_play(s, top)} "
            f"({mc.shares[0]:.0%}, 95% interval {mc.ci_low[0]:.0%}\u2013{mc.ci_high[0]:.0%})."]


def _screening(s: Scenario, load) -> list[str]:
    return [screen(s).sentence]


def _prior_flip(s: Scenario, load) -> list[str]:
    labels = {a.id: a.label for a in s.node(s.root).actions}
    switches = offer_switches(s, parameter="p_resolute")
    return [f"The US's best offer changes from \u201c{labels[w.below]}\u201d to \u201c{labels[w.above]}\u201d "
            f"at a prior of {w.value:.3g}." for w in switches] or ["The US's best offer does not change with the prior."]


FACTS: dict[str, Callable[[Scenario, Callable[[str], Scenario]], list[str]]] = {
    "path": _path, "margins": _margins, "nearest_flips": _nearest_flips, "us_response": _us_response,
    "non_credible": _non_credible, "credibility_flip": _credibility_flip, "p_detect_flips": _p_detect_flips,
    "compare_default": _compare_default, "region_share": _region_share, "monte_carlo": _monte_carlo,
    "screening": _screening, "prior_flip": _prior_flip,
}


def facts(step: dict, scenario: Scenario, load: Callable[[str], Scenario]) -> list[str]:
    """The live figures an instructor sees for a step."""
    out = []
    for name in step.get("facts", []):
        out += FACTS[name](scenario, load)
    return out
