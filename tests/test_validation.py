"""Every bad input the scenario reader and the CLI must refuse, with one clear message.

Each bad document is the shipped ``scenarios/default.toml`` with one thing changed. The message
(``str(err)``) must name the file, name the field path (``nodes.us_offer.actions[1].next``) and
say what is allowed. Cases that expose a weakness in ``model/`` are strict xfails whose reason
says what is wrong; they start passing (and so fail) once the model is fixed.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from model import ScenarioError, load_scenario, loads_scenario, save_scenario
from model.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "scenarios" / "default.toml"
DEFAULT_TOML = DEFAULT_PATH.read_text(encoding="utf-8")
DEFAULT_DOC = tomllib.loads(DEFAULT_TOML)

DELETE = object()  # marker: remove the key instead of setting it


class Raw:
    """A value written into the JSON text verbatim (for numbers ``json.dumps`` cannot write)."""

    def __init__(self, text: str):
        self.text = text


# -- building bad documents -------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _STEP.findall(path):
        out.append(int(index) if index else name)
    return out


def _apply(doc: dict, path: str, value) -> None:
    *parents, last = _steps(path)
    target = doc
    for step in parents:
        target = target[step]
    if value is DELETE:
        assert last in target, f"nothing to delete at {path}"
        del target[last]
    else:
        target[last] = value


def bad_json(*edits: tuple[str, object]) -> str:
    """The default scenario as JSON text with ``edits`` ((path, value) pairs) applied."""
    doc = copy.deepcopy(DEFAULT_DOC)
    raws = {}
    for path, value in edits:
        if isinstance(value, Raw):
            marker = f"@@raw{len(raws)}@@"
            raws[json.dumps(marker)] = value.text
            value = marker
        _apply(doc, path, value)
    text = json.dumps(doc, indent=1)
    for marker, raw in raws.items():
        assert text.count(marker) == 1
        text = text.replace(marker, raw)
    return text


def bad_toml(old: str, new: str) -> str:
    """The shipped default.toml text with the one occurrence of ``old`` replaced by ``new``."""
    assert DEFAULT_TOML.count(old) == 1, f"{old!r} must occur exactly once in default.toml"
    return DEFAULT_TOML.replace(old, new)


def refused(text: str | bytes, name: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, name=name)
    return info.value


def assert_message(err: ScenarioError, file: str, field: str | None, must: tuple[str, ...]) -> None:
    message = str(err)
    assert message.startswith(f"{file}: "), f"the message does not start with the file name: {message}"
    assert "\n" not in message, f"the message is not one line: {message!r}"
    if field is not None:
        assert field in message, f"the message does not name the field {field!r}: {message}"
    for part in must:
        assert part in message, f"{part!r} missing from: {message}"


def _xfail(reason: str):
    # a failed assert, or pytest.raises seeing no error: never some other, unrelated crash
    return pytest.mark.xfail(strict=True, raises=(AssertionError, pytest.fail.Exception), reason=reason)


# A weight expression (first attribute) and a level expression used by several cases.
LEVEL = "nodes.deal_kept.levels.civilian_harm"
P0 = "nodes.breach_check.branches[0].probability"
P1 = "nodes.breach_check.branches[1].probability"
P_DETECT = "parameters.p_detect"
US_ACTION = "nodes.us_offer.actions[1]"
ALLOWED_IN_EXPR = "allowed: numbers up to 1e12, parameter names, + - * /, parentheses, min(...), max(...)"

NAN_FIELD = ()  # fixed in model/
DUP_FIELD = ()  # fixed in model/
POW_ALLOWED = ()  # fixed in model/
BIG_INT = ()  # fixed in model/
INF_PRODUCT = ()  # fixed in model/
BIG_LITERAL = ()  # fixed in model/

JSON_CASES = [
    # unknown keys
    pytest.param([("colour", "red")], "colour", ("unknown key 'colour'", "allowed: schema_version, title"),
                 id="unknown-key-top-level"),
    pytest.param([(f"{P_DETECT}.colour", "red")], f"{P_DETECT}.colour",
                 ("unknown key 'colour'", "allowed: label, default, min, max, step, unit, description"),
                 id="unknown-key-in-parameter"),
    pytest.param([("nodes.us_offer.colour", "red")], "nodes.us_offer.colour",
                 ("unknown key 'colour'", "allowed: kind, player, label, description, actions"),
                 id="unknown-key-in-decision-node"),
    pytest.param([("nodes.breach_check.actions", [])], "nodes.breach_check.actions",
                 ("unknown key 'actions'", "allowed: kind, label, description, branches"),
                 id="unknown-key-actions-in-chance-node"),
    pytest.param([(f"{US_ACTION}.colour", "red")], f"{US_ACTION}.colour",
                 ("unknown key 'colour'", "allowed: id, label, next"), id="unknown-key-in-action"),
    pytest.param([("players.us.colour", "red")], "players.us.colour",
                 ("unknown key 'colour'", "allowed: name, description, weights"), id="unknown-key-in-player"),
    # wrong types
    pytest.param([(f"{P_DETECT}.default", "0.5")], f"{P_DETECT}.default",
                 ("expected a number", "text '0.5'"), id="string-where-number"),
    pytest.param([("title", 5)], "title", ("expected text", "a whole number 5"), id="number-where-text"),
    pytest.param([(f"{US_ACTION}.label", 1.5)], f"{US_ACTION}.label", ("expected text",),
                 id="number-where-action-label"),
    pytest.param([("players", [1, 2])], "players", ("expected a table", "a list"), id="list-where-table"),
    pytest.param([("nodes.us_offer", ["decision"])], "nodes.us_offer", ("expected a table", "a list"),
                 id="list-where-node-table"),
    pytest.param([("nodes.us_offer.actions", {"id": "x"})], "nodes.us_offer.actions",
                 ("expected a list", "a table"), id="table-where-list"),
    pytest.param([(f"{P_DETECT}.min", True)], f"{P_DETECT}.min", ("expected a number", "true/false"),
                 id="boolean-where-number"),
    pytest.param([(LEVEL, False)], LEVEL, ("expected a number", "true/false"), id="boolean-where-level"),
    pytest.param([(P0, True)], P0, ("expected a number", "true/false"), id="boolean-where-probability"),
    pytest.param([("players.us.weights.civilian_harm", [0.5])], "players.us.weights.civilian_harm",
                 ("expected a number", "a list"), id="list-where-weight"),
    pytest.param([("attributes.civilian_harm.better", "more")], "attributes.civilian_harm.better",
                 ("'more' is not allowed", "allowed: 'higher', 'lower'"), id="bad-choice-better"),
    pytest.param([("nodes.us_offer.kind", "choice")], "nodes.us_offer.kind",
                 ("'choice' is not allowed", "allowed: 'decision', 'chance', 'outcome'"), id="unknown-node-kind"),
    pytest.param([("title", "x" * 201)], "title", ("201 characters", "at most 200"), id="text-too-long"),
    pytest.param([("parameters.1st", copy.deepcopy(DEFAULT_DOC["parameters"]["p_detect"]))], "parameters.1st",
                 ("not a valid id", "allowed: a letter or _"), id="id-not-an-identifier"),
    # NaN, infinity and huge numbers
    pytest.param([(f"{P_DETECT}.default", float("nan"))], f"{P_DETECT}.default", ("not allowed", "finite"),
                 id="json-NaN", marks=NAN_FIELD),
    pytest.param([(f"{P_DETECT}.max", float("inf"))], f"{P_DETECT}.max", ("not allowed", "finite"),
                 id="json-Infinity", marks=NAN_FIELD),
    pytest.param([(LEVEL, float("-inf"))], LEVEL, ("not allowed", "finite"), id="json-minus-Infinity",
                 marks=NAN_FIELD),
    pytest.param([(f"{P_DETECT}.max", Raw("1e400"))], f"{P_DETECT}.max", ("inf is not allowed",
                                                                          "allowed: a finite number"),
                 id="json-1e400"),
    pytest.param([(LEVEL, Raw("-1e400"))], LEVEL, ("-inf is not allowed", "allowed: a finite number"),
                 id="json-minus-1e400-level"),
    pytest.param([(LEVEL, 1e13)], LEVEL, ("too large", "allowed: numbers up to 1e12"), id="number-over-1e12"),
    pytest.param([(LEVEL, Raw("1" + "0" * 5000))], LEVEL, ("allowed",), id="json-5000-digit-integer",
                 marks=BIG_INT),
    pytest.param([(LEVEL, "1e400")], LEVEL, ("number 1e400 is too large",), id="expression-literal-1e400"),
    pytest.param([(LEVEL, "1e13")], LEVEL, ("too large",), id="expression-literal-over-1e12",
                 marks=BIG_LITERAL),
    pytest.param([(LEVEL, "1e12 * 1e12 * 1e12")], LEVEL, ("must be finite numbers",), id="expression-overflows-to-inf",
                 marks=INF_PRODUCT),
    pytest.param([("players.us.weights.civilian_harm", "1e12 * 1e12 * w_us_civilian")],
                 "players.us.weights.civilian_harm", ("must be finite numbers",), id="weight-overflows-to-inf",
                 marks=INF_PRODUCT),
    pytest.param([(LEVEL, "1 / p_detect")], LEVEL, ("is inf when p_detect = 0", "must be finite numbers",
                                                     "everywhere in the parameter ranges"), id="division-by-zero-at-corner"),
    # probabilities
    pytest.param([(P0, 1.5), (P1, -0.5)], P0, ("is 1.5", "must lie in [0, 1]"), id="probability-above-1"),
    pytest.param([(P0, -0.2), (P1, 1.2)], P0, ("is -0.2", "must lie in [0, 1]"), id="probability-below-0"),
    pytest.param([(P0, "p_detect + 0.1"), (P1, "0.9 - p_detect")], P0,
                 ("'p_detect + 0.1' is 1.1 when p_detect = 1", "must lie in [0, 1]"),
                 id="probability-expression-above-1-at-corner"),
    pytest.param([(P0, "p_detect - 0.1"), (P1, "1.1 - p_detect")], P0,
                 ("is -0.1 when p_detect = 0", "must lie in [0, 1]"), id="probability-expression-below-0-at-corner"),
    pytest.param([(P0, "p_detect / p_detect"), (P1, "1 - p_detect / p_detect")], P0,
                 ("is nan when p_detect = 0", "must lie in [0, 1]"), id="probability-expression-nan-at-corner"),
    pytest.param([(P0, 0.5), (P1, 0.4)], "nodes.breach_check.branches",
                 ("sum to 0.9", "must sum to 1"), id="probabilities-sum-below-1"),
    pytest.param([(P1, 0.4)], "nodes.breach_check.branches",
                 ("sum to 0.4 when p_detect = 0", "must sum to 1"), id="probabilities-sum-to-1-only-at-default"),
    # parameter ranges
    pytest.param([(f"{P_DETECT}.min", 0.8), (f"{P_DETECT}.max", 0.2)], f"{P_DETECT}.min",
                 ("min 0.8 is greater than max 0.2", "min must be <= max"), id="min-greater-than-max"),
    pytest.param([(f"{P_DETECT}.default", 1.5)], f"{P_DETECT}.default",
                 ("default 1.5 is outside the range", "allowed: 0 to 1"), id="default-above-range"),
    pytest.param([(f"{P_DETECT}.default", -0.1)], f"{P_DETECT}.default",
                 ("default -0.1 is outside the range", "allowed: 0 to 1"), id="default-below-range"),
    pytest.param([(f"{P_DETECT}.step", 0)], f"{P_DETECT}.step", ("step 0 must be greater than 0",),
                 id="step-zero"),
    pytest.param([(f"{P_DETECT}.step", -0.05)], f"{P_DETECT}.step", ("step -0.05 must be greater than 0",),
                 id="step-negative"),
    pytest.param([(f"{P_DETECT}.step", 2)], f"{P_DETECT}.step", ("larger than the range", "allowed: up to max - min"),
                 id="step-larger-than-range"),
    # references
    pytest.param([(LEVEL, "harm_x * 2")], LEVEL, ("unknown parameter 'harm_x'", "known parameters:", "p_detect"),
                 id="unknown-parameter-in-level"),
    pytest.param([("players.us.weights.civilian_harm", "w_nobody")], "players.us.weights.civilian_harm",
                 ("unknown parameter 'w_nobody'", "known parameters:", "w_us_civilian"),
                 id="unknown-parameter-in-weight"),
    pytest.param([(P0, "p_x"), (P1, "1 - p_x")], P0, ("unknown parameter 'p_x'", "known parameters:", "p_detect"),
                 id="unknown-parameter-in-probability"),
    pytest.param([("nodes.us_responds.player", "egypt")], "nodes.us_responds.player",
                 ("unknown player 'egypt'", "players: israel, us"), id="unknown-player"),
    pytest.param([(f"{US_ACTION}.next", "nowhere")], f"{US_ACTION}.next",
                 ("'nowhere' is not a node id", "nodes: us_offer, israel_answers"), id="next-names-no-node"),
    pytest.param([("nodes.breach_check.branches[1].next", "nowhere")], "nodes.breach_check.branches[1].next",
                 ("'nowhere' is not a node id",), id="branch-next-names-no-node"),
    pytest.param([("root", "nothing")], "root", ("'nothing' is not a node", "nodes: us_offer"),
                 id="root-names-no-node"),
    pytest.param([("root", "deal_kept")], "root", ("the root is an outcome", "must be a decision or chance node"),
                 id="root-is-an-outcome"),
    # the tree
    pytest.param([("nodes.us_responds.actions[1].next", "us_offer")], "nodes.us_responds.actions[1].next",
                 ("leads back to the root 'us_offer'", "cycle"), id="cycle-back-to-root"),
    pytest.param([("nodes.israel_keeps_pledge.actions[1].next", "israel_answers")],
                 "nodes.israel_keeps_pledge.actions[1].next",
                 ("'israel_answers' is already reached from node 'us_offer'", "exactly one parent"),
                 id="cycle-back-to-an-ancestor"),
    pytest.param([("nodes.us_responds.actions[1].next", "breach_cut_off")], "nodes.us_responds.actions[1].next",
                 ("'breach_cut_off' is already reached from node 'us_responds'", "exactly one parent"),
                 id="node-with-two-parents-same-node"),
    pytest.param([("nodes.israel_after_sharing.actions[1].next", "deal_kept")],
                 "nodes.israel_after_sharing.actions[1].next",
                 ("'deal_kept' is already reached from node 'israel_keeps_pledge'", "exactly one parent"),
                 id="node-with-two-parents"),
    pytest.param([("nodes.orphan", copy.deepcopy(DEFAULT_DOC["nodes"]["deal_kept"]))], "nodes.orphan",
                 ("cannot be reached from the root", "remove it or lead an action to it"), id="unreachable-node"),
    pytest.param([("nodes.loop_a", {"kind": "decision", "player": "us",
                                    "actions": [{"id": "go", "label": "Go", "next": "loop_b"}]}),
                  ("nodes.loop_b", {"kind": "decision", "player": "us",
                                    "actions": [{"id": "go", "label": "Go", "next": "loop_a"}]})],
                 "nodes.loop_a", ("cannot be reached from the root", "part of a cycle"), id="detached-cycle"),
    pytest.param([("nodes.us_offer.actions", [])], "nodes.us_offer.actions", ("is empty", "at least 1 needed"),
                 id="empty-action-list"),
    pytest.param([("nodes.breach_check.branches", [])], "nodes.breach_check.branches",
                 ("is empty", "at least 1 needed"), id="empty-branch-list"),
    pytest.param([("nodes", {})], "nodes", ("needs at least 1 entry",), id="empty-node-table"),
    # duplicates
    pytest.param([(f"{US_ACTION}.id", "conditional")], f"{US_ACTION}.id",
                 ("duplicate id 'conditional'", "unique within a node"), id="duplicate-action-id"),
    pytest.param([("nodes.breach_check.branches[1].id", "confirmed")], "nodes.breach_check.branches[1].id",
                 ("duplicate id 'confirmed'", "unique within a node"), id="duplicate-branch-id"),
    # missing fields
    pytest.param([(f"{P_DETECT}.max", DELETE)], f"{P_DETECT}.max", ("required field is missing",),
                 id="missing-parameter-max"),
    pytest.param([("root", DELETE)], "root", ("required field is missing",), id="missing-root"),
    pytest.param([(f"{US_ACTION}.next", DELETE)], f"{US_ACTION}.next", ("required field is missing",),
                 id="missing-action-next"),
    pytest.param([("nodes.us_responds.player", DELETE)], "nodes.us_responds.player", ("required field is missing",),
                 id="missing-node-player"),
    pytest.param([("nodes.us_offer.kind", DELETE)], "nodes.us_offer.kind",
                 ("missing", "allowed: 'decision', 'chance', 'outcome'"), id="missing-node-kind"),
    pytest.param([("players.israel.weights.civilian_harm", DELETE)], "players.israel.weights.civilian_harm",
                 ("missing the weight for attribute 'civilian_harm'", "every attribute needs one"),
                 id="missing-weight"),
    pytest.param([(LEVEL, DELETE)], LEVEL, ("missing the level for attribute 'civilian_harm'",
                                            "every attribute needs one"), id="missing-level"),
    pytest.param([("nodes.deal_kept.levels.happiness", 1)], "nodes.deal_kept.levels.happiness",
                 ("unknown attribute 'happiness'", "attributes: intelligence_value"), id="unknown-attribute-in-levels"),
    pytest.param([("players.us.weights.happiness", 1)], "players.us.weights.happiness",
                 ("unknown attribute 'happiness'", "attributes: intelligence_value"), id="unknown-attribute-in-weights"),
    # schema version
    pytest.param([("schema_version", 2)], "schema_version", ("2 is not supported", "allowed: 1"),
                 id="schema-version-2"),
    pytest.param([("schema_version", "1")], "schema_version", ("'1' is not supported", "allowed: 1"),
                 id="schema-version-as-text"),
    pytest.param([("schema_version", True)], "schema_version", ("is not supported", "allowed: 1"),
                 id="schema-version-true"),
    pytest.param([("schema_version", DELETE)], "schema_version", ("required field is missing",),
                 id="schema-version-missing"),
    # expressions
    pytest.param([(LEVEL, "__import__('os')")], LEVEL, ("unexpected character \"'\"", ALLOWED_IN_EXPR),
                 id="expression-import"),
    pytest.param([(LEVEL, "p_detect ** 2")], LEVEL, ("allowed",), id="expression-power", marks=POW_ALLOWED),
    pytest.param([(LEVEL, "a;b")], LEVEL, ("unexpected character ';'", ALLOWED_IN_EXPR), id="expression-semicolon"),
    pytest.param([(LEVEL, "p_detect @ 2")], LEVEL, ("unexpected character '@'", ALLOWED_IN_EXPR),
                 id="expression-at-sign"),
    pytest.param([(LEVEL, "(p_detect + 1")], LEVEL, ("missing ')'", "'(p_detect + 1'"),
                 id="expression-unclosed-parenthesis"),
    pytest.param([(LEVEL, "p_detect + 1)")], LEVEL, ("unexpected ')'",), id="expression-extra-parenthesis"),
    pytest.param([(LEVEL, "min(p_detect, 1")], LEVEL, ("missing ')' after the arguments of min",),
                 id="expression-unclosed-min"),
    pytest.param([(LEVEL, "(" * 45 + "1" + ")" * 45)], LEVEL, ("nesting deeper than 40 levels",),
                 id="expression-nested-parentheses"),
    pytest.param([(LEVEL, "-" * 45 + "1")], LEVEL, ("nesting deeper than 40 levels",), id="expression-nested-minus"),
    pytest.param([(LEVEL, "1+" * 260 + "1")], LEVEL, ("521 characters", "at most 500"), id="expression-too-long"),
    pytest.param([(LEVEL, "  ")], LEVEL, ("empty expression", "write a number, a parameter name"),
                 id="expression-blank"),
    pytest.param([(LEVEL, "1 +")], LEVEL, ("unexpected end",), id="expression-ends-early"),
    pytest.param([(LEVEL, "min")], LEVEL, ("min must be followed by '('",), id="expression-bare-min"),
    # reserved ids
    pytest.param([("parameters.min", copy.deepcopy(DEFAULT_DOC["parameters"]["p_detect"]))], "parameters.min",
                 ("'min' is reserved for the function min()", "choose another id"), id="parameter-named-min"),
    pytest.param([("parameters.max", copy.deepcopy(DEFAULT_DOC["parameters"]["p_detect"]))], "parameters.max",
                 ("'max' is reserved for the function max()", "choose another id"), id="parameter-named-max"),
    pytest.param([("players.chance", copy.deepcopy(DEFAULT_DOC["players"]["us"]))], "players.chance",
                 ("'chance' is reserved", "choose another player id"), id="player-named-chance"),
]


@pytest.mark.parametrize(("edits", "field", "must"), JSON_CASES)
def test_bad_json_document_is_refused_with_field_and_what_is_allowed(edits, field, must):
    err = refused(bad_json(*edits), "x.json")
    assert err.file == "x.json"
    assert_message(err, "x.json", field, must)


def test_the_unchanged_document_loads_in_both_formats():
    """The control for every case above: without the one change, the document is fine."""
    assert loads_scenario(bad_json(), name="x.json") == loads_scenario(DEFAULT_TOML, name="x.toml")


# Where a message is incomplete (the xfails above), the input must still be refused cleanly.
@pytest.mark.parametrize("edits", [
    pytest.param([(f"{P_DETECT}.default", float("nan"))], id="json-NaN"),
    pytest.param([(f"{P_DETECT}.max", float("inf"))], id="json-Infinity"),
    pytest.param([(LEVEL, float("-inf"))], id="json-minus-Infinity"),
    pytest.param([(LEVEL, Raw("1" + "0" * 5000))], id="json-5000-digit-integer"),
    pytest.param([(LEVEL, "p_detect ** 2")], id="expression-power"),
])
def test_refused_even_where_the_message_is_incomplete(edits):
    err = refused(bad_json(*edits), "x.json")
    assert str(err).startswith("x.json: ")


# the line of `root = ...` in default.toml, where the cases below break the file
ROOT_LINE = DEFAULT_TOML.splitlines().index('root = "us_offer"') + 1
A = 'label = "Chance a breach is confirmed"\ndefault = 0.6\nmin = 0.0\nmax = 1.0\nstep = 0.05'
DEAL_LEVELS = 'civilian_harm = 0.0\nalliance_strength = "alliance_dividend"'

TOML_CASES = [
    pytest.param(DEAL_LEVELS, DEAL_LEVELS.replace("0.0", "nan"), LEVEL, ("nan is not allowed", "allowed: a finite number"),
                 id="toml-nan-level"),
    pytest.param('probability = "p_detect"', "probability = nan", P0, ("nan is not allowed", "a finite number"),
                 id="toml-nan-probability"),
    pytest.param(A, A.replace("default = 0.6", "default = inf"), f"{P_DETECT}.default",
                 ("inf is not allowed", "allowed: a finite number"), id="toml-inf"),
    pytest.param(A, A.replace("min = 0.0", "min = -inf"), f"{P_DETECT}.min", ("-inf is not allowed", "finite"),
                 id="toml-minus-inf"),
    pytest.param(A, A.replace("max = 1.0", "max = 1e400"), f"{P_DETECT}.max", ("inf is not allowed", "finite"),
                 id="toml-1e400"),
    pytest.param(A, A.replace("min = 0.0", "min = -99999999999999999999"), f"{P_DETECT}.min",
                 ("too large", "allowed: numbers up to 1e12"), id="toml-huge-integer"),
    pytest.param(A, A.replace("step = 0.05", 'step = "0.05"'), f"{P_DETECT}.step", ("expected a number", "text"),
                 id="toml-string-where-number"),
    pytest.param(A, A.replace("default = 0.6", "default = true"), f"{P_DETECT}.default",
                 ("expected a number", "true/false"), id="toml-boolean-where-number"),
    pytest.param('title = "The conditional offer (default illustrative assumptions)"', "title = 1979-05-27",
                 "title", ("expected text", "date"), id="toml-date-where-text"),
    pytest.param(A, A + "\ncolour = 'red'", f"{P_DETECT}.colour", ("unknown key 'colour'", "allowed: label"),
                 id="toml-unknown-key-in-parameter"),
    pytest.param('{ id = "no_offer", label = "No offer", next = "israel_without_offer" }',
                 '{ id = "conditional", label = "No offer", next = "israel_without_offer" }',
                 "nodes.us_offer.actions[2].id", ("duplicate id 'conditional'",), id="toml-duplicate-action-id"),
    pytest.param("schema_version = 1", "schema_version = 2", "schema_version", ("allowed: 1",),
                 id="toml-schema-version-2"),
]


@pytest.mark.parametrize(("old", "new", "field", "must"), TOML_CASES)
def test_bad_toml_document_is_refused_with_field_and_what_is_allowed(old, new, field, must):
    err = refused(bad_toml(old, new), "x.toml")
    assert_message(err, "x.toml", field, must)


def test_duplicate_key_in_json_object_top_level():
    text = bad_json().replace('"title":', '"title": "Another title",\n "title":', 1)
    err = refused(text, "x.json")
    assert_message(err, "x.json", "title", ("duplicate key 'title'", "each key may appear once"))


def test_duplicate_key_in_nested_json_object_names_its_path():
    old = '"label": "Chance a breach is confirmed"'
    text = bad_json()
    assert text.count(old) == 1
    err = refused(text.replace(old, f'"label": "x",\n  {old}'), "x.json")
    assert_message(err, "x.json", f"{P_DETECT}.label", ("duplicate key 'label'",))


def test_duplicate_table_in_toml():
    err = refused(DEFAULT_TOML + '\n[nodes.us_offer]\nkind = "decision"\n', "x.toml")
    # tomllib names the table as ('nodes', 'us_offer') and gives the line
    assert_message(err, "x.toml", None, ("not valid TOML", "'nodes', 'us_offer'", "twice", "line "))


def test_duplicate_key_in_toml_table():
    err = refused(bad_toml('root = "us_offer"', 'root = "us_offer"\nroot = "israel_answers"'), "x.toml")
    assert_message(err, "x.toml", None, ("not valid TOML", "Cannot overwrite a value", f"at line {ROOT_LINE + 1},"))


@pytest.mark.parametrize(("text", "name", "must"), [
    pytest.param("title = \n", "x.toml", ("not valid TOML", "line 1, column 9"), id="toml-syntax"),
    pytest.param(DEFAULT_TOML.replace('root = "us_offer"', 'root = "us_offer'), "x.toml",
                 ("not valid TOML", f"line {ROOT_LINE}, column 17"), id="toml-unclosed-string"),
    pytest.param('{"title": "x",}', "x.json", ("not valid JSON", "line 1, column 15"), id="json-trailing-comma"),
    pytest.param("{", "x.json", ("not valid JSON", "line 1, column 2"), id="json-unclosed"),
    pytest.param("[" * 100_000 + "]" * 100_000, "x.json", ("nested too deeply",), id="json-nested-too-deeply"),
    pytest.param("a = " + "[" * 100_000 + "]" * 100_000, "x.toml", ("nested too deeply",), id="toml-nested-too-deeply"),
    pytest.param("[1, 2]", "x.json", ("expected a table", "a list"), id="json-top-level-list"),
    pytest.param(b"title = \"caf\xe9\"\n", "x.toml", ("not UTF-8 text", "byte 12"), id="invalid-utf8-bytes"),
    pytest.param("a: 1\n", "x.yaml", ("unsupported file type '.yaml'", "allowed: .toml or .json"), id="yaml-text"),
    pytest.param("{}", "scenario", ("unsupported file type '(none)'", "allowed: .toml or .json"), id="no-suffix"),
])
def test_unreadable_text_is_refused_with_file_and_place(text, name, must):
    err = refused(text, name)
    assert_message(err, name, None, must)


# -- file level -------------------------------------------------------------------------------

IMPERFECT_EFG = """EFG 2 R "Imperfect information" { "Player 1" "Player 2" }
"Player 2 does not see player 1's move: one information set holds both of its nodes."

