"""Monte Carlo robustness: draw the parameters, solve every draw at once, count equilibrium outcomes.

Draws (seeded, reproducible): ``uniform`` over each slider's range; or ``spread``: uniform within
the current value plus or minus ``spread`` x range, cut to the range; optionally each player's
weights from a Dirichlet around its current weights (``concentration`` k: shares ~ Dir(k w / sum w),
scaled back to the current total and cut to each slider's range).

Reported: the share of the slider box (of the draws) ending in each equilibrium path, with a 95%
Wilson interval for that share (the uncertainty of drawing, not a probability that anything happens;
the sliders are assumptions, not random events), and for
the most common path, how much each parameter matters: the correlation of the parameter with
"this path occurs", and a first-order variance index, the share of the variance of that indicator
explained by the parameter alone, estimated by averaging the indicator within 20 equal-width bins.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.game import ONE, game_of
from ..core.plays import Path
from ..core.result import Result, csv_text
from ..core.scenario import Scenario, check_values
from ..errors import ScenarioError
from ..text.explanations import NOTE, fmt, paths_json, pct, play_words, uncertainty_note
from . import Command, Option
from .sweep import sweep

Z95 = 1.959963984540054
BINS = 20
MAX_DRAWS = 5_000_000
METHOD = "seeded random draws, all solved by backward induction in one batched call; 95% Wilson intervals"


@dataclass(frozen=True)
class Importance:
    parameter: str
    correlation: float
    first_order: float


@dataclass(frozen=True)
class Shares(Result):
    """What every Monte Carlo result holds: how it drew (``draws``, ``seed``, ``mode``, ``spread``, ``concentration``
    and the drawn ``parameters``), each outcome's count with its 95% Wilson interval (most common first), and what
    decides whether the most common one occurs (``importance``)."""

    draws: int
    seed: int
    mode: str
    spread: float
    concentration: float | None
    parameters: tuple[str, ...]
    counts: tuple[int, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    importance: tuple[Importance, ...]

    @property
    def shares(self) -> tuple[float, ...]:
        return tuple(c / self.draws for c in self.counts)

    def draws_json(self) -> dict:
        return {"draws": self.draws, "seed": self.seed, "mode": self.mode, "spread": self.spread,
                "concentration": self.concentration, "parameters": list(self.parameters)}

    def shares_json(self) -> dict:
        return {"counts": list(self.counts), "shares": list(self.shares), "ci_low": list(self.ci_low),
                "ci_high": list(self.ci_high)}


@dataclass(frozen=True)
class MonteCarlo(Shares):
    """Shares of each equilibrium path over ``draws`` draws (``paths`` sorted by share, largest first;
    ``words``: each path in words)."""

    players: tuple[str, ...]
    paths: tuple[Path, ...]
    mean_utility: tuple[float, ...]
    words: tuple[str, ...] = ()
    samples: np.ndarray | None = None  # (n_parameters, draws), only with keep_samples
    path: np.ndarray | None = None  # (draws,) index into paths, only with keep_samples
    method: str = METHOD

    def to_json(self) -> dict:
        return {
            **self.draws_json(), "players": list(self.players),
            "paths": paths_json(self.paths), "paths_in_words": list(self.words), **self.shares_json(),
            "mean_utility": dict(zip(self.players, self.mean_utility)),
            "importance": importance_json(self.importance),
        }

    def to_csv(self, out: TextIO | None = None) -> str | None:
        return csv_text(["path", "count", "share", "ci_low", "ci_high"],
                        zip(self.words, self.counts, self.shares, self.ci_low, self.ci_high), out)

    def to_text(self, scenario: Scenario) -> str:
        names_of = {p.id: p.name for p in scenario.players}
        out = [scenario.title, NOTE, "", heading(scenario, self), *uncertainty_note(scenario), ""]
        out += share_table("Equilibrium outcomes", "equilibrium play", self, [[w] for w in self.words])
        out.append("Mean equilibrium utility: "
                   + ", ".join(f"{names_of[p]} {fmt(u)}" for p, u in zip(self.players, self.mean_utility)))
        out += importance_lines(scenario, self.importance, what="the most common outcome occurs",
                                same="every draw ends the same way" if len(self.paths) == 1 else "")
        return "\n".join(out)


def heading(scenario: Scenario, result: Shares) -> str:
    """How ``result`` drew: how many, of what, how."""
    how = {"uniform": "uniform over each range",
           "spread": f"within \u00b1{result.spread:g} of each range around the current value"}[result.mode]
    if result.concentration is not None:
        how += (f"; each side's weights from a Dirichlet around its current weights (concentration "
                f"{result.concentration:g})")
    n_held = len(scenario.parameters) - len(result.parameters)
    held = ("none held fixed" if not n_held else "1 held at its current value" if n_held == 1
            else f"{n_held} held at their current values")
    drawn = len(result.parameters)
    return (f"Monte Carlo: {result.draws:,} draws (seed {result.seed}) of {drawn} parameter{'s' if drawn != 1 else ''}, "
            f"{how}; {held}.")


def share_table(lead: str, column: str, result: Shares, below: Sequence[Sequence[str]]) -> list[str]:
    """The table of shares with their 95% intervals, one row per outcome of ``result``: ``below[k][0]`` names
    outcome k in the row, the rest of ``below[k]`` are lines printed under it."""
    out = [f"{lead}: the share of the slider box (of the draws) where each holds, with a 95% Wilson interval for "
           "that share. It is a share of the assumptions' ranges, not a probability that the outcome happens.",
           f"  {'share':>6}  {'95% interval':<17} {'draws':>10}  {column}"]
    for (w, *lines), c, s, lo, hi in zip(below, result.counts, result.shares, result.ci_low, result.ci_high):
        interval = f"{pct(lo)} \u2013 {pct(hi)}"
        out.append(f"  {pct(s):>6}  {interval:<17} {c:>10,}  {w}")
        out += lines
    return out


def importance_lines(scenario: Scenario, importance: Sequence[Importance], *, what: str, same: str) -> list[str]:
    """What decides whether ``what`` (at most five parameters); ``same``: what to say when nothing does and every
    draw ends the same way ("" when they do not)."""
    top = [i for i in importance if i.first_order > 0][:5]
    out = ["", f"What decides whether {what} (share of its variance explained by the parameter alone; correlation):"]
    if not top:
        out.append(f"  nothing: {same}" if same else "  no single parameter")
    for i in top:
        label = scenario.parameter(i.parameter).label
        out.append(f"  {i.parameter:<24} {i.first_order:5.2f}  corr {i.correlation:+.2f}  {label}")
    return out


def importance_json(importance: Sequence[Importance]) -> list[dict]:
    return [{"parameter": i.parameter, "correlation": _finite(i.correlation), "first_order": _finite(i.first_order)}
            for i in importance]


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


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


def used_parameters(scenario: Scenario) -> tuple[str, ...]:
    """The parameters with a range that the game's weights, levels or probabilities use, in the file's order."""
    game = game_of(scenario)
    used = frozenset().union(*(ns for rows in (game.level_names, game.weight_names, game.prob_names)
                               for row in rows for ns in row))
    return tuple(p.id for p in scenario.parameters if p.max > p.min and p.id in used)


def ranked(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float]]]:
    """``counts`` of each of ``n`` outcomes over the draws (``index (draws,)``), the outcomes by count, most
    common first (``order``, ties in index order), and each one's 95% Wilson interval in that order."""
    counts = np.bincount(index, minlength=n)
    order = np.argsort(-counts, kind="stable")
    return counts, order, [wilson(int(counts[k]), index.size) for k in order]


