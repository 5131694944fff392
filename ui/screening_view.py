"""The Uncertainty page: the prior over the informed side's types, each type's answer to each offer, the
expected value of each offer to the side that does not know the type, and the result in one sentence."""

from __future__ import annotations

import streamlit as st

from model import Scenario, ScenarioError
from model.text.explanations import describe_play, fmt

from . import charts, exports, state, tables
from . import model_calls as mc
from .sensitivity_view import values_note

EXAMPLE = "uncertain_resolve"  # the shipped scenario with an [uncertainty] section


def panel(key: str, scenario: Scenario) -> None:
    u = scenario.uncertainty
    if u is None:
        st.info("This scenario has no uncertainty section ([uncertainty] in the file): every side knows how the "
                "others weigh the outcomes, so there are no types to screen.", icon=":material/info:")
        if EXAMPLE in mc.shipped_names():
            st.button(f"Open the scenario \u201c{mc.shipped(EXAMPLE).title}\u201d", on_click=state.open_preset,
                      args=(EXAMPLE,), type="primary")
        return
    values = state.slider_values(scenario)
    st.caption(values_note(scenario, values))
    if scenario.description:
        with st.expander("What this scenario teaches", expanded=False):
            st.write(scenario.description)
    try:
        s = mc.screening(key, scenario, tuple(values.items()))
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
    exports.table(tables.screening_types(scenario, s), file_name=f"{stem}-types.csv",
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
    exports.chart(charts.offers_chart(labels=[o.label for o in s.offers], expected=[o.expected for o in s.offers],
                                      chosen=chosen, mover=mover),
                  file_stem=f"{stem}-offers",
                  alt=f"The expected utility of each option to {mover} over the prior; the preferred one starred.")
    with st.expander("The same as a table", expanded=False):
        exports.table(tables.screening_offers(scenario, s), file_name=f"{stem}-offers.csv")
    cols = st.columns(len(scenario.players))
    for col, p, v in zip(cols, scenario.players, s.expected_utility):
        col.metric(f"{p.name}: expected utility over the prior", fmt(v))
