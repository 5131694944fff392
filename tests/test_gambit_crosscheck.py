"""Cross-checks of our subgame-perfect equilibrium solver (``model.solve``) against pygambit.

pygambit has no subgame-perfect solver; ``pygambit.nash.enumpure_agent_solve`` lists every pure
agent-form Nash equilibrium, and a subgame-perfect equilibrium is always one of them. For each game
we assert that

1. our full behaviour profile (the choice at every decision node, on and off the path) is one of
   pygambit's pure agent equilibria, and our root payoffs equal that profile's payoffs (1e-9);
2. the profile is subgame perfect with our tie rule, checked on *pygambit's* copy of the tree in
   exact arithmetic (``_gambit_values``): at every decision node the chosen action is the first
   listed among those worth the most to the mover (within 1e-9), our reported action values match,
   and our reported ties are exactly the actions worth the same as the chosen one.

Check 2 is needed because an agent equilibrium says nothing about decision nodes that equilibrium
play never reaches (no deviation there changes any payoff), so check 1 alone cannot catch a wrong
choice off the path; the default scenario has 24 pure agent equilibria and only one of them is our
subgame-perfect one.

Games: random weight draws of the default scenario, every shipped scenario, random small
perfect-information trees with chance and ties, and the Gambit conformance corpus in
``../shared/games/gambit`` (read by our importer and, separately, by pygambit). The ``.efg`` text
pygambit reads is written by ``tests/raw.py`` from the raw scenario document, with payoffs and
probabilities computed there by Python's own arithmetic and each attribute's sense read from the file:
``model.to_efg`` takes its payoffs from the solver's own ``utilities``, so a wrong sense or formula
would reach both sides alike. ``model.to_efg`` itself is checked against that writer, apart.
"""

from __future__ import annotations

import copy
import io
import os
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest

from model import load_scenario, solve, to_efg
from model.core.scenario import Chance, Decision, Outcome
from model.files.validation import build_scenario

from . import raw
from .conftest import CORPUS, CORPUS_REASON, FULL_INFORMATION, GAMBIT_CORPUS, ROOT, chance, decision, moved_points, outcome, payoff_doc, \
    skip_unless_required
from .gambit_exact import GNode, gambit_values, preorder, pure_choice, read_gambit_tree

try:
    import pygambit as gbt  # enumpure_agent_solve is new in 16.5
except ImportError:
    skip_unless_required("REQUIRE_GAMBIT", "pygambit is not installed (pip install -e '.[gambit]'; .ci/run does)")
if tuple(int(x) for x in gbt.__version__.split(".")[:2]) < (16, 5):
    skip_unless_required("REQUIRE_GAMBIT", f"pygambit {gbt.__version__} is older than 16.5")

TOL = 1e-9  # our solver's tie tolerance (model.core.backward_induction.TIE_TOLERANCE), restated on purpose

N_DRAWS = 300
N_TREES = 150
MAX_PURE_PROFILES = 600  # enumpure_agent_solve enumerates every pure profile (~0.15 ms each)


# ------------------------------------------------------------------------------------ the check


@dataclass
class Result:
    n_equilibria: int
    ties: dict[str, set[str]]  # node id -> other actions as good as the chosen one (within 1e-9)


