"""One plain sentence per decision, built from the numbers that decide it.

The margin between the chosen action c and the runner-up r splits by attribute:
``u_i(c) - u_i(r) = sum_k w_ik s_k (E[a_k | c] - E[a_k | r])``. The sentence names the terms that
make up most of the margin in favour of c (enough of them to outweigh all the terms against it,
with the rest summed as "other gains together" after three), and the largest term against it (the
rest summed as "other costs together").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..core.scenario import Decision, Scenario

SHARE_NAMED = 0.8
NOTE = "Every number is an illustrative assumption for teaching, not a fact or an intelligence estimate."


def fmt(x: float) -> str:
    """A number for people: two decimals, or two significant digits when smaller than 0.01."""
    if x != 0 and abs(x) < 0.01:
        return f"{x:.2g}"
    return f"{x:.2f}"


def apart(values) -> Callable[[float], str]:
    """A formatter with 3 significant digits, or as many more (up to 15) as it takes to print different
    ``values`` differently ("from 1 to 1.000001", not "from 1 to 1")."""
    for digits in range(3, 16):
        if len({f"{x:.{digits}g}" for x in values}) == len(set(values)):
            break
    return lambda x: f"{x:.{digits}g}"


def signed(x: float) -> str:
    return ("+" if x >= 0 else "\u2212") + fmt(abs(x))


def _term(scenario: Scenario, attribute: str, contribution: float, weight_sense: float) -> str:
    attr = next(a for a in scenario.attributes if a.id == attribute)
    # contribution = w*s*(level difference); the level moved up when it has the sign of w*s
    more = (contribution > 0) == (weight_sense > 0)
    return f"{'more' if more else 'less'} {lower_first(attr.label)} ({signed(contribution)})"


def lower_first(label: str) -> str:
    """Lower-case a label's first letter unless it starts an acronym ("US mediator standing")."""
    if len(label) > 1 and label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def explain_choice(
    scenario: Scenario,
    *,
    node: Decision,
    values: Sequence[float],
    chosen: int,
    runner_up: int | None,
    ties: Sequence[str],
    contributions: Sequence[tuple[str, float]],
    weights: Sequence[float],
) -> str:
    """Why the mover at ``node`` picks action ``chosen``, in one sentence."""
    mover = scenario.player(node.player).name
    c = node.actions[chosen]
    if runner_up is None:
        return f"{mover} has only one option here: {c.label}."
    r = node.actions[runner_up]
    if ties:
        return (
            f"{mover} values \u201c{c.label}\u201d and \u201c{r.label}\u201d equally ({fmt(values[chosen])}); "
            f"the tie rule picks \u201c{c.label}\u201d, the option listed first."
        )
    head = (f"{mover} prefers \u201c{c.label}\u201d to \u201c{r.label}\u201d "
            f"({fmt(values[chosen])} vs {fmt(values[runner_up])})")
    ws = {a.id: w for a, w in zip(scenario.attributes, weights)}  # weight x sense
    pos = sorted(((a, d) for a, d in contributions if d > 0), key=lambda x: -x[1])
    neg = sorted(((a, d) for a, d in contributions if d < 0), key=lambda x: x[1])
    if not pos:  # only possible through the tie tolerance
        return head + "."
    # the loss side reads "the largest loss and other costs together": the gains named must outweigh
    # all of it, not only the largest loss, or "X outweighs Y and other costs together" is false
    losses = -sum(d for _, d in neg)
    named, covered, total = [], 0.0, sum(d for _, d in pos)
    for a, d in pos:
        named.append(_term(scenario, a, d, ws.get(a, 1.0)))
        covered += d
        if (covered >= SHARE_NAMED * total and covered > losses) or len(named) == 3:
            break
    rest = total - covered
    if rest > 0 and covered <= losses:  # the named gains alone do not outweigh the named losses
        named.append(f"other gains together ({signed(rest)})")
    sentence = f"{head}: {_join(named)}"
    if neg:
        a, d = neg[0]
        verb = "outweighs" if len(named) == 1 else "outweigh"
        sentence += f" {verb} {_term(scenario, a, d, ws.get(a, 1.0))}"
        if len(neg) > 1:
            sentence += f" and other costs together ({signed(sum(x for _, x in neg[1:]))})"
    return sentence + "."



