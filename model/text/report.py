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
    """Each slider's value and range; a slider a type sets says so, with each type's value (it is not used)."""
    typed: dict[str, list[str]] = {}
    for t in scenario.uncertainty.types if scenario.uncertainty is not None else ():
        for k, v in t.values:
            typed.setdefault(k, []).append(f"{t.label} {v:g}")
    rows = []
    for group, params in parameter_groups(scenario):
        for p in params:
            if p.id in typed:
                rows.append((p.label, "set by the type: " + ", ".join(typed[p.id]) + " (the slider is not used)"))
                continue
            rows.append((p.label, f"{p.default:g}{(' ' + p.unit) if p.unit else ''} ({p.min:g}\u2013{p.max:g})"))
    return rows


def _state(scenario: Scenario, values: Mapping[str, float] | None):
    scenario = scenario.with_values(values)
    return scenario, solve(scenario), thresholds(scenario)


def _typed(scenario: Scenario, values: Mapping[str, float] | None):
    """A scenario with private types in sections of plain lines: the prior, every perfect Bayesian equilibrium
    with its beliefs in words, where the equilibria change; the tree with information sets; the tie rule."""
    from ..analyses.bayesian_thresholds import bayesian_thresholds
    from ..core.perfect_bayesian import perfect_bayesian, play_words, prob, type_sentences
    from .tree_svg import bayesian_tree_svg

    scenario = scenario.with_values(values)
    r = perfect_bayesian(scenario)
    found = bayesian_thresholds(scenario)
    names = {p.id: p.name for p in scenario.players}
    who = names[r.player]
    sections = [("Private information", [
        f"{who}'s type is private; the prior: " + ", ".join(f"{label} {prob(p)}" for _, label, p in r.types) + ".",
        *(f"What each type changes: {line}" for line in type_sentences(scenario)),
        f"Perfect Bayesian equilibria in pure strategies: {len(r.equilibria)}. {r.sentence}"])]
    for k, e in enumerate(r.equilibria, start=1):
        head = f"Equilibrium {k}: {e.kind}"
        if e.intuitive is not None:
            head += " (survives the intuitive criterion)" if e.intuitive else " (fails the intuitive criterion)"
        lines = [f"{names[scenario.node(n).player]} at \u201c{scenario.node(n).label or n}\u201d: "
                 + next(a.label for a in scenario.node(n).actions if a.id == a_id) for n, a_id in e.strategy]
        for t in e.types:
            lines.append(f"{t.label} (prior {prob(t.prior)}): {play_words(scenario, t.play) or 'no move'}; utility "
                         + ", ".join(f"{names[p]} {fmt(v)}" for p, v in zip(r.players, t.utility)))
        lines.append("Expected utility: " + ", ".join(f"{names[p]} {fmt(v)}" for p, v in e.payoffs))
        lines += [f"Belief: {b.sentence}" for b in e.beliefs]
        if e.intuitive_reason:
            lines.append(e.intuitive_reason)
        sections.append((head, lines))
    flips = [f"{scenario.parameter(f.parameter).label} = {f.value:.4g}: {f.below} \u2192 {f.above}" for f in found.flips]
    sections.append(("Where the equilibria change (one parameter at a time)",
                     flips or ["No single parameter changes the equilibria within its range."]))
    svg = bayesian_tree_svg(scenario, r, 0, title="Game tree: the type drawn first, information sets dashed, "
                                                 "the first equilibrium's play starred")
    return scenario, sections, svg, f"{r.method}. Ties: {r.tie_rule}."


def _typed_html(scenario: Scenario, values) -> str:
    scenario, sections, svg, method = _typed(scenario, values)
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
             f"<title>{escape(scenario.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(scenario.title)}</h1><p class='note'>{escape(NOTE)}</p>"]
    if scenario.description:
        parts.append(f"<p class='desc'>{escape(scenario.description)}</p>")
    for head, lines in sections[:1]:
        parts.append(f"<h2>{escape(head)}</h2>" + "".join(f"<p>{escape(x)}</p>" for x in lines))
    parts.append("<div class='tree'>" + svg + "</div>")
    for head, lines in sections[1:]:
        parts.append(f"<h2>{escape(head)}</h2><ul class='small'>" + "".join(f"<li>{escape(x)}</li>" for x in lines)
                     + "</ul>")
    parts.append(_closing_html(scenario, method))
    return "\n".join(parts)


def _typed_markdown(scenario: Scenario, values, figure: str) -> tuple[str, dict[str, bytes]]:
    scenario, sections, svg, method = _typed(scenario, values)
    md = [f"# {scenario.title}", "", f"*{NOTE}*", ""]
    if scenario.description:
        md += [scenario.description, ""]
    for k, (head, lines) in enumerate(sections):
        md += [f"## {head}", ""] + [(x if k == 0 else f"- {x}") for x in lines] + [""]
        if k == 0:
            md += [f"![Game tree: the type drawn first, information sets dashed]({figure})", ""]
    if scenario.leaves_out:
        md += ["## What the model leaves out", ""] + [f"- {x}" for x in scenario.leaves_out] + [""]
    md += ["## Assumptions (parameters, with their ranges)", "", "| Parameter | Value |", "| --- | --- |"]
    md += [f"| {label} | {v} |" for label, v in _parameter_rows(scenario)]
    md += ["", f"*{method}*", ""]
    return "\n".join(md), {figure: svg.encode("utf-8")}


def handout_html(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> str:
    """The handout as one printable HTML page (with private types: the perfect Bayesian equilibria)."""
    if scenario.uncertainty is not None:
        return _typed_html(scenario, values)
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
    parts.append(_closing_html(scenario, sol.tie_rule))
    return "\n".join(parts)


def handout_markdown(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                     figure: str = "tree.svg") -> tuple[str, dict[str, bytes]]:
    """The handout as Markdown and its figure files (``{figure: svg bytes}``)."""
    if scenario.uncertainty is not None:
        return _typed_markdown(scenario, values, figure)
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


def _closing_html(scenario: Scenario, note: str) -> str:
    """A handout's last part: what the model leaves out, the assumptions with their ranges, and ``note``."""
    parts = []
    if scenario.leaves_out:
        parts.append("<h2>What the model leaves out</h2><p class='small'>"
                     + "; ".join(escape(x) for x in scenario.leaves_out) + ".</p>")
    parts.append("<h2>Assumptions (parameters, with their ranges)</h2><div class='cols3 small'>")
    parts += [f"<div>{escape(label)}: <b>{escape(v)}</b></div>" for label, v in _parameter_rows(scenario)]
    parts.append(f"</div><p class='note small'>{escape(note)}</p></body></html>")
    return "\n".join(parts)
