"""Property-based fuzzing of everything that reads user input: the expression parser and the scenario reader.

Only our own ScenarioError may escape, in bounded time. CI runs a few hundred examples per target;
set FUZZ_EXAMPLES=10000 for the full fuzz run (see the README).
"""

from __future__ import annotations

import json
import math
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ScenarioError, loads_scenario, solve
from model.core.expressions import MAX_DEPTH, compile_tree, evaluate, names, parse
from model.files.document import to_data

from .conftest import ROOT

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
DEFAULT = loads_scenario((ROOT / "scenarios" / "default.toml").read_bytes(), name="default.toml")
DEFAULT_DATA = to_data(DEFAULT)
PARAMS = [p.id for p in DEFAULT.parameters]

TOKENS = st.sampled_from(["+", "-", "*", "/", "(", ")", ",", "min(", "max(", " ", "1", "0", "0.5", "1e308",
                          "1e-308", "9" * 40, ".", "e", "x", "_", "__import__", "'", ";", "**", "[", "]", "\\",
                          "\x00", "\u2212", "\U0001F600", *PARAMS[:6]])


@st.composite
def expressions(draw):
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.text(max_size=80))
    if kind == 1:
        return "".join(draw(st.lists(TOKENS, max_size=60)))
    if kind == 2:  # deep nesting
        depth = draw(st.integers(1, 200))
        return "(" * depth + draw(st.sampled_from(PARAMS)) + ")" * draw(st.integers(0, depth + 2))
    if kind == 3:  # long chains and huge texts
        return draw(st.sampled_from(PARAMS)) + " + 1" * draw(st.integers(0, 400))
    return "-" * draw(st.integers(1, 100)) + draw(st.sampled_from(["1", PARAMS[0], "(", "min(1,2)"]))


def enough(name: str, seen: int) -> None:
    """Each fuzz test counts the inputs its own run tried (printed with -s) and needs enough of them."""
    print(f"\n[fuzz] {name}: {seen} inputs (FUZZ_EXAMPLES={EXAMPLES})")
    assert seen >= min(EXAMPLES, 100), f"{name}: only {seen} inputs were tried"


def test_the_expression_parser_only_raises_scenario_errors():
    seen = []

    @FUZZ
    @given(expressions(), st.floats(allow_nan=True, allow_infinity=True))
    def target(source, value):
        seen.append(source)
        parse_and_evaluate(source, value)

    target()
    enough("expressions", len(seen))


def parse_and_evaluate(source, value):
    t0 = time.perf_counter()
    try:
        tree = parse(source)
    except ScenarioError:
        return
    finally:
        assert time.perf_counter() - t0 < 0.5, "parsing must take bounded time"
    env = {name: value for name in names(tree)}
    for name in names(tree):
        assert name.isidentifier()
    result = evaluate(tree, env)
    assert result == compile_tree(tree)(env) or (math.isnan(result) and math.isnan(compile_tree(tree)(env)))


def test_nesting_beyond_the_limit_is_refused():
    with pytest.raises(ScenarioError, match="nesting deeper"):
        parse("(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(ScenarioError, match="characters long"):
        parse("1+" * 300 + "1")


JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10 ** 400), max_value=10 ** 400),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=50),
                        st.sampled_from(["p_detect", "1 - p_detect", "", "x" * 5000, "nan", "inf"]))
JSON_VALUES = st.recursive(JSON_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                st.dictionaries(st.text(max_size=12), inner,
                                                                                max_size=4)), max_leaves=20)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(DEFAULT_DATA) if p]


def _mutate(data, path, how, value):
    data = json.loads(json.dumps(data))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif how == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    elif how == "nest":
        deep = value
        for _ in range(300):
            deep = [deep]
        parent[last] = deep
    return data


def test_the_scenario_reader_only_raises_scenario_errors():
    seen = []

    @FUZZ
    @given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "add", "nest"]),
                              JSON_VALUES), min_size=1, max_size=4))
    def target(mutations):
        seen.append(mutations)
        read_mutated_document(mutations)

    target()
    enough("JSON documents", len(seen))


def read_mutated_document(mutations):
    data = DEFAULT_DATA
    for path, how, value in mutations:
        try:
            data = _mutate(data, path, how, value)
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(data, allow_nan=True)
    t0 = time.perf_counter()
    try:
        scenario = loads_scenario(text, name="fuzz.json")
    except ScenarioError as err:
        assert str(err).startswith("fuzz.json: ")
        return
    finally:
        assert time.perf_counter() - t0 < 2.0
    solve(scenario)  # whatever loads, solves


def test_the_toml_reader_only_raises_scenario_errors():
    """Random cuts and insertions in the default TOML text."""
    seen = []

    @FUZZ
    @given(st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 40), st.text(max_size=20)), min_size=1,
                    max_size=5))
    def target(edits):
        seen.append(edits)
        read_edited_toml(edits)

    target()
    enough("TOML texts", len(seen))


def read_edited_toml(edits):
    text = (ROOT / "scenarios" / "default.toml").read_text()
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut:]
    try:
        scenario = loads_scenario(text, name="fuzz.toml")
    except ScenarioError as err:
        assert str(err).startswith("fuzz.toml")
        return
    solve(scenario)
