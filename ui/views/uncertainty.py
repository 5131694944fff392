"""Uncertainty: one side does not know the other's type. The prior over the informed side's types, each
type's answer to each offer, the expected value of each offer to the side that does not know the type,
and the result in one sentence (scenarios with an [uncertainty] section)."""

from __future__ import annotations

import streamlit as st

from model import Scenario, ScenarioError, Screening, describe_play, fmt, screen

from ui import charts, exports, page_parts, state, tables
from ui import model_calls as mc
from ui.scenario_files import open_scenario



def screening_types(scenario: Scenario, s: Screening) -> tables.Rows:
    """Each type of the informed side: its prior, what sets it apart, its play and everyone's utility."""
    by_id = {t.id: t for t in scenario.uncertainty.types}
    out = []
    for t in s.types:
        differs = "; ".join(f"{scenario.parameter(k).label} = {v:g}" for k, v in by_id[t.id].values)
        row = {"Type": t.label, "Prior": t.prior, "Differs in": differs, "Its play": describe_play(scenario, t.play)}
        row |= {f"{tables.name(scenario, p.id)}: utility": u for p, u in zip(scenario.players, t.utility)}
        out.append(row)
    return out


def screening_offers(scenario: Scenario, s: Screening) -> tables.Rows:
    """Each offer of the uninformed mover: its prior-expected value and each type's answer in words."""
    labels = {t.id: t.label for t in s.types}
    mover = tables.name(scenario, s.mover) if s.mover else "the mover"
    out = []
    for o in s.offers:
        row = {"Offer": o.label, f"Expected utility to {mover}": o.expected,
               "Preferred on the prior": o.action == s.chosen}
        row |= {f"Answer of the {labels[tid].lower()} type": describe_play(scenario, play) or "no further move"
                for tid, play in o.answers}
        row |= {"Screens the types": o.screens}
        out.append(row)
    return out


def offers_chart(*, labels: list[str], expected: list[float], chosen: int, mover: str) -> dict:
    """The prior-expected value of each offer to the uninformed mover (in its name too); the best one
    starred and dark."""
    rows = [{"offer": f"{charts.STAR_MARK if i == chosen else ''}{lab} ({fmt(v)})", "expected": float(v),
             "status": "preferred" if i == chosen else "other options"}
            for i, (lab, v) in enumerate(zip(labels, expected))]
    y = {"field": "offer", "type": "nominal", "sort": [r["offer"] for r in rows], "title": None,
         "axis": {"labelLimit": 400, "labelFontSize": 13}}
    return {
        "$schema": charts.SCHEMA,
        "height": {"step": 40},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "height": {"band": 0.7}},
             "encoding": {"y": y, "x": {"field": "expected", "type": "quantitative",
                                        "title": f"Expected utility to {mover} (over the prior)"},
                          "color": {"field": "status", "type": "nominal", "title": None,
                                    "scale": {"domain": ["preferred", "other options"],
                                              "range": [charts.OKABE_ITO[0], charts.OKABE_ITO[4]]},
                                    "legend": {"orient": "bottom"}},
                          "tooltip": [{"field": "offer", "type": "nominal"},
                                      {"field": "expected", "type": "quantitative", "format": ".3f"}]}},
            {"mark": {"type": "rule", "color": charts.OKABE_ITO[7]}, "encoding": {"x": {"datum": 0}}},
        ],
    }



def panel(key: str, scenario: Scenario) -> None:
    u = scenario.uncertainty
    if u is None:
        st.info("This scenario has no uncertainty section ([uncertainty] in the file): every side knows how the "
                "others weigh the outcomes, so there are no types to screen.", icon=":material/info:")
        example = next((n for n in mc.shipped_names() if mc.shipped(n).uncertainty is not None), None)
        if example is not None:
            st.button(f"Open the scenario \u201c{mc.shipped(example).title}\u201d", on_click=state.open_preset,
                      args=(example,), type="primary")
        return
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values))
    page_parts.scenario_description(scenario)
    try:
        s = mc.run(screen, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    informed = scenario.player(s.player).name
    st.subheader(u.label or f"Which type is {informed}?")
    if u.description:
        st.write(u.description)
    st.info(s.sentence, icon=":material/psychology:")
    stem = f"{exports.file_stem(key)}-screening"

    st.markdown(f"**The prior and each type of {informed}** (its play when the game is solved for it)")
    exports.table(screening_types(scenario, s), file_name=f"{stem}-types.csv",
                  column_config={"Prior": st.column_config.NumberColumn(format="%.2f"),
                                 "Its play": st.column_config.TextColumn(width="large")})
    if not s.offers:
        return
    mover = scenario.player(s.mover).name
    st.markdown(f"**Each option of {mover} and how each type answers it** (\u2605 the option {mover} prefers "
                f"on the prior)")
    labels = {t.id: t.label for t in s.types}
    for o in s.offers:
        star = charts.STAR_MARK if o.action == s.chosen else ""
        answers = "".join(f"\n    - the {labels[tid].lower()} type: "
                          f"{describe_play(scenario, play) or 'no further move'}" for tid, play in o.answers)
        screens = " The types answer differently: this option screens them." if o.screens else ""
        st.markdown(f"- {star}**{o.label}**: expected utility to {mover} {fmt(o.expected)}.{screens}{answers}")
    chosen = [o.action for o in s.offers].index(s.chosen)
    exports.chart(offers_chart(labels=[o.label for o in s.offers], expected=[o.expected for o in s.offers],
                                      chosen=chosen, mover=mover),
                  file_stem=f"{stem}-offers",
                  alt=f"The expected utility of each option to {mover} over the prior; the preferred one starred.")
    with st.expander("The same as a table", expanded=False):
        exports.table(screening_offers(scenario, s), file_name=f"{stem}-offers.csv")
    cols = st.columns(len(scenario.players))
    for col, p, v in zip(cols, scenario.players, s.expected_utility):
        col.metric(f"{p.name}: expected utility over the prior", fmt(v))


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Uncertainty about the other side", scenario)
    panel(key, scenario)


if __name__ == "__main__":
    page()
