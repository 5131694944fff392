"""``nash`` with private types on small games solved by hand: strategies that leave nodes out (a player's own
earlier move rules them out) and are completed type by type before the perfect Bayesian check; the belief
Bayes's rule gives when only one type reaches a node; one type only; three players; and the limits on the size
of the form and on the number of completions, with the messages a user reads."""

from __future__ import annotations

import warnings

import pytest

from model import ScenarioError
from model.analyses.bayesian_normal_form import bayesian_normal_form

from .small_games import choose, draw, end, param, scenario

DEGENERATE = ("The strategic form is degenerate (against some pure strategy a player has tied best replies, as "
              "strategy tables from game trees usually do), so its mixed equilibria come in continua; only the pure "
              "equilibria are listed.")


ATTRIBUTES = {"gain": ("sender's gain", "higher"), "taste": ("sender's taste", "higher"),
              "right": ("receiver's gain", "higher"), "fair": ("judge's gain", "higher")}
# two types that differ only in a weight no outcome uses (a type must set some parameter)
WEAK_STRONG = {"player": "s", "types": {"weak": {"label": "Weak", "prior": "p_weak", "values": {"c": 0.0}},
                                        "strong": {"label": "Strong", "prior": "1 - p_weak", "values": {"c": 1.0}}}}


def summary(nf):
    """Each pure Nash equilibrium as (each player's strategy as data, by player id; payoffs; PBE?; reasons)."""
    return [({p: nf.choices[i][s] for i, (p, s) in enumerate(zip(nf.players, e.profile))}, e.payoffs,
             e.perfect_bayesian, e.reasons) for e in nf.equilibria]


def two_receiver_moves():
    """The sender (weak, prior 0.25, or strong) stays out (0 to both) or comes in; the receiver then stops (sender
    -1, receiver 0.5) or goes on to a second move of its own: p (1 to both) or q (sender 1, receiver 0). The
    receiver's strategy "stop" leaves its second move out. By hand: the sender comes in exactly when the receiver
    goes on with p, so the Nash equilibria are (out, out; stop), where the receiver is never reached, and
    (in, in; on then p). The first is not perfect Bayesian: completed with p, "stop" is worse than going on (0.5
    against 1) under any belief; completed with q, q is worse than p. Each completion fails once; the report
    gives the first (p, the second move's first action)."""
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
        attributes=ATTRIBUTES, parameters={"p_weak": param(0.25), "c": param(0.0)}, root="enter",
        nodes={"enter": choose("s", ("out", "outside"), ("in", "first"), label="Come in?"),
               "first": choose("r", ("stop", "stopped"), ("on", "second"), label="Stop or go on?"),
               "second": choose("r", ("p", "at_p"), ("q", "at_q"), label="P or q?"),
               "outside": end(), "stopped": end(gain=-1.0, right=0.5), "at_p": end(gain=1.0, right=1.0),
               "at_q": end(gain=1.0)},
        uncertainty=WEAK_STRONG)


def test_a_strategy_that_leaves_its_own_second_move_out_is_completed_before_the_check():
    with warnings.catch_warnings():  # no numerical warning (the command line would print it) at the unreached node
        warnings.simplefilter("error")
        nf = bayesian_normal_form(two_receiver_moves())
    out, inn = {"enter": "out"}, {"enter": "in"}
    assert nf.choices[1] == ({"first": "stop"}, {"first": "on", "second": "p"}, {"first": "on", "second": "q"})
    assert nf.choices[0] == ({"weak": out, "strong": out}, {"weak": out, "strong": inn},
                             {"weak": inn, "strong": out}, {"weak": inn, "strong": inn})
    # the table by hand: the sender gets 0 out, -1 / 1 / 1 in against stop / p / q; the receiver 0 out,
    # 0.5 / 1 / 0 in; a sender strategy weighs the weak type's play by 0.25, the strong type's by 0.75
    sender_in = (-1.0, 1.0, 1.0)
    receiver_in = (0.5, 1.0, 0.0)
    for row, share_in in enumerate((0.0, 0.75, 0.25, 1.0)):
        for col in range(3):
            assert nf.payoffs[row, col].tolist() == pytest.approx([share_in * sender_in[col],
                                                                   share_in * receiver_in[col]])
    found = summary(nf)
    assert [(c, p, pbe) for c, p, pbe, _ in found] == [
        ({"s": {"weak": out, "strong": out}, "r": {"first": "stop"}}, (0.0, 0.0), False),
        ({"s": {"weak": inn, "strong": inn}, "r": {"first": "on", "second": "p"}}, (1.0, 1.0), True)]
    assert found[0][3] == ("At \u201cStop or go on?\u201d, which no type's play reaches, no belief makes \u201cStop\u201d "
                           "Receiver's best choice.",)
    assert found[1][3] == ()
    assert nf.mixed == () and nf.mixed_note == DEGENERATE


