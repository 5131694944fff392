"""The batched perfect Bayesian solver (``model.core.pbe_batch``) on small signalling games with known answers:
its errors (message and field), the Bayes beliefs through chance and uninformed moves, which nodes play
reaches, the free-belief intervals (``low``, ``high``) where the informed play never goes, and the ties."""

from __future__ import annotations

import numpy as np
import pytest

from model import ScenarioError, load_scenario
from model.core.backward_induction import TIE_TOLERANCE
from model.core.game import make_env
from model.core.pbe_batch import MAX_STRATEGIES, bayesian_game, belief_interval, pbe_batch

from .conftest import ROOT
from .small_games import choose, draw, end, param, scenario

TWO_TYPES = {"player": "s", "types": {
    "t1": {"label": "T1", "prior": "p", "values": {"w1": 1.0, "w2": 0.0}},
    "t2": {"label": "T2", "prior": "1 - p", "values": {"w1": 0.0, "w2": 1.0}}}}
WEIGHTS = {"p": param(0.5), "w1": param(1.0), "w2": param(0.0)}


def signal_game(*, receiver_weight: float = 0.25):
    """The sender (t1 or t2) stays (l) or moves (r); t2 always stays, t1 moves while its gain from staying ``c``
    is below 0.5. After r the receiver picks x (right against t1), y (right against t2) or z (wrong either way)."""
    return scenario(
        players={"s": ("Sender", {"gain": "w1", "stay": "w2"}), "r": ("Receiver", {"right": receiver_weight})},
        attributes={"gain": ("Gain", "higher"), "stay": ("Stay", "higher"), "right": ("Right", "higher")},
        parameters={**WEIGHTS, "c": param(0.0), "rx": param(1.0)},
        root="send",
        nodes={"send": choose("s", ("l", "stayed"), ("r", "after_r")), "stayed": end(gain="c", stay=1.0),
               "after_r": choose("r", ("x", "rx_"), ("y", "ry_"), ("z", "rz_")),
               "rx_": end(gain=0.5, right="rx"), "ry_": end(gain=0.5, right="1 - rx"), "rz_": end(gain=0.5, right=-1.0)},
        uncertainty={**TWO_TYPES, "types": {
            "t1": {"label": "T1", "prior": "p", "values": {"w1": 1.0, "w2": 0.0, "rx": 1.0}},
            "t2": {"label": "T2", "prior": "1 - p", "values": {"w1": 0.0, "w2": 1.0, "rx": 0.0}}}})


def s_index(bg, *actions: int) -> int:
    return [tuple(int(a) for a in s) for s in bg.strategies].index(actions)


# -- errors: one clear message and field per bad input


def test_a_scenario_without_types_is_refused_with_the_uncertainty_field():
    with pytest.raises(ScenarioError) as e:
        bayesian_game(load_scenario(ROOT / "scenarios" / "default.toml"))
    assert e.value.message == "this scenario has no [uncertainty] section: there are no types to solve for"
    assert e.value.field == "uncertainty"


def three_types():
    return scenario(
        players={"s": ("Sender", {"gain": "w1"}), "r": ("Receiver", {"gain": 1.0})},
        attributes={"gain": ("Gain", "higher")}, parameters={"w1": param(0.5)}, root="a",
        nodes={"a": choose("s", ("l", "e1"), ("r", "e2")), "e1": end(gain=1.0), "e2": end(gain=0.0)},
        uncertainty={"player": "s", "types": {t: {"label": t, "prior": "1/3", "values": {"w1": w}}
                                              for t, w in (("a", 0.0), ("b", 0.5), ("c", 1.0))}})


def test_three_types_are_refused_with_the_types_field():
    with pytest.raises(ScenarioError) as e:
        bayesian_game(three_types())
    assert e.value.message == "3 types: the perfect Bayesian solver handles one or two types"
    assert e.value.field == "uncertainty.types"


