"""``sweep`` on a scenario with private types: the perfect Bayesian equilibrium sets of a grid (one batched solve),
with known answers from the two presets (screening's switch prior 0.375, beer-quiche's two pooling equilibria),
agreement point by point with ``perfect_bayesian`` and with the Bayesian region map, the JSON and CSV shapes,
and one ``error:`` line where the grid cannot be honoured."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from model import load_scenario
from model.analyses.bayesian_region import bayesian_region_map
from model.analyses.bayesian_sweep import bayesian_sweep
from model.core.perfect_bayesian import perfect_bayesian

from .conftest import ROOT
from .typed_cli import BEER_QUICHE, SCREENING, cli_json, run, strategies as set_strategies


def sweep_json(capsys, *argv):
    return cli_json(capsys, "sweep", *argv)


def strategies(data, k):
    """Set ``k`` of a sweep's JSON as a set of (kind, uninformed strategy) pairs."""
    return set_strategies(data["sets"][k])


SEPARATING = {("separating", (("us_offer", "limited"),))}
POOLING = {("pooling", (("us_offer", "full"),))}


def test_screening_over_the_prior_separates_below_0375_and_pools_above(capsys):
    """screening.toml: the US's limited package is worth -0.2 - 0.8 p_high, the full one -0.5; so below 0.375 the
    limited package separates the types (the low-weight type accepts, the high-weight type rejects), above it the
    full package pools them, and at 0.375 exactly (on a grid of step 1/800) both are equilibria."""
    data = sweep_json(capsys, SCREENING, "--vary", "p_high=0:1:801")
    p = np.array(data["points"]["p_high"])
    sets = [strategies(data, k) for k in data["set"]]
    assert all(s == SEPARATING for s in np.array(sets, dtype=object)[p < 0.375])
    assert all(s == POOLING for s in np.array(sets, dtype=object)[p > 0.375])
    assert sets[300] == SEPARATING | POOLING and p[300] == 0.375
    (sep,) = [s for s in data["sets"] if s["label"] == (
        "US: Limited package (separating: High weight on deterrence: Reject and operate; "
        "Low weight on deterrence: Accept and hold back)")]
    plays = {t: [(m["node"], m["action"]) for m in v["play"]] for t, v in sep["equilibria"][0]["types"].items()}
    assert plays == {"high_weight": [("us_offer", "limited"), ("israel_limited", "reject")],
                     "low_weight": [("us_offer", "limited"), ("israel_limited", "accept")]}
    assert data["counts"] == [300, 1, 500] and sep["count"] == 300


def test_screening_human_output_says_it_is_the_perfect_bayesian_set(capsys):
    code, out, err = run(capsys, "sweep", SCREENING, "--vary", "p_high=0:1:11")
    assert code == 0 and not err
    assert "perfect Bayesian equilibria in pure strategies" in out and "Israel's type is private" in out
    assert "The prior is varied: p_high." in out and "w_il_deterrence" in out  # the typed slider, not used
    lines = out.splitlines()
    sep = next(k for k, line in enumerate(lines) if "US: Limited package (separating" in line)
    pool = next(k for k, line in enumerate(lines) if "US: Full package (pooling" in line)
    assert "36.4% (4 points)" in lines[sep] and "63.6% (7 points)" in lines[pool]
    assert "High weight on deterrence: US: Limited package, Israel: Reject and operate" in lines[sep + 1]
    assert "Low weight on deterrence: US: Limited package, Israel: Accept and hold back" in lines[sep + 2]
    assert "Equilibrium paths" not in out  # the full-information sweep's heading


def test_the_prior_held_by_set_moves_every_point(capsys):
    data = sweep_json(capsys, SCREENING, "--vary", "limited_size=0.3:0.4:3", "--set", "p_high=0.6")
    assert {frozenset(strategies(data, k)) for k in data["set"]} == {frozenset(POOLING)}
    data = sweep_json(capsys, SCREENING, "--vary", "limited_size=0.3:0.4:3")
    assert frozenset(SEPARATING) in {frozenset(strategies(data, k)) for k in data["set"]}


def test_beer_quiche_has_the_two_pooling_equilibria_below_a_half_and_none_above(capsys):
    """Cho and Kreps: with the weak type's prior below 1/2 the receiver does not duel on the path, and the two
    pooling equilibria (beer, quiche) each rest on dueling after the other breakfast; above 1/2, none in pure
    strategies (the receiver would duel on the path, and the weak type then eats quiche)."""
    data = sweep_json(capsys, BEER_QUICHE, "--vary", "p_weak=0:1:11")
    p = np.array(data["points"]["p_weak"])
    two = {("pooling", (("after_beer", "not"), ("after_quiche", "duel"))),
           ("pooling", (("after_beer", "duel"), ("after_quiche", "not")))}
    for k, x in zip(data["set"], p):
        if 0 < x < 0.5:
            assert strategies(data, k) == two, x
        elif 0.5 < x < 1:
            assert strategies(data, k) == set() and data["sets"][k]["label"] == (
                "no pure-strategy perfect Bayesian equilibrium"), x


