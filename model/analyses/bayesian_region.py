"""With private types: a region map of two parameters (say the prior and one slider), each cell labelled by its
set of perfect Bayesian equilibria (one batched ``pbe_batch`` call, the current point in the same call), and
the prior's parameters with where along them the set changes (``prior_switches``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.game import make_env
from ..core.pbe_batch import bayesian_game, pbe_batch
from ..core.result import Result
from ..core.scenario import Scenario
from ..errors import ScenarioError
from .bayesian_thresholds import BayesianThresholds, bayesian_thresholds, describe_set, label_points
from .region_map import axes

METHOD = ("pure-strategy perfect Bayesian equilibria on an even grid of both ranges (one batched call); two cells "
          "are in one region when the same uninformed strategies are equilibria, with the same labels and replies")


@dataclass(frozen=True)
class BayesianRegionMap(Result):
    """``region (ny, nx)`` indexes ``sets`` (each equilibrium set in words) for every cell of ``xs`` by ``ys``."""

    x: str
    y: str
    xs: np.ndarray
    ys: np.ndarray
    region: np.ndarray
    sets: tuple[str, ...]
    current: tuple[float, float]
    current_set: int
    method: str = METHOD

    def share(self, k: int) -> float:
        return float((self.region == k).mean())


def bayesian_region_map(scenario: Scenario, /, *, x: str, y: str, points: int = 200,
                        values: Mapping[str, float] | None = None) -> BayesianRegionMap:
    """Each cell of a ``points`` x ``points`` grid over ``x`` and ``y``, labelled by its equilibrium set."""
    xs, ys = axes(scenario, x=x, y=y, points=points)
    bg = bayesian_game(scenario)
    refuse_typed(scenario, (x, y))
    now = {**scenario.values, **(values or {})}
    arrays = {x: np.append(np.tile(xs, points), now[x]), y: np.append(np.repeat(ys, points), now[y])}
    others = {k: v for k, v in now.items() if k not in (x, y)}
    env, n = make_env(scenario, {**others, **arrays})
    # regions numbered by their first cell in the grid (reading order), so numbers are stable
    index, _, sets = label_points(scenario, bg, pbe_batch(bg, env, n))
    return BayesianRegionMap(x=x, y=y, xs=xs, ys=ys, region=index[:-1].reshape(points, points), sets=sets,
                             current=(float(now[x]), float(now[y])), current_set=int(index[-1]))


def refuse_typed(scenario: Scenario, names: Sequence[str]) -> None:
    """ScenarioError when one of ``names`` is a parameter a type sets: its slider is not used, so varying it would
    change nothing while seeming to."""
    typed = bayesian_game(scenario).typed
    for p in names:
        if p in typed:
            raise ScenarioError(f"{scenario.parameter(p).label} is set by the types, so its slider is not used: pick "
                                "another parameter", field=f"parameters.{p}")


def prior_parameters(scenario: Scenario) -> tuple[str, ...]:
    """The parameters the types' priors are written with (a slider for the prior), in the file's order."""
    u = scenario.uncertainty
    if u is None:
        return ()
    names = set().union(*(t.prior.names for t in u.types))
    return tuple(p.id for p in scenario.parameters if p.id in names)


def prior_switches(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> BayesianThresholds:
    """Where along the prior's parameters the set of perfect Bayesian equilibria changes (``bayesian_thresholds``
    on them alone); no flips when the prior is written as plain numbers."""
    found = prior_parameters(scenario)
    if not found:
        bg = bayesian_game(scenario)
        env, _ = make_env(scenario, values)
        current = describe_set(scenario, bg, pbe_batch(bg, env, 1), 0)
        return BayesianThresholds(title=scenario.title, flips=(), skipped=(), current=current)
    return bayesian_thresholds(scenario, values=values, parameters=found)
