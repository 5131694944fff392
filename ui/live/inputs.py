"""What the live store accepts: its limits, and the checks every input passes before a query runs.

Each check returns the clean value or raises ``Rejected`` with one sentence that names the bad value and
what is allowed. Ids follow the scenario format (model/scenario.schema.json); tokens and join codes are
random (``secrets``), and tokens are kept only as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timezone

from .records import Rejected

RETENTION_DAYS = 30
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters: no 0/O, no 1/I/L
JOIN_CODE_LENGTH = 8  # 31**8 = 8.5e11 codes, about 40 bits
MAX_NICKNAME, MAX_REASON, MAX_SETTINGS = 40, 280, 4000
MAX_SCENARIO_BYTES = 1_000_000  # an uploaded scenario file kept with its class (the model reads at most this too)
RATE_LIMIT, RATE_WINDOW_S = 10, 10.0  # submissions per student per window, counted in the database
DEFAULT_CAP, MAX_CAP, DEFAULT_HOURS = 200, 2000, 12
BUSY_TIMEOUT_S = 5.0
NOT_SENT, NOT_CHANGED = "It was NOT sent; try again.", "Nothing was changed; try again."
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # a node, action or parameter id (model/scenario.schema.json)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def reject(message: str):
    raise Rejected(message)


def show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def token_hash(token: object, who: str) -> str:
    if not (isinstance(token, str) and _TOKEN.fullmatch(token)):
        reject(f"This {who} link is not valid; open the link you were given again.")
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_code(value: object) -> str:
    code = re.sub(r"[\s-]", "", value).upper() if isinstance(value, str) else ""
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_ALPHABET for c in code):
        reject(f"{show(value)} is not a join code: a join code is {JOIN_CODE_LENGTH} letters and digits "
                "(no 0, 1, I, L or O), like K7QM-3XPA.")
    return code


def ident(value: object, what: str) -> str:
    if not (isinstance(value, str) and _ID.fullmatch(value)):
        reject(f"{show(value)} is not a {what}: an id is a letter or _, then letters, digits or _ (at most 64).")
    return value


def number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        reject(f"The value of {name} must be a finite number, not {show(value)}.")
    return float(value)


def text(value: object, limit: int, what: str, *, single_line: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        reject(f"The {what} must be text, not {type(value).__name__}.")
    value = value.replace("\r\n", "\n").strip()
    if len(value) > limit:
        reject(f"The {what} is {len(value)} characters long; at most {limit} are allowed.")
    if any(unicodedata.category(c) in ("Cc", "Cs") and (single_line or c not in "\n\t") for c in value):
        reject(f"The {what} contains control characters; use plain text{'' if single_line else ' (line breaks are fine)'}.")
    return value or None


def cap(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CAP:
        reject(f"The class size cap is a whole number from 1 to {MAX_CAP}, not {show(value)}.")
    return value


def settings_json(value: object) -> str:
    try:
        text = json.dumps(value, allow_nan=False, sort_keys=True) if isinstance(value, Mapping) else ""
    except (TypeError, ValueError):
        text = ""
    if not text or len(text) > MAX_SETTINGS:
        reject(f"The settings must be a JSON object (text, finite numbers, lists) of at most {MAX_SETTINGS} characters.")
    return text


def scenario_file(value: object) -> tuple[str, str] | None:
    """``(file name, bytes)`` of an uploaded scenario as ``(name, text)``: a short file name, UTF-8, at most 1 MB."""
    if value is None:
        return None
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes)):
        reject("The scenario file must be (file name, bytes).")
    name = text(value[0], 200, "scenario file's name", single_line=True) or reject("The scenario file has no name.")
    if len(value[1]) > MAX_SCENARIO_BYTES:
        reject(f"The scenario file is {len(value[1]):,} bytes; at most {MAX_SCENARIO_BYTES:,} are kept with a class.")
    try:
        return name, value[1].decode("utf-8")
    except UnicodeDecodeError:
        reject("The scenario file is not UTF-8 text.")


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")


def cell(text: str | None) -> str:
    """Free text for a CSV cell that a spreadsheet never reads as a formula."""
    return "'" + text if text and text[0] in "=+-@\t\r" else (text or "")
