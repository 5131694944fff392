"""The analyses of a game with private types, checked in ``model/`` without the pages (the pages' tests do not
run under the mutation score): the Bayesian region map against one solve per sampled cell, the prior's switch
points against a brute-force scan, the candidates of the solver's first step, and the thresholds command."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario, perfect_bayesian, play_words
from model.analyses.bayesian_region import bayesian_region_map, prior_parameters, prior_switches
from model.analyses.thresholds import COMMAND as THRESHOLDS
from model.core.perfect_bayesian import candidates

from .conftest import ROOT
from .small_games import choose, end, param, scenario

SCREENING = ROOT / "scenarios" / "screening.toml"
BEER_QUICHE = ROOT / "scenarios" / "beer_quiche.toml"


def strategies(s, values) -> set[tuple]:
    return {e.strategy for e in perfect_bayesian(s, values=values).equilibria}


def label(s, node, action) -> str:
    return next(a.label for a in s.node(node).actions if a.id == action)


def test_the_region_map_labels_each_cell_with_the_equilibria_solved_there():
    s = load_scenario(SCREENING)
    rm = bayesian_region_map(s, x="p_high", y="limited_size", points=24)
    assert rm.region.shape == (24, 24) and len(rm.xs) == len(rm.ys) == 24
    assert rm.xs[0] == 0 and rm.xs[-1] == 1 and rm.ys[0] == s.parameter("limited_size").min
    assert sum(rm.share(k) for k in range(len(rm.sets))) == pytest.approx(1)
    rng = np.random.default_rng(3)
    seen = set()
    for iy, ix in rng.integers(0, 24, size=(40, 2)):
        values = {"p_high": float(rm.xs[ix]), "limited_size": float(rm.ys[iy])}
        words = rm.sets[rm.region[iy, ix]]
        found = strategies(s, values)
        assert words.count(" (") == len(found), (values, words)
        for strategy in found:
            assert ", ".join(f"US: {label(s, n, a)}" for n, a in strategy) in words
        seen.add(rm.region[iy, ix])
    assert len(seen) > 1
    # the current point's set is the one at the scenario's values
    assert rm.current == (s.values["p_high"], s.values["limited_size"])
    assert rm.sets[rm.current_set].startswith("US: Limited package (separating")


def test_the_region_maps_regions_are_numbered_in_reading_order_and_shares_add_up():
    s = load_scenario(SCREENING)
    rm = bayesian_region_map(s, x="p_high", y="hold_cost", points=30)
    firsts = [int(np.flatnonzero(rm.region.reshape(-1) == k)[0]) for k in range(len(rm.sets))]
    assert firsts == sorted(firsts) and rm.region.reshape(-1)[0] == 0
    shares = [rm.share(k) for k in range(len(rm.sets))]
    assert all(0 < x <= 1 for x in shares)
    assert shares == pytest.approx([float((rm.region == k).sum()) / rm.region.size for k in range(len(rm.sets))])


def test_the_region_map_refuses_a_parameter_the_types_set():
    from model import ScenarioError
    with pytest.raises(ScenarioError, match="set by the types"):
        bayesian_region_map(load_scenario(SCREENING), x="p_high", y="w_il_deterrence", points=5)


def scan(s, pid: str, n: int = 400) -> list[float]:
    """Brute force: where the set of equilibrium strategies changes along ``pid`` (midpoints of a fine grid)."""
    p = s.parameter(pid)
    xs = np.linspace(p.min, p.max, n)
    sets = [strategies(s, {pid: float(x)}) for x in xs]
    return [float((xs[k] + xs[k + 1]) / 2) for k in range(n - 1) if sets[k] != sets[k + 1]]


@pytest.mark.parametrize(("path", "prior"), [(SCREENING, "p_high"), (BEER_QUICHE, "p_weak")], ids=lambda x: str(x)[-20:])
def test_the_priors_switch_points_match_a_brute_force_scan(path, prior):
    s = load_scenario(path)
    assert prior_parameters(s) == (prior,)
    found = prior_switches(s)
    assert {f.parameter for f in found.flips} == {prior}
    expected = scan(s, prior)
    assert len(expected) >= 1
    assert [f.value for f in found.flips] == pytest.approx(expected, abs=1 / 399)


def test_the_screening_switch_lies_at_three_eighths_with_the_sets_on_each_side():
    found = prior_switches(load_scenario(SCREENING))
    (flip,) = found.flips
    assert flip.value == pytest.approx(0.375, abs=1e-6)
    assert flip.below.startswith("US: Limited package (separating") and flip.above.startswith("US: Full package (pooling")
    assert found.current.startswith("US: Limited package (separating")


def test_a_prior_written_as_numbers_has_no_slider_and_no_switches():
    s = typed_scenario()
    assert prior_parameters(s) == ()
    found = prior_switches(s)
    assert found.flips == ()
    assert found.current == "A: Go (separating: Tough: Fight; Soft: Yield)", found.current
    assert prior_parameters(load_scenario(ROOT / "scenarios" / "default.toml")) == ()


def typed_scenario():
    """A goes or stays; B, tough or soft (prior 0.4 / 0.6, written as numbers), fights or yields after go."""
    return scenario(
        players={"a": ("A", {"gain": 1.0}), "b": ("B", {"fight_taste": "t", "loss": 1.0})},
        attributes={"gain": ("A's gain", "higher"), "fight_taste": ("taste for a fight", "higher"),
                    "loss": ("B's loss", "lower")},
        parameters={"t": param(0.0, 0.0, 2.0, 0.5)},
        root="first",
        nodes={"first": choose("a", ("go", "second"), ("stay", "home")),
               "second": choose("b", ("fight", "war"), ("yield", "peace")),
               "war": end(gain=-1.0, fight_taste=1.0, loss=0.5), "peace": end(gain=1.0, loss=0.2),
               "home": end()},
        uncertainty={"player": "b", "types": {
            "tough": {"label": "Tough", "prior": 0.4, "values": {"t": 2.0}},
            "soft": {"label": "Soft", "prior": 0.6, "values": {"t": 0.0}}}})


def test_candidates_are_every_uninformed_strategy_and_the_equilibria_are_those_the_solver_reports():
    for path in (SCREENING, BEER_QUICHE):
        s = load_scenario(path)
        cands = candidates(s)
        n_strategies = int(np.prod([len(s.node(n).actions) for n, _ in cands[0].strategy]))
        assert len(cands) == n_strategies == len({c.strategy for c in cands})
        assert {c.strategy for c in cands if c.equilibrium} == strategies(s, None)
        for c in cands:
            # a rejected candidate shows where it fails: a belief at which its action is not the best
            assert c.equilibrium == all(b.best for b in c.beliefs), (path.stem, c.strategy)


def test_play_words_name_each_mover_and_action_in_order():
    s = load_scenario(SCREENING)
    e = perfect_bayesian(s).equilibria[0]
    high = next(t for t in e.types if t.id == "high_weight")
    assert play_words(s, high.play) == "US: Limited package, Israel: Reject and operate"
    assert play_words(s, high.play, joiner=" \u2192 ") == "US: Limited package \u2192 Israel: Reject and operate"
    assert play_words(s, ()) == ""


def test_the_thresholds_command_answers_a_typed_scenario_with_the_bayesian_set_flips():
    found = THRESHOLDS.run(load_scenario(SCREENING), {})
    assert found.current.startswith("US: Limited package (separating")
    prior = [f for f in found.flips if f.parameter == "p_high"]
    assert [f.value for f in prior] == pytest.approx([0.375], abs=1e-6)
    assert "w_il_deterrence" in found.skipped


@pytest.mark.parametrize(("type_id", "node", "expected"), [
    # the worked numbers of scenarios/screening.toml's header: intelligence 0.4 or 1 against the deterrence
    # cost 0.6 times the type's weight (1 or 0.5); rejecting costs the civilian-harm weight 0.1
    ("high_weight", "israel_limited", [0.4 - 0.6, -0.1]), ("low_weight", "israel_limited", [0.4 - 0.3, -0.1]),
    ("high_weight", "israel_full", [1 - 0.6, -0.1]), ("low_weight", "israel_full", [1 - 0.3, -0.1])])
def test_a_types_option_values_at_its_own_move_are_the_worked_numbers(type_id, node, expected):
    from model import type_option_values
    s = load_scenario(SCREENING)
    r = perfect_bayesian(s)
    values = type_option_values(s, r, r.equilibria[0], type_id=type_id, node_id=node)
    assert [label for label, _ in values] == [a.label for a in s.node(node).actions]
    assert [v for _, v in values] == pytest.approx(expected, abs=1e-12)


def stay_or_go(prior="p"):
    """A goes or stays home (h to A); B, tough (prior p) or soft, then fights (A: -1; a tough B gains 2 - 0.5,
    a soft one -0.5) or yields (A: g; B: -0.2). By hand: a tough B fights, a soft one yields, so A goes when
    (1 - p) g - p > h. At h = 2 (above anything going can pay) A stays everywhere; at h = 0 it depends."""
    return scenario(
        players={"a": ("A", {"gain": 1.0}), "b": ("B", {"fight_taste": "t", "loss": 1.0})},
        attributes={"gain": ("A's gain", "higher"), "fight_taste": ("taste for a fight", "higher"),
                    "loss": ("B's loss", "lower")},
        parameters={"t": param(0.0, 0.0, 2.0, 0.5, label="Taste for a fight"), "p": param(0.4),
                    "g": param(0.5, label="A's gain from peace"), "h": param(0.0, 0.0, 2.0, label="A at home")},
        root="first", title="Stay or go",
        nodes={"first": choose("a", ("go", "second"), ("stay", "home")),
               "second": choose("b", ("fight", "war"), ("yield", "peace")),
               "war": end(gain=-1.0, fight_taste=1.0, loss=0.5), "peace": end(gain="g", loss=0.2),
               "home": end(gain="h")},
        uncertainty={"player": "b", "types": {
            "tough": {"label": "Tough", "prior": prior, "values": {"t": 2.0}},
            "soft": {"label": "Soft", "prior": f"1 - {prior}" if isinstance(prior, str) else 1 - prior,
                     "values": {"t": 0.0}}}})


def test_the_region_map_names_its_axes_and_takes_the_other_parameters_from_the_values_given():
    s = stay_or_go()
    rm = bayesian_region_map(s, x="p", y="g", points=12)
    assert (rm.x, rm.y) == ("p", "g") and len(rm.sets) > 1  # at h = 0, A goes where (1 - p) g > p
    home = bayesian_region_map(s, x="p", y="g", points=12, values={"h": 2.0})
    assert (home.region == 0).all() and len(home.sets) == 1 and home.sets[0].startswith("A: Stay")


def test_the_region_map_is_200_by_200_unless_asked_otherwise():
    rm = bayesian_region_map(stay_or_go(), x="p", y="g")
    assert rm.region.shape == (200, 200) and len(rm.xs) == len(rm.ys) == 200


def test_a_parameter_the_types_set_is_refused_by_name_and_field():
    from model import ScenarioError
    with pytest.raises(ScenarioError) as err:
        bayesian_region_map(stay_or_go(), x="p", y="t", points=5)
    assert err.value.field == "parameters.t"
    assert err.value.message == ("Taste for a fight is set by the types, so its slider is not used: pick another "
                                 "parameter")


@pytest.mark.parametrize("prior", ["p", 0.4], ids=["prior as a parameter", "prior as a number"])
def test_the_priors_switches_are_those_at_the_values_given(prior):
    s = stay_or_go(prior)
    at_home = prior_switches(s, values={"h": 2.0})
    assert at_home.flips == () and at_home.skipped == () and at_home.title == "Stay or go"
    assert at_home.current.startswith("A: Stay")
    # at h = 0 and p = 0.4, A goes: 0.6 x 0.5 - 0.4 = -0.1 < 0, so it stays; with g = 1, 0.6 - 0.4 > 0: it goes
    assert prior_switches(s, values={"g": 1.0}).current.startswith("A: Go")
    if prior == "p":  # going pays while (1 - p) - p > 0: the set changes at p = 1/2
        (flip,) = prior_switches(s, values={"g": 1.0}).flips
        assert flip.value == pytest.approx(0.5, abs=1e-6)