def monte_carlo(scenario: Scenario, /, *, draws: int = 100_000, seed: int = 0, mode: str = "uniform",
                spread: float = 0.1, concentration: float | None = None, parameters: Sequence[str] | None = None,
                values: Mapping[str, float] | None = None, keep_samples: bool = False) -> MonteCarlo:
    """Draw ``draws`` parameter points, solve them in one call and summarise the equilibrium outcomes.

    By default every parameter the game uses is drawn. A scenario with private types is refused (``sweep``
    solves full information only); ``bayesian_monte_carlo`` solves it.
    """
    now = {**scenario.values, **check_values(scenario, values or {})}
    names = tuple(parameters) if parameters is not None else used_parameters(scenario)
    for name in names:
        scenario.parameter(name)
    rows = draw_rows(scenario, names=names, now=now, draws=draws, seed=seed, mode=mode, spread=spread,
                     concentration=concentration)
    result = sweep(scenario, values={k: v for k, v in now.items() if k not in names}, rows=(names + (ONE,), rows),
                   validate=False)
    counts, order, cis = ranked(result.path, len(result.paths))
    remap = np.empty_like(order)
    remap[order] = np.arange(order.size)
    modal = int(order[0])
    return MonteCarlo(
        draws=draws, seed=seed, mode=mode, spread=spread, concentration=concentration, parameters=names,
        players=result.players, paths=tuple(result.paths[k] for k in order),
        counts=tuple(int(counts[k]) for k in order), ci_low=tuple(c[0] for c in cis),
        ci_high=tuple(c[1] for c in cis), mean_utility=tuple(float(u) for u in result.root.mean(axis=1)),
        importance=_importance(rows, names, result.path == modal),
        words=tuple(play_words(scenario, result.paths[k]) for k in order),
        samples=rows[:-1] if keep_samples else None, path=remap[result.path] if keep_samples else None,
    )


