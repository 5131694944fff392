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
