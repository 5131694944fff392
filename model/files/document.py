"""Scenario documents as TOML (canonical, hand-editable) and JSON: text <-> plain data <-> ``Scenario``.

Reading parses the text (JSON keys may not repeat; integers too long to convert are refused),
then checks the shape and meaning (``validation.build_scenario``). Writing turns a scenario into
plain data in the file layout (``to_data``, the inverse of ``build_scenario``) and then into text.
"""

from __future__ import annotations

import json
import tomllib

from ..core.scenario import Chance, Decision, Outcome, Scenario
from ..errors import ScenarioError
from ..text.explanations import NOTE
from .validation import build_scenario

HEADER = ("# Conditional-offer scenario. " + NOTE,)


class _Duplicated(dict):
    """A JSON object that repeated a key (found after parsing, so the error can name its path)."""

    duplicate: str = ""


def _pairs(pairs):
    out = _Duplicated() if len({k for k, _ in pairs}) < len(pairs) else {}
    for key, value in pairs:
        if key in out and isinstance(out, _Duplicated) and not out.duplicate:
            out.duplicate = key
        out[key] = value
    return out


def _find_duplicate(value, path: str = "") -> None:
    if isinstance(value, _Duplicated):
        field = f"{path}.{value.duplicate}" if path else value.duplicate
        raise ScenarioError(f"duplicate key {value.duplicate!r}; each key may appear once in a table", field=field)
    if isinstance(value, dict):
        for k, v in value.items():
            _find_duplicate(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _find_duplicate(v, f"{path}[{i}]")


def _int(text: str):
    # an integer too long for Python to convert is too large anyway: let the field check say so
    return int(text) if len(text) <= 300 else float("inf")


def parse_document(text: str, *, name: str, fmt: str) -> object:
    """Parse TOML or JSON text into plain data, with the file name in any error."""
    try:
        if fmt == ".toml":
            return tomllib.loads(text)
        doc = json.loads(text, object_pairs_hook=_pairs, parse_int=_int)
        _find_duplicate(doc)
        return doc
    except ScenarioError as err:
        raise err.at(file=name) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"not valid TOML: {err}", file=name) from None
    except json.JSONDecodeError as err:
        raise ScenarioError(f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})", file=name) from None
    except RecursionError:
        raise ScenarioError("the document is nested too deeply", file=name) from None
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        raise ScenarioError(f"not a readable document: {err}", file=name) from None


def _build(doc: object) -> Scenario:
    try:
        return build_scenario(doc)
    except RecursionError:
        raise ScenarioError("the document is nested too deeply") from None


def read_toml(text: str, *, name: str) -> Scenario:
    """A scenario from TOML text."""
    return _build(parse_document(text, name=name, fmt=".toml"))


def read_json(text: str, *, name: str) -> Scenario:
    """A scenario from JSON text."""
    return _build(parse_document(text, name=name, fmt=".json"))


def to_data(scenario: Scenario) -> dict:
    """The scenario as plain data in the file layout (the inverse of ``build_scenario``)."""
    def text(d: dict, key: str, value: str) -> None:
        if value:
            d[key] = value

    doc: dict = {"schema_version": scenario.schema_version, "title": scenario.title}
    text(doc, "description", scenario.description)
    text(doc, "teaches", scenario.teaches)
    if scenario.leaves_out:
        doc["leaves_out"] = list(scenario.leaves_out)
    doc["root"] = scenario.root
    doc["players"] = {}
    for p in scenario.players:
        entry = {"name": p.name}
        text(entry, "description", p.description)
        entry["weights"] = {aid: e.to_data() for aid, e in p.weights}
        doc["players"][p.id] = entry
    doc["attributes"] = {}
    for a in scenario.attributes:
        entry = {"label": a.label, "better": a.better}
        text(entry, "unit", a.unit)
        text(entry, "description", a.description)
        doc["attributes"][a.id] = entry
    doc["parameters"] = {}
    for p in scenario.parameters:
        entry = {"label": p.label, "default": p.default, "min": p.min, "max": p.max, "step": p.step}
        text(entry, "unit", p.unit)
        text(entry, "description", p.description)
        doc["parameters"][p.id] = entry
    doc["nodes"] = {}
    for n in scenario.nodes:
        entry: dict = {"kind": n.kind}
        if isinstance(n, Decision):
            entry["player"] = n.player
        text(entry, "label", n.label)
        text(entry, "description", n.description)
        if isinstance(n, Decision):
            entry["actions"] = [{"id": a.id, "label": a.label, "next": a.next} for a in n.actions]
        elif isinstance(n, Chance):
            entry["branches"] = [
                {"id": a.id, "label": a.label, "probability": a.probability.to_data(), "next": a.next}
                for a in n.actions
            ]
        elif isinstance(n, Outcome):
            entry["levels"] = {aid: e.to_data() for aid, e in n.levels}
        doc["nodes"][n.id] = entry
    if scenario.uncertainty is not None:
        u = scenario.uncertainty
        entry = {"player": u.player}
        text(entry, "label", u.label)
        text(entry, "description", u.description)
        entry["types"] = {}
        for t in u.types:
            te = {"label": t.label}
            text(te, "description", t.description)
            te["prior"] = t.prior.to_data()
            te["values"] = dict(t.values)
            entry["types"][t.id] = te
        doc["uncertainty"] = entry
    if scenario.bargaining is not None:
        b = scenario.bargaining
        entry = {"deal": b.deal, "parameter": b.parameter}
        text(entry, "description", b.description)
        entry["alternatives"] = {player: [f"{n}:{a}" for n, a in moves] for player, moves in b.alternatives}
        doc["bargaining"] = entry
    if scenario.claims:
        doc["claims"] = [{"kind": c.kind, **({"says": list(c.says)} if c.says else {}),
                          **{k: (list(v) if isinstance(v, tuple) else v) for k, v in c.options}}
                         for c in scenario.claims]
    return doc


def _toml_string(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ScenarioError("the text holds a lone UTF-16 surrogate, which no UTF-8 file can hold")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[\n" + "".join(f"  {_toml_value(x)},\n" for x in v) + "]"
    raise TypeError(type(v))


def _toml_table(path: str, table: dict, lines: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    subtables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if path and (scalars or not subtables):
        lines.append(f"\n[{path}]")
    for k, v in scalars.items():
        lines.append(f"{k} = {_toml_value(v)}")
    for k, v in subtables.items():
        _toml_table(f"{path}.{k}" if path else k, v, lines)


def write_json(scenario: Scenario) -> str:
    """The scenario as JSON text (every parameter at its current value)."""
    return json.dumps(to_data(scenario), indent=2, ensure_ascii=False) + "\n"


def write_toml(scenario: Scenario) -> str:
    """The scenario as TOML text (every parameter at its current value)."""
    lines: list[str] = list(HEADER)
    _toml_table("", to_data(scenario), lines)
    return "\n".join(lines) + "\n"
