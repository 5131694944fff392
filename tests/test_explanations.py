"""The one-sentence explanations (``model/text/explanations.py``), as shown on the cards and printed
by ``python -m model solve``: word for word against golden texts, and on every shipped scenario and
node, every sign and number a sentence cites against the numbers of the decision it explains.

Golden texts live in ``tests/goldens/explanations.json``. When the model changes on purpose (a new
default scenario, new wording), re-bless them in one step and review the difference::

    GOLDEN_BLESS=1 .venv/bin/python -m pytest -q tests/test_explanations.py
    git diff tests/goldens/explanations.json
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from model import load_scenario, solve
from model.cli import main
from model.files.validation import build_scenario

from . import raw
from .conftest import FULL_INFORMATION, ROOT, moved_points
from .strategies import scenario_pairs

GOLDEN = Path(__file__).parent / "goldens" / "explanations.json"
GOLDEN_SCENARIO = "scenarios/default.toml"
# a few states of the default scenario: its own values, and sliders moved so that other sentences
# (another path, "smaller gains", a loss outweighed by one gain) are shown
GOLDEN_POINTS = [{}, {"p_detect": 0.3}, {"w_il_deterrence": 0.8, "w_us_mediator": 0.9}]
BLESS = os.environ.get("GOLDEN_BLESS") == "1"

MINUS = "\u2212"
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
TERM = re.compile(rf"(?:(more|less) ([^()]+?)|other gains together|other costs together) \(([+{MINUS}])({NUMBER[2:]})\)")


# -- golden texts ---------------------------------------------------------------------------------


def current_texts() -> list[dict]:
    scenario = load_scenario(ROOT / GOLDEN_SCENARIO)
    return [{"values": point, "explanations": {c.node: c.explanation for c in solve(scenario, values=point).choices}}
            for point in GOLDEN_POINTS]


def test_explanations_match_the_golden_texts_word_for_word():
    now = current_texts()
    if BLESS:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps({
            "about": "Golden explanation sentences of tests/test_explanations.py. Re-bless deliberately: "
                     "GOLDEN_BLESS=1 python -m pytest -q tests/test_explanations.py, then review the diff.",
            "scenario": GOLDEN_SCENARIO, "cases": now}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip(f"GOLDEN_BLESS=1: rewrote {GOLDEN.relative_to(ROOT)}; review it with git diff")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["scenario"] == GOLDEN_SCENARIO
    assert [case["values"] for case in golden["cases"]] == GOLDEN_POINTS, "re-bless: the golden points changed"
    for old, new in zip(golden["cases"], now):
        for node, sentence in old["explanations"].items():
            assert new["explanations"][node] == sentence, (
                f"at {old['values'] or 'the default values'}, {node}: the sentence changed (re-bless with "
                f"GOLDEN_BLESS=1 only if the change is meant)")
        assert sorted(new["explanations"]) == sorted(old["explanations"])


def test_the_command_line_prints_the_golden_sentences(capsys):
    if BLESS:
        pytest.skip("GOLDEN_BLESS=1")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for case in golden["cases"]:
        sets = [x for k, v in case["values"].items() for x in ("--set", f"{k}={v}")]
        assert main(["solve", str(ROOT / golden["scenario"]), *sets]) == 0
        out = capsys.readouterr().out
        for sentence in case["explanations"].values():
            assert "      " + sentence + "\n" in out


# -- signs and numbers, on every shipped scenario and node -------------------------------------------


def _tolerance(shown: str) -> float:
    """Half a unit in the last digit shown."""
    mantissa, _, exponent = shown.partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals) + 1e-12


def _agrees(shown: str, value: float) -> bool:
    return abs(float(shown.replace(MINUS, "-")) - value) <= _tolerance(shown.lstrip("+" + MINUS + "-"))


def check_sentence(doc: dict, c, values: dict) -> None:
    """Every fact in ``c.explanation`` agrees with NodeChoice ``c`` and with the raw scenario document:
    the mover, the two options and their values; each "more X (+0.NN)" / "less X (−0.NN)" term's number
    is attribute X's contribution to the margin, and "more"/"less" is the direction in which X's level
    moves (the contribution's sign times the sign of weight x sense, read from the file)."""
    sentence = c.explanation
    node = doc["nodes"][c.node]
    mover = doc["players"][node["player"]]["name"]
    labels = {a["id"]: a["label"] for a in node["actions"]}
    if c.runner_up is None:
        assert sentence == f"{mover} has only one option here: {labels[c.action]}.", sentence
        return
    if c.ties:
        m = re.fullmatch(rf"(.+) values \u201c(.+)\u201d and \u201c(.+)\u201d equally \(({NUMBER})\); the tie rule "
                         r"picks \u201c(.+)\u201d, the option listed first\.", sentence)
        assert m, sentence
        assert (m[1], m[2], m[3], m[5]) == (mover, labels[c.action], labels[c.runner_up], labels[c.action])
        assert _agrees(m[4], c.value(c.action)) and c.runner_up in c.ties, sentence
        return
    m = re.fullmatch(rf"(.+?) prefers \u201c(.+?)\u201d to \u201c(.+?)\u201d \(({NUMBER}) vs ({NUMBER})\)(.*)\.",
                     sentence)
    assert m, sentence
    assert (m[1], m[2], m[3]) == (mover, labels[c.action], labels[c.runner_up]), sentence
    assert _agrees(m[4], c.value(c.action)) and _agrees(m[5], c.value(c.runner_up)), sentence
    rest = m[6]
    contributions = dict(c.contributions)
    gains = {a: d for a, d in contributions.items() if d > 0}
    losses = {a: d for a, d in contributions.items() if d < 0}
    if not rest:
        assert not gains, sentence
        return
    assert rest.startswith(": "), sentence
    parts = re.split(r" (outweighs?) ", rest[2:], maxsplit=1)
    gain_part, verb, loss_part = parts if len(parts) == 3 else (parts[0], "", "")
    assert re.fullmatch(r"T(, T)*( and T)?", TERM.sub("T", gain_part)), (gain_part, sentence)
    label_of = {aid: a["label"].lower() for aid, a in doc["attributes"].items()}
    env = raw.values(doc, values)

    def check_term(term: re.Match, gain: bool) -> float:
        sign = 1 if term[3] == "+" else -1
        number = sign * float(term[4])
        assert (number > 0) == gain, (term[0], sentence)
        if term[1] is None:  # "other gains together" / "other costs together": the sum of the terms not named
            return number
        (attribute,) = [a for a, label in label_of.items() if label == term[2].lower()]
        d = contributions[attribute]
        assert _agrees(term[3] + term[4], d), f"{term[0]!r} cites {number}; the contribution is {d} ({sentence})"
        weight_sense = raw.weight(doc, node["player"], attribute, env) * raw.sense(doc, attribute)
        level_up = (d > 0) == (weight_sense > 0)
        assert term[1] == ("more" if level_up else "less"), (
            f"{term[0]!r}: the level of {term[2]} goes {'up' if level_up else 'down'} from "
            f"\u201c{labels[c.runner_up]}\u201d to \u201c{labels[c.action]}\u201d ({sentence})")
        return number

    named = [t for t in TERM.finditer(gain_part)]
    for t in named:
        check_term(t, gain=True)
    assert all(t[0] != "other costs together" for t in named)
    named_gains = [contributions[a] for t in named if t[1] for a in label_of if label_of[a] == t[2].lower()]
    small = [t for t in named if t[1] is None]
    if small:
        assert _agrees(small[0][3] + small[0][4], sum(gains.values()) - sum(named_gains)), sentence
    if not verb:
        assert not losses, sentence
        return
    assert losses and verb == ("outweighs" if len(named) == 1 else "outweigh"), sentence
    terms = list(TERM.finditer(loss_part))
    assert TERM.sub("T", loss_part) in ("T", "T and T"), (loss_part, sentence)
    check_term(terms[0], gain=False)
    assert terms[0][1] is not None and label_of[min(losses, key=losses.get)] == terms[0][2].lower(), (
        "the loss named is the largest", sentence)
    if len(losses) > 1:
        assert len(terms) == 2 and terms[1][0].startswith("other costs together"), sentence
        assert _agrees(terms[1][3] + terms[1][4], sum(losses.values()) - min(losses.values())), sentence
    else:
        assert len(terms) == 1, sentence
    # "X outweighs Y and other costs together" must be true in its own numbers: the gains the sentence
    # names (with "other gains together" if it says so) exceed all the losses it names. (Checking each
    # term's sign and number, as above, let "+0.35 outweighs -0.30 and -0.11 together" through.)
    said_gains = sum(named_gains) + (sum(gains.values()) - sum(named_gains) if small else 0.0)
    assert said_gains > -sum(losses.values()), f"the named gains do not outweigh the named losses: {sentence}"


CASES = [(path, {}) for path in FULL_INFORMATION] + [(path, point) for path in FULL_INFORMATION
                                               for point in moved_points(load_scenario(path))]


@pytest.mark.parametrize("path, point", CASES, ids=lambda x: getattr(x, "stem", None) or
                         ",".join(f"{k}={v:g}" for k, v in x.items()) or "defaults")
def test_every_sentence_cites_the_right_signs_and_numbers(path, point):
    doc = raw.read(path)
    sol = solve(load_scenario(path), values=point)
    assert len(sol.choices) == sum(n["kind"] == "decision" for n in doc["nodes"].values())
    for c in sol.choices:
        check_sentence(doc, c, point)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_pairs())