@pytest.mark.parametrize("name, grids", [
    ("screening", {"p_high": (0, 1, 21), "limited_size": (0, 1, 21)}),
    ("screening", {"w_us_sharing": (0, 1, 13), "hold_cost": (0, 1, 13)}),
    ("beer_quiche", {"p_weak": (0, 1, 41)}),
])
def test_every_point_holds_the_equilibria_perfect_bayesian_finds_there(name, grids):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    axes = np.meshgrid(*[np.linspace(*g) for g in grids.values()], indexing="ij")
    vary = {k: a.reshape(-1) for k, a in zip(grids, axes)}
    result = bayesian_sweep(scenario, vary=vary)
    seen = set()
    for j in range(result.n):
        at = perfect_bayesian(scenario, values={k: float(v[j]) for k, v in vary.items()})
        found = [(e.kind, e.strategy, tuple(t.choices for t in e.types)) for e in at.equilibria]
        k = int(result.set_index[j])
        assert found == [(e.kind, e.strategy, tuple(t.choices for t in e.types)) for e in result.sets[k].equilibria]
        seen.add(k)
    assert seen == set(range(len(result.sets))) and len(seen) >= 2


def test_a_two_parameter_sweep_partitions_the_grid_as_the_region_map_does():
    scenario = load_scenario(SCREENING)
    region = bayesian_region_map(scenario, x="p_high", y="limited_size", points=30)
    ys, xs = np.meshgrid(region.ys, region.xs, indexing="ij")
    result = bayesian_sweep(scenario, vary={"p_high": xs.reshape(-1), "limited_size": ys.reshape(-1)})
    assert [s.words for s in result.sets] == list(region.sets)
    assert np.array_equal(result.set_index.reshape(30, 30), region.region)


def test_json_and_csv_shapes(capsys):
    data = sweep_json(capsys, SCREENING, "--vary", "p_high=0:1:5", "--vary", "limited_size=0.2:0.6:3")
    assert {"solution", "informed", "parameters", "grid", "n_points", "sets", "counts", "points", "set",
            "method"} <= set(data)
    assert data["solution"] == "perfect Bayesian equilibria in pure strategies" and data["informed"] == "israel"
    assert data["n_points"] == 15 == sum(data["counts"]) == len(data["set"])
    assert data["grid"] == {"p_high": {"lo": 0.0, "hi": 1.0, "n": 5}, "limited_size": {"lo": 0.2, "hi": 0.6, "n": 3}}
    assert [s["count"] for s in data["sets"]] == data["counts"] == np.bincount(data["set"]).tolist()
    for k, s in enumerate(data["sets"]):
        assert s["share"] == pytest.approx(s["count"] / 15)
        first = data["set"].index(k)
        assert s["first_point"] == {name: data["points"][name][first] for name in data["parameters"]}
        for e in s["equilibria"]:
            assert set(e) == {"kind", "strategy", "types"} and set(e["types"]) == {"high_weight", "low_weight"}
            assert all(set(t) == {"choices", "play"} for t in e["types"].values())
    code, out, err = run(capsys, "sweep", SCREENING, "--vary", "p_high=0:1:5", "--vary", "limited_size=0.2:0.6:3",
                         "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["p_high", "limited_size", "set", "equilibria"] and len(rows) == 16
    assert [int(r[2]) for r in rows[1:]] == data["set"]
    assert [int(r[3]) for r in rows[1:]] == [len(data["sets"][k]["equilibria"]) for k in data["set"]]
    assert [[float(r[0]), float(r[1])] for r in rows[1:]] == [
        [a, b] for a, b in zip(data["points"]["p_high"], data["points"]["limited_size"])]


@pytest.mark.parametrize("argv, words", [
    (["--vary", "w_il_deterrence=0:1:3"], "is set by the types, so its slider is not used"),
    (["--vary", "p_high=0:1:2001", "--vary", "limited_size=0:1:1001"], "solves at most 4,000,000 at once"),
    (["--vary", "p_high=0:2:3"], "outside the range"),
    (["--vary", "p_high=0:1:3", "--set", "p_high=0.5"], "both varied (--vary) and held fixed (--set)"),
])
def test_what_the_typed_sweep_cannot_honour_is_one_error_line(capsys, argv, words):
    code, out, err = run(capsys, "sweep", SCREENING, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: --vary") and words in err
