"""Strategic form: the game as a table of whole plans, its pure Nash equilibria, and which are credible.

The reduced strategic form as a table (rows: the first side's strategies,
columns: the second side's, both utilities in every cell), its pure Nash equilibria marked in their
cells by text, a legend naming every strategy in words, and each equilibrium with whether it is
subgame perfect and, when it is not, the plan in it that is not credible.
"""

from __future__ import annotations

from functools import partial
from html import escape

import streamlit as st

from model import NormalForm, PureEquilibrium, Scenario, ScenarioError, fmt, normal_form
from model.analyses.normal_form import strategy_prefixes

from ui import charts, content_files, page_parts, tables
from ui import model_calls as mc
from ui.exports import file_stem
from ui.scenario_files import open_scenario
from ui.state import slider_values

SPE = "\u2605 SPE"  # a subgame-perfect equilibrium
NOT_CREDIBLE = "NE, not credible"  # a Nash equilibrium that rests on a non-credible plan
CLASSES = {SPE: "co-sf-spe", NOT_CREDIBLE: "co-sf-ne"}
CSS = f"""
<style>
.co-sf-wrap {{overflow-x: auto;}}
table.co-sf {{border-collapse: collapse; font-size: 0.92rem; width: 100%;}}
table.co-sf caption {{caption-side: top; text-align: left; color: #444444; padding-bottom: 0.3rem;}}
table.co-sf th, table.co-sf td {{border: 1px solid #D0D0D0; padding: 0.25rem 0.35rem; text-align: center;
  white-space: nowrap;}}
table.co-sf th {{background: #F2F2F2;}}
table.co-sf td.co-sf-spe {{background: {charts.OKABE_ITO[4]}55; font-weight: 700;
  border: 3px solid {charts.OKABE_ITO[0]};}}
table.co-sf td.co-sf-ne {{background: {charts.OKABE_ITO[1]}33; border: 2px dashed {charts.OKABE_ITO[1]};}}
.co-sf-mark {{font-size: 0.8rem; font-weight: 700; white-space: normal;}}
</style>
"""


def prefixes(scenario: Scenario, players: tuple[str, ...]) -> list[str]:
    """A short prefix for each side's strategy numbers, from its name (as ``python -m model nash``):
    its initial ("U1", "I1"), or the shortest distinct start of its name ("Truster1", "Trustee1")."""
    return strategy_prefixes([scenario.player(p).name for p in players])


def strategy_names(scenario: Scenario, nf: NormalForm) -> list[list[str]]:
    """Each side's strategy numbers, in the order of the strategic form ("U1", "U2", ...)."""
    return [[f"{pre}{s + 1}" for s in range(len(labels))]
            for pre, labels in zip(prefixes(scenario, nf.players), nf.labels)]


def mark(e: PureEquilibrium) -> str:
    return SPE if e.subgame_perfect else NOT_CREDIBLE


def profile_name(names: list[list[str]], e: PureEquilibrium) -> str:
    return " \u00d7 ".join(names[i][s] for i, s in enumerate(e.profile))


def utilities_text(scenario: Scenario, nf: NormalForm, payoffs) -> str:
    return ", ".join(f"{scenario.player(p).name} {fmt(float(u))}" for p, u in zip(nf.players, payoffs))


def table_rows(scenario: Scenario, nf: NormalForm) -> tables.Rows:
    """The two-player strategic form: one row per strategy of the first side, one column per strategy
    of the second, each cell "u1, u2" and the equilibrium mark if its profile is a pure Nash equilibrium."""
    names = strategy_names(scenario, nf)
    marks = {e.profile: mark(e) for e in nf.equilibria}
    first = scenario.player(nf.players[0]).name
    rows = []
    for r, row_name in enumerate(names[0]):
        row = {f"{first} strategy": row_name}
        for c, col_name in enumerate(names[1]):
            u = nf.payoffs[r, c]
            cell = f"{fmt(float(u[0]))}, {fmt(float(u[1]))}"
            if (r, c) in marks:
                cell += f"  {marks[(r, c)]}"
            row[col_name] = cell
        rows.append(row)
    return rows


