"""Result tables as pure functions: model results to rows (one dict a row, column names in words), and
rows to CSV. The pages show the rows and offer the same rows as a CSV download."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from model import Scenario, Threshold, describe_play

Rows = list[dict]
PLAY = "Equilibrium play"


def csv_bytes(rows: Sequence[dict]) -> bytes:
    """Rows as CSV (UTF-8, a header of the first row's keys, numbers in full precision)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def play_labels(scenario: Scenario, paths) -> list[str]:
    """Each equilibrium play in words (in the order of ``paths``)."""
    return [describe_play(scenario, p) for p in paths]


def name(scenario: Scenario, player_id: str) -> str:
    return scenario.player(player_id).name


def flips(scenario: Scenario, found: Sequence[Threshold]) -> Rows:
    """Each flip threshold: where, whose move, the preferred action below and above it."""
    out = []
    for t in found:
        spec = scenario.node(t.node)
        names = {a.id: a.label for a in spec.actions}
        out.append({"At": t.value, "Side": name(scenario, t.player), "Decision": spec.label or spec.id,
                    "Preferred below": names[t.below], "Preferred above": names[t.above],
                    "Equilibrium play changes": t.path_changes})
    return out


