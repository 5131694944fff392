"""House rules that are cheap to check: layering, the README's set-up commands and CI."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT


def test_importing_the_model_does_not_import_streamlit_or_the_ui():
    code = "import sys, model, model.cli; bad = [m for m in ('streamlit', 'ui', 'altair') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_has_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert all("pip install" in c for c in commands)
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _readme_commands()[1] in ci.splitlines()


def test_the_ui_uses_the_models_public_api():
    """The UI imports ``model`` (its public API), or an analysis's own module; never the model's insides."""
    import ast

    inside = []
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("model."):
                if not re.fullmatch(r"model\.analyses\.\w+", node.module):
                    inside.append(f"{path.relative_to(ROOT)}: from {node.module}")
    assert inside == []


def test_every_analysis_command_and_page_section_is_found():
    """Discovery finds what the modules declare: each COMMAND is a sub-command, each section is on its page."""
    from model.analyses import commands
    from model.cli.parser import all_commands

    names = [c.name for c in all_commands()]
    assert len(names) == len(set(names))
    assert {"solve", "validate", "thresholds", "export", "sweep", "montecarlo", "nash", "report"} <= set(names)
    assert {c.name for c in commands()} >= {"thresholds", "sweep", "montecarlo", "nash"}
    from ui.sections import sections

    assert [s.ID for s in sections("sensitivity")] == ["one_way", "region_map", "bargaining_range", "tornado", "monte_carlo",
                                                      "what_it_takes"]
