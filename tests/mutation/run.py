#!/usr/bin/env python3
"""The mutation score of the core of ``model/`` (issue 14): mutmut over the solver, the thresholds,
the explanations and the analyses, each mutant checked by the tests that reach its function.

    pip install -e '.[test,mutation]'
    python tests/mutation/run.py                     # a full run (hours on two busy cores), then the report
    python tests/mutation/run.py --report            # the report of the last run, nothing rerun
    python tests/mutation/run.py --rerun-survivors   # rerun only the last run's survivors (after adding tests)
    python tests/mutation/run.py --resume            # go on where an interrupted run stopped
    python tests/mutation/run.py --update            # after code changes: the changed functions, the survivors, the rest
    python tests/mutation/run.py --only 'model.analyses.thresholds.*'   # rerun some mutants (fnmatch patterns)

It works in a copy, ``.mutmut/`` at the top of the repository (git ignores it): the files of the
repository are synced in, the mutmut configuration is written there (``pyproject.toml``), and mutmut
keeps its mutants and results in ``.mutmut/mutants/``. Nothing outside ``.mutmut/`` is written.

The report: killed / survived / timed out / not run, and the score ``killed / (total - equivalent)``.
Equivalent mutants (no test can tell them from the original) are listed in ``equivalent.toml`` beside
this file, each with its reason, keyed by ``file:function:diff`` (stable across renumbering); the
report says which listed ones still apply. Survivors not listed are written to
``.mutmut/survivors.txt`` with their diffs and a ready-to-paste ``equivalent.toml`` entry.
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / ".mutmut"
EQUIVALENT = HERE / "equivalent.toml"
MAX_CHILDREN = 2  # the machine has two shared cores
# A mutant that loops forever is stopped by mutmut after (its tests' time + 1 s) x TIMEOUT_MULTIPLIER x 2
# CPU seconds, and one that grows without bound by an address-space limit (a MemoryError fails its
# test): an endless loop that appends would otherwise take gigabytes of a shared machine.
TIMEOUT_MULTIPLIER = 6.0
MEMORY_LIMIT = 3 * 2**30

# What is mutated: the computations of the core of model/ (not the file formats, the CLI or the UI).
FILES = [
    "model/core/backward_induction.py", "model/core/utility.py", "model/core/equilibrium.py",
    "model/core/plays.py", "model/core/game.py",
    "model/analyses/thresholds.py",
    "model/text/explanations.py",
    "model/analyses/sweep.py", "model/analyses/one_way.py", "model/analyses/region_map.py",
    "model/analyses/tornado.py", "model/analyses/montecarlo.py", "model/analyses/what_it_takes.py",
    "model/analyses/screening.py", "model/analyses/normal_form.py",
    # incomplete information (issue 11): the perfect Bayesian solver, its batch form and its analyses
    "model/core/perfect_bayesian.py", "model/core/pbe_batch.py",
    "model/analyses/bargaining_range.py", "model/analyses/bayesian_thresholds.py",
    "model/analyses/bayesian_region.py", "model/analyses/bayesian_sweep.py", "model/analyses/bayesian_montecarlo.py",
    "model/analyses/bayesian_normal_form.py",
]
# Functions in those files that are left out: the command line (a sub-command's ``_run``, and
# ``on_grid`` / ``on_draws``, which build the sweep and Monte Carlo commands' ``_run`` at import: mutmut
# picks a mutant when a function is called, so a closure built at import never runs a mutant and all
# its mutants read "no tests"; the ``--vary`` parser, ``to_text`` reports) and the export formats
# (``to_json``, ``to_csv``).
LEFT_OUT = {"_run", "on_grid", "on_draws", "parse_vary", "grid_rows", "to_text", "to_json", "to_csv"}

# The tests mutmut may run: every tests/test_*.py except those that need the UI's packages
# (streamlit, playwright: not in the mutation environment) and the input fuzzers (they fuzz the
# file readers, which are not mutated, and are slow). Each mutant runs only the ones that reach it.
NOT_RUN = {"test_fuzz.py"}
UI_IMPORT = re.compile(r"^\s*(from|import)\s+(ui\b|streamlit|playwright|tests\.apptest|\.apptest|\.servers)", re.M)

SYNCED = ["model", "tests", "scenarios", "ui", "README.md", "pyproject.toml"]  # ui: its content and page names, read by tests

# Hypothesis under mutation: no example database (a failing example saved for one mutant would be
# replayed for the next), derandomized so that a rerun gives the same verdicts, and at most
# MAX_EXAMPLES examples a test: a surviving mutant of the solver runs every property test, and on two
# shared cores their full example counts would make a run take many hours. Fewer examples can only
# let more mutants survive, never fewer.
MAX_EXAMPLES = 25
CONFTEST = f'''"""Written by tests/mutation/run.py: deterministic Hypothesis, no example database, at most
{MAX_EXAMPLES} examples a test."""
from hypothesis import settings

_init = settings.__init__


def _capped(self, parent=None, **kw):
    if "max_examples" in kw:
        kw["max_examples"] = min(kw["max_examples"], {MAX_EXAMPLES})
    _init(self, parent, **kw)


settings.__init__ = _capped
settings.register_profile("mutation", database=None, derandomize=True, max_examples={MAX_EXAMPLES})
settings.load_profile("mutation")
'''

STATUS = {1: "killed", 3: "killed", 37: "killed", 0: "survived", 36: "timeout", -24: "timeout", 24: "timeout",
          152: "timeout", 255: "timeout", 5: "no tests", 33: "no tests", 34: "skipped", None: "not run"}


# -- the working copy --------------------------------------------------------------------------


def sync() -> None:
    """Copy the repository's files into WORK, touching only files that changed (mutmut compares
    modification times to know which files to mutate again), and drop files that are gone."""
    WORK.mkdir(exist_ok=True)
    for name in SYNCED:
        src, dst = REPO / name, WORK / name
        if src.is_file():
            if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
                shutil.copy2(src, dst)
            continue
        wanted = set()
        for path in src.rglob("*"):
            rel = path.relative_to(src)
            if "__pycache__" in rel.parts or any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            wanted.add(rel)
            targets = [dst / rel]
            if name == "model" and path.suffix != ".py" and (WORK / "mutants").is_dir():
                # mutmut writes the mutated .py files of model/ but copies its data files (the scenario
                # schema) only when it first builds mutants/: keep them current there too
                targets.append(WORK / "mutants" / name / rel)
            for target in targets:
                if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
        for root in (dst, WORK / "mutants" / name):
            if root.is_dir():
                for path in root.rglob("*"):
                    rel = path.relative_to(root)
                    if path.is_file() and path.suffix == ".py" and rel not in wanted and "__pycache__" not in rel.parts:
                        path.unlink()


def test_selection() -> list[str]:
    """pytest's arguments for the tests mutmut may run: the tests folder less the files it must not
    run (a folder, so that a new test file joins without invalidating the cached results)."""
    out = ["tests"]
    for path in sorted((REPO / "tests").glob("test_*.py")):
        if path.name in NOT_RUN or UI_IMPORT.search(path.read_text()):
            out.append(f"--ignore=tests/{path.name}")
    return out


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(x) for x in items) + "]"


def write_config(*, keep_selection: bool = False) -> None:
    """The working copy's pyproject.toml: the repository's, plus mutmut's configuration. A rerun of
    some mutants keeps the test selection of the full run (mutmut resets every result when it changes)."""
    selection = test_selection()
    if keep_selection and (WORK / "pyproject.toml").exists():
        old = tomllib.loads((WORK / "pyproject.toml").read_text()).get("tool", {}).get("mutmut", {})
        selection = old.get("pytest_add_cli_args_test_selection", selection)
    text = (REPO / "pyproject.toml").read_text()
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    text += (
        "\n\n# written by tests/mutation/run.py\n[tool.mutmut]\n"
        'source_paths = ["model"]\n'
        f"only_mutate = {toml_list(FILES)}\n"
        'also_copy = ["scenarios", "ui", "README.md", "conftest.py"]\n'
        # no doctests (the README's and the modules' are not mutation tests), no cache, no reordering
        'pytest_add_cli_args = ["-o", "addopts=", "-p", "no:cacheprovider", "-p", "no:randomly"]\n'
        f"pytest_add_cli_args_test_selection = {toml_list(selection)}\n"
        f"timeout_multiplier = {TIMEOUT_MULTIPLIER}\n"
    )
    (WORK / "pyproject.toml").write_text(text)
    (WORK / "conftest.py").write_text(CONFTEST)


# -- which mutants -----------------------------------------------------------------------------


def module_of(path: str) -> str:
    return path[:-3].replace("/", ".")


def function_keys() -> dict[str, tuple[str, str]]:
    """mutmut's name of every function in scope (``module.x_f`` or ``module.xǁClassǁmethod``) ->
    (file, human name)."""
    out = {}
    for path in FILES:
        tree = ast.parse((REPO / path).read_text())
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in LEFT_OUT:
                out[f"{module_of(path)}.x_{node.name}"] = (path, node.name)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name not in LEFT_OUT:
                        out[f"{module_of(path)}.x\u01c1{node.name}\u01c1{item.name}"] = (path, f"{node.name}.{item.name}")
    return out


def function_of(mutant: str) -> str:
    return mutant.rsplit("__mutmut_", 1)[0]


def results() -> dict[str, str]:
    """Every in-scope mutant of the last run -> its status."""
    scope = function_keys()
    out = {}
    for path in FILES:
        meta = WORK / "mutants" / (path + ".meta")
        if not meta.exists():
            continue
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if function_of(name) in scope:
                out[name] = STATUS.get(code, "other")
    return out


# -- running -----------------------------------------------------------------------------------


def mutmut(*args: str) -> None:
    exe = Path(sys.executable).parent / "mutmut"
    if not exe.exists():
        sys.exit("mutmut is not installed in this environment: pip install -e '.[test,mutation]'")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    log = WORK / "mutmut.log"
    start = time.monotonic()
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    with open(log, "w") as out:
        code = subprocess.call([str(exe), *args], cwd=WORK, env=env, stdout=out, stderr=subprocess.STDOUT,
                               preexec_fn=limit_memory)
    print(f"mutmut ran for {(time.monotonic() - start) / 60:.1f} min (its output: {log.relative_to(REPO)})")
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"mutmut failed (exit {code}); the end of its output:\n{tail}")


def run(patterns: list[str], *, fresh: bool) -> None:
    if fresh and (WORK / "mutants").exists():
        shutil.rmtree(WORK / "mutants")  # a full run starts clean: new mutants, new test-to-function map
    sync()
    write_config(keep_selection=not fresh)
    mutmut("run", "--max-children", str(MAX_CHILDREN), *patterns)


def update_patterns() -> list[str]:
    """What ``--update`` reruns after the code or the tests changed since the last run: every mutant
    of a function whose source changed or is new (mutmut's own per-function hash of its syntax tree
    tells), and, in unchanged functions, every mutant the last run did not kill (survived, timed out,
    reached by no test, not reached). Killed mutants of unchanged functions keep their verdict."""
    from mutmut.mutation.file_mutation import compute_function_hashes

    scope = function_keys()
    status = results()
    out = []
    for path in FILES:
        meta = WORK / "mutants" / (path + ".meta")
        old = json.loads(meta.read_text()).get("hash_by_function_name", {}) if meta.exists() else {}
        new = compute_function_hashes((REPO / path).read_text())
        for func, digest in new.items():
            key = f"{module_of(path)}.{func}"
            if key in scope and old.get(func) != digest:
                out.append(f"{key}__mutmut_*")
        for name, s in status.items():
            func = function_of(name).rsplit(".", 1)[1]
            if scope[function_of(name)][0] == path and old.get(func) == new.get(func) and s != "killed":
                out.append(name)
    return out


# -- the report ----------------------------------------------------------------------------------


def diff_lines(name: str, path: str) -> list[str]:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=path)
    return [line for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def stable_key(name: str, scope: dict[str, tuple[str, str]]) -> tuple[str, list[str]]:
    """``file:function:diff``, the diff as its changed lines (stripped) joined by `` / ``."""
    path, func = scope[function_of(name)]
    lines = diff_lines(name, path)
    changed = " / ".join(line[0] + " " + line[1:].strip() for line in lines)
    return f"{path}:{func}:{changed}", lines


NOT_RUN_WORDS = {"no tests": "no test reaches it", "not run": "not reached by an interrupted run",
                 "skipped": "skipped", "other": "other"}


def version() -> str:
    from importlib.metadata import version as v

    return v("mutmut")


def load_equivalent() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text())
    return {m["key"]: m["reason"] for m in data.get("mutant", [])}


def report() -> None:
    status = results()
    if not status:
        sys.exit("no results yet: run tests/mutation/run.py first")
    scope = function_keys()
    os.chdir(WORK)  # mutmut reads its mutants relative to the working copy
    sys.path.insert(0, str(WORK))
    listed = load_equivalent()
    counts: dict[str, int] = {}
    for s in status.values():
        counts[s] = counts.get(s, 0) + 1
    survivors = sorted(n for n, s in status.items() if s == "survived")
    keys = {n: stable_key(n, scope) for n in survivors}
    equivalent = [n for n in survivors if keys[n][0] in listed]
    open_ = [n for n in survivors if keys[n][0] not in listed]
    found = {keys[n][0] for n in survivors}
    stale = [k for k in listed if k not in found]

    total = len(status)
    killed, survived, timeout = counts.get("killed", 0), counts.get("survived", 0), counts.get("timeout", 0)
    not_run = {k: v for k, v in counts.items() if k not in ("killed", "survived", "timeout")}
    denominator = total - len(equivalent)
    score = killed / denominator if denominator else 0.0
    print(f"mutation score of the core of model/ (mutmut {version()}, {len(FILES)} files, {total} mutants):")
    print(f"  killed {killed} | survived {survived} ({len(equivalent)} equivalent, {len(open_)} not) | "
          f"timed out {timeout} | not run {sum(not_run.values())}"
          + (" (" + ", ".join(f"{NOT_RUN_WORDS.get(k, k)} {v}" for k, v in sorted(not_run.items())) + ")"
             if not_run else ""))
    print(f"  score = killed / (total - equivalent) = {killed} / {denominator} = {100 * score:.1f}%")
    print(f"  equivalent mutants listed in {EQUIVALENT.relative_to(REPO)}: {len(listed)} entries, "
          f"{len(listed) - len(stale)} still apply (matching {len(equivalent)} survivors)"
          + (f"; {len(stale)} no longer survive or no longer exist:" if stale else ""))
    for k in stale:
        print(f"    - {k[:150]}")

    with open(WORK / "survivors.txt", "w") as out:
        out.write(f"{len(open_)} surviving mutants not listed as equivalent\n\n")
        for n in open_:
            key, lines = keys[n]
            out.write(f"# {n}\n" + "\n".join(lines) + "\n")
            out.write(f"[[mutant]]\nkey = {json.dumps(key, ensure_ascii=False)}\nreason = \"\"\n\n")
    if open_:
        print(f"  surviving, not equivalent ({len(open_)}; diffs in {(WORK / 'survivors.txt').relative_to(REPO)}):")
        for n in open_[:10]:
            print(f"    {n}: {keys[n][0].split(':', 2)[2][:110]}")
        if len(open_) > 10:
            print(f"    ... and {len(open_) - 10} more")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--report", action="store_true", help="only print the report of the last run")
    how.add_argument("--rerun-survivors", action="store_true",
                     help="rerun the last run's survivors, timeouts and mutants no test reached")
    how.add_argument("--only", nargs="+", metavar="PATTERN", help="rerun the mutants matching these fnmatch patterns")
    how.add_argument("--resume", action="store_true", help="run the mutants an interrupted run did not reach")
    how.add_argument("--update", action="store_true",
                     help="after code changes: rerun changed functions' mutants and every unkilled one")
    args = parser.parse_args()
    if args.rerun_survivors:
        names = [n for n, s in results().items() if s in ("survived", "timeout", "no tests")]
        if names:
            run(names, fresh=False)
    elif args.only:
        run(args.only, fresh=False)
    elif args.update:
        patterns = update_patterns()
        if patterns:
            run(patterns, fresh=False)
    elif args.resume:
        names = [n for n, s in results().items() if s in ("not run", "other", "timeout")]
        if names:
            run(names, fresh=False)
    elif not args.report:
        run([f"{key}__mutmut_*" for key in function_keys()], fresh=True)
    report()


if __name__ == "__main__":
    main()
