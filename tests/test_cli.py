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
    # by hand, at the kept deal: US 0.1 - 0.425 - 0.07 - 0.04 + 0.06 + 0.1 = -0.275 (printed -0.27: the float is
    # -0.27499...), Israel 0.325 - 0.49 - 0.03 + 0.05 = -0.145 (printed -0.14)
    assert "Expected utility: US -0.27, Israel -0.14" in out
    assert out.count("prefers") == 9  # one explanation per decision node
    assert "Tie rule:" in out


def test_solve_json_has_the_documented_keys(capsys):
    # weak monitoring and a US that minds sharing less: the pledge is accepted and broken
    code, out, _ = run(capsys, "solve", DEFAULT, "--json", "--set", "p_detect=0.05", "--set", "w_us_sharing=0.4")
    data = json.loads(out)
    assert data["players"] == ["us", "israel"]
    assert set(data["payoffs"]) == {"us", "israel"}
    choice = data["choices"]["israel_keeps_pledge"]
    assert choice["player"] == "israel" and choice["action"] == "break"
    assert set(choice["values"]) == {"keep", "break"}
    assert choice["margin"] == pytest.approx(choice["values"]["break"] - choice["values"]["keep"])
    assert choice["ties"] == []
    steps = [(s["node"], s["player"]) for s in data["path"]]
    assert steps == [("us_offer", "us"), ("israel_answers", "israel"), ("israel_keeps_pledge", "israel"),
                     ("breach_check", "chance"), ("us_responds", "us")]
    assert data["path"][3]["probabilities"] == {"confirmed": 0.05, "not_confirmed": 0.95}


def test_thresholds_human_and_json(capsys):
    code, out, _ = run(capsys, "thresholds", DEFAULT)
    assert code == 0
    assert re.search(r"at 0\.2766: Israel .* prefers \u201cBreak the pledge \(operate\)\u201d below", out)
    code, out, _ = run(capsys, "thresholds", DEFAULT, "--json")
    found = json.loads(out)["thresholds"]
    p_detect = [t for t in found if t["parameter"] == "p_detect"]
    # by hand: the pledge is kept where p x L > G, G = 0.2235 and L = 0.808 (see monitoring in default.toml)
    assert [round(t["value"], 4) for t in p_detect] == [0.2766, 0.2766]
    assert all(t["path_changes"] for t in p_detect)


def test_validate_and_export_round_trip(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", DEFAULT)
    assert code == 0 and out.startswith("ok:")
    for fmt in ("toml", "json", "efg"):
        target = tmp_path / f"out.{fmt}"
        code, out, _ = run(capsys, "export", DEFAULT, "--to", fmt, "-o", str(target), "--set", "p_detect=0.2")
        assert code == 0 and target.exists()
    code, out, _ = run(capsys, "solve", str(tmp_path / "out.json"))
    assert "1. US: No offer" in out
    code, out, _ = run(capsys, "solve", str(tmp_path / "out.efg"))
    assert code == 0 and "1. US: No offer" in out


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
