"""The command line: the human report, --json, thresholds, export, and the README's promises."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from model.cli import main

from .conftest import ROOT

DEFAULT = str(ROOT / "scenarios" / "default.toml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_prints_path_payoffs_every_choice_and_the_tie_rule(capsys):
    code, out, err = run(capsys, "solve", DEFAULT)
    assert code == 0 and not err
    assert "illustrative assumption" in out
    assert "1. US: Conditional offer" in out
    assert "3. Israel: Keep the pledge (hold back)" in out
    assert "Expected utility: US 0.50, Israel 0.03" in out
    assert out.count("prefers") == 7  # one explanation per decision node
    assert "Tie rule:" in out


def test_solve_json_has_the_documented_keys(capsys):
    code, out, _ = run(capsys, "solve", DEFAULT, "--json", "--set", "p_detect=0.05")
    data = json.loads(out)
    assert data["players"] == ["us", "israel"]
    assert set(data["payoffs"]) == {"us", "israel"}
    choice = data["choices"]["israel_keeps_pledge"]
    assert choice["player"] == "israel" and choice["action"] == "renege"
    assert set(choice["values"]) == {"comply", "renege"}
    assert choice["margin"] == pytest.approx(choice["values"]["renege"] - choice["values"]["comply"])
    assert choice["ties"] == []
    steps = [(s["node"], s["player"]) for s in data["path"]]
    assert steps == [("us_offer", "us"), ("israel_answers", "israel"), ("israel_keeps_pledge", "israel"),
                     ("breach_confirmed", "chance"), ("us_responds", "us")]
    assert data["path"][3]["probabilities"] == {"confirmed": 0.05, "unconfirmed": 0.95}


def test_thresholds_human_and_json(capsys):
    code, out, _ = run(capsys, "thresholds", DEFAULT)
    assert code == 0
    assert re.search(r"at 0\.485: Israel .* prefers \u201cBreak the pledge \(operate\)\u201d below", out)
    code, out, _ = run(capsys, "thresholds", DEFAULT, "--json")
    found = json.loads(out)["thresholds"]
    p_detect = [t for t in found if t["parameter"] == "p_detect"]
    assert [round(t["value"], 4) for t in p_detect] == [0.0769, 0.485, 0.485]
    assert all(t["path_changes"] for t in p_detect)


def test_validate_and_export_round_trip(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", DEFAULT)
    assert code == 0 and out.startswith("ok:")
    for fmt in ("toml", "json", "efg"):
        target = tmp_path / f"out.{fmt}"
        code, out, _ = run(capsys, "export", DEFAULT, "--to", fmt, "-o", str(target), "--set", "p_detect=0.3")
        assert code == 0 and target.exists()
    code, out, _ = run(capsys, "solve", str(tmp_path / "out.json"))
    assert "1. US: Share unconditionally" in out
    code, out, _ = run(capsys, "solve", str(tmp_path / "out.efg"))
    assert code == 0 and "Share unconditionally" in out


def test_bad_input_is_one_error_line_with_status_2(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\ntitle = "x"\n')
    code, out, err = run(capsys, "solve", str(bad))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "bad.toml" in err
    assert "Traceback" not in err


def test_module_entry_point_runs_without_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "model", "solve", "missing.toml"], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr == "error: missing.toml: no such file\n"
