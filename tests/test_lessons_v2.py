"""The lessons of the version-2 model (../shared/MODEL.md) as behaviour tests on the shipped games.

Each names a lesson and the slider that makes it false, so a change to the default game that breaks a
lesson fails here in words, beside the claims that the scenario files state (tests/test_scenarios_contract.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from model import bargaining_range, load_scenario, solve

from .conftest import ROOT

DEAL = ["us_offer:conditional", "israel_answers:accept", "israel_keeps_pledge:keep"]


def scenario(name: str):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


def play(sc, **values) -> list[str]:
    return [f"{s.node}:{s.action}" for s in solve(sc, values=values).path if s.action is not None]


def test_lesson_1_the_deal_holds_by_default():
    assert play(scenario("default")) == DEAL


@pytest.mark.parametrize("values", [{"package": 0.0}, {"w_il_intelligence": 0.0}, {"package": 0.2},
                                    {"w_il_intelligence": 0.3}])
def test_lesson_1_the_deal_collapses_when_the_package_is_worthless_to_israel(values):
    moves = play(scenario("default"), **values)
    assert "israel_keeps_pledge:keep" not in moves, moves
    # and nothing else bought it: with the package worth something again, the deal is back
    assert play(scenario("default"), **{k: 0.5 if k == "package" else 0.65 for k in values}) == DEAL


def test_lesson_1_no_fixed_level_buys_the_restraint():
    """With the package worthless to Israel, no setting of the levels that v1 hard-coded (the alliance
    dividend, the cost of a confirmed breach, the alliance cost of a cut-off) brings the deal back."""
    default = scenario("default")
    for dividend in (0.0, 0.1, 0.2):
        for breach in (0.0, 0.5, 1.0):
            for cut in (0.0, 0.5, 1.0):
                moves = play(default, w_il_intelligence=0.0, alliance_dividend=dividend,
                             breach_reputation_cost=breach, alliance_cost_cutoff=cut)
                assert "israel_keeps_pledge:keep" not in moves, (dividend, breach, cut)


@pytest.mark.parametrize("w_us_sharing", [0.0, 0.1, 0.2, 0.3])
def test_lesson_2_without_a_credible_withhold_a_rejection_is_followed_by_share_anyway(w_us_sharing):
    default = scenario("default")
    sol = solve(default, values={"w_us_sharing": w_us_sharing})
    assert sol.choice("us_after_reject").action == "share_anyway"
    moves = play(default, w_us_sharing=w_us_sharing)
    k = moves.index("israel_answers:reject")
    assert moves[k + 1] == "us_after_reject:share_anyway"
    # a credible withhold (the default's weight on the cost of sharing) and the rejection is gone
    assert solve(default).choice("us_after_reject").action == "withhold"
    assert "israel_answers:reject" not in play(default)


def test_lesson_2_the_share_anyway_preset_plays_reject_then_share_anyway():
    moves = play(scenario("share_anyway"))
    assert moves[:3] == ["us_offer:conditional", "israel_answers:reject", "us_after_reject:share_anyway"]


def test_lesson_3_a_credible_cut_off_needs_less_monitoring():
    credible, not_credible = scenario("default"), scenario("cutoff_not_credible")
    assert solve(credible).choice("us_responds").action == "cut_off"
    assert solve(not_credible).choice("us_responds").action == "tolerate"

    def lowest_kept(sc) -> float:
        grid = np.linspace(0, 1, 1001)
        kept = [p for p in grid if solve(sc, values={"p_detect": p}).choice("israel_keeps_pledge").action == "keep"]
        return min(kept)

    assert lowest_kept(credible) == pytest.approx(0.277, abs=0.001)
    assert lowest_kept(not_credible) == pytest.approx(0.745, abs=0.001)


def test_lesson_4_in_the_commitment_problem_both_prefer_the_kept_deal_that_is_not_reached():
    sc = scenario("commitment_problem")
    sol = solve(sc)
    values = dict(sol.node_values)
    players = list(sol.players)
    eq = dict(sol.payoffs)
    kept = {p: values["deal_kept"][players.index(p)] for p in players}
    assert kept["us"] > eq["us"] + 0.01 and kept["israel"] > eq["israel"] + 0.01
    keep, brk = (values[a.next][players.index("israel")] for a in sc.node("israel_keeps_pledge").actions)
    assert brk > keep + 0.01  # having accepted, Israel prefers to break
    assert "israel_keeps_pledge:keep" not in play(sc)
    # by hand: the kept deal gives the US -0.275 and Israel -0.145; no offer and an operation, -0.42 and -0.29
    assert kept == pytest.approx({"us": -0.275, "israel": -0.145})
    assert eq == pytest.approx({"us": -0.42, "israel": -0.29})


def _scan(sc, n: int = 4001) -> tuple[float | None, float | None]:
    """Brute force: at each package on a fine grid, solve the game and compare each side's value of the
    kept deal with its best alternative (Israel: reject; the US: share unconditionally or no offer)."""
    israel_ok, us_ok = [], []
    for x in np.linspace(0, 1, n):
        sol = solve(sc, values={"package": float(x)})
        v = dict(sol.node_values)
        us, il = list(sol.players).index("us"), list(sol.players).index("israel")
        deal = v["deal_kept"]
        if deal[il] >= v["us_after_reject"][il]:
            israel_ok.append(x)
        if deal[us] >= max(v["israel_after_sharing"][us], v["israel_without_offer"][us]):
            us_ok.append(x)
    return (min(israel_ok) if israel_ok else None), (max(us_ok) if us_ok else None)


@pytest.mark.parametrize("name, empty", [("default", False), ("no_bargaining_range", True)])
def test_lesson_5_the_bargaining_range_agrees_with_a_brute_force_scan(name, empty):
    sc = scenario(name)
    r = bargaining_range(sc, parameter="package")
    least, most = _scan(sc)
    step = 1 / 4000
    assert r.empty is empty
    assert r.least == pytest.approx(least, abs=step) and r.most == pytest.approx(most, abs=step)
    if empty:
        assert r.gap == pytest.approx(least - most, abs=2 * step) and r.gap > 0.1
    else:
        assert (r.least, r.most) == pytest.approx((0.2769, 0.7231), abs=1e-4)


def test_lesson_5_the_range_sentence_names_each_side_against_its_own_alternative():
    """The US's limit is the largest package for which it prefers the deal to its own best alternative
    (no offer, by the brute-force values there), Israel's the smallest for which it prefers it to
    rejecting; the sentence says so, and 'the most the US would give', never 'the most US accepts'."""
    sc = scenario("default")
    sol = solve(sc, values={"package": 0.7231})
    v, us = dict(sol.node_values), list(sol.players).index("us")
    assert v["israel_without_offer"][us] > v["israel_after_sharing"][us]  # no offer is the US's best alternative
    assert bargaining_range(sc, parameter="package").sentence(sc) == (
        "Israel prefers the deal to its alternative (\u201cReject\u201d) when the size of the intelligence package "
        "is at least 0.277 (the least it accepts); the US prefers it to its best alternative (\u201cNo offer\u201d) "
        "when it is at most 0.723 (the most the US would give). The range is 0.277 to 0.723.")
    none = scenario("no_bargaining_range")
    text = bargaining_range(none, parameter="package").sentence(none)
    assert text.startswith("No deal is possible: the least size of the intelligence package Israel accepts (0.72) "
                           "exceeds the most the US would give (0.59) by 0.13. ")
    assert "best alternative (\u201cNo offer\u201d) when it is at most 0.59" in text and "most US accepts" not in text


def test_the_glossary_defines_the_bargaining_range_against_each_sides_own_alternative():
    import tomllib

    from .conftest import ROOT

    terms = tomllib.loads((ROOT / "ui" / "content" / "glossary.toml").read_text(encoding="utf-8"))["terms"]
    entry = terms["bargaining_range"]
    assert entry["term"] == "Bargaining range"
    assert "own best alternative" in entry["text"] and "no deal is possible" in entry["text"]
