"""Cross-check: every perfect Bayesian equilibrium we report is a pure Nash equilibrium of the Bayesian game
according to pygambit's ``enumpure_solve`` on our exported ``.efg`` (chance draws the type; the uninformed
players' nodes are joined in information sets across types), with the same ex-ante payoffs; and the pure Nash
equilibria of ``nash``'s Bayesian strategic form are exactly pygambit's. On the presets and on random two-type
games. The payoffs come from our own ``to_efg``: this checks the solver's equilibrium
logic (beliefs, sequential rationality), not the utility formula (``test_gambit_crosscheck.py`` does that)."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings

from model import load_scenario, to_efg
from model.analyses.bayesian_normal_form import bayesian_normal_form
from model.core.perfect_bayesian import perfect_bayesian

from .conftest import ROOT, skip_unless_required
from .gambit_exact import strategy_label
from .strategies import two_type_scenarios

try:
    import pygambit as gbt
except ImportError:
    skip_unless_required("REQUIRE_GAMBIT", "pygambit is not installed (pip install -e '.[gambit]'; .ci/run does)")

COUNTS = {"equilibria": 0, "games": 0, "nash": 0}


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
        profile = tuple(strategy_label(scenario, list(p.infosets), choice) for p in players)
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


def _flat(nf, i: int, choice: dict) -> dict:
    """Player ``i``'s choice keyed by pygambit's information set labels (``node@type`` for the informed player)."""
    if nf.players[i] != nf.informed:
        return choice
    return {f"{node}@{t}": a for t, mine in choice.items() for node, a in mine.items()}


def _labels(scenario, game, choices) -> tuple[str, ...]:
    return tuple(strategy_label(scenario, list(p.infosets), c) if list(p.infosets) else ""
                 for p, c in zip(game.players, choices))


def strategic_form_crosscheck(scenario, values=None) -> int:
    """``nash``'s Bayesian strategic form: its pure Nash equilibria are exactly pygambit's, profile for profile
    (reduced strategies, '*' where a player's own move rules the node out) with the same ex-ante payoffs, and every
    equilibrium ``perfect_bayesian`` finds is one of them, marked perfect Bayesian."""
    game = gbt.read_efg(io.StringIO(to_efg(scenario, values=values)))
    theirs = {}
    for eq in gbt.nash.enumpure_solve(game).equilibria:
        key = tuple(next(s.label for s in p.strategies if eq[s] == 1) if list(p.infosets) else "" for p in game.players)
        theirs[key] = tuple(float(eq.payoff(p)) for p in game.players)
    nf = bayesian_normal_form(scenario, values=values)
    ours = {_labels(scenario, game, [_flat(nf, i, nf.choices[i][s]) for i, s in enumerate(e.profile)]): e
            for e in nf.equilibria}
    assert len(ours) == len(nf.equilibria)
    assert set(ours) == set(theirs), f"ours {sorted(ours)} != pygambit's {sorted(theirs)}"
    for key, e in ours.items():
        assert e.payoffs == pytest.approx(theirs[key], abs=1e-9)
    for e in perfect_bayesian(scenario, values=values).equilibria:
        choice = dict(e.strategy)
        for t in e.types:
            choice.update({f"{n}@{t.id}": a for n, a in t.choices})
        full = _labels(scenario, game, [choice] * len(nf.players))
        fits = [ours[key] for key in ours if all(len(x) == len(y) and all(c == d or c == "*" for c, d in zip(x, y))
                                                 for x, y in zip(key, full))]
        assert len(fits) == 1 and fits[0].perfect_bayesian, f"{e.kind} {e.strategy}: {full} in {sorted(ours)}"
    COUNTS["nash"] += len(ours)
    return len(ours)


@pytest.mark.parametrize("name, values", [
    ("beer_quiche", {}), ("beer_quiche", {"p_weak": 0.7}), ("beer_quiche", {"p_weak": 0.5}), ("screening", {}),
    ("screening", {"p_high": 0.6}), ("screening", {"p_high": 0.375}), ("screening", {"hold_cost": 0.1}),
])
def test_presets(name, values):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    crosscheck(scenario, values)
    strategic_form_crosscheck(scenario, values)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scenario=two_type_scenarios())
def test_random_two_type_games(scenario):
    crosscheck(scenario)
    strategic_form_crosscheck(scenario)


def test_counts_are_printed(capsys):
    with capsys.disabled():
        print(f"\nPBE cross-check so far: {COUNTS['equilibria']} equilibria in {COUNTS['games']} games, all pure Nash; "
              f"the Bayesian strategic form's {COUNTS['nash']} pure Nash equilibria, all pygambit's and no other")