def chain(k: int):
    """The receiver decides at ``k`` nodes in a row (go on or stop), after the sender's one move."""
    nodes = {"a": choose("s", ("l", "r0"), ("r", "e_")), "e_": end(gain=0.0)}
    for i in range(k):
        nodes[f"r{i}"] = choose("r", ("go", f"r{i + 1}" if i + 1 < k else "last"), ("stop", f"s{i}"))
        nodes[f"s{i}"] = end(gain=0.0)
    nodes["last"] = end(gain=1.0)
    return scenario(players={"s": ("Sender", {"gain": "w1"}), "r": ("Receiver", {"gain": 1.0})},
                    attributes={"gain": ("Gain", "higher")}, parameters={"w1": param(0.5), "p": param(0.5)},
                    root="a", nodes=nodes,
                    uncertainty={"player": "s", "types": {"a": {"label": "A", "prior": "p", "values": {"w1": 0.0}},
                                                          "b": {"label": "B", "prior": "1 - p", "values": {"w1": 1.0}}}})


def test_up_to_4096_uninformed_strategies_are_solved_and_more_are_refused_with_the_count():
    assert MAX_STRATEGIES == 4096
    assert len(bayesian_game(chain(12)).strategies) == 4096
    with pytest.raises(ScenarioError) as e:
        bayesian_game(chain(13))
    assert e.value.message == ("the uninformed players have 8,192 pure strategies; the perfect Bayesian solver "
                               "enumerates at most 4,096")
    assert e.value.field == "uncertainty"


def test_a_type_that_leaves_a_typed_parameter_out_plays_with_the_scenarios_value():
    s = scenario(players={"s": ("Sender", {"gain": "w1", "stay": "w2"}), "r": ("Receiver", {"gain": 1.0})},
                 attributes={"gain": ("Gain", "higher"), "stay": ("Stay", "higher")},
                 parameters={"w1": param(0.7), "w2": param(0.5), "p": param(0.5)},
                 root="a", nodes={"a": choose("s", ("l", "e1"), ("r", "e2")), "e1": end(gain=1.0), "e2": end(stay=1.0)},
                 uncertainty={"player": "s", "types": {"a": {"label": "A", "prior": "p", "values": {"w1": 0.0, "w2": 1.0}},
                                                       "b": {"label": "B", "prior": "1 - p", "values": {"w2": 0.6}}}})
    bg = bayesian_game(s)
    assert bg.typed == ("w1", "w2")
    assert bg.type_values.tolist() == [[0.0, 1.0], [0.7, 0.6]]
    # b weighs the gain (0.7, the scenario's) above staying (0.6): it goes l; a goes r
    batch = pbe_batch(bg, *make_env(s))
    assert batch.informed_choice[0, 0, :, 0].tolist() == [1, 0]


def test_a_value_outside_its_range_at_the_first_point_is_refused():
    s = signal_game()
    env, n = make_env(s, {"c": np.array([2.0, 0.5])})
    with pytest.raises(ScenarioError) as e:
        pbe_batch(bayesian_game(s), env, n)
    assert e.value.field == "parameters.c"


# -- beliefs: Bayes's rule through chance and uninformed moves, at every point of a batch


def test_the_belief_at_the_root_is_the_prior_at_each_point_of_a_batch():
    s = load_scenario(ROOT / "scenarios" / "screening.toml")
    env, n = make_env(s, {"p_high": np.array([0.2, 0.6, 0.9])})
    batch = pbe_batch(bayesian_game(s), env, n)
    assert np.allclose(batch.belief[:, 0, 0, :], [0.2, 0.6, 0.9])
    assert np.allclose(batch.belief[:, 0, 1, :], [0.8, 0.4, 0.1])
    # the US moves at the root: its belief is never free, so no interval is given
    assert np.isnan(batch.low).all() and np.isnan(batch.high).all()
    assert batch.reached is None and batch.action_values is None and batch.node_values is None  # only with detail


