"""Gambit ``.efg`` games with one player's private type (``model.files.efg_types``): read when chance draws
the type at the root and the other players' matching nodes share an information set, written back by
``to_efg``; every other information set refused in one line naming it (the reader and the CLI).

The presets survive ``to_efg`` -> ``parse_efg`` with the same perfect Bayesian equilibria; a textbook
beer-quiche written by hand in Gambit's format gives its two pooling equilibria; the Gambit conformance
corpus (``../shared/games/gambit``), each game given a private type for player 1 by a writer here (from
pygambit's reading of the file, not ours), reads and its equilibria are pure Nash equilibria by pygambit's
own payoffs and regrets, or is refused in one line.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ScenarioError, load_scenario, loads_scenario, to_efg
from model.cli import main
from model.core.perfect_bayesian import perfect_bayesian
from model.files.efg import parse_efg
from model.files.scenario_io import dumps_scenario

from .conftest import CORPUS, CORPUS_REASON, GAMBIT_CORPUS, ROOT

try:
    import pygambit as gbt
except ImportError:  # the reader's own tests run without it; the checks against pygambit skip (or fail in CI)
    gbt = None
# .ci/run sets REQUIRE_GAMBIT=1: there a missing pygambit fails these tests instead of skipping them
needs_gambit = pytest.mark.skipif(gbt is None and os.environ.get("REQUIRE_GAMBIT") != "1",
                                  reason="pygambit is not installed (pip install -e '.[gambit]'; .ci/run does)")
from .gambit_exact import read_gambit_tree


# Cho and Kreps (1987), as a teacher would type it in Gambit's format: the receiver's two nodes after each
# breakfast share one information set (the second member in the short form), the sender's are alone.
TEXTBOOK = """EFG 2 R "Beer-quiche (Cho and Kreps 1987)" { "Sender" "Receiver" }
"Chance draws the sender's type; the sender knows it and chooses its breakfast; the receiver sees the
breakfast, not the type, and chooses whether to duel."

c "" 1 "Is the sender weak or strong?" { "Weak" 1/10 "Strong" 9/10 } 0
p "" 1 1 "Weak sender" { "Beer" "Quiche" } 0
p "" 2 1 "After beer" { "Duel" "Don't" } 0
t "" 1 "Beer, duel" { 0, 1 }
t "" 2 "Beer, no duel" { 2, 0 }
p "" 2 2 "After quiche" { "Duel" "Don't" } 0
t "" 3 "Quiche, duel" { 1, 1 }
t "" 4 "Quiche, no duel" { 3, 0 }
p "" 1 2 "Strong sender" { "Beer" "Quiche" } 0
p "" 2 1 0
t "" 5 "Beer, duel" { 1, 0 }
t "" 6 "Beer, no duel" { 3, 1 }
p "" 2 2 0
t "" 7 "Quiche, duel" { 0, 0 }
t "" 8 "Quiche, no duel" { 2, 1 }
"""

STRONG_RECEIVER = 'p "" 2 1 0\nt "" 5'  # the strong type's receiver after beer


def equilibria(scenario, values=None) -> tuple[list, list]:
    """The equilibria as names survive a trip through ``.efg``: (structure, numbers) per equilibrium.
    Structure: kind, intuitive, the uninformed strategy (node id -> action label), each type's label and
    choices; numbers: each type's prior and utilities, the expected payoffs."""
    def words(moves):
        return tuple((n, next(a.label for a in scenario.node(n).actions if a.id == act)) for n, act in moves)

    found = perfect_bayesian(scenario, values=values).equilibria
    shape = [(e.kind, e.intuitive, words(e.strategy), tuple((t.label, words(t.choices)) for t in e.types))
             for e in found]
    numbers = [[*(x for _, x in e.payoffs), *(t.prior for t in e.types), *(u for t in e.types for u in t.utility)]
               for e in found]
    return shape, numbers