def legend(scenario: Scenario, nf: NormalForm) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per side: its name and (strategy number, the strategy in words) for each strategy."""
    names = strategy_names(scenario, nf)
    return [(scenario.player(p).name, [(n, label.replace(" | ", "; ")) for n, label in zip(names[i], nf.labels[i])])
            for i, p in enumerate(nf.players)]


def equilibrium_lines(scenario: Scenario, nf: NormalForm) -> list[str]:
    """Each pure Nash equilibrium as a Markdown list item (subgame-perfect ones first), with the
    non-credible plans it rests on as sub-items."""
    names = strategy_names(scenario, nf)
    out = []
    for e in sorted(nf.equilibria, key=lambda e: not e.subgame_perfect):
        head = (f"- **{profile_name(names, e)}** \u2014 {mark(e)} ({utilities_text(scenario, nf, e.payoffs)}): "
                + ("subgame perfect: every plan in it would be carried out." if e.subgame_perfect else
                   "a Nash equilibrium, but not subgame perfect:"))
        out.append(head + "".join(f"\n    - {t.sentence}" for t in e.threats))
    return out


def summary(nf: NormalForm) -> str:
    n, spe = len(nf.equilibria), sum(e.subgame_perfect for e in nf.equilibria)
    return (f"**{n} pure Nash equilibri{'um' if n == 1 else 'a'}**, {spe} of them subgame perfect"
            f"{'' if n == spe else f' ({n - spe} resting on a plan that is not credible)'}.")


def _define(term_id: str) -> str | None:
    try:
        return content_files.define(term_id)
    except KeyError:
        return None


def table_html(scenario: Scenario, nf: NormalForm) -> str:
    """The two-player strategic form as an HTML table that wraps to the page: each cell both utilities and,
    on a second line, the equilibrium mark (shaded too, but never by colour alone)."""
    names = strategy_names(scenario, nf)
    marks = {e.profile: mark(e) for e in nf.equilibria}
    first, second = (scenario.player(p).name for p in nf.players)
    head = "".join(f'<th scope="col">{escape(n)}</th>' for n in names[1])
    body = []
    for r, row_name in enumerate(names[0]):
        cells = []
        for c in range(len(names[1])):
            u = nf.payoffs[r, c]
            m = marks.get((r, c))
            style = f' class="{CLASSES[m]}"' if m else ""
            tail = f'<br><span class="co-sf-mark">{escape(m)}</span>' if m else ""
            cells.append(f"<td{style}>{fmt(float(u[0]))}, {fmt(float(u[1]))}{tail}</td>")
        body.append(f'<tr><th scope="row">{escape(row_name)}</th>{"".join(cells)}</tr>')
    caption = (f"The strategic form: rows are {escape(first)}'s strategies, columns {escape(second)}'s; each cell "
               f"gives {escape(first)}'s utility, then {escape(second)}'s.")
    return (f'<div class="co-sf-wrap"><table class="co-sf"><caption>{caption}</caption>'
            f'<thead><tr><th scope="col">{escape(first)} \u2193 {escape(second)} \u2192</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def panel(key: str, scenario: Scenario) -> None:
    values = slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values))
    try:
        nf = mc.run(normal_form, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    players = [scenario.player(p).name for p in nf.players]
    if len(nf.players) == 2:
        st.markdown(f"Rows: {players[0]}'s strategies; columns: {players[1]}'s. Each cell: {players[0]}'s "
                    f"utility, {players[1]}'s utility (expected over chance moves). **{SPE}**: a subgame-perfect "
                    f"equilibrium; **{NOT_CREDIBLE}**: a Nash equilibrium that rests on a plan its side would not "
                    "carry out. A strategy is a whole plan; the legend below says each one in words.",
                    help=_define("strategy"))
        st.markdown(CSS + table_html(scenario, nf), unsafe_allow_html=True)
        rows = table_rows(scenario, nf)
        st.download_button("Download the table (CSV)", partial(tables.csv_bytes, rows),
                           file_name=f"{file_stem(key)}-strategic-form.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:")
    else:
        st.info(f"The table is drawn for two players; this game has {len(nf.players)} "
                f"({', '.join(players)}). Its pure Nash equilibria are listed below.", icon=":material/info:")

    with st.expander("Legend: each strategy in words", expanded=True):
        cols = st.columns(len(nf.players))
        for col, (who, entries) in zip(cols, legend(scenario, nf)):
            col.markdown(f"**{who}**\n\n" + "\n".join(f"- **{n}**: {words}" for n, words in entries))

    st.subheader("Pure Nash equilibria", help=_define("nash_equilibrium"))
    st.markdown(summary(nf))
    if nf.equilibria:
        st.markdown("\n".join(equilibrium_lines(scenario, nf)))
    st.caption(nf.mixed_note)
    if nf.mixed:
        names = strategy_names(scenario, nf)
        for m in nf.mixed:
            mix = "; ".join(f"{players[i]}: " + ", ".join(f"{names[i][k]} {q:.2f}" for k, q in enumerate(qs) if q > 1e-9)
                            for i, qs in enumerate(m.probabilities))
            st.markdown(f"- {mix} ({utilities_text(scenario, nf, m.payoffs)})")


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Strategic form", scenario)
    if page_parts.full_information(
            scenario, "This page does not cover a scenario with private types: the strategic form of the Bayesian game "
                    "(a strategy for each type) is not built yet, and the full-information table would answer for "
                    "neither type; Explore lists every perfect Bayesian equilibrium."):
        panel(key, scenario)


if __name__ == "__main__":
    page()