def coin_game(q: float):
    """t1 goes left, t2 right; after left a coin (heads with probability q) brings the receiver in."""
    return scenario(
        players={"s": ("Sender", {"gain": "w1", "stay": "w2"}), "r": ("Receiver", {"right": 1.0})},
        attributes={"gain": ("Gain", "higher"), "stay": ("Stay", "higher"), "right": ("Right", "higher")},
        parameters={**WEIGHTS, "q": param(q)}, root="send",
        nodes={"send": choose("s", ("left", "coin"), ("right", "e_r")), "e_r": end(stay=1.0),
               "coin": draw(("heads", "q", "recv"), ("tails", "1 - q", "e_t")), "e_t": end(gain=1.0),
               "recv": choose("r", ("x", "e_x"), ("y", "e_y")), "e_x": end(gain=1.0, right=1.0), "e_y": end(gain=1.0)},
        uncertainty=TWO_TYPES)


@pytest.mark.parametrize("q", [1.0, 0.5])
def test_a_chance_move_after_the_signal_keeps_the_receivers_bayes_belief(q):
    s = coin_game(q)
    bg = bayesian_game(s)
    batch = pbe_batch(bg, *make_env(s), detail=True)
    recv = bg.game.node_ids.index("recv")
    r = bg.uninformed.index(recv)
    for si in range(len(bg.strategies)):
        assert batch.belief[si, r, :, 0].tolist() == [1.0, 0.0]  # only t1 goes left
        assert batch.reached[si, recv, :, 0].tolist() == [True, False]


def test_a_branch_of_probability_zero_is_not_reached():
    s = coin_game(0.0)
    bg = bayesian_game(s)
    batch = pbe_batch(bg, *make_env(s), detail=True)
    ids = bg.game.node_ids
    assert not batch.reached[:, ids.index("recv")].any()
    assert batch.reached[:, ids.index("e_t"), 0, 0].all() and not batch.reached[:, ids.index("e_t"), 1, 0].any()


def test_after_an_uninformed_move_the_receiver_still_learns_from_the_senders_answer():
    """The receiver asks; t1 answers yes, t2 no; after no it knows it faces t2 (the belief is fixed, not free)."""
    s = scenario(
        players={"s": ("Sender", {"gain": "w1", "stay": "w2"}), "r": ("Receiver", {"right": 1.0})},
        attributes={"gain": ("Gain", "higher"), "stay": ("Stay", "higher"), "right": ("Right", "higher")},
        parameters=WEIGHTS, root="ask",
        nodes={"ask": choose("r", ("ask", "answer"), ("skip", "e_s")), "e_s": end(),
               "answer": choose("s", ("yes", "e_yes"), ("no", "press")), "e_yes": end(gain=1.0),
               "press": choose("r", ("press", "e_p"), ("drop", "e_d")), "e_p": end(stay=1.0, right=1.0),
               "e_d": end(stay=1.0)},
        uncertainty=TWO_TYPES)
    bg = bayesian_game(s)
    batch = pbe_batch(bg, *make_env(s))
    r = bg.uninformed.index(bg.game.node_ids.index("press"))
    for si in range(len(bg.strategies)):
        assert batch.belief[si, r, :, 0].tolist() == [0.0, 1.0]
        assert np.isnan(batch.low[si, r, 0])


# -- free beliefs: the interval of the first type's probability that supports the receiver's action


def test_the_free_belief_intervals_and_the_fixed_ones_side_by_side():
    """At c = 0 t1 moves and the receiver knows it (x is right, y and z are not); at c = 1 both stay and the
    belief after r is free: x holds for P(t1) >= 1/2, y for P(t1) <= 1/2, z for none."""
    s = signal_game()
    bg = bayesian_game(s)
    env, n = make_env(s, {"c": np.array([0.0, 1.0])})
    batch = pbe_batch(bg, env, n)
    x, y, z = (s_index(bg, a) for a in range(3))
    assert batch.belief[x, 0, :, 0].tolist() == [1.0, 0.0] and np.isnan(batch.belief[x, 0, :, 1]).all()
    assert batch.equilibrium[x].tolist() == [True, True] and batch.supported[x, 0].tolist() == [True, True]
    assert batch.equilibrium[y].tolist() == [False, True] and batch.supported[y, 0].tolist() == [False, True]
    assert batch.equilibrium[z].tolist() == [False, False] and batch.supported[z, 0].tolist() == [False, False]
    for si in (x, y, z):  # fixed at c = 0: no interval
        assert np.isnan(batch.low[si, 0, 0]) and np.isnan(batch.high[si, 0, 0])
    assert batch.low[x, 0, 1] == pytest.approx(0.5) and batch.high[x, 0, 1] == 1.0
    assert batch.low[y, 0, 1] == 0.0 and batch.high[y, 0, 1] == pytest.approx(0.5)
    assert batch.low[z, 0, 1] > batch.high[z, 0, 1]  # no belief supports z
    assert batch.kind[x].tolist() == [1, 0]  # separating at c = 0, pooling at c = 1