def crosscheck(scenario, solution, game, our_id) -> Result:
    """Assert ``solution`` (ours, for ``scenario``) against pygambit's ``game``.

    ``our_id(g)``: our node id for pygambit player node ``g``.
    """
    tree = read_gambit_tree(game)
    players = solution.players
    assert [p.id for p in scenario.players] == list(players)
    assert len(list(game.players)) == len(players)

    # map pygambit's player nodes to our decision nodes; the same mover and actions in the same order
    gnodes: dict[str, GNode] = {}
    for g in preorder(tree):
        if g.kind != "p":
            continue
        nid = our_id(g)
        assert nid not in gnodes, f"two pygambit nodes map to our node {nid!r}"
        gnodes[nid] = g
    ours = solution.choice_map
    assert set(gnodes) == set(ours), "pygambit's player nodes and our decision nodes differ"
    profile: dict[str, str] = {}
    position: dict[int, int] = {}
    for nid, g in gnodes.items():
        spec = scenario.node(nid)
        assert isinstance(spec, Decision), nid
        assert spec.player == players[g.player], f"{nid}: mover {spec.player} vs pygambit's player {g.player + 1}"
        labels = [a.label for a in spec.actions]
        assert labels == g.labels, f"{nid}: actions {labels} vs pygambit's {g.labels}"
        assert len(set(labels)) == len(labels), f"{nid}: action labels must be unique to compare profiles"
        j = [a.id for a in spec.actions].index(ours[nid])
        profile[nid] = labels[j]
        position[g.index] = j

    # 1. our profile is one of pygambit's pure agent equilibria, with the same payoffs
    equilibria = list(gbt.nash.enumpure_agent_solve(game).equilibria)
    profiles = [{nid: pure_choice(eq, g) for nid, g in gnodes.items()} for eq in equilibria]
    matches = [eq for eq, prof in zip(equilibria, profiles) if prof == profile]
    assert len(matches) == 1, (
        f"our profile {profile} is not among pygambit's {len(equilibria)} pure agent equilibria: {profiles}")
    eq = matches[0]
    gplayers = list(game.players)
    ours_pay = dict(solution.payoffs)
    for j, pid in enumerate(players):
        theirs = float(eq.payoff(gplayers[j]))
        assert abs(ours_pay[pid] - theirs) <= TOL, f"payoff to {pid}: ours {ours_pay[pid]!r}, pygambit {theirs!r}"

    # 2. subgame perfection with our tie rule, on pygambit's tree in exact arithmetic
    values = gambit_values(tree, position, len(players))
    assert values[tree.index] == tuple(Fraction(eq.payoff(p)) for p in gplayers), "exact evaluator vs pygambit"
    ties: dict[str, set[str]] = {}
    for nid, g in gnodes.items():
        spec = scenario.node(nid)
        mine = solution.choice(nid)
        vals = [values[child.index][g.player] for child in g.children]
        best = max(vals)
        first = min(j for j, v in enumerate(vals) if v >= best - TOL)
        c = position[g.index]
        assert c == first, (
            f"{nid}: we chose {g.labels[c]!r} worth {float(vals[c])}, but {g.labels[first]!r} is worth "
            f"{float(vals[first])} to {players[g.player]} (values {[float(v) for v in vals]})")
        for a, v in zip(spec.actions, vals):
            assert abs(mine.value(a.id) - float(v)) <= TOL, f"{nid}/{a.id}: ours {mine.value(a.id)}, exact {float(v)}"
        tied = {spec.actions[j].id for j, v in enumerate(vals) if j != c and abs(v - vals[c]) <= TOL}
        assert set(mine.ties) == tied, f"{nid}: we report ties {mine.ties}, exact ties {sorted(tied)}"
        if tied:
            ties[nid] = tied
    return Result(n_equilibria=len(equilibria), ties=ties)


def _by_infoset_label(g: GNode) -> str:
    """Our exporter writes our node id as each player information set's label."""
    return g.infoset_label


# ---------------------------------------------------------------- 1. random draws of the default


def test_default_scenario_random_weight_draws_match_gambit(default_scenario, capsys):
    scenario = default_scenario
    doc = raw.read(ROOT / "scenarios" / "default.toml")
    drawn = [p for p in scenario.parameters if p.id.startswith("w_")] + [scenario.parameter("p_detect")]
    assert len(drawn) == 15  # 8 US weights, 6 of Israel's, and p_detect
    rng = np.random.default_rng(20240531)
    start = time.perf_counter()
    paths: dict[tuple[str, ...], int] = {}
    n_equilibria = []
    checked = 0
    for _ in range(N_DRAWS):
        values = {p.id: float(rng.uniform(p.min, p.max)) for p in drawn}
        solution = solve(scenario, values=values)
        game = gbt.read_efg(io.StringIO(raw.efg(doc, values)))
        result = crosscheck(scenario, solution, game, _by_infoset_label)
        path = tuple(step.action or "chance" for step in solution.path)
        paths[path] = paths.get(path, 0) + 1
        n_equilibria.append(result.n_equilibria)
        checked += 1
    elapsed = time.perf_counter() - start
    assert checked == N_DRAWS >= 200
    # the draws must reach several different equilibria, or they test little
    assert len(paths) >= 3, paths
    with capsys.disabled():
        print(f"\n[gambit cross-check] default scenario: {checked} weight draws checked in {elapsed:.1f} s; "
              f"{len(paths)} distinct equilibrium paths; pure agent equilibria per draw "
              f"{min(n_equilibria)}-{max(n_equilibria)}")


