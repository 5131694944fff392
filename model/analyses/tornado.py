"""Tornado: each parameter at the low and the high end of its range, the others at their current
values, all in one batched solve. A bar's swing is each player's utility at the high end minus at
the low end; bars are sorted by the largest absolute swing and flagged where either end changes the
equilibrium play."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.game import ONE
from ..core.plays import Path
from ..core.result import Result, csv_text
from ..core.scenario import Scenario
from .sweep import sweep

METHOD = "backward induction at both ends of every range (one batched call)"


@dataclass(frozen=True)
class TornadoBar:
    parameter: str
    low: float
    high: float
    utility_low: tuple[float, ...]
    utility_high: tuple[float, ...]
    changes_outcome: bool
    path_low: int
    path_high: int

    @property
    def swing(self) -> tuple[float, ...]:
        return tuple(h - lo for lo, h in zip(self.utility_low, self.utility_high))


@dataclass(frozen=True)
class Tornado(Result):
    """Bars sorted by the largest absolute swing of any player; ``base`` is each player's utility now."""

    players: tuple[str, ...]
    base: tuple[float, ...]
    base_path: int
    paths: tuple[Path, ...]
    bars: tuple[TornadoBar, ...]
    method: str = METHOD

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per bar: the parameter, its ends, each player's utility at both ends, whether play changes."""
        header = ["parameter", "low", "high", *(f"utility_{p}_low" for p in self.players),
                  *(f"utility_{p}_high" for p in self.players), "changes_outcome"]
        rows = ([b.parameter, b.low, b.high, *b.utility_low, *b.utility_high, b.changes_outcome] for b in self.bars)
        return csv_text(header, rows, out)


def tornado(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> Tornado:
    """Each parameter at the low and high end of its range, others at their current values: one solve."""
    now = {**scenario.values, **(values or {})}
    params = [p for p in scenario.parameters if p.max > p.min]
    names = tuple(p.id for p in params)
    n = 2 * len(params) + 1
    rows = np.empty((len(params) + 1, n))
    rows[:-1] = np.array([now[k] for k in names])[:, None]
    for j, p in enumerate(params):
        rows[j, 2 * j] = p.min
        rows[j, 2 * j + 1] = p.max
    rows[-1] = 1.0
    result = sweep(scenario, values={k: v for k, v in now.items() if k not in names}, rows=(names + (ONE,), rows))
    base_path = int(result.path[-1])
    bars = []
    for j, p in enumerate(params):
        lo, hi = 2 * j, 2 * j + 1
        bars.append(TornadoBar(
            parameter=p.id, low=p.min, high=p.max,
            utility_low=tuple(float(u) for u in result.root[:, lo]),
            utility_high=tuple(float(u) for u in result.root[:, hi]),
            changes_outcome=bool(result.path[lo] != base_path or result.path[hi] != base_path),
            path_low=int(result.path[lo]), path_high=int(result.path[hi]),
        ))
    bars.sort(key=lambda b: -max(abs(s) for s in b.swing))
    return Tornado(players=result.players, base=tuple(float(u) for u in result.root[:, -1]), base_path=base_path,
                   paths=result.paths, bars=tuple(bars))
