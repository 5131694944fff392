"""Result tables as pure functions: model results to rows (one dict a row, column names in words), and
rows to CSV. The pages show the rows and offer the same rows as a CSV download."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from model import Scenario
from model.text.explanations import describe_play
from model.analyses.montecarlo import MonteCarlo
from model.analyses.screening import Screening
from model.analyses.sensitivity import OneWay, RegionMap, Tornado
from model.analyses.thresholds import Threshold
from model.analyses.what_it_takes import WhatItTakes

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


def _name(scenario: Scenario, player_id: str) -> str:
    return scenario.player(player_id).name


def runs(xs: np.ndarray, path: np.ndarray, cuts: Sequence[float] = ()) -> list[tuple[float, float, int]]:
    """Stretches of ``xs`` with one equilibrium play: ``(from, to, play index)``. Where the play changes
    between two grid points the boundary is a flip threshold lying between them, else their midpoint."""
    xs, path = np.asarray(xs, float), np.asarray(path)
    out, start = [], float(xs[0])
    for i in np.flatnonzero(np.diff(path)):
        lo, hi = xs[i], xs[i + 1]
        inside = [c for c in cuts if lo <= c <= hi]
        edge = float(inside[0]) if inside else float((lo + hi) / 2)
        out.append((start, edge, int(path[i])))
        start = edge
    out.append((start, float(xs[-1]), int(path[-1])))
    return out


def one_way_bands(ow: OneWay) -> list[tuple[float, float, int]]:
    return runs(ow.xs, ow.path, [t.value for t in ow.thresholds if t.path_changes])


def one_way_segments(scenario: Scenario, ow: OneWay) -> Rows:
    """Where along the parameter's range each equilibrium play holds."""
    labels = play_labels(scenario, ow.paths)
    label = scenario.parameter(ow.parameter).label
    return [{"Band": k + 1, f"{label}: from": lo, "to": hi, PLAY: labels[k],
             "Holds at the current value": lo <= ow.current <= hi} for lo, hi, k in one_way_bands(ow)]


def one_way_curve(scenario: Scenario, ow: OneWay) -> Rows:
    """Every point of the sweep: the parameter's value, the equilibrium play and each side's utility."""
    labels = play_labels(scenario, ow.paths)
    label = scenario.parameter(ow.parameter).label
    names = [_name(scenario, p) for p in ow.players]
    return [{label: float(x), PLAY: labels[int(k)],
             **{f"{n}: equilibrium utility": float(u) for n, u in zip(names, ow.utility[:, j])}}
            for j, (x, k) in enumerate(zip(ow.xs, ow.path))]


def flips(scenario: Scenario, found: Sequence[Threshold]) -> Rows:
    """Each flip threshold: where, whose move, the preferred action below and above it."""
    out = []
    for t in found:
        spec = scenario.node(t.node)
        names = {a.id: a.label for a in spec.actions}
        out.append({"At": t.value, "Side": _name(scenario, t.player), "Decision": spec.label or spec.id,
                    "Preferred below": names[t.below], "Preferred above": names[t.above],
                    "Equilibrium play changes": t.path_changes})
    return out


def region_summary(scenario: Scenario, rm: RegionMap) -> Rows:
    """Each region of the map: its number, the play in words, its share of the map, and whether the
    current values lie in it."""
    labels = play_labels(scenario, rm.paths)
    counts = np.bincount(rm.path.ravel(), minlength=len(rm.paths))
    return [{"Region": k + 1, PLAY: labels[k], "Share of the map": float(counts[k] / rm.path.size),
             "Current values here": k == rm.current_path}
            for k in range(len(rm.paths)) if counts[k] or k == rm.current_path]


def region_grid(scenario: Scenario, rm: RegionMap) -> Rows:
    """Every cell of the map (for download: 40,000 rows on a 200 x 200 grid)."""
    labels = play_labels(scenario, rm.paths)
    lx, ly = scenario.parameter(rm.x).label, scenario.parameter(rm.y).label
    return [{lx: float(x), ly: float(y), "Region": int(rm.path[j, i]) + 1, PLAY: labels[int(rm.path[j, i])]}
            for j, y in enumerate(rm.ys) for i, x in enumerate(rm.xs)]


