"""A small vocabulary for declaring the shape of a document once (``Text``, ``Number``, ``Table``,
``Keyed``, ``Items``, ...): each spec checks a parsed value (``check(value, path)``, raising
``ScenarioError`` that names the field path, the bad value and what is allowed) and renders itself
as JSON Schema (``schema()``). ``scenario_format.FORMAT`` is written in it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ScenarioError

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