p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 0, 1 }
p "" 2 1 "" { "l" "r" } 0
t "" 3 "" { 2, 0 }
t "" 4 "" { 0, 2 }
"""
# Gambit also lets the second member of an information set omit its action list.
IMPERFECT_EFG_SHORT = IMPERFECT_EFG.replace('p "" 2 1 "" { "l" "r" } 0\nt "" 3', 'p "" 2 1 0\nt "" 3')
PERFECT_EFG = IMPERFECT_EFG.replace('p "" 2 1 "" { "l" "r" } 0\nt "" 3', 'p "" 2 2 "" { "l" "r" } 0\nt "" 3')


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


FILE_CASES = [
    pytest.param("big.toml", b"#" * 1_000_001, ("larger than 1,000,000 bytes",), id="over-1MB"),
    pytest.param("notes.yaml", "title: x\n", ("unsupported file type '.yaml'", "allowed: .toml or .json"),
                 id="yaml-extension"),
    pytest.param("missing.toml", None, ("no such file",), id="missing-file"),
    pytest.param("latin1.toml", 'title = "caf\xe9"\n'.encode("latin-1"), ("not UTF-8 text",), id="invalid-utf8"),
    pytest.param("syntax.toml", 'title = "unclosed\n', ("not valid TOML", "line 1"), id="invalid-toml"),
    pytest.param("syntax.json", '{"title": }', ("not valid JSON", "line 1, column 11"), id="invalid-json"),
    pytest.param("empty.json", "", ("not valid JSON",), id="empty-json"),
    pytest.param("empty.toml", "", ("schema_version", "required field is missing"), id="empty-toml"),
    pytest.param("bad_next.json", bad_json((f"{US_ACTION}.next", "nowhere")),
                 (f"{US_ACTION}.next", "'nowhere' is not a node id"), id="bad-field"),
    pytest.param("imperfect.efg", IMPERFECT_EFG, ("imperfect information", "player 2's information set 1"),
                 id="efg-imperfect-information"),
    pytest.param("imperfect_short.efg", IMPERFECT_EFG_SHORT, ("imperfect information",),
                 id="efg-imperfect-information-short-form"),
    pytest.param("truncated.efg", PERFECT_EFG.rsplit("\nt ", 2)[0] + "\n", ("ends before every action",),
                 id="efg-truncated"),
]


@pytest.mark.parametrize(("filename", "content", "must"), FILE_CASES)
def test_bad_file_is_refused_naming_the_file(tmp_path, filename, content, must):
    path = tmp_path / filename
    if content is not None:
        _write(path, content)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert_message(info.value, str(path), None, must)


def test_imperfect_information_gives_one_clear_message(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path / "game.efg", IMPERFECT_EFG))
    message = str(info.value)
    assert message.count("imperfect information") == 1
    assert "\n" not in message and "Traceback" not in message
    assert "allowed: perfect information" in message and "one-sided private types" in message


def test_the_same_game_with_perfect_information_loads(tmp_path):
    """Control: splitting the information set in two makes the game readable."""
    scenario = load_scenario(_write(tmp_path / "game.efg", PERFECT_EFG))
    assert [p.id for p in scenario.players] == ["p1", "p2"]


def test_size_cap_is_exactly_one_megabyte(tmp_path):
    """A file of exactly 1,000,000 bytes is read (and then refused for its content, not its size)."""
    path = _write(tmp_path / "edge.toml", b"#" * 999_999 + b"\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "bytes" not in str(info.value)
    assert "schema_version: this required field is missing" in str(info.value)


def test_size_cap_applies_to_bytes_given_directly():
    err = refused(b"#" * 1_000_001, "x.toml")
    assert_message(err, "x.toml", None, ("1,000,001 bytes", "at most 1,000,000"))


def test_size_cap_counts_bytes_of_text_too():
    err = refused("#" + "\u00e9" * 600_000, "x.toml")
    assert "bytes" in str(err)


def test_a_folder_is_not_a_file(tmp_path):
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "folder.toml")
    assert_message(info.value, str(tmp_path / "folder.toml"), None, ("is a folder, not a file",))


# -- the command line -------------------------------------------------------------------------

def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, (code, err)
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert err.startswith("error: ")
    assert "unexpected failure" not in err
    return err


@pytest.mark.parametrize(("filename", "content", "must"), FILE_CASES)
def test_cli_bad_file_gives_status_2_and_one_error_line(tmp_path, capsys, filename, content, must):
    path = tmp_path / filename
    if content is not None:
        _write(path, content)
    err = assert_one_error_line(*run_cli(capsys, ["validate", str(path)]))
    assert err.startswith(f"error: {path}: ")
    for part in must:
        assert part in err


@pytest.mark.parametrize("argv", [
    pytest.param(["solve", "{path}"], id="solve"),
    pytest.param(["solve", "{path}", "--json"], id="solve-json"),
    pytest.param(["thresholds", "{path}"], id="thresholds"),
    pytest.param(["export", "{path}", "--to", "efg"], id="export"),
])
def test_every_subcommand_reports_a_bad_file_the_same_way(tmp_path, capsys, argv):
    path = _write(tmp_path / "bad.json", bad_json(("nodes.us_responds.player", "egypt")))
    err = assert_one_error_line(*run_cli(capsys, [a.format(path=path) for a in argv]))
    assert err == f"error: {path}: nodes.us_responds.player: unknown player 'egypt'; players: israel, us\n"


def test_cli_validates_a_good_file(capsys):
    """Control for the CLI cases: a good file gives status 0 and nothing on stderr."""
    code, out, err = run_cli(capsys, ["validate", str(DEFAULT_PATH)])
    assert (code, err) == (0, "")
    assert out.startswith(f"ok: {DEFAULT_PATH}: 2 players")


@pytest.mark.parametrize(("setting", "must"), [
    pytest.param("nope=1", ("error: --set: unknown parameter 'nope'", "known: package, w_us_intelligence", "p_detect"),
                 id="unknown-parameter"),
    pytest.param("p_detect=abc", ("error: --set: parameters.p_detect: value 'abc' is not a number",
                                  "allowed: a number from 0 to 1"), id="not-a-number"),
    pytest.param("p_detect=1.5", ("error: --set: parameters.p_detect: value '1.5' is outside the range",
                                  "allowed: 0 to 1"), id="above-range"),
    pytest.param("p_detect=-0.1", ("parameters.p_detect", "outside the range", "allowed: 0 to 1"), id="below-range"),
    pytest.param("p_detect=nan", ("parameters.p_detect", "allowed: 0 to 1"), id="nan"),
    pytest.param("p_detect=inf", ("parameters.p_detect", "allowed: 0 to 1"), id="inf"),
    pytest.param("p_detect", ("error: --set 'p_detect' must look like NAME=VALUE",), id="no-equals-sign"),
    pytest.param("=0.5", ("must look like NAME=VALUE",), id="no-name"),
])
@pytest.mark.parametrize("command", ["solve", "thresholds"])
def test_cli_bad_set(capsys, command, setting, must):
    err = assert_one_error_line(*run_cli(capsys, [command, str(DEFAULT_PATH), "--set", setting]))
    for part in must:
        assert part in err


def test_cli_good_set_changes_the_answer(capsys):
    """Control: a valid --set is applied (p_detect = 0.2 makes the US make no offer)."""
    code, out, err = run_cli(capsys, ["solve", str(DEFAULT_PATH), "--set", "p_detect=0.2", "--json"])
    assert (code, err) == (0, "")
    assert [step["action"] for step in json.loads(out)["path"]] == ["no_offer", "operate"]


@pytest.mark.parametrize(("argv", "must"), [
    pytest.param(["frobnicate", str(DEFAULT_PATH)], ("invalid choice: 'frobnicate'", "'solve'", "--help"),
                 id="unknown-subcommand"),
    pytest.param([], ("required: COMMAND",), id="no-subcommand"),
    pytest.param(["solve"], ("required: PATH",), id="no-path"),
    pytest.param(["solve", str(DEFAULT_PATH), "--bogus"], ("unrecognized arguments: --bogus",), id="unknown-option"),
    pytest.param(["export", str(DEFAULT_PATH), "--to", "yaml"], ("invalid choice: 'yaml'", "'toml', 'json', 'efg'"),
                 id="export-unknown-format"),
    pytest.param(["export", str(DEFAULT_PATH)], ("required: --to",), id="export-without-to"),
])
def test_cli_bad_arguments(capsys, argv, must):
    err = assert_one_error_line(*run_cli(capsys, argv))
    for part in must:
        assert part in err


@pytest.mark.parametrize(("to", "out_name"), [
    pytest.param("json", "out.txt", id="json-to-txt"),
    pytest.param("toml", "out.json", id="toml-to-json"),
    pytest.param("efg", "out.toml", id="efg-to-toml"),
])
def test_cli_export_with_wrong_suffix_writes_nothing(tmp_path, capsys, to, out_name):
    out = tmp_path / out_name
    err = assert_one_error_line(*run_cli(capsys, ["export", str(DEFAULT_PATH), "--to", to, "-o", str(out)]))
    assert err == f"error: {out}: the output name must end in .{to}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("to", ["json", "toml", "efg"])
def test_cli_export_with_right_suffix_writes_one_file(tmp_path, capsys, to):
    """Control for the case above: the right suffix writes exactly the file asked for."""
    out = tmp_path / f"out.{to}"
    code, stdout, err = run_cli(capsys, ["export", str(DEFAULT_PATH), "--to", to, "-o", str(out)])
    assert (code, stdout, err) == (0, f"wrote {out}\n", "")
    assert list(tmp_path.iterdir()) == [out]
    load_scenario(out)


def test_cli_export_into_a_missing_folder(tmp_path, capsys):
    out = tmp_path / "no_such_folder" / "out.json"
    err = assert_one_error_line(*run_cli(capsys, ["export", str(DEFAULT_PATH), "--to", "json", "-o", str(out)]))
    assert err.startswith(f"error: {out}: cannot write in this folder")
    assert list(tmp_path.iterdir()) == []


# -- saving -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_PATH)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_round_trips_and_leaves_no_temp_file(tmp_path, scenario, suffix):
    path = tmp_path / f"saved{suffix}"
    assert save_scenario(scenario, path) == path
    assert list(tmp_path.iterdir()) == [path]
    assert load_scenario(path) == scenario


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_over_an_existing_file_replaces_it(tmp_path, scenario, suffix):
    path = tmp_path / f"saved{suffix}"
    path.write_text("old content", encoding="utf-8")
    moved = scenario.with_values({"p_detect": 0.25})
    save_scenario(moved, path)
    assert list(tmp_path.iterdir()) == [path]
    again = load_scenario(path)
    assert again == moved and again != scenario


def test_save_into_a_missing_folder_names_the_file(tmp_path, scenario):
    path = tmp_path / "no_such_folder" / "saved.toml"
    with pytest.raises(ScenarioError) as info:
        save_scenario(scenario, path)
    assert_message(info.value, str(path), None, ("cannot write in this folder",))
    assert list(tmp_path.iterdir()) == []


def test_save_with_unsupported_suffix_writes_nothing(tmp_path, scenario):
    path = tmp_path / "saved.yaml"
    with pytest.raises(ScenarioError) as info:
        save_scenario(scenario, path)
    assert_message(info.value, str(path), None, ("unsupported file type '.yaml'",))
    assert list(tmp_path.iterdir()) == []


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, scenario, monkeypatch):
    path = tmp_path / "saved.toml"
    path.write_text("old content", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ScenarioError) as info:
        save_scenario(scenario, path)
    assert_message(info.value, str(path), None, ("cannot be written: Permission denied",))
    assert list(tmp_path.iterdir()) == [path]
    assert path.read_text(encoding="utf-8") == "old content"


def test_interrupted_save_leaves_no_temp_file(tmp_path, scenario, monkeypatch):
    class Interrupted(BaseException):
        pass

    def interrupt(fd):
        raise Interrupted

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(Interrupted):
        save_scenario(scenario, tmp_path / "saved.json")
    assert list(tmp_path.iterdir()) == []


SURROGATE_JSON = bad_json(("title", "Bad \ud800 title"))  # json.dumps writes the lone surrogate as \ud800


def test_lone_surrogate_in_json_text_is_refused():
    err = refused(SURROGATE_JSON, "x.json")
    assert_message(err, "x.json", "title", ())


def test_unwritable_text_gives_scenario_error_on_save(tmp_path, scenario):
    bad = replace(scenario, title="Bad \ud800 title")
    try:
        save_scenario(bad, tmp_path / "saved.json")
    except ScenarioError as err:
        assert str(err).startswith(str(tmp_path / "saved.json"))
    except UnicodeEncodeError as err:
        raise AssertionError(f"raw {type(err).__name__} escaped") from err
    else:
        assert load_scenario(tmp_path / "saved.json") == bad


def test_unwritable_text_leaves_no_temp_file(tmp_path, scenario):
    bad = replace(scenario, title="Bad \ud800 title")
    path = tmp_path / "saved.json"
    try:
        save_scenario(bad, path)
    except (ScenarioError, UnicodeEncodeError):
        assert list(tmp_path.iterdir()) == []
    else:
        assert list(tmp_path.iterdir()) == [path]


def test_toml_save_of_unwritable_text_does_not_change_it_silently(tmp_path, scenario):
    bad = replace(scenario, title="Bad \ud800 title")
    try:
        save_scenario(bad, tmp_path / "saved.toml")
    except ScenarioError:
        return
    assert load_scenario(tmp_path / "saved.toml") == bad


def test_cli_export_of_unwritable_text_is_a_clean_error(tmp_path, capsys):
    source = _write(tmp_path / "in.json", SURROGATE_JSON)
    out = tmp_path / "out.json"
    code, stdout, err = run_cli(capsys, ["export", str(source), "--to", "json", "-o", str(out)])
    assert_one_error_line(code, stdout, err)
    assert not out.exists()


def test_a_tree_whose_paths_cannot_be_numbered_in_64_bits_is_refused_at_load():
    """Each equilibrium path is numbered by one 64-bit integer in base (actions + 1) per decision. 39
    two-action decisions give 3^39 (about 4.1e18) numbers: accepted, and Ann's one flip (stop at once
    below w = 0.5) is found. 40 give 3^40 (about 1.2e19), more than 2^63: refused, naming the field and
    the limit (the thresholds raised OverflowError from 64 decisions, and at 40 a path's number could
    wrap around unseen)."""
    from model import thresholds

    from .small_games import stop_or_go

    found = [t.value for t in thresholds(stop_or_go(39)) if t.value > 0]
    assert found == [pytest.approx(0.5)]
    with pytest.raises(ScenarioError) as err:
        stop_or_go(40)
    assert err.value.field == "nodes"
    assert "using 1.22e+19 numbers for these 40 decision nodes" in err.value.message
    assert "allowed: at most 2^63" in err.value.message
