"""Cross-check: every perfect Bayesian equilibrium we report is a pure Nash equilibrium of the Bayesian game
according to pygambit's ``enumpure_solve`` on our exported ``.efg`` (chance draws the type; the uninformed
players' nodes are joined in information sets across types), with the same ex-ante payoffs. On the presets
and on random two-type games. The payoffs come from our own ``to_efg``: this checks the solver's equilibrium
logic (beliefs, sequential rationality), not the utility formula (``test_gambit_crosscheck.py`` does that)."""

from __future__ import annotations

import copy
import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import load_scenario, to_efg
from model.core.perfect_bayesian import perfect_bayesian
from model.files.validation import build_scenario

from .conftest import ROOT, skip_unless_required
from .strategies import scenario_docs

try:
    import pygambit as gbt
except ImportError:
    skip_unless_required("REQUIRE_GAMBIT", "pygambit is not installed (pip install -e '.[gambit]'; .ci/run does)")

COUNTS = {"equilibria": 0, "games": 0}


def _label(scenario, infosets, choice: dict[str, str]) -> str:
    """pygambit's pure strategy label: one digit (1-based action) per information set of the player."""
    digits = []
    for iset in infosets:
        node = iset.label.split("@")[0]
        actions = [a.id for a in scenario.node(node).actions]
        digits.append(str(actions.index(choice[iset.label]) + 1))
    return "".join(digits)


def crosscheck(scenario, values=None) -> int:
    r = perfect_bayesian(scenario, values=values)
    game = gbt.read_efg(io.StringIO(to_efg(scenario, values=values)))
    nash = []
    for eq in gbt.nash.enumpure_solve(game).equilibria:
        nash.append(tuple(next(s.label for s in p.strategies if eq[s] == 1) if list(p.infosets) else ""
                          for p in game.players))
    players = list(game.players)
    for e in r.equilibria:
        choice = {n: a for n, a in e.strategy}
        for t in e.types:
            choice.update({f"{n}@{t.id}": a for n, a in t.choices})
        profile = tuple(_label(scenario, list(p.infosets), choice) for p in players)
        # pygambit lists reduced strategies: '*' at an information set the player's own moves rule out
        fits = [k for k, theirs in enumerate(nash) if all(
            len(x) == len(y) and all(c == d or d == "*" for c, d in zip(x, y)) for x, y in zip(profile, theirs))]
        assert fits, f"{e.kind} {e.strategy}: {profile} is not among pygambit's pure equilibria {nash}"
        eq = gbt.nash.enumpure_solve(game).equilibria[fits[0]]
        for p, (pid, ours) in zip(players, e.payoffs):
            assert float(eq.payoff(p)) == pytest.approx(ours, abs=1e-9)
    COUNTS["equilibria"] += len(r.equilibria)
    COUNTS["games"] += 1
    return len(r.equilibria)


@pytest.mark.parametrize("name, values", [
    ("beer_quiche", {}), ("beer_quiche", {"p_weak": 0.7}), ("screening", {}), ("screening", {"p_high": 0.6}),
    ("screening", {"p_high": 0.375}),
])
def test_presets(name, values):
    crosscheck(load_scenario(ROOT / "scenarios" / f"{name}.toml"), values)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(doc=scenario_docs(max_depth=3, exprs=False), data=st.data())
def test_random_two_type_games(doc, data):
    assume(len(doc["players"]) >= 2)
    doc = copy.deepcopy(doc)
    informed = data.draw(st.sampled_from(sorted(doc["players"])))
    weight = data.draw(st.sampled_from(sorted(doc["players"][informed]["weights"].values())))
    a, b = data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=2, max_size=2, unique=True))
    first = data.draw(st.sampled_from([0.25, 0.5, 0.75]))
    doc["uncertainty"] = {"player": informed, "types": {
        "t1": {"label": "T1", "prior": first, "values": {weight: a}},
        "t2": {"label": "T2", "prior": 1 - first, "values": {weight: b}}}}
    scenario = build_scenario(doc)
    n_strategies = 1
    for n in scenario.nodes:
        if n.kind == "decision":
            n_strategies *= len(n.actions) ** (2 if n.player == informed else 1)
    assume(n_strategies <= 2000)
    crosscheck(scenario)


def test_counts_are_printed(capsys):
    with capsys.disabled():
        print(f"\nPBE cross-check so far: {COUNTS['equilibria']} equilibria in {COUNTS['games']} games, all pure Nash")
