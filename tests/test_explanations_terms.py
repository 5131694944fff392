"""The sentences a reader sees, word for word: why each side chooses, where a choice flips, what a
move changed, and the numbers in them."""

from __future__ import annotations

import pytest

from model import describe_changes, describe_path, describe_play, describe_threshold, fmt, load_scenario, solve
from model.analyses.thresholds import Threshold
from model.text.explanations import pct, play_words, signed, uncertainty_note

from .conftest import ROOT
from .small_games import choose, draw, end, param, scenario


def one_choice(attributes, weights, a_levels, b_levels, *, label="The choice"):
    """Ann picks A or B; each leads to an outcome with the given levels."""
    return scenario(
        players={"ann": ("Ann", weights)}, attributes=attributes, root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob"), label=label), "oa": end(**a_levels),
               "ob": end(**b_levels)})


def sentence(game, node="pick"):
    return solve(game).choice(node).explanation


def test_a_gain_that_outweighs_a_cost_is_named_with_its_sign():
    """The chosen action's gain is "more" of a good attribute, its cost "more" of a bad one, each with
    its contribution to the margin; a label starting with an acronym keeps its capitals."""
    game = one_choice({"gain": ("US gain", "higher"), "cost": ("Cost", "lower")}, {"gain": 0.5, "cost": 1.0},
                      {"gain": 1, "cost": 0.2}, {"gain": 0, "cost": 0})
    assert sentence(game) == ("Ann prefers \u201cA\u201d to \u201cB\u201d (0.30 vs 0.00): more US gain (+0.50) "
                              "outweighs more cost (\u22120.20).")


def test_less_of_a_bad_attribute_is_a_gain_and_less_of_a_good_one_a_loss():
    """Choosing A lowers the cost (a gain, "less cost") and lowers the good attribute (a loss, "less gain")."""
    game = one_choice({"gain": ("Gain", "higher"), "cost": ("Cost", "lower")}, {"gain": 0.5, "cost": 1.0},
                      {"gain": 0, "cost": 0}, {"gain": 0.4, "cost": 0.5})
    assert sentence(game) == ("Ann prefers \u201cA\u201d to \u201cB\u201d (0.00 vs -0.30): less cost (+0.50) "
                              "outweighs less gain (\u22120.20).")


FIVE = {"alpha": ("Alpha", "higher"), "beta": ("Beta", "higher"), "gamma": ("Gamma", "higher"),
        "delta": ("Delta", "higher"), "risk": ("Risk", "lower"), "noise": ("Noise", "lower")}
ONES = {a: 1.0 for a in FIVE}
ZEROS = {a: 0 for a in FIVE}


def test_the_gains_that_make_up_most_of_the_margin_are_named_and_the_rest_summed():
    """Gains are named largest first until they make up 80% of all gains and beat the largest loss,
    at most three; when three named gains still do not beat the largest loss, the rest is "other
    gains together"; losses after the largest are "other costs together"."""
    levels = {"alpha": 0.3, "beta": 0.3, "gamma": 0.3, "delta": 0.3, "risk": 0.95, "noise": 0.1}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (0.15 vs 0.00): more alpha (+0.30), more beta (+0.30), "
        "more gamma (+0.30) and other gains together (+0.30) outweigh more risk (\u22120.95) and other costs together (\u22120.10).")


def test_naming_stops_at_80_percent_of_the_gains_when_they_beat_the_largest_loss():
    levels = {**ZEROS, "alpha": 0.5, "beta": 0.3, "gamma": 0.2}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (1.00 vs 0.00): more alpha (+0.50) and more beta (+0.30).")


def test_naming_goes_on_past_80_percent_while_the_named_gains_do_not_beat_the_largest_loss():
    levels = {**ZEROS, "alpha": 0.5, "beta": 0.3, "gamma": 0.2, "risk": 0.85}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (0.15 vs 0.00): more alpha (+0.50), more beta (+0.30) and "
        "more gamma (+0.20) outweigh more risk (\u22120.85).")


def test_a_tie_says_both_values_are_equal_and_names_the_tie_rule():
    game = one_choice({"gain": ("Gain", "higher")}, {"gain": 1.0}, {"gain": 0.3}, {"gain": 0.3})
    assert sentence(game) == ("Ann values \u201cA\u201d and \u201cB\u201d equally (0.30); the tie rule picks "
                              "\u201cA\u201d, the option listed first.")


