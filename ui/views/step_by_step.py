"""Step by step: backward induction one node at a time, from the outcomes back to the first
move, with Back / Next (keys: the left and right arrows), the tree drawn partly solved and the current
step in large type. The step shown is kept with the scenario and slider values it belongs to, so it
starts again from the outcomes when either changes.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from model import BayesianEquilibrium, Scenario, ScenarioError, Solution, Step, backward_induction_steps, candidates, \
    describe_path, perfect_bayesian, tree_svg

from ui import bayesian, page_parts, state
from ui import model_calls as mc
from ui.scenario_files import open_scenario

CSS = """
<style>
.co-counter {font-size: 1.4rem; font-weight: 700;}
.co-step-title {font-size: 1.6rem; font-weight: 700; margin: 0.6rem 0 0.4rem 0;}
.co-step-line {font-size: 1.3rem; margin: 0.25rem 0;}
</style>
"""

Context = tuple[str, tuple[tuple[str, float], ...]]  # (scenario source, slider values)


def step_index(context: Context, n: int) -> int:
    """The step shown: 0 (the outcomes) unless a step was chosen for this scenario and these values."""
    held = st.session_state.get(state.STEP)
    if not held or held[0] != context:
        return 0
    return max(0, min(n - 1, held[1]))


def _go(context: Context, index: int) -> None:
    """Callback of Back and Next."""
    st.session_state[state.STEP] = (context, index)



def navigator(context: Context, n: int, *, back: str, forward: str) -> int:
    """Back and Next buttons (arrow keys) and "Step i of n" for a walk of ``n`` steps; returns the step shown."""
    i = step_index(context, n)
    c1, c2, c3 = st.columns([1, 1, 3], vertical_alignment="center")
    c1.button("Back", icon=":material/arrow_back:", shortcut="Left", on_click=_go, args=(context, i - 1),
              disabled=i == 0, width="stretch", help=f"{back} (key: left arrow).")
    c2.button("Next", icon=":material/arrow_forward:", shortcut="Right", on_click=_go, args=(context, i + 1),
              disabled=i == n - 1, type="primary", width="stretch", help=f"{forward} (key: right arrow).")
    c3.markdown(f'<div class="co-counter">Step {i + 1} of {n}</div>', unsafe_allow_html=True)
    return i

def step_tree(scenario: Scenario, solution: Solution, step: Step, n: int) -> str:
    """The tree with only the nodes solved so far annotated and the node being solved framed."""
    where = "the outcomes' utilities" if step.node is None else "the node being solved has a thick orange frame"
    return tree_svg(scenario, solution, reveal=True, solved=set(step.solved), current=step.node,
                    title=f"Game tree at step {step.index + 1} of {n} of backward induction: nodes solved so far "
                          f"show their values; {where}")


def step_html(step: Step) -> str:
    """The step's title and lines, in large type."""
    return (f'<div class="co-step-title">{escape(step.title, quote=False)}</div>'
            + "".join(f'<div class="co-step-line">{escape(line, quote=False)}</div>' for line in step.lines))


@st.fragment  # a move on this page (a button, a pick) reruns only the panel, not the sidebar and the page
def panel(key: str, scenario: Scenario) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values))
    frozen = tuple(values.items())
    try:
        walk = mc.run(backward_induction_steps, key, scenario, values)
        steps, solution = walk.steps, walk.solution
    except ScenarioError as err:
        st.error(str(err))
        return
    n = len(steps)
    i = navigator((key, frozen), n, back="Undo the last step", forward="Solve the next node")
    step = steps[i]
    st.markdown(step_html(step), unsafe_allow_html=True)
    if i == n - 1:
        st.success(f"The first move is solved: this is the subgame-perfect equilibrium. Equilibrium play: "
                   f"{describe_path(scenario, solution)}.", icon=":material/flag:")
    st.markdown(step_tree(scenario, solution, step, n), unsafe_allow_html=True)
    st.caption("Solved nodes show their values (a decision: the option its side prefers and the margin); the node "
               "being solved has a thick orange frame; the rest show nothing yet. Keys: \u2190 Back, \u2192 Next.")


def candidate_step(scenario: Scenario, k: int, n: int, c: BayesianEquilibrium) -> tuple[str, list[str]]:
    """One candidate of the perfect Bayesian solver as a step: the uninformed side's strategy supposed, each
    type's best reply, the beliefs it gives, and the verdict."""
    moves = "; ".join(f"{scenario.player(scenario.node(nid).player).name} at \u201c{scenario.node(nid).label or nid}\u201d: "
                      + next(a.label for a in scenario.node(nid).actions if a.id == act) for nid, act in c.strategy)
    lines = [f"Suppose {moves}."]
    lines += [f"Then the type \u201c{t.label}\u201d plays its best reply: {bayesian.play_text(scenario, t.play)} "
              f"(utility {bayesian.utilities_text(scenario, t.utility)})." for t in c.types]
    lines += [b.sentence for b in c.beliefs]
    if c.equilibrium:
        lines.append(f"\u2713 An equilibrium ({c.kind}): every choice of the uninformed side is best under its belief.")
    else:
        bad = [scenario.node(b.node).label or b.node for b in c.beliefs if not b.best]
        lines.append("\u2717 Not an equilibrium: the choice at " + ", ".join(f"\u201c{x}\u201d" for x in bad)
                     + " is not best under any belief Bayes's rule allows.")
    return f"Candidate {k} of {n}", lines


def typed_panel(key: str, scenario: Scenario) -> None:
    """Step by step with private types: each pure strategy of the side that does not see the type, in turn
    (the perfect Bayesian solver's own steps), then the equilibria found."""
    st.markdown(CSS, unsafe_allow_html=True)
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values) + " " + page_parts.typed_note(scenario))
    st.markdown("The solver supposes, in turn, each plan of the side that does not see the type; finds each type's "
                "best reply to it; updates beliefs by Bayes's rule where play reaches; and keeps the plan if every "
                "choice in it is best under those beliefs.")
    try:
        cands = mc.run(candidates, key, scenario, values)
        result = mc.run(perfect_bayesian, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    i = navigator((key, tuple(values.items())), len(cands) + 1, back="The previous candidate",
                  forward="The next candidate")
    if i < len(cands):
        title, lines = candidate_step(scenario, i + 1, len(cands), cands[i])
        st.markdown(f'<div class="co-step-title">{escape(title, quote=False)}</div>'
                    + "".join(f'<div class="co-step-line">{escape(x, quote=False)}</div>' for x in lines),
                    unsafe_allow_html=True)
        bayesian.draw_tree(scenario, result, cands[i])
        return
    st.success(f"Every candidate checked. {result.sentence}", icon=":material/flag:")
    bayesian.draw_set(scenario, result)


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Backward induction, step by step", scenario)
    if scenario.uncertainty is not None:
        typed_panel(key, scenario)
    else:
        panel(key, scenario)


if __name__ == "__main__":
    page()
