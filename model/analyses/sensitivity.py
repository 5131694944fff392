"""Sensitivity at speed, each analysis one batched solve: one-way sweeps, two-way region maps, tornado.

- ``one_way``: a parameter over its range (others at their current values): the equilibrium path
  and each player's equilibrium utility at every point, with the flip thresholds.
- ``region_map``: two parameters on a grid; each cell coloured by its equilibrium path.
- ``tornado``: for each parameter, each player's equilibrium utility at the low and the high end of
  its range (others at their current values); the swing is high minus low; sorted by the largest
  absolute swing; flagged where either end changes the equilibrium path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import ScenarioError
from ..core.game import ONE, Game, compile_game
from ..core.scenario import Scenario
from .sweep import Grid, Path, sweep_game
from .thresholds import Threshold, thresholds_game


@dataclass(frozen=True)
class OneWay:
    """``xs (n,)``; ``path (n,)`` indexes ``paths``; ``utility (n_players, n)``; ``thresholds`` inside the range."""

    parameter: str
    xs: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    players: tuple[str, ...]
    utility: np.ndarray
    thresholds: tuple[Threshold, ...]
    current: float


@dataclass(frozen=True)
class RegionMap:
    """``path (ny, nx)`` indexes ``paths`` for every cell of the grid ``xs`` by ``ys``."""

    x: str
    y: str
    xs: np.ndarray
    ys: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    current: tuple[float, float]
    current_path: int


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
class Tornado:
    """Bars sorted by the largest absolute swing of any player; ``base`` is each player's utility now."""

    players: tuple[str, ...]
    base: tuple[float, ...]
    base_path: int
    paths: tuple[Path, ...]
    bars: tuple[TornadoBar, ...]


def _values(scenario: Scenario, values: Mapping[str, float] | None) -> dict[str, float]:
    return {**scenario.values, **(values or {})}


def one_way(scenario: Scenario, /, *, parameter: str, points: int = 201, values: Mapping[str, float] | None = None,
            game: Game | None = None) -> OneWay:
    """The equilibrium path and utilities across ``parameter``'s range, with its flip thresholds."""
    game = game or compile_game(scenario)
    now = _values(scenario, values)
    p = scenario.parameter(parameter)
    others = {k: v for k, v in now.items() if k != parameter}
    result = sweep_game(game, {parameter: Grid(p.min, p.max, points)}, values=others)
    found = tuple(t for t in thresholds_game(game, now, parameters=[parameter]))
    return OneWay(parameter=parameter, xs=result.points[parameter], path=result.path, paths=result.paths,
                  players=result.players, utility=result.root, thresholds=found, current=now[parameter])


def region_map(scenario: Scenario, /, *, x: str, y: str, points: int = 200, values: Mapping[str, float] | None = None,
               game: Game | None = None) -> RegionMap:
    """Each cell of a ``points`` x ``points`` grid over two parameters, labelled by its equilibrium path."""
    game = game or compile_game(scenario)
    if x == y:
        raise ScenarioError(f"pick two different parameters for a region map (both are {x!r})")
    now = _values(scenario, values)
    px, py = scenario.parameter(x), scenario.parameter(y)
    xs, ys = np.linspace(px.min, px.max, points), np.linspace(py.min, py.max, points)
    rows = np.empty((3, points * points))
    rows[0] = np.tile(xs, points)
    rows[1] = np.repeat(ys, points)
    rows[2] = 1.0
    with_current = np.concatenate([rows, np.array([[now[x]], [now[y]], [1.0]])], axis=1)
    others = {k: v for k, v in now.items() if k not in (x, y)}
    result = sweep_game(game, values=others, rows=((x, y, ONE), with_current))
    return RegionMap(x=x, y=y, xs=xs, ys=ys, path=result.path[:-1].reshape(points, points), paths=result.paths,
                     current=(now[x], now[y]), current_path=int(result.path[-1]))


def tornado(scenario: Scenario, /, *, values: Mapping[str, float] | None = None, game: Game | None = None) -> Tornado:
    """Each parameter at the low and high end of its range, others at their current values: one solve."""
    game = game or compile_game(scenario)
    now = _values(scenario, values)
    params = [p for p in scenario.parameters if p.max > p.min]
    names = tuple(p.id for p in params)
    n = 2 * len(params) + 1
    rows = np.empty((len(params) + 1, n))
    rows[:-1] = np.array([now[k] for k in names])[:, None]
    for j, p in enumerate(params):
        rows[j, 2 * j] = p.min
        rows[j, 2 * j + 1] = p.max
    rows[-1] = 1.0
    result = sweep_game(game, values={k: v for k, v in now.items() if k not in names}, rows=(names + (ONE,), rows))
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