def on_draws(solver: Callable[..., Result], *,
             leave_out: Callable[[Scenario, Mapping[str, object]], Sequence[str]] = lambda scenario, options: (),
             why: str = "") -> Callable[[Scenario, Mapping[str, object]], Result]:
    """The command line's Monte Carlo with ``solver`` (``monte_carlo`` or one with its keywords): its options
    checked, each error naming its option; every parameter with a range is drawn except those ``--set`` holds and
    those ``leave_out(scenario, options)`` names (``why``: why, in a few words)."""
    def run(scenario: Scenario, options: Mapping[str, object]) -> Result:
        if options["seed"] < 0:
            raise ScenarioError(f"--seed must be a whole number of at least 0; got {options['seed']}")
        if options["spread"] is not None and options["mode"] != "spread":
            raise ScenarioError("--spread applies only with --mode spread")
        spread = 0.1 if options["spread"] is None else options["spread"]
        if not math.isfinite(spread):
            raise ScenarioError(f"--spread must be between 0 and 1 (a share of each range); got {spread}")
        k = options["dirichlet"]
        if k is not None and not (math.isfinite(k) and k > 0):
            raise ScenarioError(f"--dirichlet must be a positive finite number; got {k}")
        held = set(options["fixed"]) | set(leave_out(scenario, options))
        names = tuple(p.id for p in scenario.parameters if p.max > p.min and p.id not in held)
        if not names:
            raise ScenarioError("nothing to draw: no parameter with a range is left free (--set holds a parameter "
                                f"fixed{why})")
        try:
            return solver(scenario, draws=options["draws"], seed=options["seed"], mode=options["mode"],
                          spread=spread, concentration=k, parameters=names)
        except ScenarioError as err:
            option = {"draws": "--draws", "spread": "--spread", "mode": "--mode", "concentration": "--dirichlet"}
            if err.field in option:
                raise ScenarioError(err.message, file=option[err.field]) from None
            raise

    return run


COMMAND = Command(
    name="montecarlo", order=35, run=on_draws(monte_carlo), outputs=("text", "json", "csv"),
    help="draw the parameters at random, solve every draw, report outcome shares",
    set_help="hold a parameter at VALUE: it is not drawn (repeatable)",
    epilog="Every parameter with a range is drawn, except those held with --set (and, with private types, the "
           "parameters a type sets, and the prior's unless --draw-prior).",
    options=(
        Option("--draws", dict(type=int, default=100_000, metavar="N", help="number of draws (default 100,000)")),
        Option("--seed", dict(type=int, default=0, metavar="S",
                              help="random seed (default 0): the same seed, the same draws")),
        Option("--mode", dict(choices=("uniform", "spread"), default="uniform",
                              help="uniform over each range (default), or spread: around each current value")),
        Option("--spread", dict(type=float, metavar="X",
                                help="with --mode spread: half-width as a share of each range (default 0.1)")),
        Option("--dirichlet", dict(type=float, metavar="K", help="draw each side's weights from a Dirichlet around "
                                                                 "its current weights (concentration K)")),
    ),
)