def one_line(err: ScenarioError, name: str) -> str:
    message = str(err)
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"{name}: "), message
    return message


# ------------------------------------------------------------------ 1. the presets through .efg and back


@pytest.mark.parametrize("name, values, count", [
    ("beer_quiche", {}, 2), ("beer_quiche", {"p_weak": 0.7}, 0), ("screening", {}, 1), ("screening", {"p_high": 0.6}, 1),
    ("screening", {"p_high": 0.375}, 2),
])
def test_preset_round_trips_with_the_same_equilibria(name, values, count):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    read = parse_efg(to_efg(scenario, values=values))
    informed = [p.id for p in scenario.players].index(scenario.uncertainty.player)
    assert read.uncertainty.player == read.players[informed].id
    assert [t.label for t in read.uncertainty.types] == [t.label for t in scenario.uncertainty.types]
    shape, numbers = equilibria(scenario, values)
    got_shape, got_numbers = equilibria(read)
    assert len(shape) == count and got_shape == shape
    assert got_numbers == [pytest.approx(row, abs=1e-12) for row in numbers]


@pytest.mark.parametrize("name", ["beer_quiche", "screening"])
def test_a_read_game_is_a_valid_scenario_and_exports_to_itself(name):
    """The scenario read from the .efg passes the scenario files' own validation (as TOML), and writing it
    to .efg and reading that again changes nothing."""
    read = parse_efg(to_efg(load_scenario(ROOT / "scenarios" / f"{name}.toml")))
    again = loads_scenario(dumps_scenario(read, fmt=".toml"), name="read.toml")
    assert again.uncertainty == read.uncertainty
    assert equilibria(again) == equilibria(read)
    text = to_efg(read)
    assert to_efg(parse_efg(text)) == text


# ------------------------------------------------------------------------ 2. a textbook game by hand


def test_textbook_beer_quiche_gives_its_two_pooling_equilibria():
    scenario = parse_efg(TEXTBOOK)
    u = scenario.uncertainty
    assert u.player == "p1" and u.label == "Is the sender weak or strong?"
    assert [(t.label, t.prior.value({})) for t in u.types] == [("Weak", 0.1), ("Strong", 0.9)]
    labels = {n.id: n.label for n in scenario.nodes}
    shape, numbers = equilibria(scenario)
    by_strategy = {tuple((labels[n], a) for n, a in s[2]): (s, x) for s, x in zip(shape, numbers)}
    beer = (("After beer", "Don't"), ("After quiche", "Duel"))
    quiche = (("After beer", "Duel"), ("After quiche", "Don't"))
    assert set(by_strategy) == {beer, quiche}
    for strategy, breakfast, payoffs, intuitive in [(beer, "Beer", [2.9, 0.9], True),
                                                    (quiche, "Quiche", [2.1, 0.9], False)]:
        (kind, survives, _, types), x = by_strategy[strategy]
        assert kind == "pooling" and survives is intuitive
        assert [dict(choices)[next(n.id for n in scenario.nodes if n.label == "Sender moves")]
                for _, choices in types] == [breakfast, breakfast]
        assert x[:2] == pytest.approx(payoffs, abs=1e-12)


@needs_gambit
def test_textbook_equilibria_are_pure_nash_equilibria_for_pygambit():
    scenario = parse_efg(TEXTBOOK)
    found = perfect_bayesian(scenario).equilibria
    assert len(found) == 2
    game = gbt.read_efg(io.StringIO(TEXTBOOK))
    sender = next(n.id for n in scenario.nodes if n.kind == "decision" and n.player == "p1")
    names = {"Weak sender": (0, sender), "Strong sender": (1, sender)}
    for e in found:
        profile = game.mixed_behavior_profile(rational=True)
        for infoset in game.infosets:
            if infoset.player.is_chance:
                continue
            if infoset.label in names:
                k, node = names[infoset.label]
                action = dict(e.types[k].choices)[node]
            else:
                node = next(n.id for n in scenario.nodes if n.label == infoset.label)
                action = dict(e.strategy)[node]
            chosen = [a.id for a in scenario.node(node).actions].index(action)
            for j, a in enumerate(infoset.actions):
                profile[a] = Fraction(int(j == chosen))
        assert profile.max_regret() == 0
        assert [float(profile.payoff(p)) for p in game.players] == pytest.approx([x for _, x in e.payoffs], abs=1e-12)