def test_belief_interval_from_the_value_differences():
    d = lambda a, b: np.array([[a], [b]], dtype=float)  # noqa: E731  chosen minus another action, per type
    zero = d(0, 0)
    lo, hi, ok = belief_interval([d(0.25, -0.25), zero])  # better against the first type, worse against the second
    assert (lo[0], hi[0], ok[0]) == (pytest.approx(0.5), 1.0, True)
    lo, hi, ok = belief_interval([d(-0.25, 0.25), zero])
    assert (lo[0], hi[0], ok[0]) == (0.0, pytest.approx(0.5), True)
    assert not belief_interval([d(-0.5, -0.5), zero])[2][0]  # worse against both: no belief supports it
    assert belief_interval([d(-TIE_TOLERANCE, -TIE_TOLERANCE), zero])[2][0]  # worse by the tolerance: a tie
    assert not belief_interval([d(0.1, -0.9), d(-0.9, 0.1)])[2][0]  # needs P >= 0.9 and P <= 0.1


# -- ties: within the tolerance, the first listed action


def tie_game(gap: float):
    return scenario(
        players={"s": ("Sender", {"gain": "w1", "stay": "w2"}), "r": ("Receiver", {"right": 1.0})},
        attributes={"gain": ("Gain", "higher"), "stay": ("Stay", "higher"), "right": ("Right", "higher")},
        parameters=WEIGHTS, root="send",
        nodes={"send": choose("s", ("l", "e_l"), ("r", "recv")), "e_l": end(gain=1.0 - gap),
               "recv": choose("r", ("x", "e_x"), ("y", "e_y")), "e_x": end(gain=1.0, stay=1.0, right=0.0),
               "e_y": end(gain=1.0, stay=1.0, right=gap)},
        uncertainty=TWO_TYPES)


def test_a_difference_of_exactly_the_tie_tolerance_is_a_tie():
    s = tie_game(TIE_TOLERANCE)
    bg = bayesian_game(s)
    batch = pbe_batch(bg, *make_env(s))
    x = s_index(bg, 0)
    assert batch.informed_choice[x, 0, 0, 0] == 0  # t1: l is short of r by the tolerance only: first listed
    assert batch.informed_choice[x, 0, 1, 0] == 1  # t2 moves: it stays only at r
    assert batch.supported[x, 0, 0]  # x is short of y by the tolerance only: still optimal


def test_an_informed_node_with_many_actions_picks_the_right_one():
    n_actions = 130
    nodes = {"a": choose("s", *[(f"k{i}", f"e{i}") for i in range(n_actions)])}
    nodes.update({f"e{i}": end(gain=float(i == n_actions - 1) * 1.0) for i in range(n_actions)})
    s = scenario(players={"s": ("Sender", {"gain": "w1"}), "r": ("Receiver", {"gain": 1.0})},
                 attributes={"gain": ("Gain", "higher")}, parameters={"w1": param(0.5), "p": param(0.5)},
                 root="a", nodes=nodes,
                 uncertainty={"player": "s", "types": {"a": {"label": "A", "prior": "p", "values": {"w1": 0.5}},
                                                       "b": {"label": "B", "prior": "1 - p", "values": {"w1": 1.0}}}})
    batch = pbe_batch(bayesian_game(s), *make_env(s))
    assert batch.informed_choice[0, 0, :, 0].tolist() == [n_actions - 1, n_actions - 1]
