"""The strategic form: mixed equilibria of textbook bimatrix games, when a table counts as degenerate,
the sentence that names a non-credible threat, the size limit, and games of three players."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from model import ScenarioError, normal_form, solve
from model.analyses.normal_form import _is_degenerate, _mixed, pure_nash_cells

from .conftest import chance, decision, outcome, payoff_game


def bimatrix(A, B):
    A, B = np.asarray(A, float), np.asarray(B, float)
    return np.stack([A, B], axis=-1)


def is_nash(A, B, x, y):
    return (A @ y).max() <= x @ A @ y + 1e-9 and (x @ B).max() <= x @ B @ y + 1e-9


BATTLE = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
RPS = ([[0, -1, 1.1], [1, 0, -1], [-1, 1.2, 0]], None)


def test_battle_of_the_sexes_has_two_pure_equilibria_and_one_mixed():
    degenerate, found, note = _mixed(bimatrix(*BATTLE))
    assert not degenerate and len(found) == 3
    assert note == "3 equilibria in mixed strategies (pure ones included), by support enumeration."
    probs = sorted(tuple(np.round(np.concatenate(m.probabilities), 6)) for m in found)
    assert probs == sorted([(1, 0, 1, 0), (0, 1, 0, 1), (round(2 / 3, 6), round(1 / 3, 6), round(1 / 3, 6),
                                                        round(2 / 3, 6))])
    mixed = next(m for m in found if 0 < m.probabilities[0][0] < 1)
    assert mixed.payoffs == pytest.approx((2 / 3, 2 / 3))


def test_every_mixed_equilibrium_found_is_an_equilibrium_with_proper_probabilities():
    A = np.array(RPS[0])
    games = [bimatrix(*BATTLE), bimatrix(A, -A), bimatrix([[3, 0, 2], [1, 2, 0]], [[1, 2, 0], [3, 0, 2]]),
             bimatrix([[4, 1], [2, 3], [0, 5]], [[1, 3], [2, 0], [4, 1]])]
    for payoffs in games:
        A_, B_ = payoffs[:, :, 0], payoffs[:, :, 1]
        degenerate, found, _ = _mixed(payoffs)
        assert not degenerate and found
        for m in found:
            x, y = map(np.array, m.probabilities)
            assert (x >= 0).all() and (y >= 0).all() and x.sum() == pytest.approx(1) and y.sum() == pytest.approx(1)
            assert is_nash(A_, B_, x, y)
            assert m.payoffs == pytest.approx((x @ A_ @ y, x @ B_ @ y))
    rps = _mixed(games[1])[1]
    assert len(rps) == 1 and all(0.2 < p < 0.5 for p in np.concatenate(rps[0].probabilities))


def test_a_table_is_degenerate_when_a_best_reply_is_tied_within_the_tolerance():
    tol = 1e-9
    assert _is_degenerate(np.array([[1.0, 0.0], [1.0 - tol, 2.0]]), np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert _is_degenerate(np.array([[1.0, 0.0, 5.0], [0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 3.0]]))
    three_by_two = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    assert _is_degenerate(three_by_two, np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
    assert not _is_degenerate(three_by_two, np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.5]]))
    degenerate, found, note = _mixed(bimatrix([[1, 1], [1, 0]], [[1, 0], [0, 1]]))
    assert degenerate and found == ()
    assert note == ("The strategic form is degenerate (against some pure strategy a player has tied best replies, "
                    "as strategy tables from game trees usually do), so its mixed equilibria come in continua; "
                    "only the pure equilibria are listed.")


def entry():
    return payoff_game({"entrant": "Entrant", "incumbent": "Incumbent"}, "enter", {
        "enter": decision("entrant", ("stay_out", "out"), ("enter", "respond")),
        "respond": decision("incumbent", ("fight", "war"), ("accommodate", "share")),
        "out": outcome(0, 2), "war": outcome(-1, -1), "share": outcome(1, 1)})


def test_a_non_credible_threat_is_named_with_both_values():
    nf = normal_form(entry())
    (threatened,) = [e for e in nf.equilibria if not e.subgame_perfect]
    (t,) = threatened.threats
    assert (t.player, t.node, t.action, t.better) == ("incumbent", "respond", "fight", "accommodate")
    assert (t.value, t.better_value) == (-1.0, 1.0)
    assert t.sentence == ("Incumbent plans \u201cfight\u201d at \u201crespond\u201d, but once there Incumbent prefers "
                          "\u201caccommodate\u201d: 1.00 vs -1.00. The plan is not credible.")


def test_replies_tied_within_the_tolerance_are_all_best_and_none_is_a_threat():
    tol = 1e-9
    game = payoff_game({"a": "Ann", "b": "Bob"}, "first", {
        "first": decision("a", ("left", "reply"), ("right", "o3")),
        "reply": decision("b", ("up", "o1"), ("down", "o2")),
        "o1": outcome(2, 1.0 - tol), "o2": outcome(1, 1.0), "o3": outcome(0, 0)})
    nf = normal_form(game)
    assert len(nf.equilibria) == 2 and all(e.subgame_perfect and not e.threats for e in nf.equilibria)


def test_the_subgame_perfect_equilibria_are_those_of_the_values_given():
    """With ``values``, the strategic form and its credibility check use those values, not the defaults."""
    game = payoff_game({"a": "Ann", "b": "Bob"}, "first", {
        "first": decision("a", ("in", "reply"), ("out", "o3")),
        "reply": decision("b", ("share", "o1"), ("fight", "o2")),
        "o1": outcome(1, "x"), "o2": outcome(-1, 0.5), "o3": outcome(0, 1)},
        parameters={"x": {"label": "x", "default": 0.9, "min": 0.0, "max": 1.0, "step": 0.1}})
    for x in (0.9, 0.1):
        nf = normal_form(game, values={"x": x})
        spe = solve(game, values={"x": x})
        credible = [e for e in nf.equilibria if e.subgame_perfect]
        assert [e.payoffs for e in credible] == [tuple(v for _, v in spe.payoffs)]


def test_a_strategic_form_too_large_to_show_is_refused_with_its_size():
    """60 strategies for each of three players: 216,000 cells, above the 200,000 shown."""
    nodes = {"root": decision("a", ("to_b", "nb"), ("to_c", "nc"), *[(f"m{k}", f"r{k}") for k in range(58)]),
             "nb": decision("b", *[(f"b{k}", f"ob{k}") for k in range(60)]),
             "nc": decision("c", *[(f"c{k}", f"oc{k}") for k in range(60)])}
    for k in range(60):
        nodes[f"ob{k}"], nodes[f"oc{k}"] = outcome(0, k, 0), outcome(0, 0, k)
    for k in range(58):
        nodes[f"r{k}"] = outcome(k, 0, 0)
    with pytest.raises(ScenarioError) as err:
        normal_form(payoff_game({"a": "Ann", "b": "Bob", "c": "Cy"}, "root", nodes))
    assert err.value.message == "the strategic form would have 216,000 cells; at most 200,000 are shown"


def test_three_players_get_pure_equilibria_and_a_note_instead_of_mixed_ones():
    game = payoff_game({"a": "Ann", "b": "Bob", "c": "Cy"}, "n1", {
        "n1": decision("a", ("l", "n2"), ("r", "o3")),
        "n2": decision("b", ("l", "n3"), ("r", "o2")),
        "n3": decision("c", ("l", "o0"), ("r", "o1")),
        "o0": outcome(3, 3, 3), "o1": outcome(0, 0, 0), "o2": outcome(1, 1, 1), "o3": outcome(2, 2, 2)})
    nf = normal_form(game)
    assert nf.degenerate and nf.mixed == ()
    assert nf.mixed_note == "Mixed equilibria are computed for two-player games only."
    assert nf.payoffs.shape == (2, 2, 2, 3)
    for cell in itertools.product(range(2), range(2), range(2)):
        is_eq = any(e.profile == cell for e in nf.equilibria)
        best = all(nf.payoffs[cell][i] >= max(nf.payoffs[cell[:i] + (s,) + cell[i + 1:]][i] for s in range(2)) - 1e-9
                   for i in range(3))
        assert is_eq == best


def test_a_tie_in_the_column_players_replies_within_the_tolerance_is_degenerate():
    tol = 1e-9
    assert _is_degenerate(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0 - tol], [0.0, 1.0]]))


def test_strategies_are_labelled_question_by_question_in_reading_order():
    game = payoff_game({"a": "Ann", "b": "Bob"}, "first", {
        "first": decision("a", ("left", "reply"), ("right", "again")),
        "reply": decision("b", ("up", "o1"), ("down", "o2")),
        "again": decision("a", ("stay", "o3"), ("go", "o4")),
        "o1": outcome(1, 0), "o2": outcome(0, 1), "o3": outcome(2, 2), "o4": outcome(0, 0)})
    nf = normal_form(game)
    assert nf.labels[0] == ("first \u2192 left", "first \u2192 right | again \u2192 stay",
                            "first \u2192 right | again \u2192 go")
    assert nf.labels[1] == ("reply \u2192 up", "reply \u2192 down")
    alone = payoff_game({"a": "Ann", "b": "Bob"}, "first", {
        "first": decision("a", ("l", "o1"), ("r", "o2")), "o1": outcome(1, 0), "o2": outcome(0, 1)})
    assert normal_form(alone).labels[1] == ("(no move)",)


def test_credibility_is_judged_with_the_values_given_where_a_plan_is_silent():
    """Ann stays out or comes in; Bob fights or shares; after sharing Ann keeps (2) or grabs (4x), and
    grabbing hurts Bob. A strategy that stays out says nothing about grabbing, so whether Bob's fight
    is credible depends on what Ann would do there at the values given: credible from x = 0.5 on."""
    game = payoff_game({"a": "Ann", "b": "Bob"}, "root", {
        "root": decision("a", ("out", "o_out"), ("in", "bob")),
        "bob": decision("b", ("fight", "o_f"), ("share", "ann2")),
        "ann2": decision("a", ("keep", "o_k"), ("grab", "o_g")),
        "o_out": outcome(1, 2), "o_f": outcome(0, 0), "o_k": outcome(2, 1), "o_g": outcome("4 * x", -1)},
        parameters={"x": {"label": "x", "default": 0.3, "min": 0.0, "max": 1.0, "step": 0.1}})
    for x, credible in ((0.3, False), (0.7, True)):
        nf = normal_form(game, values={"x": x})
        (stay_out,) = [e for e in nf.equilibria if e.payoffs == (1.0, 2.0)]
        assert stay_out.subgame_perfect is credible


def test_a_strategy_reads_in_the_order_of_the_tree_not_of_its_levels():
    """Ann moves at x (deep in the first branch) and at y (shallow in the second): her strategies name
    x first, as a reader walking the tree meets it."""
    game = payoff_game({"a": "Ann", "b": "Bob"}, "root", {
        "root": chance(("h", 0.5, "bob"), ("t", 0.5, "y")),
        "bob": decision("b", ("b1", "x"), ("b2", "o1")),
        "x": decision("a", ("x1", "o2"), ("x2", "o3")),
        "y": decision("a", ("y1", "o4"), ("y2", "o5")),
        "o1": outcome(0, 0), "o2": outcome(1, 1), "o3": outcome(0, 2), "o4": outcome(2, 0), "o5": outcome(0, 1)})
    assert normal_form(game).labels[0][0] == "x \u2192 x1 | y \u2192 y1"


def test_each_side_has_its_own_strategy_prefix_derived_from_its_name():
    """Truster and Trustee share an initial: the nash report must not print "(T2, T2)"."""
    from model import load_scenario
    from model.analyses.normal_form import normal_form, strategy_prefixes

    from .conftest import ROOT

    assert strategy_prefixes(["US", "Israel"]) == ["U", "I"]
    assert strategy_prefixes(["Truster", "Trustee"]) == ["Truster", "Trustee"]
    assert strategy_prefixes(["Ann", "Anna", "Bob"]) == ["Ann", "Anna", "Bob"]
    assert strategy_prefixes(["Ann", "Ann"]) == ["P1-", "P2-"]
    for names in (["Truster", "Trustee"], ["Ann", "Anna", "Bob"], ["a", "b"], ["Entrant", "Incumbent"]):
        pre = strategy_prefixes(names)
        assert len(set(pre)) == len(pre)
    trust = load_scenario(ROOT / "scenarios" / "trust_game.toml")
    text = normal_form(trust).to_text(trust)
    assert "(Truster2, Trustee2): Truster 0.00, Trustee 0.00" in text and "T2, T2" not in text
    assert "  Trustee2. Trusted: does the trustee honour the trust? \u2192 Abuse" in text


def test_a_candidate_with_a_negative_probability_is_not_an_equilibrium():
    """Row 1 strictly dominates for the row player (3 > 0, 4 > 3), so the one equilibrium is (row 1, column 2).
    Making the row player indifferent would need the column player to play column 1 with probability -1/2
    (3y + 4(1 - y) = 3(1 - y)); the column player is made indifferent by (3/4, 1/4). That candidate is refused,
    and so is the same game with the players' roles swapped."""
    A, B = np.array([[3.0, 4.0], [0.0, 3.0]]), np.array([[1.0, 2.0], [4.0, 1.0]])
    for payoffs, pure in ((bimatrix(A, B), ((1, 0), (0, 1))), (bimatrix(B.T, A.T), ((0, 1), (1, 0)))):
        degenerate, found, note = _mixed(payoffs)
        assert not degenerate
        assert [m.probabilities for m in found] == [pure]
        assert note == "1 equilibria in mixed strategies (pure ones included), by support enumeration."


