"""Monte Carlo robustness: draw the parameters, solve every draw at once, count equilibrium outcomes.

Draws (seeded, reproducible): ``uniform`` over each slider's range; or ``spread``: uniform within
the current value plus or minus ``spread`` x range, cut to the range; optionally each player's
weights from a Dirichlet around its current weights (``concentration`` k: shares ~ Dir(k w / sum w),
scaled back to the current total and cut to each slider's range).

Reported: the share of draws ending in each equilibrium path with a 95% Wilson interval, and for
the most common path, how much each parameter matters: the correlation of the parameter with
"this path occurs", and a first-order variance index, the share of the variance of that indicator
explained by the parameter alone, estimated by averaging the indicator within 20 equal-width bins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ScenarioError
from ..core.game import ONE, Game, compile_game
from ..core.scenario import Scenario, check_values
from .sweep import Path, sweep_game

Z95 = 1.959963984540054
BINS = 20
MAX_DRAWS = 5_000_000


@dataclass(frozen=True)
class Importance:
    parameter: str
    correlation: float
    first_order: float


@dataclass(frozen=True)
class MonteCarlo:
    """Shares of each equilibrium path over ``draws`` draws (``paths`` sorted by share, largest first)."""

    draws: int
    seed: int
    mode: str
    spread: float
    concentration: float | None
    parameters: tuple[str, ...]
    players: tuple[str, ...]
    paths: tuple[Path, ...]
    counts: tuple[int, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    mean_utility: tuple[float, ...]
    importance: tuple[Importance, ...]
    samples: np.ndarray | None = None  # (n_parameters, draws), only with keep_samples
    path: np.ndarray | None = None  # (draws,) index into paths, only with keep_samples

    @property
    def shares(self) -> tuple[float, ...]:
        return tuple(c / self.draws for c in self.counts)


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``count / n``."""
    if n == 0:
        return 0.0, 1.0
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def _weight_groups(scenario: Scenario, names: Sequence[str]) -> list[list[str]]:
    """For each player, the varied parameters that are exactly one of its weights."""
    groups = []
    for p in scenario.players:
        mine = [e.tree[1] for _, e in p.weights if e.tree[0] == "name" and e.tree[1] in names]
        mine = list(dict.fromkeys(mine))
        if len(mine) >= 2:
            groups.append(mine)
    return groups


def draw_rows(scenario: Scenario, *, names: Sequence[str], now: Mapping[str, float], draws: int, seed: int,
              mode: str = "uniform", spread: float = 0.1, concentration: float | None = None) -> np.ndarray:
    """``(len(names) + 1, draws)``: one row of draws per parameter, then a row of ones."""
    if mode not in ("uniform", "spread"):
        raise ScenarioError(f"unknown mode {mode!r}; allowed: 'uniform', 'spread'", field="mode")
    if not 0 < draws <= MAX_DRAWS:
        raise ScenarioError(f"draws must be between 1 and {MAX_DRAWS:,}; got {draws}", field="draws")
    if not 0 <= spread <= 1:
        raise ScenarioError(f"spread must be between 0 and 1 (a share of each range); got {spread}", field="spread")
    if concentration is not None and not concentration > 0:
        raise ScenarioError(f"the Dirichlet concentration must be positive; got {concentration}", field="concentration")
    rng = np.random.default_rng(seed)
    rows = np.empty((len(names) + 1, draws))
    for j, name in enumerate(names):
        p = scenario.parameter(name)
        lo, hi = p.min, p.max
        if mode == "spread":
            width = spread * (p.max - p.min)
            lo, hi = max(p.min, now[name] - width), min(p.max, now[name] + width)
        rows[j] = rng.uniform(lo, hi, draws) if hi > lo else lo
    if concentration is not None:
        row_of = {n: j for j, n in enumerate(names)}
        for group in _weight_groups(scenario, names):
            current = np.array([now[n] for n in group])
            total = current.sum()
            if total <= 0:
                continue
            alpha = concentration * current / total + 1e-3
            shares = rng.dirichlet(alpha, draws).T * total  # (len(group), draws)
            for k, n in enumerate(group):
                p = scenario.parameter(n)
                rows[row_of[n]] = np.clip(shares[k], p.min, p.max)
    rows[-1] = 1.0
    return rows


def _importance(rows: np.ndarray, names: Sequence[str], hit: np.ndarray) -> tuple[Importance, ...]:
    y = hit.astype(float)
    var = y.var()
    out = []
    for j, name in enumerate(names):
        x = rows[j]
        lo, hi = x.min(), x.max()
        if var == 0 or hi == lo:
            out.append(Importance(name, 0.0, 0.0))
            continue
        corr = float(np.corrcoef(x, y)[0, 1])
        b = np.minimum(((x - lo) / (hi - lo) * BINS).astype(np.int64), BINS - 1)
        counts = np.bincount(b, minlength=BINS)
        means = np.bincount(b, weights=y, minlength=BINS) / np.maximum(counts, 1)
        first = float(np.sum(counts * (means - y.mean()) ** 2) / len(y) / var)
        out.append(Importance(name, corr, min(1.0, first)))
    return tuple(sorted(out, key=lambda i: -i.first_order))


def monte_carlo(scenario: Scenario, /, *, draws: int = 100_000, seed: int = 0, mode: str = "uniform",
                spread: float = 0.1, concentration: float | None = None, parameters: Sequence[str] | None = None,
                values: Mapping[str, float] | None = None, keep_samples: bool = False,
                game: Game | None = None) -> MonteCarlo:
    """Draw ``draws`` parameter points, solve them in one call and summarise the equilibrium outcomes.

    By default every parameter the game uses is drawn (a prior of an ``[uncertainty]`` section is not:
    the batch is solved with full information, as ``solve`` is).
    """
    game = game or compile_game(scenario)
    now = {**scenario.values, **check_values(scenario, values or {})}
    used = frozenset().union(*(ns for rows in (game.level_names, game.weight_names, game.prob_names)
                               for row in rows for ns in row))
    names = tuple(parameters) if parameters is not None else tuple(
        p.id for p in scenario.parameters if p.max > p.min and p.id in used)
    for name in names:
        scenario.parameter(name)
    rows = draw_rows(scenario, names=names, now=now, draws=draws, seed=seed, mode=mode, spread=spread,
                     concentration=concentration)
    result = sweep_game(game, values={k: v for k, v in now.items() if k not in names}, rows=(names + (ONE,), rows),
                        validate=False)
    counts = np.bincount(result.path, minlength=len(result.paths))
    order = np.argsort(-counts, kind="stable")
    cis = [wilson(int(counts[k]), draws) for k in order]
    remap = np.empty_like(order)
    remap[order] = np.arange(order.size)
    modal = int(order[0])
    return MonteCarlo(
        draws=draws, seed=seed, mode=mode, spread=spread, concentration=concentration, parameters=names,
        players=result.players, paths=tuple(result.paths[k] for k in order),
        counts=tuple(int(counts[k]) for k in order), ci_low=tuple(c[0] for c in cis),
        ci_high=tuple(c[1] for c in cis), mean_utility=tuple(float(u) for u in result.root.mean(axis=1)),
        importance=_importance(rows, names, result.path == modal),
        samples=rows[:-1] if keep_samples else None, path=remap[result.path] if keep_samples else None,
    )