def types_that_finish_differently():
    """The sender stays (2 to it; then the receiver gets 1 for u, 0 for d) or goes on to a second move, x or y:
    type A (prior 0.5) gets 1 for x and -1 for y, type B the reverse. Staying is best for both types, so the
    one Nash equilibrium is (stay, stay; u), with payoffs (2, 1); it is perfect Bayesian when the second move,
    which staying leaves out, is completed as each type would play it: x for A, y for B."""
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
        attributes={"gain": ("sender's gain", "higher"), "taste": ("sender's taste", "higher"),
                    "right": ("receiver's gain", "higher")},
        parameters={"c": param(0.0, -1.0, 1.0), "p_a": param(0.5)}, root="start",
        nodes={"start": choose("s", ("stay", "reply"), ("go", "pick"), label="Stay?"),
               "reply": choose("r", ("u", "at_u"), ("d", "at_d"), label="U or d?"),
               "pick": choose("s", ("x", "at_x"), ("y", "at_y"), label="X or y?"),
               "at_u": end(gain=2.0, right=1.0), "at_d": end(gain=2.0), "at_x": end(taste=1.0),
               "at_y": end(taste=-1.0)},
        uncertainty={"player": "s", "types": {"a": {"label": "A", "prior": "p_a", "values": {"c": 1.0}},
                                              "b": {"label": "B", "prior": "1 - p_a", "values": {"c": -1.0}}}})


def test_each_type_completes_the_moves_its_own_plan_leaves_out_in_its_own_way():
    nf = bayesian_normal_form(types_that_finish_differently())
    assert len(nf.choices[0]) == 9  # stay, go then x, go then y, for each type
    stay = {"start": "stay"}
    assert summary(nf) == [({"s": {"a": stay, "b": stay}, "r": {"reply": "u"}}, (2.0, 1.0), True, ())]
    # a cell by hand: A goes on to x (1), B to y (1); the receiver is never reached (0)
    a_x, b_y = (nf.choices[0].index({"a": {"start": "go", "pick": p}, "b": {"start": "go", "pick": q}})
                for p, q in (("x", "y"), ("x", "y")))
    assert nf.payoffs[a_x, 0].tolist() == pytest.approx([1.0, 0.0])


def one_type_reaches_the_receiver():
    """Type T1 (prior 0.7) gets 1 by going on and nothing by stopping; type T2 gets 2 by stopping. Going on reaches
    the receiver only with probability q = 0 (else it ends at once). The receiver gets 1 for x and -1 for y when
    the type is T1, the reverse when T2. By hand: T1 goes on, T2 stops, whatever the receiver does; both of its
    replies are Nash (it is reached with probability 0). Bayes's rule gives it the belief T1 with probability 1
    (only T1 goes on), under which y loses (-1 against 1): (on, stop; y) is not perfect Bayesian, although y
    would be best under a belief that put T2 above one half."""
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
        attributes=ATTRIBUTES,
        parameters={"c": param(0.0, 0.0, 2.0), "k": param(1.0, -1.0, 1.0), "q": param(0.0), "p1": param(0.7)},
        root="go",
        nodes={"go": choose("s", ("on", "luck"), ("stop", "stopped")),
               "luck": draw(("reach", "q", "pick"), ("miss", "1 - q", "missed")),
               "pick": choose("r", ("x", "at_x"), ("y", "at_y"), label="Reached by luck: x or y?"),
               "stopped": end(taste=1.0), "missed": end(gain=1.0), "at_x": end(gain=1.0, right="k"),
               "at_y": end(gain=1.0, right="-k")},
        uncertainty={"player": "s", "types": {"t1": {"label": "T1", "prior": "p1", "values": {"c": 0.0, "k": 1.0}},
                                              "t2": {"label": "T2", "prior": "1 - p1",
                                                     "values": {"c": 2.0, "k": -1.0}}}})


def test_the_belief_bayes_rule_gives_when_one_type_reaches_a_node_is_certainty():
    found = summary(bayesian_normal_form(one_type_reaches_the_receiver()))
    sender = {"t1": {"go": "on"}, "t2": {"go": "stop"}}
    # ex ante: T1's 1 x 0.7, T2's 2 x 0.3; the receiver gets nothing (reached with probability 0)
    assert [(c, p, pbe) for c, p, pbe, _ in found] == [({"s": sender, "r": {"pick": "x"}}, pytest.approx((1.3, 0.0)),
                                                        True),
                                                       ({"s": sender, "r": {"pick": "y"}}, pytest.approx((1.3, 0.0)),
                                                        False)]
    (sentence,) = found[1][3]
    assert sentence.startswith("At \u201cReached by luck: x or y?\u201d Receiver believes the type is \u201cT1\u201d "
                               "with probability 1.00") and sentence.endswith(
        "(prior 0.70); \u201cY\u201d is not its best choice at that belief.")


