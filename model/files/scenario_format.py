"""The scenario file format, declared once: the shape check and the JSON Schema both come from ``FORMAT``.

``check_shape(data)`` walks a parsed TOML/JSON document against ``FORMAT`` and raises
``ScenarioError`` naming the field path, the bad value and what is allowed; ``json_schema()``
renders the same declaration as a JSON Schema (shipped as ``model/files/scenario.schema.json``).
Meaning (references, ranges, the tree, probabilities) is checked afterwards in ``validation.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import ScenarioError
from ..core.scenario import SCHEMA_VERSION

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
MAX_TEXT = 4000
MAX_ITEMS = 2000


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


class Spec:
    description = ""

    def check(self, value: Any, path: str) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def schema(self) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    description: str = ""
    max_length: int = MAX_TEXT
    pattern: str | None = None

    def check(self, value, path):
        if not isinstance(value, str):
            raise ScenarioError(f"expected text, got {_type_name(value)} {_show(value)}", field=path)
        if len(value) > self.max_length:
            raise ScenarioError(f"text is {len(value)} characters long; at most {self.max_length} allowed", field=path)
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ScenarioError("text holds an invalid character (a lone UTF-16 surrogate); allowed: valid Unicode text",
                                field=path)
        if self.pattern is not None:
            import re

            if not re.match(self.pattern, value):
                raise ScenarioError(
                    f"{_show(value)} is not a valid id; allowed: a letter or _ followed by up to 63 letters, "
                    "digits or _",
                    field=path,
                )
        return value

    def schema(self):
        out = {"type": "string", "maxLength": self.max_length}
        if self.pattern:
            out["pattern"] = self.pattern
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Number(Spec):
    description: str = ""
    integer: bool = False

    def check(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(f"expected a number, got {_type_name(value)} {_show(value)}", field=path)
        if isinstance(value, float) and not math.isfinite(value):
            raise ScenarioError(f"{value!r} is not allowed; allowed: a finite number", field=path)
        if self.integer and not isinstance(value, int):
            raise ScenarioError(f"expected a whole number, got {_show(value)}", field=path)
        if abs(value) > 1e12:
            raise ScenarioError(f"{_show(value)} is too large; allowed: numbers up to 1e12 in size", field=path)
        return value if self.integer else float(value)

    def schema(self):
        out = {"type": "integer" if self.integer else "number"}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class ExprSpec(Spec):
    """A number or an expression (text) of parameter names; parsed later, where names are known."""

    description: str = ""

    def check(self, value, path):
        if isinstance(value, str):
            return Text(max_length=500, description="").check(value, path)
        return Number().check(value, path)

    def schema(self):
        return {
            "description": self.description
            or "a number, or an expression of parameter names with + - * / ( ) min() max()",
            "anyOf": [{"type": "number"}, {"type": "string", "maxLength": 500}],
        }


@dataclass(frozen=True)
class Const(Spec):
    value: Any
    description: str = ""

    def check(self, value, path):
        if value != self.value or isinstance(value, bool) != isinstance(self.value, bool):
            raise ScenarioError(f"{_show(value)} is not supported; allowed: {_show(self.value)}", field=path)
        return value

    def schema(self):
        out = {"const": self.value}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Choice(Spec):
    options: tuple[str, ...]
    description: str = ""

    def check(self, value, path):
        if value not in self.options or not isinstance(value, str):
            raise ScenarioError(
                f"{_show(value)} is not allowed; allowed: {', '.join(map(repr, self.options))}", field=path
            )
        return value

    def schema(self):
        out = {"enum": list(self.options)}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Table(Spec):
    """A table with known keys: ``fields`` maps key -> (spec, required)."""

    fields: tuple[tuple[str, Spec, bool], ...]
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, dict):
            raise ScenarioError(f"expected a table, got {_type_name(value)} {_show(value)}", field=path or None)
        known = {name for name, _, _ in self.fields}
        for key in value:
            if key not in known:
                raise ScenarioError(
                    f"unknown key {key!r}; allowed: {', '.join(name for name, _, _ in self.fields)}",
                    field=_join(path, key) if isinstance(key, str) else path,
                )
        out = {}
        for name, spec, required in self.fields:
            if name in value:
                out[name] = spec.check(value[name], _join(path, name))
            elif required:
                raise ScenarioError("this required field is missing", field=_join(path, name))
        return out

    def schema(self):
        out = {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: spec.schema() for name, spec, _ in self.fields},
            "required": [name for name, _, req in self.fields if req],
        }
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Keyed(Spec):
    """A table from ids to entries of one spec (order kept: it is the order users see)."""

    entry: Spec
    description: str = ""
    min_items: int = 1

    def check(self, value, path):
        if not isinstance(value, dict):
            raise ScenarioError(f"expected a table of ids, got {_type_name(value)} {_show(value)}", field=path)
        if len(value) < self.min_items:
            raise ScenarioError(f"needs at least {self.min_items} entr{'y' if self.min_items == 1 else 'ies'}",
                                field=path)
        if len(value) > MAX_ITEMS:
            raise ScenarioError(f"has {len(value)} entries; at most {MAX_ITEMS} allowed", field=path)
        out = {}
        for key, item in value.items():
            Text(pattern=ID_PATTERN).check(key, _join(path, str(key)))
            out[key] = self.entry.check(item, _join(path, key))
        return out

    def schema(self):
        out = {
            "type": "object",
            "minProperties": self.min_items,
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": self.entry.schema(),
        }
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Items(Spec):
    item: Spec
    description: str = ""
    min_items: int = 1

    def check(self, value, path):
        if not isinstance(value, list):
            raise ScenarioError(f"expected a list, got {_type_name(value)} {_show(value)}", field=path)
        if len(value) < self.min_items:
            raise ScenarioError(f"is empty; at least {self.min_items} needed", field=path)
        if len(value) > MAX_ITEMS:
            raise ScenarioError(f"has {len(value)} entries; at most {MAX_ITEMS} allowed", field=path)
        return [self.item.check(v, f"{path}[{i}]") for i, v in enumerate(value)]

    def schema(self):
        out = {"type": "array", "minItems": self.min_items, "items": self.item.schema()}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Tagged(Spec):
    """A table whose ``kind`` key picks which of several table specs applies."""

    variants: tuple[tuple[str, Table], ...]
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, dict):
            raise ScenarioError(f"expected a table, got {_type_name(value)} {_show(value)}", field=path)
        kinds = dict(self.variants)
        kind = value.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            shown = "missing" if "kind" not in value else f"{_show(kind)} is not allowed"
            raise ScenarioError(f"{shown}; allowed: {', '.join(map(repr, kinds))}", field=_join(path, "kind"))
        return kinds[kind].check(value, path)

    def schema(self):
        out = {"oneOf": [spec.schema() for _, spec in self.variants]}
        if self.description:
            out["description"] = self.description
        return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_ID = Text(pattern=ID_PATTERN, max_length=64)
_LABEL = Text(max_length=200, description="a short name shown in the app")
_DESCRIPTION = Text(description="one or two plain sentences shown in the app")

_ACTION = Table(
    (
        ("id", Text(pattern=ID_PATTERN, max_length=64, description="unique within the node"), True),
        ("label", _LABEL, True),
        ("next", Text(pattern=ID_PATTERN, max_length=64, description="id of the node this action leads to"), True),
    )
)
_BRANCH = Table(
    (
        ("id", Text(pattern=ID_PATTERN, max_length=64, description="unique within the node"), True),
        ("label", _LABEL, True),
        ("probability", ExprSpec("a probability in [0, 1]: a number or an expression of parameters"), True),
        ("next", Text(pattern=ID_PATTERN, max_length=64, description="id of the node this branch leads to"), True),
    )
)

_UNCERTAINTY = Table(
    (
        ("player", Text(pattern=ID_PATTERN, max_length=64, description="the player whose type is private"), True),
        ("label", _LABEL, False),
        ("description", _DESCRIPTION, False),
        (
            "types",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("description", _DESCRIPTION, False),
                        ("prior", ExprSpec("the type's prior probability: a number or an expression"), True),
                        ("values", Keyed(Number(description="the parameter's value for this type"), min_items=1), True),
                    )
                ),
                "the possible types, by id, each with its prior and its own values of some parameters",
                min_items=2,
            ),
            True,
        ),
    ),
    "optional: uncertainty about one player's type (the others know only the prior)",
)

FORMAT = Table(
    (
        ("schema_version", Const(SCHEMA_VERSION, "version of this file format"), True),
        ("title", Text(max_length=200), True),
        ("description", _DESCRIPTION, False),
        ("root", Text(pattern=ID_PATTERN, max_length=64, description="id of the first node (the first move)"), True),
        (
            "players",
            Keyed(
                Table(
                    (
                        ("name", _LABEL, True),
                        ("description", _DESCRIPTION, False),
                        (
                            "weights",
                            Keyed(ExprSpec("how much this player cares about the attribute")),
                            True,
                        ),
                    )
                ),
                "the decision makers, by id; each gives every attribute a weight",
            ),
            True,
        ),
        (
            "attributes",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("better", Choice(("higher", "lower"), "which direction is good for a player with a positive weight"), False),
                        ("unit", Text(max_length=40), False),
                        ("description", _DESCRIPTION, False),
                    )
                ),
                "the consequences every outcome has a level of",
            ),
            True,
        ),
        (
            "parameters",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("default", Number(description="the value the scenario opens with"), True),
                        ("min", Number(), True),
                        ("max", Number(), True),
                        ("step", Number(description="slider step, > 0"), True),
                        ("unit", Text(max_length=40), False),
                        ("description", _DESCRIPTION, False),
                    )
                ),
                "named numbers the user can move (sliders)",
                min_items=0,
            ),
            False,
        ),
        (
            "nodes",
            Keyed(
                Tagged(
                    (
                        (
                            "decision",
                            Table(
                                (
                                    ("kind", Const("decision"), True),
                                    ("player", Text(pattern=ID_PATTERN, max_length=64, description="id of the mover"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("actions", Items(_ACTION), True),
                                )
                            ),
                        ),
                        (
                            "chance",
                            Table(
                                (
                                    ("kind", Const("chance"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("branches", Items(_BRANCH), True),
                                )
                            ),
                        ),
                        (
                            "outcome",
                            Table(
                                (
                                    ("kind", Const("outcome"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("levels", Keyed(ExprSpec("the attribute's level at this outcome")), True),
                                )
                            ),
                        ),
                    )
                ),
                "the game tree: decision, chance and outcome nodes, by id",
            ),
            True,
        ),
        ("uncertainty", _UNCERTAINTY, False),
    ),
    "A conditional-offer scenario: players, attributes, parameters and a game tree.",
)


def check_shape(data: Any) -> dict:
    """The document, with types checked against ``FORMAT`` (numbers made floats), or ScenarioError."""
    return FORMAT.check(data, "")


def json_schema() -> dict:
    """The JSON Schema of the scenario format, generated from ``FORMAT``."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/conditional-offer/scenario.schema.json",
        "title": "Conditional-offer scenario",
    }
    schema.update(FORMAT.schema())
    return schema
