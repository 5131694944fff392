"""The six bugs of issue 14 (and the inverted senses), planted again: each is applied to a throwaway clone of
this repository (its last commit), the test that names the behaviour runs, and the script says whether it failed.

    python tests/mutation/planted.py      # needs the test extra, and pygambit for the inverted senses
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

SRC = str(pathlib.Path(__file__).resolve().parents[2])
PY = sys.executable
BUGS = [  # (what the bug does, file, original text, planted text, the test that must fail)
 ("cards show the runner-up", "ui/cards.py",
  "{escape(labels[c.action])}</div>'",
  "{escape(labels[next((a for a, _ in c.values if a != c.action), c.action)])}</div>'",
  ["tests/test_app.py", "-k", "solvers_choices"]),
 ("predict hides the answers in a display:none span", "ui/views/predict.py",
  "    if not revealed:\n        st.markdown(hidden_tree(",
  "    if not revealed:\n        _s = mc.run(solve, key, scenario, values)\n"
  "        st.markdown('<span style=\"display:none\">' + ' '.join(c.action for c in _s.choices) + '</span>', unsafe_allow_html=True)\n"
  "        st.markdown(hidden_tree(",
  ["tests/test_pages_teaching.py", "-k", "before_the_reveal"]),
 ("explanations say more for less", "model/text/explanations.py",
  "{'more' if more else 'less'}", "{'less' if more else 'more'}",
  ["tests/test_explanations.py", "-k", "every_sentence_cites"]),
 ("Monte Carlo credits the neighbouring parameter", "model/analyses/montecarlo.py",
  "        x = rows[j]\n", "        x = rows[(j + 1) % len(names)]\n",
  ["tests/test_analyses.py", "-k", "monte_carlo_credits"]),
 ("every offer reported as screening", "model/analyses/screening.py",
  "        return len({play for _, play in self.answers}) > 1", "        return True",
  ["tests/test_analyses.py", "-k", "screens_exactly"]),
 ("every attribute's sense inverted", "model/core/scenario.py",
  'return 1.0 if self.better == "higher" else -1.0', 'return -1.0 if self.better == "higher" else 1.0',
  ["tests/test_properties.py", "tests/test_gambit_crosscheck.py"]),
 ("the threshold grid skips its last cell", "model/analyses/thresholds.py",
  "for g in np.flatnonzero((ch[:, :-1] != ch[:, 1:]).any(axis=0)):",
  "for g in np.flatnonzero((ch[:, :-2] != ch[:, 1:-1]).any(axis=0)):",
  ["tests/test_properties.py", "-k", "root_search_finds_flips"]),
]


def main() -> int:
    """Plant each bug, run its test, restore; the exit status is 1 if any bug went uncaught."""
    dst = tempfile.mkdtemp(prefix="planted-")
    subprocess.run(["git", "clone", "-q", SRC, dst], check=True)
    missed = 0
    for title, path, old, new, test in BUGS:
        f = pathlib.Path(dst, path); text = f.read_text()
        assert text.count(old) == 1, (title, text.count(old))
        f.write_text(text.replace(old, new))
        r = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *test], cwd=dst,
                           env={"PYTHONPATH": dst, "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "GAMBIT_CORPUS": os.environ.get("GAMBIT_CORPUS", str(pathlib.Path(SRC).parent / "shared" / "games" / "gambit")), "REQUIRE_GAMBIT": "1"}, capture_output=True, text=True)
        last = [l for l in r.stdout.splitlines() if l.startswith("FAILED") or " passed" in l or " failed" in l]
        print(f"{title}: pytest {' '.join(test)} -> {'CAUGHT' if r.returncode == 1 else 'NOT CAUGHT (rc %d)' % r.returncode}")
        for l in last[-2:]: print("   ", l[:200])
        missed += r.returncode != 1
        f.write_text(text)
    shutil.rmtree(dst, ignore_errors=True)
    print(f"{len(BUGS) - missed} of {len(BUGS)} planted bugs caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
