"""Page pieces that draw model results: each side's card, the change notice, the equilibrium headline."""

from __future__ import annotations

from html import escape

import streamlit as st

from model import Scenario, Solution, Threshold, describe_changes, describe_path, describe_threshold, fmt

from . import charts, state
from . import model_calls as mc

STAR = "\u2605 "

CSS = """
<style>
.co-choice {font-size: 1.35rem; font-weight: 700; margin: 0.1rem 0 0.2rem 0;}
.co-node {font-size: 1.05rem; margin-top: 0.6rem;}
.co-path {font-size: 1.3rem; font-weight: 600;}
.co-metrics {display: flex; gap: 3rem; margin: 0.3rem 0 0.8rem 0;}
.co-metric {font-size: 2rem;} .co-metric-label {font-size: 0.9rem; color: #444; display: block;}
.co-off {color: #555555; font-style: italic;}
.co-card {border: 1px solid #D0D0D0; border-radius: 0.5rem; padding: 0.2rem 1rem 0.8rem 1rem;}
.co-options {font-size: 1.05rem; margin: 0.2rem 0;}
.co-why {color: #444444; font-size: 0.95rem;}
.co-caption {color: #555555; font-size: 0.9rem;}
.co-cols {display: flex; gap: 1rem; align-items: flex-start;} .co-col {flex: 1 1 0; min-width: 0;}
/* Projector fit (issue 13): a compact title, and the headline, both cards and the whole tree above the fold
   at 1280 x 720 and 1920 x 1080. The Explore page marks its main block with .co-explore. */
.block-container:has(.co-explore) {padding-top: 2.6rem !important; padding-bottom: 2rem; padding-left: 1.5rem !important;
  padding-right: 1.5rem !important;}
.block-container:has(.co-explore) h1 {font-size: 1.45rem !important; padding: 0 !important; line-height: 1.3;}
.stMarkdown p.co-explore-note {color: #555555; font-size: 0.78rem; margin: 0; line-height: 1.3;}
.block-container:has(.co-explore) .co-path {font-size: 1.1rem; line-height: 1.3; display: inline; margin-right: 1.2rem;}
.block-container:has(.co-explore) .co-metrics {display: inline-flex; gap: 1.2rem; margin: 0;}
.block-container:has(.co-explore) .co-metric {font-size: 1.1rem; font-weight: 700;}
.block-container:has(.co-explore) .co-metric-label {display: inline; font-size: 0.8rem; font-weight: 400; margin-right: 0.3rem;}
.block-container:has(.co-explore) .co-card {padding: 0 0.6rem 0.35rem 0.6rem;}
.block-container:has(.co-explore) .co-card h3 {font-size: 1.1rem; padding: 0.3rem 0 0 0;}
.block-container:has(.co-explore) .co-node {font-size: 0.82rem; margin-top: 0.3rem; line-height: 1.25; display: inline;}
.block-container:has(.co-explore) .co-node::after {content: " \\2192  ";}
.block-container:has(.co-explore) .co-off {font-size: 0.72rem;}
.block-container:has(.co-explore) .co-choice {font-size: 0.98rem; margin: 0; line-height: 1.25; display: inline;}
.block-container:has(.co-explore) .co-options {font-size: 0.8rem; margin: 0; line-height: 1.25;}
.block-container:has(.co-explore) .co-why {font-size: 0.78rem; line-height: 1.25; display: -webkit-box;
  -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; margin-bottom: 0.3rem;}
.block-container:has(.co-explore) .co-why:hover {-webkit-line-clamp: unset;}
.block-container:has(.co-explore) svg[aria-label^="Game tree"] {max-height: calc(100vh - 400px); width: 100%;}
.block-container:has(.co-explore) .stMarkdown p.co-caption {font-size: 0.78rem; line-height: 1.25; margin: 0.3rem 0 0.2rem 0;}
@media (max-height: 800px) {  /* a 720-line projector: each card's reasons open when the pointer is on the card */
  .block-container:has(.co-explore) .co-why {display: none;}
  .block-container:has(.co-explore) .co-card:hover .co-why {display: -webkit-box; -webkit-line-clamp: unset;}
  .block-container:has(.co-explore) .co-off {font-size: 0;}
  .block-container:has(.co-explore) .co-off::after {content: "(off path)"; font-size: 0.72rem;}
  .block-container:has(.co-explore) .co-card h3 {font-size: 1rem; padding: 0.2rem 0 0 0;}
  .block-container:has(.co-explore) .co-node {margin-top: 0.15rem;}
  .block-container:has(.co-explore) .co-path {font-size: 1rem;}
  .block-container:has(.co-explore) svg[aria-label^="Game tree"] {max-height: calc(100vh - 390px);}
}
</style>
"""


def headline(scenario: Scenario, solution: Solution) -> str:
    """Equilibrium play in words and each side's expected utility (HTML)."""
    payoffs = dict(solution.payoffs)
    utilities = "".join(f'<span class="co-metric"><span class="co-metric-label">{escape(p.name)}: expected utility'
                        f'</span> {fmt(payoffs[p.id])}</span>' for p in scenario.players)
    return (f'<div class="co-path">Equilibrium play: {escape(describe_path(scenario, solution))}</div>'
            f'<div class="co-metrics">{utilities}</div>')


