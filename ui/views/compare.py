"""Compare: two scenarios side by side (A: a shipped scenario or the Explore page's current
state; B: a shipped scenario). The parameters that differ, each equilibrium play in words and whether
they are the same, each side's expected utility in both, the decisions whose choice differs, and the
parameters whose flip points differ."""

from __future__ import annotations

import streamlit as st

from model import Comparison, Scenario, ScenarioError, compare, describe_path, perfect_bayesian, solve

from ui import bayesian, exports, page_parts, sources, state
from ui import model_calls as mc
from ui.scenario_files import open_scenario

CURRENT = "current-state"  # scenario A: the Explore page's scenario at its slider values


def side(choice: str, key: str, scenario: Scenario, values: dict[str, float]) -> tuple[str, Scenario, tuple]:
    """(source key, scenario, values) of one side of the comparison."""
    if choice == CURRENT:
        return key, scenario, tuple(values.items())
    s = mc.shipped(choice)
    return sources.preset(choice), s, tuple(s.values.items())


def changed_rows(c: Comparison) -> list[dict]:
    return [{"Parameter": label, "A": a, "B": b, "B \u2212 A": b - a} for _, label, a, b in c.changed]


UTILITY_COLUMNS = ("Expected utility in A", "Expected utility in B", "B \u2212 A")


def payoff_rows(c: Comparison) -> list[dict]:
    return [dict(zip(("Side", *UTILITY_COLUMNS), (who, a, b, None if a is None or b is None else b - a)))
            for who, a, b in c.payoffs]


def choice_rows(c: Comparison) -> list[dict]:
    return [{"Decision": node, "Side": who, "Chooses in A": a, "Chooses in B": b} for node, who, a, b in c.choices]


def threshold_rows(c: Comparison) -> list[dict]:
    return [{"Parameter": label, "Equilibrium play changes at (A)": a, "Equilibrium play changes at (B)": b}
            for label, a, b in c.thresholds]


def panel(key: str, scenario: Scenario) -> None:
    names = mc.shipped_names()
    values = state.slider_values(scenario)
    here = f"The Explore page's current state ({scenario.title})"

    def words(choice: str) -> str:
        return here if choice == CURRENT else mc.shipped(choice).title

    c1, c2 = st.columns(2)
    state.keep_valid(state.COMPARE_A, [CURRENT, *names])
    a = c1.selectbox("Scenario A", [CURRENT, *names], key=state.COMPARE_A, format_func=words,
                     persist_state="session", help="The current state: the scenario and slider values set on Explore.")
    current_name = sources.preset_name(key)
    others = [n for n in names if n != current_name] or names
    state.keep_valid(state.COMPARE_B, names)
    b = c2.selectbox("Scenario B", names, index=names.index(others[0]), key=state.COMPARE_B, format_func=words,
                     persist_state="session")
    key_a, sa, va = side(a, key, scenario, values)
    key_b, sb, vb = side(b, key, scenario, values)
    if sa.uncertainty is not None or sb.uncertainty is not None:
        typed_comparison((key_a, sa, va), (key_b, sb, vb))
        return
    try:
        c = mc.run(compare, f"{key_a} vs {key_b}", sa, va, other_values=vb, unhashed={"other": sb})
    except ScenarioError as err:
        st.error(str(err))
        return
    stem = f"compare-{exports.file_stem(key_a) if a == CURRENT else a}-{b}"

    st.subheader("Equilibrium play")
    st.markdown(f"- **A**: {c.path_a}\n- **B**: {c.path_b}")
    if c.same_path:
        st.info("The same equilibrium play in both.", icon=":material/check:")
    else:
        st.info("The equilibrium play differs.", icon=":material/swap_horiz:")

    st.subheader("Parameters that differ")
    if c.changed:
        exports.table(changed_rows(c), file_name=f"{stem}-parameters.csv")
    else:
        st.write("No parameter differs" + (" (the two scenarios have other parameters)." if c.only_a or c.only_b
                                          else "."))
    if c.only_a or c.only_b:
        st.caption(f"Only in A: {', '.join(c.only_a) or 'none'}. Only in B: {', '.join(c.only_b) or 'none'}.")

    st.subheader("Each side's expected utility")
    exports.table(payoff_rows(c), file_name=f"{stem}-utility.csv",
                  column_config={k: st.column_config.NumberColumn(format="%.3f") for k in UTILITY_COLUMNS})

    st.subheader("Decisions whose choice differs")
    if c.choices:
        exports.table(choice_rows(c), file_name=f"{stem}-choices.csv")
        st.caption("On and off the equilibrium path: a choice off the path is what a side would do if play got there.")
    else:
        st.write("Every side makes the same choice at every decision.")

    st.subheader("Parameters whose flip points differ")
    if c.thresholds:
        st.caption("Where, one parameter at a time with the others held, the equilibrium play changes.")
        exports.table(threshold_rows(c), file_name=f"{stem}-flips.csv")
    else:
        st.write("The flip points of every parameter are the same.")


TYPED_NOTE = ("A scenario with private types is solved for its perfect Bayesian equilibria, so the two are shown side by "
              "side; the tables of utilities, choices and flip points compare games of full information only.")


def typed_comparison(*sides) -> None:
    """Each side's equilibria in words: every perfect Bayesian equilibrium where there are types, else the
    subgame-perfect play."""
    st.info(TYPED_NOTE, icon=":material/help:")
    for name, col, (key, s, values) in zip("AB", st.columns(2), sides):
        with col:
            st.subheader(f"{name}: {s.title}")
            if s.uncertainty is None:
                st.markdown(f"Full information. Equilibrium play: {describe_path(s, mc.run(solve, key, s, values))}")
                continue
            bayesian.draw_set(s, mc.run(perfect_bayesian, key, s, values))


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Compare two scenarios")
    panel(key, scenario)


if __name__ == "__main__":
    page()
