"""What would it take: the smallest change to the sliders one unlocks that makes a chosen play the
equilibrium (run from a form)."""

from __future__ import annotations

import streamlit as st

from model import Scenario, ScenarioError, WhatItTakes, describe_play, plays, solve, what_it_takes

from ui import exports, state, tables
from ui import model_calls as mc
from ui.sections import common

ID = "what_it_takes"
TITLE = "What would it take"
PAGE = "sensitivity"
ORDER = 50
FORM, TARGET, UNLOCKED, RUN = (state.section_key(ID, k) for k in ("form", "target", "unlocked", "run"))


def wit_changes(scenario: Scenario, w: WhatItTakes) -> tables.Rows:
    """The sliders that must move: from, to, and the move as a share of the slider's range."""
    out = []
    for pid, old, new in w.changes:
        p = scenario.parameter(pid)
        out.append({"Slider": p.label, "Now": old, "Needed": new,
                    "Move (share of its range)": (new - old) / (p.max - p.min)})
    return out


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Pick a play and the sliders you allow to move: the smallest change (in units of each slider's "
                "range) that makes that play the equilibrium.")
    frozen = tuple(values.items())
    all_plays = list(plays(scenario))
    now = sorted((s.node, s.action) for s in mc.run(solve, key, scenario, values).path if s.action)
    params = {p.id: p for p in common.movable(scenario)}

    def words(play) -> str:
        return describe_play(scenario, play) + (" (the equilibrium now)" if sorted(play) == now else "")

    default = next((i for i, p in enumerate(all_plays) if sorted(p) != now), 0)
    state.keep_valid(TARGET, all_plays)
    state.keep_valid_many(UNLOCKED, list(params))
    with st.form(FORM):
        target = st.selectbox("Target play", all_plays, index=default, format_func=words, key=TARGET,
                              persist_state="session")
        unlocked = st.multiselect("Sliders allowed to move", list(params), default=common.weight_ids(scenario),
                                  format_func=lambda i: params[i].label, key=UNLOCKED,
                                  persist_state="session", help="Default: every side's weights.")
        if st.form_submit_button("Run", type="primary"):
            state.remember_run(RUN, {"source": key, "values": frozen, "target": tuple(target),
                                               "unlocked": tuple(unlocked)})
    run = common.current_run(RUN, key, values)
    if run is None:
        return
    try:
        w = mc.run(what_it_takes, key, scenario, run["values"], target=run["target"], unlocked=run["unlocked"])
    except ScenarioError as err:
        st.error(str(err))
        return
    st.info(w.sentence, icon=":material/lightbulb:" if w.feasible else ":material/block:")
    if w.changes:
        exports.table(wit_changes(scenario, w), file_name=f"{exports.file_stem(key)}-what-it-takes.csv",
                      column_config={"Move (share of its range)": st.column_config.NumberColumn(**common.PCT)})
        st.caption(f"Found by {w.method}. The Explore page's sliders are not moved: set them there to see it.")