def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_play(scenario: Scenario, play) -> str:
    """A play (decision node id, action id pairs) in words: "US: Conditional offer \u2192 Israel: Accept"."""
    return " \u2192 ".join(_move(scenario, node_id, action_id) for node_id, action_id in play)


def _move(scenario: Scenario, node_id: str, action_id: str) -> str:
    spec = scenario.node(node_id)
    return f"{scenario.player(spec.player).name}: {next(a.label for a in spec.actions if a.id == action_id)}"


def describe_threshold(scenario: Scenario, t) -> str:
    """A flip threshold in words: "at 0.485: Israel at “...” prefers “A” below and “B” above; ..."."""
    spec = scenario.node(t.node)
    labels = {a.id: a.label for a in spec.actions}
    path = "; the equilibrium path changes" if t.path_changes else ""
    return (f"at {t.value:.4g}: {scenario.player(t.player).name} at \u201c{spec.label or spec.id}\u201d prefers "
            f"\u201c{labels[t.below]}\u201d below and \u201c{labels[t.above]}\u201d above{path}")


def describe_path(scenario: Scenario, solution) -> str:
    """Equilibrium play in words: "US: Conditional offer → Israel: Accept → ..."."""
    parts = []
    for step in solution.path:
        spec = scenario.node(step.node)
        if step.action is None:
            odds = " / ".join(f"{a.label} {fmt(p)}" for a, (_, p) in zip(spec.actions, step.probabilities) if p > 0)
            parts.append(f"chance: {odds}")
        else:
            parts.append(_move(scenario, step.node, step.action))
    return " \u2192 ".join(parts)


def describe_changes(scenario: Scenario, before, after) -> list[str]:
    """What a parameter move changed: one sentence per decision node whose choice flipped, and the
    equilibrium play if it changed (``before``/``after`` are Solutions of the same scenario)."""
    out = []
    old = before.choice_map
    for c in after.choices:
        if old.get(c.node) == c.action:
            continue
        spec = scenario.node(c.node)
        label = {a.id: a.label for a in spec.actions}
        where = "" if c.on_path else " (off the equilibrium path)"
        out.append(f"{scenario.player(c.player).name} now chooses \u201c{label[c.action]}\u201d at "
                   f"\u201c{spec.label or spec.id}\u201d{where}; before: \u201c{label[old[c.node]]}\u201d.")
    if [(s.node, s.action) for s in before.path] != [(s.node, s.action) for s in after.path]:
        out.append(f"Equilibrium play is now {describe_path(scenario, after)}; before: "
                   f"{describe_path(scenario, before)}.")
    return out


def play_words(scenario: Scenario, play) -> str:
    """A play in words, or "(no decision is reached)" for an empty one."""
    return describe_play(scenario, play) if play else "(no decision is reached)"


def paths_json(paths) -> list[list[dict[str, str]]]:
    """Plays as JSON: one list of ``{"node", "action"}`` objects per play."""
    return [[{"node": node, "action": action} for node, action in path] for path in paths]


def pct(share: float) -> str:
    """A share as a percentage: one decimal, or two significant digits when below 0.1%."""
    if 0 < share < 0.001:
        return f"{100 * share:.2g}%"
    return f"{100 * share:.1f}%"


def uncertainty_note(scenario: Scenario) -> list[str]:
    """The command line's note when a scenario's [uncertainty] section is not used by an analysis."""
    if scenario.uncertainty is None:
        return []
    return ["Note: this scenario's [uncertainty] section (types of "
            f"{scenario.player_name(scenario.uncertainty.player)}) is not used here: every point is solved with "
            "complete information, at the parameters' values."]
