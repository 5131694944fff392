"""Saving to the class folder: safe names only, shipped scenarios never overwritten, whole files only."""

from __future__ import annotations

import pytest

from model import ScenarioError, load_scenario
from model.files.scenario_io import safe_save_path, write_atomic

SHIPPED = {"default", "commitment_problem"}


@pytest.mark.parametrize("name", ["class-3", "my_scenario", "A1", "x" * 64, "notes.toml"])
def test_safe_names_are_accepted_inside_the_folder(tmp_path, name):
    path = safe_save_path(tmp_path, name, protected=SHIPPED)
    assert path.parent == tmp_path.resolve() and path.suffix == ".toml"


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", ".hidden", "a\x00b", "con", "LPT1", "x" * 65, "",
                                  "with space", "default", "commitment_problem", "-dash-first", "a.b"])
def test_unsafe_or_shipped_names_are_refused_with_a_message(tmp_path, name):
    with pytest.raises(ScenarioError) as err:
        safe_save_path(tmp_path, name, protected=SHIPPED)
    assert "file name" in str(err.value)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        safe_save_path(tmp_path / "nope", "fine", protected=SHIPPED)


def test_concurrent_saves_of_one_name_leave_a_whole_file(tmp_path, default_scenario):
    from concurrent.futures import ThreadPoolExecutor

    from model import dumps_scenario

    texts = [dumps_scenario(default_scenario.with_values({"p_detect": p})) for p in (0.1, 0.2, 0.3, 0.4) * 10]
    path = safe_save_path(tmp_path, "shared", protected=SHIPPED)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda t: write_atomic(path, t), texts))
    assert path.read_text() in texts
    assert load_scenario(path).values["p_detect"] in (0.1, 0.2, 0.3, 0.4)
    assert [p.name for p in tmp_path.iterdir()] == ["shared.toml"]