def test_sentences_of_random_scenarios_cite_the_right_signs_and_numbers(pair):
    """Random trees reach the sentences the shipped files do not: ties, a single option, "smaller gains"."""
    doc, scenario = pair
    for c in solve(scenario).choices:
        check_sentence(doc, c, {})


@pytest.mark.parametrize("point", [{}, {"package": 0.9}], ids=["defaults", "package=0.9"])
def test_named_gains_outweigh_the_largest_loss_and_the_other_costs_together(point):
    """share_anyway, a confirmed breach: credibility (+0.35) alone does not outweigh the alliance
    strain (-0.30) and the other costs (-0.11) together, so the next gain is named; at package 0.9
    the US tolerates, and three gains (0.49) are needed against 0.35 + 0.13."""
    path = ROOT / "scenarios" / "share_anyway.toml"
    c = solve(load_scenario(path), values=point).choice("us_responds")
    expected = {
        "package=0.9": "more alliance strength (+0.30), more intelligence value (+0.13) and less civilian harm "
                       "(+0.06) outweigh less US credibility (\u22120.35) and other costs together (\u22120.13).",
        "defaults": "more US credibility (+0.35) and less sharing cost (+0.07) outweigh less alliance strength "
                    "(\u22120.30) and other costs together (\u22120.11).",
    }["package=0.9" if point else "defaults"]
    assert c.explanation.endswith(expected), c.explanation
    check_sentence(raw.read(path), c, point)


