"""Hypothesis properties of the solver, the thresholds and the file formats, on random scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import dumps_scenario, load_scenario, loads_scenario, solve, thresholds
from model.core.backward_induction import TIE_TOLERANCE, backward_induction
from model.core.game import compile_game, game_of, make_env
from model.analyses.thresholds import GRID_POINTS, SIDE

from . import raw
from .conftest import FULL_INFORMATION, chance, decision, moved_points, outcome, payoff_game
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


def offset_grid(p, points: int = 41) -> list[float]:
    """Both ends of the range and, between them, points offset by an irrational fraction of a step, so
    that none sits exactly on a tie (a tie at one point, with the same choice on both sides, is not a flip)."""
    step = (p.max - p.min) / (points - 1)
    return [p.min, *(np.linspace(p.min, p.max, points)[1:-1] + step * (np.sqrt(2) - 1) / 2), p.max]


def slider_positions(p) -> list[float]:
    """Every value the parameter's slider can take: its step grid, both ends included."""
    n = round((p.max - p.min) / p.step)
    return [p.min + k * p.step for k in range(n)] + [p.max]


def missed_flips(scenario, found, grid=offset_grid) -> list:
    """Changes of any choice between neighbouring points of ``grid(parameter)``, over every parameter's
    whole range, with no reported threshold between them."""
    missed = []
    for p in scenario.parameters:
        if p.max == p.min:
            continue
        xs = grid(p)
        cuts = [t.value for t in found if t.parameter == p.id]
        choices = [solve(scenario, values={p.id: float(x)}).choice_map for x in xs]
        for x0, x1, c0, c1 in zip(xs, xs[1:], choices, choices[1:]):
            if c0 != c1 and not any(x0 - 1e-9 <= c <= x1 + 1e-9 for c in cuts):
                missed.append((p.id, float(x0), float(x1), {k: (c0[k], c1[k]) for k in c0 if c0[k] != c1[k]}))
    return missed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_thresholds_are_complete_with_expressions_over_every_parameter_and_both_range_ends(scenario):
    """Between consecutive thresholds of a parameter no choice changes, on random trees whose levels
    and probabilities are expressions (``max(x, 0)``, ``q * q``: thresholds found by the grid and
    root search) as well as weights (closed form)."""
    missed = missed_flips(scenario, thresholds(scenario))
    assert not missed, f"choices change with no threshold reported in between: {missed}"


@pytest.mark.parametrize("path", FULL_INFORMATION, ids=lambda p: p.name)
def test_thresholds_of_the_shipped_scenarios_are_complete_at_every_slider_position(path):
    scenario = load_scenario(path)
    missed = missed_flips(scenario, thresholds(scenario), grid=slider_positions)
    assert not missed, f"choices change with no threshold reported in between: {missed}"


def test_the_root_search_finds_flips_in_the_first_and_last_cells_of_its_grid():
    """Known answers: ``q * q`` against a constant c flips at q = sqrt(c); here inside the first and
    the last of the search grid's cells (q is not affine, so the grid and root search handles it)."""
    first, last = 0.5 / (GRID_POINTS - 1), 1 - 0.5 / (GRID_POINTS - 1)
    game = payoff_game({"p": "P"}, "luck", {
        "luck": chance(("left", 0.5, "low"), ("right", 0.5, "high")),
        "low": decision("p", ("square", "t1"), ("fixed", "t2")),
        "high": decision("p", ("square", "t3"), ("fixed", "t4")),
        "t1": outcome("q * q"), "t2": outcome(first ** 2), "t3": outcome("q * q"), "t4": outcome(last ** 2),
    }, parameters={"q": {"label": "q", "default": 0.5, "min": 0.0, "max": 1.0, "step": 0.01}})
    assert "q" not in game_of(game).closed_form
    found = [(t.node, t.below, t.above, t.value) for t in thresholds(game)]
    assert [f[:3] for f in found] == [("low", "fixed", "square"), ("high", "fixed", "square")], (
        f"flips at q = {first:.6f} (first grid cell) and {last:.6f} (last grid cell); found {found}")
    assert found[0][3] == pytest.approx(first, abs=1e-9) and found[1][3] == pytest.approx(last, abs=1e-9)


@pytest.mark.parametrize("path", FULL_INFORMATION, ids=lambda p: p.name)
def test_shipped_scenarios_match_the_plain_recursion_over_their_raw_files(path):
    doc, scenario = raw.read(path), load_scenario(path)
    for point in [{}, *moved_points(scenario)]:
        sol = solve(scenario, values=point)
        ref = raw.backward_induction(doc, point)
        assert sol.choice_map == {nid: ref[nid][1] for nid, n in doc["nodes"].items() if n["kind"] == "decision"}
        assert np.allclose([v for _, v in sol.payoffs], ref[doc["root"]][0], atol=1e-12)