def test_cli_solves_a_typed_efg(tmp_path):
    path = tmp_path / "beer_quiche.efg"
    path.write_text(TEXTBOOK)
    proc = subprocess.run([sys.executable, "-m", "model", "solve", str(path)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert "Sender's type is private (prior: Weak 0.10, Strong 0.90)." in proc.stdout
    assert "2 equilibria: 2 pooling." in proc.stdout
    assert "Receiver at After_beer: Don't; Receiver at After_quiche: Duel" in proc.stdout


# ------------------------------------------------------------------ 3. everything else: one line each

def _swap_receiver_sets(text: str) -> str:
    """The strong type's receiver: after beer in set 2, after quiche in set 1 (crossed)."""
    return text.replace('p "" 2 1 0\nt "" 5', 'p "" 2 9 0\nt "" 5').replace(
        'p "" 2 2 0\nt "" 7', 'p "" 2 1 0\nt "" 7').replace('p "" 2 9 0', 'p "" 2 2 0')


TWICE = """EFG 2 R "The sender moves twice" { "Sender" "Receiver" }
""
c "" 1 "" { "A" 1/2 "B" 1/2 } 0
p "" 1 1 "first" { "x" "y" } 0
p "" 1 3 "second" { "u" "v" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 0, 0 }
t "" 3 "" { 0, 1 }
p "" 1 2 "first" { "x" "y" } 0
p "" 1 3 0
t "" 4 "" { 2, 0 }
t "" 5 "" { 0, 0 }
t "" 6 "" { 0, 1 }
"""

LOTTERY = """EFG 2 R "A lottery after the type" { "Sender" "Receiver" }
""
c "" 1 "" { "A" 1/2 "B" 1/2 } 0
p "" 1 1 "" { "x" "y" } 0
c "" 2 "" { "h" 1/2 "t" 1/2 } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 0, 1 }
t "" 3 "" { 0, 0 }
t "" 4 "" { 0, 0 }
p "" 1 2 "" { "x" "y" } 0
c "" 3 "" { "h" 1/3 "t" 2/3 } 0
p "" 2 1 0
t "" 5 "" { 2, 0 }
t "" 6 "" { 0, 1 }
t "" 7 "" { 0, 0 }
t "" 8 "" { 0, 0 }
"""

# a third type, "Average", whose receiver nodes join the other two types' sets
THREE_TYPES = TEXTBOOK.replace('{ "Weak" 1/10 "Strong" 9/10 }', '{ "Weak" 1/10 "Strong" 8/10 "Average" 1/10 }') + """\
p "" 1 3 "Average sender" { "Beer" "Quiche" } 0
p "" 2 1 0
t "" 9 "Beer, duel" { 1, 1 }
t "" 10 "Beer, no duel" { 3, 0 }
p "" 2 2 0
t "" 11 "Quiche, duel" { 0, 1 }
t "" 12 "Quiche, no duel" { 2, 0 }
"""


def test_three_types_are_read_and_the_solver_refuses_them_in_one_line(capsys, tmp_path):
    scenario = parse_efg(THREE_TYPES)
    assert [(t.label, t.prior.value({})) for t in scenario.uncertainty.types] == [
        ("Weak", 0.1), ("Strong", 0.8), ("Average", 0.1)]
    path = tmp_path / "three.efg"
    path.write_text(THREE_TYPES)
    code = main(["solve", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == "error: uncertainty.types: 3 types: the perfect Bayesian solver handles one or two types\n"


REFUSED = [
    pytest.param(TEXTBOOK.replace('c "" 1 "Is the sender weak or strong?" { "Weak" 1/10 "Strong" 9/10 } 0',
                                  'p "" 2 5 "Who?" { "Weak" "Strong" } 0'),
                 ("player 2's information set 1: imperfect information", "the root is not a chance node"),
                 id="root-is-not-chance"),
    pytest.param(_swap_receiver_sets(TEXTBOOK),
                 ("player 2's information set 1: joins nodes that are not the same move in different types' "
                  "subtrees",), id="joins-different-moves"),
    pytest.param(THREE_TYPES.replace('p "" 1 3 "Average sender" { "Beer" "Quiche" } 0\np "" 2 1 0',
                                     'p "" 1 3 "Average sender" { "Beer" "Quiche" } 0\np "" 2 3 "" { "Duel" "Don\'t" } 0'),
                 ("player 2's information set 1: joins the copies of one move in only 2 of the 3 types' subtrees",),
                 id="joins-some-types"),
    pytest.param(TWICE, ("player 1's information set 3: the informed player's information set holds 2 "
                         "nodes",), id="informed-player-joined"),
    pytest.param(LOTTERY, ("the file's node 10: a chance node below the root draws with different probabilities in "
                           "different types' subtrees: 1/2, 1/2 for 'A' but 1/3, 2/3 for 'B'",), id="chance-below-root-differs"),
    pytest.param(TEXTBOOK.replace('"Strong sender" { "Beer" "Quiche" }', '"Strong sender" { "Beer" "Wine" }'),
                 ("the file's node 9: the subtrees of the types 'Weak' and 'Strong' differ here", "the actions are Beer, Wine"),
                 id="subtrees-differ"),
    pytest.param(TEXTBOOK.replace(STRONG_RECEIVER, 'p "" 2 3 "After beer" { "Duel" "Don\'t" } 0\nt "" 5'),
                 ("Sender and Receiver both see the type drawn at the root",), id="two-players-see"),
    pytest.param(TEXTBOOK.replace('p "" 1 2 "Strong sender"', 'p "" 1 1 "Strong sender"'),
                 ("no player sees the type drawn at the root",), id="nobody-sees"),
    pytest.param(TEXTBOOK.replace("{ 1, 0 }", "{ 0, 1 }").replace("{ 3, 1 }", "{ 2, 0 }").replace(
        "{ 0, 0 }", "{ 1, 1 }").replace("{ 2, 1 }", "{ 3, 0 }"),
                 ("the types drawn at the root change no payoff",), id="types-change-nothing"),
    pytest.param(TEXTBOOK.replace(STRONG_RECEIVER, 'p "" 2 1 "" { "Duel" "Flee" } 0\nt "" 5'),
                 ("player 2's information set 1 is listed twice with different actions",), id="two-action-lists"),
]


@pytest.mark.parametrize("text, must", REFUSED)
def test_every_other_information_set_is_refused_in_one_line_naming_it(text, must):
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, name="game.efg")
    message = one_line(info.value, "game.efg")
    for part in must:
        assert part in message
    assert message.count("information set") <= 4  # names the construct, not a list of every node


@pytest.mark.parametrize("text, must", REFUSED)
def test_cli_refuses_with_status_2_and_one_error_line(capsys, tmp_path, text, must):
    path = tmp_path / "game.efg"
    path.write_text(text)
    code = main(["solve", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: ") and must[0] in err


# ---------------------------------------------------- 4. the Gambit corpus, given a private type each


def typed_variant(game, *, informed: int = 0, join_informed: bool = False) -> str:
    """The corpus game (pygambit's tree) with a private type for player ``informed``: chance draws T1 (1/3)
    or T2 (2/3); T2 has that player's payoffs u -> 1 - u; every other player's node is joined with its copy
    (information set ``n<k>``), the informed player's is alone (``n<k>@T<t>``) unless ``join_informed``."""
    root = read_gambit_tree(game)
    names = " ".join('"' + (p.label or f"P{j + 1}").replace('"', "'") + '"' for j, p in enumerate(game.players))
    lines = [f'EFG 2 R "typed" {{ {names} }}', '""', 'c "type" 1 "Type" { "T1" 1/3 "T2" 2/3 } 0']
    n_outcomes = [0]

    def emit(g, acc, t):
        if g.pay is not None:
            acc = tuple(a + b for a, b in zip(acc, g.pay))
        name = f"n{g.index}@T{t + 1}"
        if g.kind == "t":
            pay = [(1 - x if t == 1 and j == informed else x) for j, x in enumerate(acc)]
            n_outcomes[0] += 1
            lines.append(f't "{name}" {n_outcomes[0]} "" {{ {", ".join(str(x) for x in pay)} }}')
            return
        acts = " ".join('"' + a.replace('"', "'") + '"' for a in g.labels)
        if g.kind == "c":
            moves = " ".join(f'"{a}" {p}' for a, p in zip(g.labels, g.probs))
            lines.append(f'c "{name}" {2 * g.index + t + 2} "" {{ {moves} }} 0')
        elif g.player == informed and not join_informed:
            lines.append(f'p "{name}" {g.player + 1} {2 * g.index + t + 1} "{name}" {{ {acts} }} 0')
        else:
            lines.append(f'p "{name}" {g.player + 1} {2 * g.index + 1} "n{g.index}" {{ {acts} }} 0')
        for kid in g.children:
            emit(kid, acc, t)

    for t in (0, 1):
        emit(root, (Fraction(0),) * len(game.players), t)
    return "\n".join(lines) + "\n"


def nash_check(scenario, text: str) -> int:
    """Every perfect Bayesian equilibrium is a pure Nash equilibrium of pygambit's reading of ``text``, with
    the same expected payoffs; the number of equilibria."""
    found = perfect_bayesian(scenario).equilibria
    game = gbt.read_efg(io.StringIO(text))
    for e in found:
        profile = game.mixed_behavior_profile(rational=False)
        for infoset in game.infosets:
            if infoset.player.is_chance:
                continue
            node, _, typ = infoset.label.partition("@")
            action = dict(e.types[int(typ[1:]) - 1].choices if typ else e.strategy)[node]
            chosen = [a.id for a in scenario.node(node).actions].index(action)
            for j, a in enumerate(infoset.actions):
                profile[a] = float(j == chosen)
        assert profile.max_regret() <= 1e-9, (e.kind, e.strategy)
        assert [profile.payoff(p) for p in game.players] == pytest.approx([x for _, x in e.payoffs], abs=1e-9)
    return len(found)


# The corpus's chance nodes all draw 1/2, 1/2; this one does not (and its branches pay differently).
LOTTERY_GAME = """EFG 2 R "A lottery, then a transfer" { "Sender" "Receiver" }
""
p "" 1 1 "" { "risk" "safe" } 0
c "" 1 "" { "win" 1/3 "lose" 2/3 } 0
p "" 2 1 "" { "pay" "keep" } 0
t "" 1 "" { 3, 0 }
t "" 2 "" { 0, 2 }
p "" 2 2 "" { "pay" "keep" } 0
t "" 3 "" { 1, 1 }
t "" 4 "" { 0, 0 }
t "" 5 "" { 1, 1 }
"""


@needs_gambit
def test_a_chance_node_below_the_root_keeps_its_probabilities():
    text = typed_variant(gbt.read_efg(io.StringIO(LOTTERY_GAME)))
    scenario = loads_scenario(text, name="lottery.efg")
    lottery = next(n for n in scenario.nodes if n.kind == "chance")
    assert [(a.label, a.probability.value({})) for a in lottery.actions] == [("win", 1 / 3), ("lose", 2 / 3)]
    assert nash_check(scenario, text) >= 1


@pytest.mark.skipif(not GAMBIT_CORPUS.is_dir(), reason=CORPUS_REASON)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_game_reads_or_is_refused_in_one_line_from_the_cli(capsys, path):
    code = main(["solve", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("error: ")


def check_typed_variant(path) -> tuple[bool, int]:
    """Read the corpus game at ``path`` with a private type for player 1: refused in one line only when player 1
    never moves, read as perfect information when no one else does, else typed with pure-Nash equilibria.
    Returns whether it was read with a type, and its number of equilibria."""
    game = gbt.read_efg(str(path))
    text = typed_variant(game)
    movers = {g.player for g in _preorder(read_gambit_tree(game)) if g.kind == "p"}
    try:
        scenario = loads_scenario(text, name=path.name)
    except ScenarioError as err:
        message = one_line(err, path.name)
        assert 0 not in movers and "no player sees the type" in message, message
        return False, 0
    if movers <= {0}:  # only the informed player moves: perfect information, read as such
        assert scenario.uncertainty is None
        return False, 0
    assert scenario.uncertainty is not None and scenario.uncertainty.player == "p1"
    return True, nash_check(scenario, text)


@pytest.mark.skipif(not GAMBIT_CORPUS.is_dir(), reason=CORPUS_REASON)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@needs_gambit
def test_corpus_game_with_a_private_type_reads_and_its_equilibria_are_nash(path):
    check_typed_variant(path)


@pytest.mark.skipif(not GAMBIT_CORPUS.is_dir(), reason=CORPUS_REASON)
@needs_gambit
def test_most_corpus_games_were_read_with_a_private_type(capsys):
    results = [check_typed_variant(path) for path in CORPUS]
    read, found = sum(r for r, _ in results), sum(n for _, n in results)
    with capsys.disabled():
        print(f"\ntyped corpus: {read} of {len(CORPUS)} games read with a private type for player 1, {found} "
              "equilibria, all pure Nash equilibria for pygambit")
    assert read >= 15 and found >= read


@pytest.mark.skipif(not GAMBIT_CORPUS.is_dir(), reason=CORPUS_REASON)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@needs_gambit
def test_corpus_game_with_the_informed_player_joined_is_refused_in_one_line(path):
    game = gbt.read_efg(str(path))
    text = typed_variant(game, join_informed=True)
    try:
        scenario = loads_scenario(text, name=path.name)
    except ScenarioError as err:
        assert "no player sees the type drawn at the root" in one_line(err, path.name)
        return
    assert scenario.uncertainty is None  # no player node at all: nothing is joined


def _preorder(g):
    yield g
    for kid in g.children:
        yield from _preorder(kid)


# ------------------------------------------------------------------------- 5. never a traceback


SEEDS = [TEXTBOOK, TWICE, LOTTERY, to_efg(load_scenario(ROOT / "scenarios" / "screening.toml"))]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mangled_typed_efg_reads_or_is_refused_in_one_line(seed, data):
    """Lines dropped, duplicated or renumbered: only ScenarioError escapes, in one line."""
    lines = seed.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        k = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["drop", "copy", "renumber", "swap"]))
        if how == "drop":
            del lines[k]
        elif how == "copy":
            lines.insert(k, lines[k])
        elif how == "renumber":
            words = lines[k].split(" ")
            j = data.draw(st.integers(0, len(words) - 1))
            words[j] = data.draw(st.sampled_from(["0", "1", "2", "3", "9", '""', "1/2"]))
            lines[k] = " ".join(words)
        else:
            m = data.draw(st.integers(0, len(lines) - 1))
            lines[k], lines[m] = lines[m], lines[k]
        if not lines:
            break
    try:
        scenario = loads_scenario("\n".join(lines), name="m.efg")
        if scenario.uncertainty is not None:
            perfect_bayesian(scenario)
    except ScenarioError as err:
        assert "\n" not in str(err)