def test_a_sentence_with_smaller_gains_cites_their_sum():
    """Four small gains against one large loss: three are named, the fourth is "smaller gains"
    (no shipped scenario and no random tree of at most three attributes reaches this sentence)."""
    attrs = {f"g{k}": {"label": f"Gain {k}", "better": "higher" if k % 2 else "lower"} for k in range(4)}
    attrs["loss"] = {"label": "Loss", "better": "higher"}
    sign = {a: 1 if v["better"] == "higher" else -1 for a, v in attrs.items()}
    doc = {
        "schema_version": 1, "title": "many small gains", "root": "choose",
        "players": {"me": {"name": "Me", "weights": {a: 1.0 for a in attrs}}},
        "attributes": attrs, "parameters": {},
        "nodes": {
            "choose": {"kind": "decision", "player": "me", "actions": [
                {"id": "many", "label": "Many small gains", "next": "t_many"},
                {"id": "one", "label": "One big gain", "next": "t_one"}]},
            "t_many": {"kind": "outcome", "levels": {**{a: 0.3 * sign[a] for a in attrs if a != "loss"}, "loss": 0.0}},
            "t_one": {"kind": "outcome", "levels": {**{a: 0.0 for a in attrs if a != "loss"}, "loss": 1.0}},
        },
    }
    (c,) = solve(build_scenario(copy.deepcopy(doc))).choices
    assert "other gains together" in c.explanation and "less gain 0" in c.explanation, c.explanation
    check_sentence(doc, c, {})