def test_a_single_option_is_said_to_be_the_only_one():
    game = scenario(players={"ann": ("Ann", {"gain": 1.0})}, attributes={"gain": ("Gain", "higher")}, root="pick",
                    nodes={"pick": choose("ann", ("go", "o")), "o": end(gain=1)})
    assert sentence(game) == "Ann has only one option here: Go."


def test_numbers_are_shown_with_two_decimals_or_two_significant_digits_when_small():
    assert [fmt(x) for x in (0, 1.234, -0.5, 0.01, 0.004, -0.0042)] == ["0.00", "1.23", "-0.50", "0.01", "0.004",
                                                                          "-0.0042"]
    assert [signed(x) for x in (0.5, 0.0, -0.25, -0.004)] == ["+0.50", "+0.00", "\u22120.25", "\u22120.004"]


def test_shares_are_percentages_with_one_decimal_or_two_significant_digits_below_a_tenth_of_a_percent():
    assert [pct(x) for x in (0.0, 0.25, 1.0, 0.001, 0.0005, 0.00012)] == ["0.0%", "25.0%", "100.0%", "0.1%", "0.05%",
                                                                          "0.012%"]


# -- thresholds, plays, paths and changes in words ---------------------------------------------------------


def flip_game():
    """Ann's weight on gain is the parameter w: she takes A (gain 1, cost 0.2) from w = 0.2 on."""
    return scenario(players={"ann": ("Ann", {"gain": "w", "cost": 1.0})},
                    attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower")},
                    parameters={"w": param(0.5)}, root="pick",
                    nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob"), label="The choice"),
                           "oa": end(gain=1, cost=0.2), "ob": end(gain=0, cost=0)})


def test_a_threshold_in_words_names_the_value_the_side_the_node_and_both_choices():
    game = flip_game()
    t = Threshold(parameter="w", value=0.2, node="pick", player="ann", below="b", above="a", path_changes=True,
                  method="closed form")
    assert describe_threshold(game, t) == ("at 0.2: Ann at \u201cThe choice\u201d prefers \u201cB\u201d below and "
                                           "\u201cA\u201d above; the equilibrium path changes")
    quiet = Threshold(parameter="w", value=0.123456, node="pick", player="ann", below="a", above="b",
                      path_changes=False, method="brentq")
    assert describe_threshold(game, quiet) == ("at 0.1235: Ann at \u201cThe choice\u201d prefers \u201cA\u201d below "
                                               "and \u201cB\u201d above")


def test_a_node_without_a_label_is_named_by_its_id():
    game = one_choice({"gain": ("Gain", "higher")}, {"gain": 1.0}, {"gain": 1}, {"gain": 0}, label=None)
    t = Threshold(parameter="x", value=0.5, node="pick", player="ann", below="a", above="b", path_changes=False,
                  method="brentq")
    assert describe_threshold(game, t) == ("at 0.5: Ann at \u201cpick\u201d prefers \u201cA\u201d below and "
                                           "\u201cB\u201d above")


def chance_game():
    return scenario(players={"ann": ("Ann", {"gain": 1.0})}, attributes={"gain": ("Gain", "higher")}, root="pick",
                    nodes={"pick": choose("ann", ("play", "coin"), ("pass", "o0")),
                           "coin": draw(("win", 0.25, "o1"), ("never", 0.0, "o3"), ("lose", 0.75, "o2")),
                           "o0": end(gain=0), "o1": end(gain=4), "o2": end(gain=0), "o3": end(gain=9)})


def test_a_path_in_words_gives_each_move_and_the_odds_of_the_branches_that_can_happen():
    game = chance_game()
    assert describe_path(game, solve(game)) == "Ann: Play \u2192 chance: Win 0.25 / Lose 0.75"


def test_a_play_in_words_and_an_empty_play():
    game = chance_game()
    assert play_words(game, (("pick", "pass"),)) == describe_play(game, (("pick", "pass"),)) == "Ann: Pass"
    assert play_words(game, ()) == "(no decision is reached)"