def results(scenario: Scenario, solution: Solution) -> None:
    """The headline, each side's card side by side and the tree under the card with the fewest decisions (where
    that column has room): one element, so a slider move sends one message for them, not seven."""
    moves = {p.id: sum(c.player == p.id for c in solution.choices) for p in scenario.players}
    under = min(scenario.players, key=lambda p: moves[p.id]).id
    tree = ('<p class="co-caption">The game tree. \u2605 and thick blue lines: equilibrium play. '
            "Dashed: what a side would choose if play got there.</p>" + charts.tree(scenario, solution))
    cols = "".join(f'<div class="co-col">{player_card(scenario, solution, p.id)}{tree if p.id == under else ""}</div>'
                   for p in scenario.players)
    st.markdown(f'{headline(scenario, solution)}<div class="co-cols">{cols}</div>', unsafe_allow_html=True)


def change_notice(scenario: Scenario, before: Solution | None, now: Solution) -> None:
    if before is None:
        return
    changes = describe_changes(scenario, before, now)
    if changes:
        st.toast(" ".join(changes[:2]) + (" \u2026" if len(changes) > 2 else ""), icon=":material/swap_horiz:")
        st.info("**How the choice shifted with your last move.** " + " ".join(changes), icon=":material/swap_horiz:")


def player_card(scenario: Scenario, solution: Solution, player_id: str) -> str:
    """One side's preferred choice at each of its moves, each option's value, and why (HTML)."""
    player = scenario.player(player_id)
    parts = [f'<div class="co-card"><h3>{escape(player.name)}</h3>']
    for c in solution.choices:
        if c.player != player_id:
            continue
        spec = scenario.node(c.node)
        labels = {a.id: a.label for a in spec.actions}
        where = "" if c.on_path else ' <span class="co-off">(off the equilibrium path: if play got here)</span>'
        options = " \u00b7 ".join(
            (f"<b>{escape(labels[a])}: {fmt(v)}</b>" if a == c.action else f"{escape(labels[a])}: {fmt(v)}")
            for a, v in c.values)
        parts.append(f'<div class="co-node">{escape(spec.label or spec.id)}{where}</div>'
                     f'<div class="co-choice">{STAR if c.on_path else ""}{escape(labels[c.action])}</div>'
                     f'<div class="co-options">{options}</div>'
                     f'<div class="co-why">{escape(c.explanation)}</div>')
    parts.append("</div>")
    return "".join(parts)


def flips_label(scenario: Scenario, found: list[Threshold]) -> str:
    """Where inside a slider's range a choice flips, and whose, for the slider's label ("" if nowhere).

    \u2605 marks a flip that changes equilibrium play."""
    if not found:
        return ""
    by_value: dict[float, list[Threshold]] = {}
    for t in found:
        by_value.setdefault(round(t.value, 10), []).append(t)
    parts = []
    for value, ts in by_value.items():
        movers = "/".join(sorted({scenario.player(t.player).name for t in ts}))
        star = "\u2605" if any(t.path_changes for t in ts) else ""
        parts.append(f"{value:.3g} {movers}{star}")
    return "flips at " + ", ".join(parts)


def how_choice_shifts(key: str, scenario: Scenario, values: dict[str, float], solution: Solution, found) -> None:
    """For a chosen slider and decision: each option's value across the slider's range, flips marked."""
    st.subheader("How the choice shifts")
    params = {p.id: p for p in scenario.parameters}
    if not params:
        st.write("This scenario has no parameters to move.")
        return
    near = next(iter(found.nearest(scenario, values)), None)
    row = st.container(horizontal=True, wrap=False)  # one block, where two columns are three
    ids = list(params)
    pid = row.selectbox("Slider", ids, index=ids.index(near.parameter) if near else 0,
                       format_func=lambda i: params[i].label, key=state.CHART_PARAM)
    mine = list(found.of(pid))
    decisions = [c.node for c in solution.choices]
    default_node = (near.node if near and near.parameter == pid else (mine[0].node if mine else decisions[0]))
    node = row.selectbox("Decision", decisions, index=decisions.index(default_node),
                        format_func=lambda n: f"{scenario.player(scenario.node(n).player).name}: "
                                              f"{scenario.node(n).label or n}", key=state.CHART_NODE)
    xs, vals = mc.run(mc.option_curves, key, scenario, values, shared=True, parameter=pid, node=node)
    spec = scenario.node(node)
    labels = {a.id: a.label for a in spec.actions}
    mover = scenario.player(spec.player).name
    chart = charts.option_chart_svg(xs=xs, values=vals, labels=list(labels.values()), current=values[pid],
                                    crossings=[t for t in mine if t.node == node],
                                    parameter_label=params[pid].label, mover=mover)
    flips = "".join(f"<li>{escape(describe_threshold(scenario, t))}.</li>" for t in mine)
    st.markdown(chart + (f"<ul>{flips}</ul>" if flips else ""), unsafe_allow_html=True)  # one element, not two
