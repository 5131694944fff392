"""The README's table of shipped presets is generated from the scenario files: each row is a preset's
``teaches`` sentence, its equilibrium play as the solver finds it, and the kinds of the claims that check
it. The test fails when the README's table and the files disagree; ``README_BLESS=1`` rewrites the table
(then review ``git diff README.md``)."""

from __future__ import annotations

import os
from collections import Counter

from model import load_scenario, perfect_bayesian, play_words, solve
from model.text.explanations import describe_play

from .conftest import ROOT, SCENARIOS

README = ROOT / "README.md"
BEGIN = "<!-- preset table: generated from scenarios/*.toml by tests/test_readme_presets.py -->"
END = "<!-- end of preset table -->"

ARROW = " \u2192 "


def preset_table() -> str:
    """The table, one row per shipped scenario that states what it teaches (default first)."""
    rows = ["| file | what it teaches | equilibrium play | checked by (claims) |", "| --- | --- | --- | --- |"]
    for path in sorted(SCENARIOS, key=lambda p: (p.stem != "default", p.name)):
        scenario = load_scenario(path)
        if not scenario.teaches:
            continue
        if scenario.uncertainty is not None:  # every perfect Bayesian equilibrium, each type's play
            play = " / ".join(f"{e.kind}: " + "; ".join(f"{t.label}: {play_words(scenario, t.play, joiner=ARROW)}"
                                                        for t in e.types)
                              for e in perfect_bayesian(scenario).equilibria)
        else:
            sol = solve(scenario)
            play = describe_play(scenario, [(s.node, s.action) for s in sol.path if s.action is not None])
        kinds = Counter(c.kind for c in scenario.claims if c.kind != "story")
        checked = ", ".join(f"{k} \u00d7{n}" if n > 1 else k for k, n in kinds.items())
        rows.append(f"| `{path.name}` | {scenario.teaches} | {play} | {checked} |")
    return "\n".join(rows)


def _section(text: str) -> str:
    assert BEGIN in text and END in text, "the README has lost the markers of its preset table"
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def with_table(text: str, table: str) -> str:
    """``text`` with the region between the markers replaced by ``table``, and nothing else touched.
    (A ``str.replace`` of the old section's text replaced it wherever it occurred, once splicing the
    table into the fuzzing command of a code block.)"""
    _section(text)
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def test_the_readme_preset_table_is_the_one_the_scenario_files_give():
    text = README.read_text()
    table = preset_table()
    if os.environ.get("README_BLESS") == "1":
        README.write_text(with_table(text, table))
        text = README.read_text()
    assert _section(text) == table, "README preset table out of date: README_BLESS=1 pytest tests/test_readme_presets.py"


def test_every_shipped_preset_that_teaches_has_a_row_and_no_other_rows():
    rows = [line for line in _section(README.read_text()).splitlines()[2:]]
    named = sorted(line.split("`")[1] for line in rows)
    assert named == sorted(p.name for p in SCENARIOS if load_scenario(p).teaches)
    assert len(named) >= 7


def test_a_changed_lesson_changes_the_table():
    """The comparison can fail: a preset whose teaches sentence or play differs gives another table."""
    table = preset_table()
    assert "Kreps 1990" in table and "US: Conditional offer \u2192 Israel: Accept \u2192 Israel: Keep the pledge" in table
    assert table.replace("Kreps 1990", "Kreps 1991") != table


def test_rewriting_the_table_touches_only_the_marked_region():
    """The old section's text elsewhere (here inside a command, as once happened) is left alone, and
    the table appears exactly once in the README."""
    text = f"FUZZ_EX{BEGIN}\nold\n{END}\nFUZZ_EXold AMPLES=1 cmd\n"
    assert with_table(text, "NEW") == f"FUZZ_EX{BEGIN}\nNEW\n{END}\nFUZZ_EXold AMPLES=1 cmd\n"
    readme = README.read_text()
    assert with_table(readme, _section(readme)) == readme
    assert readme.count("| file | what it teaches |") == 1
    assert "FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -q -s tests/test_fuzz.py" in readme
