"""One-way sensitivity: one parameter across its range, the others at their current values.

One batched solve of ``points`` evenly spaced values gives the equilibrium play and each player's
equilibrium utility at every point; the exact flip thresholds of the parameter come with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.plays import Path
from ..core.result import Result, csv_text
from ..core.scenario import Scenario
from .sweep import Grid, sweep
from .thresholds import Thresholds, thresholds

METHOD = "backward induction on an even grid of the range (one batched call); exact flip thresholds"


@dataclass(frozen=True)
class OneWay(Result):
    """``xs (n,)``; ``path (n,)`` indexes ``paths``; ``utility (n_players, n)``; ``thresholds`` inside the range."""

    parameter: str
    xs: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    players: tuple[str, ...]
    utility: np.ndarray
    thresholds: Thresholds
    current: float
    method: str = METHOD

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per grid point: the value, the play's index in ``paths`` and each player's utility."""
        rows = zip(self.xs.tolist(), self.path.tolist(), *(u.tolist() for u in self.utility))
        return csv_text([self.parameter, "path", *(f"utility_{p}" for p in self.players)], rows, out)


def one_way(scenario: Scenario, /, *, parameter: str, points: int = 201,
            values: Mapping[str, float] | None = None) -> OneWay:
    """The equilibrium play and utilities across ``parameter``'s range, with its flip thresholds."""
    now = {**scenario.values, **(values or {})}
    p = scenario.parameter(parameter)
    others = {k: v for k, v in now.items() if k != parameter}
    result = sweep(scenario, vary={parameter: Grid(p.min, p.max, points)}, values=others)
    found = thresholds(scenario, values=now, parameters=[parameter])
    return OneWay(parameter=parameter, xs=result.points[parameter], path=result.path, paths=result.paths,
                  players=result.players, utility=result.root, thresholds=found, current=now[parameter])