def region_grid_csv(scenario: Scenario, rm: RegionMap) -> bytes:
    return csv_bytes(region_grid(scenario, rm))


def tornado_rows(scenario: Scenario, t: Tornado) -> Rows:
    """Per parameter (largest swing first): its range, each side's utility at both ends and the swing,
    and whether the equilibrium play changes at an end."""
    labels = play_labels(scenario, t.paths)
    names = [_name(scenario, p) for p in t.players]
    out = []
    for b in t.bars:
        row = {"Parameter": scenario.parameter(b.parameter).label, "Minimum": b.low, "Maximum": b.high}
        for n, lo, hi, s in zip(names, b.utility_low, b.utility_high, b.swing):
            row |= {f"{n}: utility at the minimum": lo, f"{n}: utility at the maximum": hi, f"{n}: swing": s}
        row |= {"Changes the outcome": b.changes_outcome, "Play at the minimum": labels[b.path_low],
                "Play at the maximum": labels[b.path_high]}
        out.append(row)
    return out


def tornado_chart_rows(scenario: Scenario, t: Tornado) -> Rows:
    """The rows :func:`ui.charts.tornado_chart` draws: one per parameter and side."""
    names = [_name(scenario, p) for p in t.players]
    out = []
    for b in t.bars:
        label = scenario.parameter(b.parameter).label + (" (changes the outcome)" if b.changes_outcome else "")
        for n, lo, hi, base in zip(names, b.utility_low, b.utility_high, t.base):
            out.append({"parameter": label, "side": n, "low": lo, "high": hi, "base": base,
                        "changes": b.changes_outcome})
    return out


def mc_outcomes(scenario: Scenario, m: MonteCarlo) -> Rows:
    """The share of draws ending in each equilibrium play, with its 95% (Wilson) interval."""
    labels = play_labels(scenario, m.paths)
    return [{PLAY: lab, "Draws": c, "Share": s, "95% low": lo, "95% high": hi}
            for lab, c, s, lo, hi in zip(labels, m.counts, m.shares, m.ci_low, m.ci_high)]


def mc_importance(scenario: Scenario, m: MonteCarlo) -> Rows:
    """How much each drawn parameter matters for the most common play."""
    return [{"Parameter": scenario.parameter(i.parameter).label, "Correlation with the most common play":
             i.correlation, "Share of its variance explained (first order)": i.first_order} for i in m.importance]


def wit_changes(scenario: Scenario, w: WhatItTakes) -> Rows:
    """The sliders that must move: from, to, and the move as a share of the slider's range."""
    out = []
    for pid, old, new in w.changes:
        p = scenario.parameter(pid)
        out.append({"Slider": p.label, "Now": old, "Needed": new,
                    "Move (share of its range)": (new - old) / (p.max - p.min)})
    return out


def screening_types(scenario: Scenario, s: Screening) -> Rows:
    """Each type of the informed side: its prior, what sets it apart, its play and everyone's utility."""
    by_id = {t.id: t for t in scenario.uncertainty.types}
    out = []
    for t in s.types:
        differs = "; ".join(f"{scenario.parameter(k).label} = {v:g}" for k, v in by_id[t.id].values)
        row = {"Type": t.label, "Prior": t.prior, "Differs in": differs, "Its play": describe_play(scenario, t.play)}
        row |= {f"{_name(scenario, p.id)}: utility": u for p, u in zip(scenario.players, t.utility)}
        out.append(row)
    return out


def screening_offers(scenario: Scenario, s: Screening) -> Rows:
    """Each offer of the uninformed mover: its prior-expected value and each type's answer in words."""
    labels = {t.id: t.label for t in s.types}
    mover = _name(scenario, s.mover) if s.mover else "the mover"
    out = []
    for o in s.offers:
        row = {"Offer": o.label, f"Expected utility to {mover}": o.expected,
               "Preferred on the prior": o.action == s.chosen}
        row |= {f"Answer of the {labels[tid].lower()} type": describe_play(scenario, play) or "no further move"
                for tid, play in o.answers}
        row |= {"Screens the types": o.screens}
        out.append(row)
    return out
