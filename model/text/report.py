"""A one-page handout of any state: parameters, the tree with the equilibrium path, each side's
choices with their reasons, and the flip thresholds that change equilibrium play.

``handout_html`` is one self-contained HTML page that prints cleanly (A4 or Letter, the tree as inline
SVG); ``handout_markdown`` is Markdown plus the tree as a separate SVG file.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from ..analyses.thresholds import Threshold, thresholds
from ..core.equilibrium import Solution, solve
from ..core.scenario import Scenario, parameter_groups
from .explanations import NOTE, describe_path, fmt
from .tree_svg import tree_svg

CSS = """
@page { size: A4; margin: 10mm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 9.5pt; color: #111; max-width: 190mm; margin: auto; }
h1 { font-size: 14pt; margin: 0 0 2pt 0; } h2 { font-size: 11pt; margin: 6pt 0 2pt 0; }
p, li { margin: 2pt 0; } .note { color: #444; font-style: italic; }
.cols { column-count: 2; column-gap: 8mm; } .cols3 { column-count: 3; column-gap: 5mm; }
.small { font-size: 8pt; } ul { margin: 0; padding-left: 12pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ccc; padding: 1pt 3pt; text-align: left; vertical-align: top; }
.tree svg { width: 100%; height: auto; max-height: 72mm; } .desc { font-size: 8.5pt; } .path { font-weight: bold; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def _choice_lines(scenario: Scenario, sol: Solution) -> list[tuple[str, list[str]]]:
    out = []
    for p in scenario.players:
        lines = []
        for c in sol.choices:
            if c.player != p.id:
                continue
            spec = scenario.node(c.node)
            where = "" if c.on_path else " (if play got here)"
            lines.append(f"{spec.label or spec.id}{where}: {c.explanation}")
        out.append((p.name, lines))
    return out


MAX_THRESHOLD_ROWS = 7


def _threshold_rows(scenario: Scenario, found: tuple[Threshold, ...]) -> list[tuple[str, str]]:
    """One row per parameter whose move changes equilibrium play: where, and whose choice flips there;
    the parameters whose nearest such flip is closest to their current value (in units of their range)
    first, at most ``MAX_THRESHOLD_ROWS``, then a count of the rest."""
    rows = []
    for p in scenario.parameters:
        cuts: dict[float, list[str]] = {}
        for t in found:
            if t.parameter == p.id and t.path_changes:
                spec = scenario.node(t.node)
                labels = {a.id: a.label for a in spec.actions}
                cuts.setdefault(round(t.value, 6), []).append(
                    f"{scenario.player(t.player).name} \u2192 {labels[t.above] if t.value >= p.default else labels[t.below]}")
        if cuts:
            nearest = min(abs(v - p.default) for v in cuts) / (p.max - p.min)
            rows.append((nearest, f"{p.label} (now {p.default:g})",
                         "; ".join(f"{'above' if v >= p.default else 'below'} {v:.3g}: " + ", ".join(who)
                                   for v, who in sorted(cuts.items()))))
    rows.sort(key=lambda r: r[0])
    out = [(a, b) for _, a, b in rows[:MAX_THRESHOLD_ROWS]]
    if len(rows) > MAX_THRESHOLD_ROWS:
        out.append((f"and {len(rows) - MAX_THRESHOLD_ROWS} more parameters", "farther from their current values"))
    return out


def _parameter_rows(scenario: Scenario) -> list[tuple[str, str]]:
    rows = []
    for group, params in parameter_groups(scenario):
        for p in params:
            rows.append((p.label, f"{p.default:g}{(' ' + p.unit) if p.unit else ''} ({p.min:g}\u2013{p.max:g})"))
    return rows


def _state(scenario: Scenario, values: Mapping[str, float] | None):
    scenario = scenario.with_values(values)
    return scenario, solve(scenario), thresholds(scenario)


def handout_html(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> str:
    """The handout as one printable HTML page."""
    scenario, sol, found = _state(scenario, values)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(scenario.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(scenario.title)}</h1><p class='note'>{escape(NOTE)}</p>",
    ]
    if scenario.teaches:
        parts.append(f"<p class='desc'><strong>In one sentence:</strong> {escape(scenario.teaches)}</p>")
    if scenario.description:
        parts.append(f"<p class='desc'>{escape(scenario.description)}</p>")
    parts.append(f"<h2>Equilibrium play</h2><p class='path'>{escape(describe_path(scenario, sol))}</p>")
    parts.append("<p>Expected utility: " + ", ".join(
        f"{escape(scenario.player(p).name)} {fmt(v)}" for p, v in sol.payoffs) + "</p>")
    parts.append("<div class='tree'>" + tree_svg(scenario, sol, title="Game tree with the equilibrium path") + "</div>")
    parts.append("<h2>Each side's choices and why</h2><div class='cols small'>")
    for who, lines in _choice_lines(scenario, sol):
        parts.append(f"<p><b>{escape(who)}</b></p><ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>")
    parts.append("</div><h2>Where equilibrium play changes (one parameter at a time, nearest first)</h2>")
    rows = _threshold_rows(scenario, found)
    parts.append("<table class='small'>" + "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in rows)
                 + "</table>" if rows else "<p>No single parameter changes equilibrium play within its range.</p>")
    if scenario.leaves_out:
        parts.append("<h2>What the model leaves out</h2><p class='small'>"
                     + "; ".join(escape(x) for x in scenario.leaves_out) + ".</p>")
    parts.append("<h2>Assumptions (parameters, with their ranges)</h2><div class='cols3 small'>")
    parts += [f"<div>{escape(label)}: <b>{escape(v)}</b></div>" for label, v in _parameter_rows(scenario)]
    parts.append(f"</div><p class='note small'>{escape(sol.tie_rule)}</p></body></html>")
    return "\n".join(parts)


def handout_markdown(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                     figure: str = "tree.svg") -> tuple[str, dict[str, bytes]]:
    """The handout as Markdown and its figure files (``{figure: svg bytes}``)."""
    scenario, sol, found = _state(scenario, values)
    md = [f"# {scenario.title}", "", f"*{NOTE}*", ""]
    if scenario.teaches:
        md += [f"**In one sentence:** {scenario.teaches}", ""]
    if scenario.description:
        md += [scenario.description, ""]
    md += ["## Equilibrium play", "", f"**{describe_path(scenario, sol)}**", "",
           "Expected utility: " + ", ".join(f"{scenario.player(p).name} {fmt(v)}" for p, v in sol.payoffs), "",
           f"![Game tree with the equilibrium path drawn thick and starred]({figure})", "",
           "## Each side's choices and why", ""]
    for who, lines in _choice_lines(scenario, sol):
        md += [f"**{who}**", ""] + [f"- {x}" for x in lines] + [""]
    md += ["## Where equilibrium play changes (one parameter at a time, nearest first)", ""]
    rows = _threshold_rows(scenario, found)
    md += ([f"- {a}: {b}" for a, b in rows] if rows
           else ["No single parameter changes equilibrium play within its range."])
    if scenario.leaves_out:
        md += ["", "## What the model leaves out", ""] + [f"- {x}" for x in scenario.leaves_out]
    md += ["", "## Assumptions (parameters, with their ranges)", "", "| Parameter | Value |", "| --- | --- |"]
    md += [f"| {label} | {v} |" for label, v in _parameter_rows(scenario)]
    md += ["", f"*{sol.tie_rule}*", ""]
    svg = tree_svg(scenario, sol, title="Game tree with the equilibrium path")
    return "\n".join(md), {figure: svg.encode("utf-8")}
