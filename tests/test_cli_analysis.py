"""The command line's batched analyses: ``sweep`` (a grid, one solve) and ``montecarlo`` (random draws).

Their JSON and CSV outputs must parse and agree with ``model.analyses.sweep.sweep_game`` and
``model.analyses.montecarlo.monte_carlo`` called directly; seeds must reproduce; bad input of any kind must
exit with status 2 and exactly one ``error:`` line on stderr, with nothing on stdout.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys

import numpy as np
import pytest

from model import load_scenario
from model.text.explanations import describe_play
from model.core.game import ONE
from model.analyses.montecarlo import monte_carlo
from model.analyses.sweep import sweep

from .conftest import ROOT

DEFAULT = str(ROOT / "scenarios" / "default.toml")


def run(capsys, *argv):
    from model.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def direct_sweep(scenario, grids):
    """``sweep`` on the cartesian product of even grids (the last varies fastest), built with itertools."""
    axes = [np.linspace(lo, hi, n) for _, lo, hi, n in grids]
    points = np.array(list(itertools.product(*axes))).T.reshape(len(grids), -1)
    block = np.vstack([points, np.ones((1, points.shape[1]))])
    names = tuple(name for name, *_ in grids) + (ONE,)
    return sweep(scenario, rows=(names, block)), block


def play_of(steps):
    return tuple((s["node"], s["action"]) for s in steps)


# --------------------------------------------------------------------------------------- sweep

GRIDS = [("p_detect", 0.0, 1.0, 41), ("w_il_deterrence", 0.1, 0.9, 17), ("w_us_mediator", 0.0, 1.0, 5)]
VARY = [arg for name, lo, hi, n in GRIDS for arg in ("--vary", f"{name}={lo}:{hi}:{n}")]


def test_sweep_json_agrees_with_sweep(capsys, default_scenario):
    code, out, err = run(capsys, "sweep", DEFAULT, *VARY, "--json")
    assert code == 0 and not err
    data = json.loads(out)
    expected, block = direct_sweep(default_scenario, GRIDS)
    n = 41 * 17 * 5
    assert data["parameters"] == [g[0] for g in GRIDS]
    assert data["n_points"] == n
    assert [play_of(p) for p in data["paths"]] == list(expected.paths)
    assert data["counts"] == np.bincount(expected.path, minlength=len(expected.paths)).tolist()
    assert sum(data["counts"]) == n
    assert len(data["paths"]) >= 3  # the grid must reach several equilibria, or it tests little
    for j, (name, *_) in enumerate(GRIDS):
        assert data["points"][name] == block[j].tolist()
    assert data["path"] == expected.path.tolist()
    assert set(data["utility"]) == {"us", "israel"}
    for i, player in enumerate(expected.players):
        assert data["utility"][player] == expected.root[i].tolist()


def test_sweep_csv_agrees_with_sweep(capsys, default_scenario):
    code, out, err = run(capsys, "sweep", DEFAULT, *VARY, "--csv")
    assert code == 0 and not err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["p_detect", "w_il_deterrence", "w_us_mediator", "path", "utility_us", "utility_israel"]
    body = rows[1:]
    expected, block = direct_sweep(default_scenario, GRIDS)
    assert len(body) == expected.n == 41 * 17 * 5
    table = np.array([[float(x) for x in row] for row in body])
    assert np.array_equal(table[:, :3], block[:3].T)  # exact: floats are written to round-trip
    assert np.array_equal(table[:, 3].astype(int), expected.path)
    assert np.array_equal(table[:, 4:], expected.root.T)


def test_sweep_set_moves_the_other_parameters(capsys, default_scenario):
    grids = [("w_il_deterrence", 0.0, 1.0, 101)]
    code, out, _ = run(capsys, "sweep", DEFAULT, "--vary", "w_il_deterrence=0:1:101", "--set", "p_detect=0.2",
                       "--json")
    data = json.loads(out)
    moved, _ = direct_sweep(default_scenario.with_values({"p_detect": 0.2}), grids)
    unmoved, _ = direct_sweep(default_scenario, grids)
    assert data["path"] == moved.path.tolist()
    assert [play_of(p) for p in data["paths"]] == list(moved.paths)
    assert (data["path"], data["counts"]) != (unmoved.path.tolist(), np.bincount(unmoved.path).tolist())


def test_sweep_human_summary_names_each_path_with_its_share(capsys, default_scenario):
    code, out, err = run(capsys, "sweep", DEFAULT, *VARY)
    assert code == 0 and not err
    expected, _ = direct_sweep(default_scenario, GRIDS)
    counts = np.bincount(expected.path, minlength=len(expected.paths))
    assert "illustrative assumption" in out
    assert f"Sweep: {expected.n:,} points (41 x 17 x 5)" in out
    assert "p_detect from 0 to 1 (41 values)" in out
    for k, path in enumerate(expected.paths):
        line = next(line for line in out.splitlines() if line.strip().startswith(f"[{k}]"))
        assert describe_play(default_scenario, path) in line
        assert f"({int(counts[k]):,} points)" in line
        assert f"{100 * counts[k] / expected.n:.1f}%" in line


def test_sweep_json_over_100k_points_gives_the_summary_only(capsys, default_scenario):
    code, out, _ = run(capsys, "sweep", DEFAULT, "--vary", "p_detect=0:1:401", "--vary", "w_il_deterrence=0:1:251",
                       "--json")
    data = json.loads(out)
    assert data["n_points"] == 401 * 251 > 100_000
    assert not {"points", "path", "utility"} & set(data)
    expected, _ = direct_sweep(default_scenario, [("p_detect", 0, 1, 401), ("w_il_deterrence", 0, 1, 251)])
    assert data["counts"] == np.bincount(expected.path, minlength=len(expected.paths)).tolist()


def test_sweep_grid_endpoints_are_exact(capsys):
    code, out, _ = run(capsys, "sweep", DEFAULT, "--vary", "p_detect=0.1:0.7:7", "--json")
    assert json.loads(out)["points"]["p_detect"][-1] == 0.7
    assert json.loads(out)["points"]["p_detect"][0] == 0.1


# ---------------------------------------------------------------------------------- Monte Carlo


def test_montecarlo_json_agrees_with_monte_carlo(capsys, default_scenario):
    code, out, err = run(capsys, "montecarlo", DEFAULT, "--draws", "20000", "--seed", "11", "--json")
    assert code == 0 and not err
    data = json.loads(out)
    mc = monte_carlo(default_scenario, draws=20000, seed=11)
    assert (data["draws"], data["seed"], data["mode"]) == (20000, 11, "uniform")
    assert data["parameters"] == list(mc.parameters)
    assert [play_of(p) for p in data["paths"]] == list(mc.paths)
    assert data["counts"] == list(mc.counts) and sum(data["counts"]) == 20000
    assert data["shares"] == pytest.approx(mc.shares, abs=0)
    assert data["ci_low"] == list(mc.ci_low) and data["ci_high"] == list(mc.ci_high)
    assert data["mean_utility"] == dict(zip(mc.players, mc.mean_utility))
    assert [i["parameter"] for i in data["importance"]] == [i.parameter for i in mc.importance]
    assert [i["first_order"] for i in data["importance"]] == [i.first_order for i in mc.importance]
    assert [i["correlation"] for i in data["importance"]] == [i.correlation for i in mc.importance]


def test_montecarlo_spread_dirichlet_and_set_agree_with_monte_carlo(capsys, default_scenario):
    code, out, _ = run(capsys, "montecarlo", DEFAULT, "--draws", "5000", "--seed", "3", "--mode", "spread",
                       "--spread", "0.25", "--dirichlet", "8", "--set", "p_detect=0.3", "--json")
    data = json.loads(out)
    scenario = default_scenario.with_values({"p_detect": 0.3})
    names = tuple(p.id for p in scenario.parameters if p.id != "p_detect")
    mc = monte_carlo(scenario, draws=5000, seed=3, mode="spread", spread=0.25, concentration=8.0, parameters=names)
    assert "p_detect" not in data["parameters"]  # --set holds it fixed
    assert (data["mode"], data["spread"], data["concentration"]) == ("spread", 0.25, 8.0)
    assert [play_of(p) for p in data["paths"]] == list(mc.paths)
    assert data["counts"] == list(mc.counts)
    assert data["mean_utility"] == dict(zip(mc.players, mc.mean_utility))


def test_montecarlo_csv_agrees_with_monte_carlo(capsys, default_scenario):
    code, out, err = run(capsys, "montecarlo", DEFAULT, "--draws", "20000", "--seed", "5", "--csv")
    assert code == 0 and not err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["path", "count", "share", "ci_low", "ci_high"]
    mc = monte_carlo(default_scenario, draws=20000, seed=5)
    assert len(rows) - 1 == len(mc.paths)
    for row, path, count, share, lo, hi in zip(rows[1:], mc.paths, mc.counts, mc.shares, mc.ci_low, mc.ci_high):
        assert row[0] == describe_play(default_scenario, path)
        assert int(row[1]) == count
        assert [float(x) for x in row[2:]] == [share, lo, hi]


def test_montecarlo_seeds_reproduce(capsys):
    outs = [run(capsys, "montecarlo", DEFAULT, "--draws", "3000", "--seed", str(seed), "--json")[1]
            for seed in (7, 7, 8)]
    assert outs[0] == outs[1]
    assert json.loads(outs[0])["counts"] != json.loads(outs[2])["counts"]
    human = [run(capsys, "montecarlo", DEFAULT, "--draws", "3000", "--seed", "7")[1] for _ in range(2)]
    assert human[0] == human[1]


def test_montecarlo_human_table(capsys, default_scenario):
    code, out, err = run(capsys, "montecarlo", DEFAULT, "--draws", "20000")
    assert code == 0 and not err
    mc = monte_carlo(default_scenario, draws=20000, seed=0)
    assert "20,000 draws (seed 0)" in out and "95%" in out
    lines = out.splitlines()
    for path, count in zip(mc.paths, mc.counts):
        assert any(describe_play(default_scenario, path) in line and f"{count:,}" in line for line in lines)
    top = mc.importance[0].parameter
    assert any(line.strip().startswith(top) for line in lines)


# ------------------------------------------------------------------------------------ bad input

BAD = {
    "unknown parameter": ["sweep", DEFAULT, "--vary", "nope=0:1:3"],
    "unknown --set parameter": ["sweep", DEFAULT, "--vary", "p_detect=0:1:3", "--set", "nope=1"],
    "no = in --vary": ["sweep", DEFAULT, "--vary", "p_detect"],
    "two parts": ["sweep", DEFAULT, "--vary", "p_detect=0:1"],
    "four parts": ["sweep", DEFAULT, "--vary", "p_detect=0:1:3:4"],
    "LO not a number": ["sweep", DEFAULT, "--vary", "p_detect=a:1:3"],
    "HI not finite": ["sweep", DEFAULT, "--vary", "p_detect=0:inf:3"],
    "NaN": ["sweep", DEFAULT, "--vary", "p_detect=nan:1:3"],
    "N not a number": ["sweep", DEFAULT, "--vary", "p_detect=0:1:x"],
    "N a fraction": ["sweep", DEFAULT, "--vary", "p_detect=0:1:2.5"],
    "N a unicode digit": ["sweep", DEFAULT, "--vary", "p_detect=0:1:\u00b2"],
    "LO above HI": ["sweep", DEFAULT, "--vary", "p_detect=0.8:0.2:3"],
    "N below 2": ["sweep", DEFAULT, "--vary", "p_detect=0:1:1"],
    "N zero": ["sweep", DEFAULT, "--vary", "p_detect=0:1:0"],
    "above the range": ["sweep", DEFAULT, "--vary", "p_detect=0:2:3"],
    "below the range": ["sweep", DEFAULT, "--vary", "p_detect=-0.5:1:3"],
    "varied twice": ["sweep", DEFAULT, "--vary", "p_detect=0:1:3", "--vary", "p_detect=0:1:3"],
    "varied and set": ["sweep", DEFAULT, "--vary", "p_detect=0:1:3", "--set", "p_detect=0.5"],
    "sweep --json and --csv": ["sweep", DEFAULT, "--vary", "p_detect=0:1:3", "--json", "--csv"],
    "no --vary": ["sweep", DEFAULT],
    "over 10 million points": ["sweep", DEFAULT, "--vary", "p_detect=0:1:100000", "--vary", "w_il_mediator=0:1:101"],
    "a huge N": ["sweep", DEFAULT, "--vary", "p_detect=0:1:99999999999999999999999"],
    "over a million CSV rows": ["sweep", DEFAULT, "--vary", "p_detect=0:1:1001", "--vary", "w_il_mediator=0:1:1000",
                                "--csv"],
    "missing file": ["sweep", "missing.toml", "--vary", "p_detect=0:1:3"],
    "montecarlo --json and --csv": ["montecarlo", DEFAULT, "--json", "--csv"],
    "montecarlo unknown --set": ["montecarlo", DEFAULT, "--set", "nope=1"],
    "montecarlo --set out of range": ["montecarlo", DEFAULT, "--set", "p_detect=2"],
    "zero draws": ["montecarlo", DEFAULT, "--draws", "0"],
    "too many draws": ["montecarlo", DEFAULT, "--draws", "6000000"],
    "draws not a number": ["montecarlo", DEFAULT, "--draws", "many"],
    "negative seed": ["montecarlo", DEFAULT, "--seed", "-1"],
    "unknown mode": ["montecarlo", DEFAULT, "--mode", "normal"],
    "spread out of range": ["montecarlo", DEFAULT, "--mode", "spread", "--spread", "2"],
    "spread NaN": ["montecarlo", DEFAULT, "--mode", "spread", "--spread", "nan"],
    "spread without spread mode": ["montecarlo", DEFAULT, "--spread", "0.2"],
    "dirichlet zero": ["montecarlo", DEFAULT, "--dirichlet", "0"],
    "dirichlet infinite": ["montecarlo", DEFAULT, "--dirichlet", "inf"],
    "nothing left to draw": ["montecarlo", DEFAULT, "--draws", "10",
                             *(a for p in load_scenario(DEFAULT).parameters for a in ("--set", f"{p.id}={p.default}"))],
}


@pytest.mark.parametrize("argv", BAD.values(), ids=BAD.keys())
def test_bad_input_is_one_error_line_with_status_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_out_of_range_message_names_the_parameter_and_its_range(capsys):
    _, _, err = run(capsys, "sweep", DEFAULT, "--vary", "p_detect=0:2:3")
    assert err == "error: --vary: parameters.p_detect: 0 to 2 is outside the range; allowed: 0 to 1\n"


def test_module_entry_point_bad_vary_and_help():
    proc = subprocess.run([sys.executable, "-m", "model", "sweep", DEFAULT, "--vary", "p_detect=1:0:3"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
    proc = subprocess.run([sys.executable, "-m", "model", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert "sweep" in proc.stdout and "montecarlo" in proc.stdout


def test_readme_lists_the_new_commands_and_they_run():
    text = (ROOT / "README.md").read_text()
    block = text.split("## Using the command line", 1)[1].split("\n## ", 1)[0]
    lines = [line.split("#", 1)[0].split() for line in block.splitlines()
             if line.startswith(("python -m model sweep ", "python -m model montecarlo "))]
    assert [argv[3] for argv in lines] == ["sweep", "montecarlo"]
    for argv in lines:
        proc = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0 and not proc.stderr, proc.stderr
        assert "Equilibrium" in proc.stdout