# ------------------------------------------------------------------ 2. random perfect-info trees


def random_tree(rng: np.random.Generator) -> dict:
    """The raw document of a random perfect-information scenario: depth <= 4, 2-3 players, 2-3 actions per node, some
    chance nodes with simple-fraction probabilities (some zero), integer payoffs in 0..3 (ties)."""
    n_players = int(rng.integers(2, 4))
    players = {f"p{i + 1}": f"Player {i + 1}" for i in range(n_players)}
    nodes: dict[str, dict] = {}
    counter = 0

    def new_id(prefix: str) -> str:
        nonlocal counter
        counter += 1
        return f"{prefix}{counter}"

    def build(depth: int) -> str:
        if depth == 4 or (depth > 0 and rng.random() < 0.3):
            nid = new_id("t")
            nodes[nid] = outcome(*(int(x) for x in rng.integers(0, 4, n_players)))
            return nid
        k = int(rng.integers(2, 4))
        if rng.random() < 0.25:
            nid = new_id("c")
            weights = rng.integers(0, 4, k)
            if weights.sum() == 0:
                weights[0] = 1
            total = int(weights.sum())
            nodes[nid] = {}  # reserve the slot, so nodes are listed in preorder
            nodes[nid] = chance(*((f"b{j}", f"{int(w)}/{total}", build(depth + 1)) for j, w in enumerate(weights)))
        else:
            nid = new_id("d")
            mover = f"p{int(rng.integers(1, n_players + 1))}"
            nodes[nid] = {}
            nodes[nid] = decision(mover, *((f"x{j}", build(depth + 1)) for j in range(k)))
        return nid

    root = build(0)
    return payoff_doc(players, root, nodes, title=f"random tree {counter}")


def _n_pure_profiles(scenario) -> int:
    return int(np.prod([len(n.actions) for n in scenario.nodes if isinstance(n, Decision)]))


def test_random_perfect_information_trees_match_gambit(capsys):
    rng = np.random.default_rng(7)
    start = time.perf_counter()
    checked = with_ties = with_chance = three_players = redrawn = 0
    while checked < N_TREES:
        doc = random_tree(rng)
        scenario = build_scenario(copy.deepcopy(doc))
        if _n_pure_profiles(scenario) > MAX_PURE_PROFILES or not any(isinstance(n, Decision) for n in scenario.nodes):
            redrawn += 1
            continue
        solution = solve(scenario)
        game = gbt.read_efg(io.StringIO(raw.efg(doc)))
        result = crosscheck(scenario, solution, game, _by_infoset_label)
        checked += 1
        with_ties += bool(result.ties)
        with_chance += any(isinstance(n, Chance) for n in scenario.nodes)
        three_players += len(scenario.players) == 3
    elapsed = time.perf_counter() - start
    # the sample must exercise what it claims to: ties, chance and three players
    assert with_ties >= 20 and with_chance >= 20 and three_players >= 20, (with_ties, with_chance, three_players)
    with capsys.disabled():
        print(f"\n[gambit cross-check] random trees: {checked} checked in {elapsed:.1f} s "
              f"({with_ties} with ties, {with_chance} with chance, {three_players} with 3 players; "
              f"{redrawn} redrawn: no decision node, or more than {MAX_PURE_PROFILES} pure profiles)")


@pytest.mark.parametrize("path", FULL_INFORMATION, ids=lambda p: p.name)
def test_shipped_scenarios_match_gambit(path):
    scenario, doc = load_scenario(path), raw.read(path)
    for point in [{}, *moved_points(scenario)]:
        game = gbt.read_efg(io.StringIO(raw.efg(doc, point)))
        crosscheck(scenario, solve(scenario, values=point), game, _by_infoset_label)


# -------------------------------------------------- model.to_efg against the tests' own .efg writer


