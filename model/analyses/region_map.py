"""Two-way sensitivity: a ``points`` x ``points`` grid over two parameters, each cell labelled by its
equilibrium play (one batched solve; the current point is solved in the same call)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.game import ONE
from ..core.plays import Path
from ..core.result import Result, csv_text
from ..core.scenario import Scenario
from ..errors import ScenarioError
from .sweep import sweep

METHOD = "backward induction on an even grid of both ranges (one batched call)"


@dataclass(frozen=True)
class RegionMap(Result):
    """``path (ny, nx)`` indexes ``paths`` for every cell of the grid ``xs`` by ``ys``."""

    x: str
    y: str
    xs: np.ndarray
    ys: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    current: tuple[float, float]
    current_path: int
    method: str = METHOD

    def share(self, k: int) -> float:
        """The share of the map's cells whose equilibrium play is ``paths[k]``."""
        return float((self.path == k).mean())

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per cell: x, y and the play's index in ``paths``."""
        gx, gy = np.meshgrid(self.xs, self.ys)
        return csv_text([self.x, self.y, "path"], zip(gx.ravel().tolist(), gy.ravel().tolist(),
                                                      self.path.ravel().tolist()), out)


def axes(scenario: Scenario, /, *, x: str, y: str, points: int) -> tuple[np.ndarray, np.ndarray]:
    """A region map's axes: ``points`` evenly spaced values over each of two different parameters' ranges."""
    if x == y:
        raise ScenarioError(f"pick two different parameters for a region map (both are {x!r})")
    px, py = scenario.parameter(x), scenario.parameter(y)
    return np.linspace(px.min, px.max, points), np.linspace(py.min, py.max, points)


def region_map(scenario: Scenario, /, *, x: str, y: str, points: int = 200,
               values: Mapping[str, float] | None = None) -> RegionMap:
    """Each cell of a ``points`` x ``points`` grid over two parameters, labelled by its equilibrium path."""
    xs, ys = axes(scenario, x=x, y=y, points=points)
    now = {**scenario.values, **(values or {})}
    rows = np.empty((3, points * points + 1))
    rows[0, :-1] = np.tile(xs, points)
    rows[1, :-1] = np.repeat(ys, points)
    rows[:2, -1] = now[x], now[y]
    rows[2] = 1.0
    others = {k: v for k, v in now.items() if k not in (x, y)}
    result = sweep(scenario, values=others, rows=((x, y, ONE), rows))
    return RegionMap(x=x, y=y, xs=xs, ys=ys, path=result.path[:-1].reshape(points, points), paths=result.paths,
                     current=(now[x], now[y]), current_path=int(result.path[-1]))