def test_the_note_on_an_unused_uncertainty_section_names_the_informed_side():
    for name, informed in [("screening", "Israel"), ("beer_quiche", "Sender")]:
        uncertain = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        assert uncertainty_note(uncertain) == [
            f"Note: this scenario's [uncertainty] section (types of {informed}) is not used here: every point is "
            "solved with complete information, at the parameters' values."]
    assert uncertainty_note(load_scenario(ROOT / "scenarios" / "default.toml")) == []


def test_what_a_move_changed_names_each_flipped_choice_and_the_new_play():
    """Moving a slider: one sentence per decision whose choice flipped (marked when off the path), then
    the new equilibrium play against the old; nothing when nothing changed."""
    default = load_scenario(ROOT / "scenarios" / "default.toml")
    before, after = solve(default), solve(default, values={"p_detect": 0.2})
    changes = describe_changes(default, before, after)
    flipped = [c for c in after.choices if before.choice_map[c.node] != c.action]
    assert len(changes) == len(flipped) + 1
    for line, c in zip(changes, flipped):
        spec = default.node(c.node)
        label = {a.id: a.label for a in spec.actions}
        where = "" if c.on_path else " (off the equilibrium path)"
        assert line == (f"{default.player_name(c.player)} now chooses \u201c{label[c.action]}\u201d at "
                        f"\u201c{spec.label or spec.id}\u201d{where}; before: "
                        f"\u201c{label[before.choice_map[c.node]]}\u201d.")
    assert changes[-1] == (f"Equilibrium play is now {describe_path(default, after)}; before: "
                           f"{describe_path(default, before)}.")
    assert changes[0].startswith("US now chooses \u201cNo offer\u201d at ")
    assert any("(off the equilibrium path)" in line for line in changes)
    assert describe_changes(default, before, solve(default)) == []


def test_naming_stops_at_80_percent_of_the_gains_whatever_their_total():
    levels = {**ZEROS, "alpha": 0.25, "beta": 0.15, "gamma": 0.1}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (0.50 vs 0.00): more alpha (+0.25) and more beta (+0.15).")


def test_named_gains_that_only_equal_the_largest_loss_do_not_outweigh_it():
    """Naming goes on while the named gains do not exceed the largest loss (equal is not enough), and
    when three named gains only equal it, the rest is still named as "other gains together"."""
    levels = {**ZEROS, "alpha": 0.5, "beta": 0.25, "gamma": 0.125, "risk": 0.75}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (0.12 vs 0.00): more alpha (+0.50), more beta (+0.25) and "
        "more gamma (+0.12) outweigh more risk (\u22120.75).")
    levels = {**ZEROS, "alpha": 0.25, "beta": 0.25, "gamma": 0.25, "delta": 0.25, "risk": 0.75}
    assert sentence(one_choice(FIVE, ONES, levels, ZEROS)) == (
        "Ann prefers \u201cA\u201d to \u201cB\u201d (0.25 vs 0.00): more alpha (+0.25), more beta (+0.25), "
        "more gamma (+0.25) and other gains together (+0.25) outweigh more risk (\u22120.75).")


@pytest.mark.parametrize("label, shown", [("X", "x"), ("EU", "EU"), ("IDs checked", "IDs checked"),
                                          ("Wealth", "wealth")])
def test_a_label_is_lower_cased_unless_it_starts_with_an_acronym(label, shown):
    game = one_choice({"gain": (label, "higher")}, {"gain": 1.0}, {"gain": 1}, {"gain": 0})
    assert sentence(game).endswith(f": more {shown} (+1.00).")


def test_a_play_of_several_moves_reads_left_to_right_with_arrows():
    game = chance_game()
    two = scenario(players={"ann": ("Ann", {"gain": 1.0}), "bob": ("Bob", {"gain": 1.0})},
                   attributes={"gain": ("Gain", "higher")}, root="first",
                   nodes={"first": choose("ann", ("go", "second"), ("stop", "o1")),
                          "second": choose("bob", ("yes", "o2"), ("no", "o3")),
                          "o1": end(gain=0), "o2": end(gain=1), "o3": end(gain=0)})
    assert describe_play(two, (("first", "go"), ("second", "no"))) == "Ann: Go \u2192 Bob: No"
    assert play_words(game, (("pick", "play"),)) == "Ann: Play"
