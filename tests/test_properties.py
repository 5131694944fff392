"""Hypothesis properties of the solver, the thresholds and the file formats, on random scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import dumps_scenario, load_scenario, loads_scenario, solve, thresholds
from model.core.backward_induction import TIE_TOLERANCE, backward_induction
from model.core.game import compile_game, make_env
from model.analyses.thresholds import SIDE

from . import raw
from .conftest import SCENARIOS, moved_points
from .strategies import scenario_pairs, scenarios

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenario_pairs())
def test_no_action_beats_the_chosen_one_and_matches_a_plain_recursion(pair):
    """The reference is tests/raw.py: a plain recursion over the raw document, with each attribute's
    sense read from its ``better`` and every expression evaluated by Python, sharing no code with model."""
    doc, scenario = pair
    sol = solve(scenario)
    ref = raw.backward_induction(doc)
    mover_index = {p: j for j, p in enumerate(raw.players(doc))}
    for c in sol.choices:
        best = max(v for _, v in c.values)
        assert c.value(c.action) >= best - TIE_TOLERANCE
        assert c.action == ref[c.node][1], (c.node, c.values, ref[c.node])
        for a, v in c.values:
            nxt = next(x["next"] for x in doc["nodes"][c.node]["actions"] if x["id"] == a)
            assert np.isclose(v, ref[nxt][0][mover_index[c.player]], atol=1e-12), (c.node, a, v)
    assert np.allclose([v for _, v in sol.payoffs], ref[doc["root"]][0], atol=1e-12)


@SETTINGS
@given(scenario_pairs())
def test_root_payoffs_are_the_expected_payoffs_of_equilibrium_play(pair):
    doc, scenario = pair
    sol = solve(scenario)
    played = raw.play_value(doc, sol.choice_map)
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


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_match_the_plain_recursion_over_their_raw_files(path):
    doc, scenario = raw.read(path), load_scenario(path)
    for point in [{}, *moved_points(scenario)]:
        sol = solve(scenario, values=point)
        ref = raw.backward_induction(doc, point)
        assert sol.choice_map == {nid: ref[nid][1] for nid, n in doc["nodes"].items() if n["kind"] == "decision"}
        assert np.allclose([v for _, v in sol.payoffs], ref[doc["root"]][0], atol=1e-12)
