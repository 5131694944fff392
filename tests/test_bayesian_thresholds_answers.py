"""Where the set of perfect Bayesian equilibria changes, as the thresholds page and command print it: each flip's
parameter, value and the sets' words on each side, for the presets' known answers (beer-quiche: two pooling
equilibria up to a weak prior of 1/2, none in pure strategies above; screening: separating below p_high = 0.375,
pooling on the full package above) and the limit-pricing entry game."""

from __future__ import annotations

import pytest

from model import load_scenario
from model.analyses.bayesian_thresholds import bayesian_thresholds

from .conftest import ROOT
from .test_pbe_sentences import sure_entry
from .test_perfect_bayesian import entry_game

SCREENING = ROOT / "scenarios" / "screening.toml"
BEER_QUICHE = ROOT / "scenarios" / "beer_quiche.toml"

QUICHE_POOL = "Receiver at after_beer: Duel, Receiver at after_quiche: Do not duel (pooling: both types: Quiche)"
BEER_POOL = "Receiver at after_beer: Do not duel, Receiver at after_quiche: Duel (pooling: both types: Beer)"
NONE = "no pure-strategy perfect Bayesian equilibrium"
SEPARATING = "US: Limited package (separating: High weight on deterrence: Reject and operate; " \
             "Low weight on deterrence: Accept and hold back)"
FULL_POOL = "US: Full package (pooling: both types: Accept and hold back)"


def flips(found):
    return [(f.parameter, f.value, f.below, f.above) for f in found.flips]


def test_beer_quiche_the_weak_prior_flips_at_zero_one_half_and_one():
    s = load_scenario(BEER_QUICHE)
    found = bayesian_thresholds(s)
    assert found.title == s.title
    assert found.skipped == ("w_beer", "w_quiche", "duel_right")  # the types set them
    assert found.current == f"{QUICHE_POOL}; {BEER_POOL}"
    assert flips(found) == [
        # at a zero prior the separating profile is an equilibrium too (nothing to update on)
        ("p_weak", 0.0, f"{QUICHE_POOL}; {BEER_POOL}; Receiver at after_beer: Do not duel, Receiver at after_quiche: "
                        "Do not duel (separating: Weak: Quiche; Strong: Beer)", f"{QUICHE_POOL}; {BEER_POOL}"),
        ("p_weak", pytest.approx(0.5, abs=1e-8), f"{QUICHE_POOL}; {BEER_POOL}", NONE),
        ("p_weak", 1.0, NONE, "Receiver at after_beer: Duel, Receiver at after_quiche: Duel "
                              "(separating: Weak: Quiche; Strong: Beer)")]


def test_the_current_set_is_the_one_at_the_values_asked_for():
    s = load_scenario(BEER_QUICHE)
    found = bayesian_thresholds(s, values={"p_weak": 0.7}, parameters=("p_weak",))
    assert found.current == NONE
    assert [f.value for f in found.flips] == [0.0, pytest.approx(0.5, abs=1e-8), 1.0]


def test_screening_separates_below_three_eighths_and_pools_on_the_full_package_above():
    s = load_scenario(SCREENING)
    found = bayesian_thresholds(s)
    assert found.current == SEPARATING and found.skipped == ("w_il_deterrence",) and found.title == s.title
    prior = [f for f in found.flips if f.parameter == "p_high"]
    assert [(f.value, f.below, f.above) for f in prior] == [(pytest.approx(0.375, abs=1e-8), SEPARATING, FULL_POOL)]
    assert [(f.parameter, f.value) for f in found.flips] == [
        ("p_high", pytest.approx(0.375, abs=1e-8)), ("w_us_sharing", pytest.approx(5 / 12, abs=1e-8)),
        ("w_il_intelligence", pytest.approx(0.2, abs=1e-8)), ("w_il_intelligence", pytest.approx(0.5, abs=1e-8)),
        ("w_il_civilian", pytest.approx(0.2, abs=1e-8)), ("limited_size", pytest.approx(0.2, abs=1e-8)),
        ("limited_size", pytest.approx(0.5, abs=1e-8)), ("limited_size", pytest.approx(1.0, abs=1e-8)),
        ("hold_cost", pytest.approx(0.5, abs=1e-8))]
    sharing = next(f for f in found.flips if f.parameter == "w_us_sharing")
    assert (sharing.below, sharing.above) == (FULL_POOL, SEPARATING)


@pytest.mark.parametrize("path", [BEER_QUICHE, SCREENING], ids=lambda p: p.stem)
def test_every_flip_changes_the_set(path):
    found = bayesian_thresholds(load_scenario(path))
    assert found.flips and all(f.below != f.above for f in found.flips)


def test_the_entry_game_pools_on_a_high_price_from_a_low_cost_prior_of_one_half():
    found = bayesian_thresholds(entry_game())
    sep = "Entrant at after_low: Out, Entrant at after_high: Enter (separating: Low cost: Low; High cost: High)"
    pool = "Entrant at after_low: Enter, Entrant at after_high: Out (pooling: both types: High)"
    assert found.skipped == ("c", "g") and found.current == f"{pool}; {sep}"
    (half,) = [f for f in found.flips if 0 < f.value < 1]
    assert (half.parameter, half.value, half.below, half.above) == ("p_low", pytest.approx(0.5, abs=1e-8), sep,
                                                                    f"{pool}; {sep}")


def test_no_parameter_to_vary_or_no_change_gives_no_flips_and_says_the_set():
    s = load_scenario(BEER_QUICHE)
    found = bayesian_thresholds(s, parameters=("w_beer",))  # set by the types: not varied
    assert (found.title, found.flips, found.skipped, found.current) == (s.title, (), ("w_beer",), f"{QUICHE_POOL}; {BEER_POOL}")
    s = sure_entry()  # the entrant enters whatever it believes: the prior changes nothing
    found = bayesian_thresholds(s)
    pool = "Entrant at after_low: Enter, Entrant at after_high: Enter (pooling: both types: High)"
    assert (found.title, found.flips, found.skipped, found.current) == (s.title, (), ("c",), pool)