def three_players():
    """Two types that differ in nothing that matters here (prior 0.25 and 0.75). The sender stays out (1 to it) or comes in; in, the receiver picks x (1 to the receiver, 0 to
    the sender) or y (0 and 2). Out, a judge says ok (1 to the judge) or no (0). By hand the one Nash equilibrium is
    (out; x; ok) with payoffs (1, 0, 1): against x the sender loses by coming in; the receiver is never reached; the
    judge is. It is perfect Bayesian: x is the receiver's best reply whatever it believes."""
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0}),
                 "j": ("Judge", {"fair": 1.0})},
        attributes=ATTRIBUTES, parameters={"p_weak": param(0.25), "c": param(0.0)}, root="enter",
        nodes={"enter": choose("s", ("out", "judge"), ("in", "fight"), label="Come in?"),
               "judge": choose("j", ("ok", "fine"), ("no", "unfair"), label="Judge"),
               "fight": choose("r", ("x", "at_x"), ("y", "at_y"), label="X or y?"),
               "fine": end(gain=1.0, fair=1.0), "unfair": end(gain=1.0), "at_x": end(right=1.0),
               "at_y": end(gain=2.0)},
        uncertainty=WEAK_STRONG)


def test_three_players_get_their_pure_equilibria_and_a_note_instead_of_mixed_ones():
    nf = bayesian_normal_form(three_players())
    out = {"enter": "out"}
    assert summary(nf) == [({"s": {"weak": out, "strong": out}, "r": {"fight": "x"}, "j": {"judge": "ok"}},
                            (1.0, 0.0, 1.0), True, ())]
    assert nf.mixed == () and nf.mixed_note == "Mixed equilibria are computed for two-player games only."


def long_way_round(n: int):
    """Each type of the sender takes the short way (1 to it; then the receiver picks u, 1 to the receiver, or d, 0)
    or the long way: a line of n moves of its own, each going on or giving up, all ending at 0. Both types take the
    short way; the one Nash equilibrium (short, short; u) leaves out the n moves of each type: 2 ** (2 n) ways to
    fill them in. Along the line every move is as good as the other, so the first way is sequentially rational."""
    nodes = {"start": choose("s", ("short", "reply"), ("long", "l0")),
             "reply": choose("r", ("u", "at_u"), ("d", "at_d")), "at_u": end(gain=1.0, right=1.0),
             "at_d": end(gain=1.0), "done": end()}
    for k in range(n):
        nodes[f"l{k}"] = choose("s", ("on", f"l{k + 1}" if k + 1 < n else "done"), ("give_up", f"g{k}"))
        nodes[f"g{k}"] = end()
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
        attributes=ATTRIBUTES, parameters={"p_weak": param(0.5), "c": param(0.0)}, root="start", nodes=nodes,
        uncertainty=WEAK_STRONG)


def test_up_to_4096_completions_are_tried_and_more_are_refused_with_their_number():
    short = {"start": "short"}
    # 6 moves each: 2 ** 12 = 4096 ways, within the limit
    assert summary(bayesian_normal_form(long_way_round(6))) == [
        ({"s": {"weak": short, "strong": short}, "r": {"reply": "u"}}, (1.0, 1.0), True, ())]
    with pytest.raises(ScenarioError) as err:
        bayesian_normal_form(long_way_round(7))
    assert err.value.message == ("a Nash equilibrium leaves 16,384 ways to fill in the nodes its strategies rule out; "
                                 "the check of perfect Bayesian equilibrium tries at most 4,096")
    with pytest.raises(ScenarioError) as err:  # 2 ** 64 ways: counted exactly, not in 64-bit integers
        bayesian_normal_form(long_way_round(32))
    assert err.value.message.startswith("a Nash equilibrium leaves 18,446,744,073,709,551,616 ways")


def test_a_form_of_more_than_200000_cells_is_refused_with_its_size():
    """One move of the sender's with 317 actions: 317 ** 2 strategies over the two types; the receiver, after one
    of them, has 2: 200,978 cells."""
    nodes = {"start": choose("s", ("reply_first", "reply"), *[(f"a{k}", f"e{k}") for k in range(316)]),
             "reply": choose("r", ("u", "at_u"), ("d", "at_d")), "at_u": end(), "at_d": end()}
    nodes.update({f"e{k}": end() for k in range(316)})
    s = scenario(players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
                 attributes=ATTRIBUTES, parameters={"p_weak": param(0.5), "c": param(0.0)}, root="start",
                 nodes=nodes, uncertainty=WEAK_STRONG)
    with pytest.raises(ScenarioError) as err:
        bayesian_normal_form(s)
    assert err.value.message == "the Bayesian strategic form would have 200,978 cells; at most 200,000 are shown"
