"""Hypothesis properties of the solver, the thresholds and the file formats, on random scenarios."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import dumps_scenario, loads_scenario, solve, thresholds
from model.core.backward_induction import TIE_TOLERANCE, backward_induction
from model.core.game import compile_game, make_env
from model.analyses.thresholds import SIDE

from .strategies import scenarios

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_values(scenario, values=None):
    """An independent, plain recursive backward induction: node id -> (utilities, choice)."""
    env = {**scenario.values, **(values or {})}
    sense = {a.id: a.sense for a in scenario.attributes}
    out = {}

    def utility(node):
        return [sum(float(w.value(env)) * sense[a] * float(dict(node.levels)[a].value(env)) for a, w in p.weights)
                for p in scenario.players]

    def visit(nid):
        node = scenario.node(nid)
        if node.kind == "outcome":
            out[nid] = (utility(node), None)
        elif node.kind == "chance":
            total = [0.0] * len(scenario.players)
            for a in node.actions:
                u = visit(a.next)
                p = float(a.probability.value(env))
                total = [t + p * x for t, x in zip(total, u)]
            out[nid] = (total, None)
        else:
            i = [p.id for p in scenario.players].index(node.player)
            kids = [visit(a.next) for a in node.actions]
            best = max(k[i] for k in kids)
            c = next(j for j, k in enumerate(kids) if k[i] >= best - TIE_TOLERANCE)
            out[nid] = (kids[c], node.actions[c].id)
        return out[nid][0]

    visit(scenario.root)
    return out


def play_value(scenario, choice_map, values=None):
    """Expected utilities of following ``choice_map`` from the root (no backward induction)."""
    env = {**scenario.values, **(values or {})}
    sense = {a.id: a.sense for a in scenario.attributes}

    def walk(nid, prob):
        node = scenario.node(nid)
        if node.kind == "outcome":
            return [prob * sum(float(w.value(env)) * sense[a] * float(dict(node.levels)[a].value(env))
                               for a, w in p.weights) for p in scenario.players]
        if node.kind == "chance":
            parts = [walk(a.next, prob * float(a.probability.value(env))) for a in node.actions]
            return [sum(x) for x in zip(*parts)]
        action = next(a for a in node.actions if a.id == choice_map[nid])
        return walk(action.next, prob)

    return walk(scenario.root, 1.0)


@SETTINGS
@given(scenarios())
def test_no_action_beats_the_chosen_one_and_matches_a_plain_recursion(scenario):
    sol = solve(scenario)
    ref = reference_values(scenario)
    for c in sol.choices:
        best = max(v for _, v in c.values)
        assert c.value(c.action) >= best - TIE_TOLERANCE
        assert c.action == ref[c.node][1]
        for (a, v), action in zip(c.values, scenario.node(c.node).actions):
            assert np.isclose(v, ref[action.next][0][[p.id for p in scenario.players].index(c.player)], atol=1e-12)


@SETTINGS
@given(scenarios())
def test_root_payoffs_are_the_expected_payoffs_of_equilibrium_play(scenario):
    sol = solve(scenario)
    played = play_value(scenario, sol.choice_map)
    assert np.allclose([v for _, v in sol.payoffs], played, atol=1e-12)


@SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_a_batch_gives_the_same_answers_as_single_points(scenario, rnd):
    game = compile_game(scenario)
    n = 7
    arrays = {}
    for p in scenario.parameters:
        pts = [rnd.choice([p.min, p.max, p.default, rnd.uniform(p.min, p.max)]) for _ in range(n)]
        arrays[p.id] = np.round(np.array(pts) / p.step) * p.step
        arrays[p.id] = np.clip(arrays[p.id], p.min, p.max)
    env, size = make_env(scenario, arrays)
    batch = backward_induction(game, env, size)
    for j in range(n):
        point = {k: float(v[j]) for k, v in arrays.items()}
        sol = solve(scenario, values=point)
        chosen = [next(i for i, a in enumerate(scenario.node(game.node_ids[d]).actions) if a.id == sol.choice_map[a_id])
                  for d, a_id in ((d, game.node_ids[d]) for d in game.decisions)]
        assert list(batch.choice[:, j]) == chosen
        assert np.allclose(batch.root[:, j], [v for _, v in sol.payoffs], atol=1e-12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_threshold_flips_the_choice_on_either_side(scenario):
    for t in thresholds(scenario):
        p = scenario.parameter(t.parameter)
        eps = SIDE * (p.max - p.min)
        below = solve(scenario, values={p.id: max(p.min, t.value - eps)}).choice_map[t.node]
        above = solve(scenario, values={p.id: min(p.max, t.value + eps)}).choice_map[t.node]
        assert (below, above) == (t.below, t.above), t


@SETTINGS
@given(scenarios())
def test_toml_and_json_round_trip(scenario):
    for fmt in (".toml", ".json"):
        assert loads_scenario(dumps_scenario(scenario, fmt=fmt), name=f"s{fmt}") == scenario


@settings(max_examples=60, deadline=None)
@given(scenarios(exprs=False))
def test_thresholds_are_complete_on_a_fine_grid(scenario):
    """Between consecutive thresholds of a parameter, no choice changes (checked on a grid)."""
    found = thresholds(scenario)
    for p in scenario.parameters[:4]:
        # a grid offset by an irrational fraction of a step, so no point sits exactly on a tie
        xs = np.linspace(p.min, p.max, 41)[:-1] + (p.max - p.min) / 40 * (np.sqrt(2) - 1)
        cuts = sorted({t.value for t in found if t.parameter == p.id})
        choices = [tuple(sorted(solve(scenario, values={p.id: float(x)}).choice_map.items())) for x in xs]
        for x0, x1, c0, c1 in zip(xs, xs[1:], choices, choices[1:]):
            if c0 != c1:
                assert any(x0 - 1e-9 <= c <= x1 + 1e-9 for c in cuts), (p.id, x0, x1)
