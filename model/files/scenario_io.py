"""Reading and writing scenario files: TOML (canonical), JSON, and Gambit ``.efg`` (read only here).

The only module of ``model`` that touches the file system. Reads are size-capped; writes are
atomic (a temporary file in the same folder, then ``os.replace``), so a reader never sees half a
file. ``load -> save -> load`` gives an equal ``Scenario`` in both formats.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path

from ..errors import ScenarioError
from ..core.scenario import Chance, Decision, Outcome, Scenario
from .validation import build_scenario

MAX_BYTES = 1_000_000
FORMATS = (".toml", ".json", ".efg")


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ScenarioError(
            f"unsupported file type {suffix or '(none)'!r}; allowed: .toml or .json scenarios, or a Gambit .efg game",
            file=name,
        )
    return suffix


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


def loads_scenario(data: bytes | str, *, name: str) -> Scenario:
    """A scenario from the bytes or text of a file called ``name`` (its suffix picks the format)."""
    fmt = _format_of(name)
    size = len(data) if isinstance(data, bytes) or len(data) * 4 <= MAX_BYTES else len(
        data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ScenarioError(f"the file is {size:,} bytes; at most {MAX_BYTES:,} are allowed", file=name)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ScenarioError(f"not UTF-8 text (byte {err.start})", file=name) from None
    if fmt == ".efg":
        from .efg import parse_efg

        try:
            return parse_efg(data)
        except ScenarioError as err:
            raise err.at(file=name) from None
    doc = parse_document(data, name=name, fmt=fmt)
    try:
        return build_scenario(doc)
    except ScenarioError as err:
        raise err.at(file=name) from None
    except RecursionError:
        raise ScenarioError("the document is nested too deeply", file=name) from None


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate a scenario file (.toml, .json) or a Gambit game (.efg)."""
    path = Path(path)
    name = str(path)
    _format_of(name)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError("no such file", file=name) from None
    except IsADirectoryError:
        raise ScenarioError("is a folder, not a file", file=name) from None
    except OSError as err:
        raise ScenarioError(f"cannot be read: {err.strerror}", file=name) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"the file is larger than {MAX_BYTES:,} bytes, the most allowed", file=name)
    return loads_scenario(data, name=name)


# -- writing ------------------------------------------------------------------------------------

def to_data(scenario: Scenario) -> dict:
    """The scenario as plain data in the file layout (the inverse of ``build_scenario``)."""
    def text(d: dict, key: str, value: str) -> None:
        if value:
            d[key] = value

    doc: dict = {"schema_version": scenario.schema_version, "title": scenario.title}
    text(doc, "description", scenario.description)
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


def dumps_scenario(scenario: Scenario, *, fmt: str = ".toml") -> str:
    """The scenario as TOML or JSON text."""
    doc = to_data(scenario)
    if fmt == ".json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = [
        "# Conditional-offer scenario. Every number is an illustrative assumption for teaching,",
        "# not a fact or an estimate.",
    ]
    _toml_table("", doc, lines)
    return "\n".join(lines) + "\n"


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> Path:
    """Write the scenario atomically as TOML or JSON (by the suffix of ``path``)."""
    path = Path(path)
    fmt = _format_of(str(path))
    if fmt == ".efg":
        from .efg import to_efg

        text = to_efg(scenario)
    else:
        text = dumps_scenario(scenario, fmt=fmt)
    write_atomic(path, text)
    return path


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_save_path(folder: str | os.PathLike, name: str, *, protected: set[str] = frozenset()) -> Path:
    """Where to save a scenario called ``name`` in ``folder``, or ScenarioError if the name is unsafe.

    Allowed: 1-64 letters, digits, ``-`` and ``_`` (no dots, slashes or path tricks), not a reserved
    device name and not the name of a protected (shipped) scenario. The file gets ``.toml``.
    """
    name = (name or "").strip()
    if name.lower().endswith(".toml"):
        name = name[:-5]
    if not SAFE_NAME.match(name):
        raise ScenarioError("allowed: 1 to 64 letters, digits, - and _, starting with a letter or digit "
                            f"(no dots, slashes or spaces); got {name[:40]!r}", field="file name")
    if name.lower() in RESERVED_NAMES:
        raise ScenarioError(f"{name!r} is a reserved device name on some systems; choose another", field="file name")
    if name in protected:
        raise ScenarioError(f"{name!r} is a shipped scenario and cannot be overwritten; choose another name",
                            field="file name")
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError("the save folder does not exist", file=str(folder))
    path = (folder / f"{name}.toml").resolve()
    if path.parent != folder.resolve():
        raise ScenarioError("the name leads outside the save folder", field="file name")
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ScenarioError(f"cannot write in this folder: {err.strerror}", file=str(path)) from None
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes files private; a saved scenario is for sharing
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise ScenarioError(f"cannot be written: {err.strerror}", file=str(path)) from None
        if isinstance(err, UnicodeError):
            raise ScenarioError(f"cannot be written: the text holds characters that are not valid Unicode ({err.reason})",
                                file=str(path)) from None
        raise