def test_an_equilibrium_whose_mix_leaves_out_a_column_of_its_support_is_listed():
    """No pure best reply is tied, yet the column player's (1/2, 1/2, 0) makes all three rows worth 1.5
    (3/2 + 0, 1/2 + 1, 1 + 1/2) and the row player's (1/3, 1/3, 1/3) makes all three columns worth 1 (each column
    of B sums to 3): a Nash equilibrium, found on the supports of three rows and three columns with the third
    column's probability 0. Likewise with the players' roles swapped."""
    A = np.array([[3.0, 0.0, 1.0], [1.0, 2.0, 0.0], [2.0, 1.0, 2.0]])
    B = np.array([[2.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 2.0, 0.0]])
    third = (1 / 3, 1 / 3, 1 / 3)
    for payoffs, x, y in ((bimatrix(A, B), third, (0.5, 0.5, 0.0)), (bimatrix(B.T, A.T), (0.5, 0.5, 0.0), third)):
        degenerate, found, _ = _mixed(payoffs)
        assert not degenerate
        A_, B_ = payoffs[:, :, 0], payoffs[:, :, 1]
        assert is_nash(A_, B_, np.array(x), np.array(y))
        assert any(np.allclose(m.probabilities[0], x) and np.allclose(m.probabilities[1], y) for m in found)


def test_best_replies_are_found_at_payoffs_far_above_the_tolerance():
    """A prisoner's dilemma in hundreds of millions (cents, say): the tie tolerance is below the payoffs' last
    digit, and defecting by both is still the one pure equilibrium."""
    scale = 3e8
    dilemma = bimatrix(scale * np.array([[3.0, 0.0], [5.0, 1.0]]), scale * np.array([[3.0, 5.0], [0.0, 1.0]]))
    assert pure_nash_cells(dilemma) == [(1, 1)]


def test_prefixes_for_names_that_do_not_start_with_a_letter_or_stand_alone():
    from model.analyses.normal_form import strategy_prefixes

    assert strategy_prefixes(["1st", "2nd"]) == ["P1-", "P2-"]  # unique, but not letters
    assert strategy_prefixes(["X-Corp", "Y-Corp"]) == ["X", "Y"]  # only the initial need be a letter
    assert strategy_prefixes(["Solo"]) == ["S"]
