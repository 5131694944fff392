"""What every analysis returns: a frozen dataclass that records how it was computed and renders
itself as plain data (``to_json``) and, where it is a table, as CSV text (``to_csv``)."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from collections.abc import Iterable, Sequence
from typing import TextIO

import numpy as np


def plain(x: object) -> object:
    """``x`` as JSON-ready data: dataclasses as dicts of their fields, arrays and tuples as lists,
    numpy numbers as Python numbers, and non-finite floats as None."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: plain(getattr(x, f.name)) for f in dataclasses.fields(x) if f.name != "memo"}
    if isinstance(x, np.ndarray):
        return plain(x.tolist())
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, np.generic):
        return plain(x.item())
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO | None = None) -> str | None:
    """Rows as CSV with a header line: written to ``out`` if given (returns None), else returned as text."""
    target = out if out is not None else io.StringIO()
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return None if out is not None else target.getvalue()


class Result:
    """Base of the frozen result dataclasses: ``to_json`` gives every field as plain data."""

    def to_json(self) -> dict:
        return plain(self)
