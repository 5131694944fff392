"""Reading and writing scenario files in every format of ``formats.FORMATS``.

The only module of ``model`` that touches the file system. Reads are size-capped; writes are
atomic (a temporary file in the same folder, then ``os.replace``), so a reader never sees half a
file. ``load -> save -> load`` gives an equal ``Scenario`` in the scenario formats.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..core.scenario import Scenario
from ..errors import ScenarioError
from .formats import format_of

MAX_BYTES = 1_000_000


def loads_scenario(data: bytes | str, *, name: str) -> Scenario:
    """A scenario from the bytes or text of a file called ``name`` (its suffix picks the format)."""
    fmt = format_of(name)
    size = len(data) if isinstance(data, bytes) or len(data) * 4 <= MAX_BYTES else len(
        data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ScenarioError(f"the file is {size:,} bytes; at most {MAX_BYTES:,} are allowed", file=name)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ScenarioError(f"not UTF-8 text (byte {err.start})", file=name) from None
    try:
        return fmt.read(data, name=name)
    except ScenarioError as err:
        raise err.at(file=name) from None
    except RecursionError:
        raise ScenarioError("the document is nested too deeply", file=name) from None


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate a scenario file (.toml, .json) or a Gambit game (.efg)."""
    path = Path(path)
    name = str(path)
    format_of(name)
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


def dumps_scenario(scenario: Scenario, *, fmt: str = ".toml") -> str:
    """The scenario (at its current parameter values) as the text of format ``fmt`` (a suffix)."""
    return format_of(f"scenario{fmt}").write(scenario)


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> Path:
    """Write the scenario atomically in the format its suffix names."""
    path = Path(path)
    write_atomic(path, format_of(str(path)).write(scenario))
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