def same_gambit_game(ours: str, reference: str) -> None:
    """Two .efg texts describe the same game, as pygambit reads them: the same tree, players, labels
    and information-set labels, exactly the same probabilities, payoffs within 1e-9."""
    a, b = gbt.read_efg(io.StringIO(ours)), gbt.read_efg(io.StringIO(reference))
    assert a.title == b.title and [p.label for p in a.players] == [p.label for p in b.players]
    ta, tb = list(preorder(read_gambit_tree(a))), list(preorder(read_gambit_tree(b)))
    assert len(ta) == len(tb)
    for x, y in zip(ta, tb):
        assert (x.kind, x.player, x.labels, x.infoset_label) == (y.kind, y.player, y.labels, y.infoset_label)
        assert x.probs == y.probs, (x.infoset_label, x.probs, y.probs)
        assert (x.pay is None) == (y.pay is None)
        if x.pay is not None:
            assert max(abs(float(u - v)) for u, v in zip(x.pay, y.pay)) <= TOL, (x.pay, y.pay)


def test_to_efg_writes_the_same_game_as_the_reference_writer(default_scenario):
    rng = np.random.default_rng(11)
    doc = raw.read(ROOT / "scenarios" / "default.toml")
    for _ in range(40):
        values = {p.id: float(rng.uniform(p.min, p.max)) for p in default_scenario.parameters}
        same_gambit_game(to_efg(default_scenario, values=values), raw.efg(doc, values))
    for path in FULL_INFORMATION:
        same_gambit_game(to_efg(load_scenario(path)), raw.efg(raw.read(path)))
    for _ in range(40):
        doc = random_tree(rng)
        same_gambit_game(to_efg(build_scenario(copy.deepcopy(doc))), raw.efg(doc))


# ------------------------------------------------------------------------- 3. the Gambit corpus

# games where the action the mover chooses is worth exactly as much to it as another action (checked
# by hand). Ties among actions the mover does not choose (tests-2_player_PI_2_dev_off_eq_path_const_sum:
# four losing actions worth 0) are not ties in our sense: NodeChoice.ties lists only actions tied with
# the chosen one.
CORPUS_WITH_TIES = {
    "books-shohamleytonbrown2008-fig5_1.efg",
    "tests-3_player_PI_2_dev_off_eq_path.efg",
    "tests-3_player_PI_2_dev_off_eq_path_strict_dom_for_p1.efg",
    "tests-3_player_perfect_info_1_move_each.efg",
    "tests-perfect_info_with_chance.efg",
    "tests-sample_extensive_game.efg",
    "tests-two_player_perfect_info_win_lose.efg",
    "tests-two_player_perfect_info_win_lose_with_nonterm_outcomes.efg",
}


def test_gambit_corpus_is_present():
    if not GAMBIT_CORPUS.is_dir():
        if os.environ.get("REQUIRE_GAMBIT_CORPUS") == "1":
            pytest.fail(f"{CORPUS_REASON}, but REQUIRE_GAMBIT_CORPUS=1", pytrace=False)
        pytest.skip(CORPUS_REASON)
    assert len(CORPUS) >= 20, CORPUS


@pytest.mark.skipif(not GAMBIT_CORPUS.is_dir(), reason=CORPUS_REASON)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_gambit_corpus_game_matches_gambit(path):
    scenario = load_scenario(path)  # our .efg reader
    solution = solve(scenario)
    game = gbt.read_efg(str(path))  # pygambit's reader, independent of ours
    tree = read_gambit_tree(game)

    # our importer names nodes n0, n1, ... in the file's preorder; so does this walk of pygambit's tree
    walked = list(preorder(tree))
    assert len(walked) == len(scenario.nodes)
    kinds = {"p": Decision, "c": Chance, "t": Outcome}
    for g in walked:
        assert isinstance(scenario.node(f"n{g.index}"), kinds[g.kind]), (g.index, g.kind)
    assert scenario.root == "n0"

    result = crosscheck(scenario, solution, game, lambda g: f"n{g.index}")
    if path.name in CORPUS_WITH_TIES:
        assert result.ties, "pygambit's payoffs show a tie at a chosen action"
        assert solution.ties, "we must report the ties, not hide them"
    else:
        assert not result.ties and not solution.ties
