"""Backward induction over many parameter points at once: one solver call on stacked arrays.

``sweep(scenario, vary={name: array or (lo, hi, n)})`` solves every point (arrays broadcast to a
common length N; other parameters stay at the scenario's values) and labels each point with its
equilibrium path: ``path[j]`` indexes ``paths``, the distinct equilibrium paths found, each a tuple
of ``(node id, action id)`` for the decisions reached with positive probability.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from ..core.backward_induction import backward_induction
from ..core.plays import Path, label_paths, label_profiles
from ..core.result import Result, csv_text
from ..text.explanations import NOTE, fmt, paths_json, pct, play_words, uncertainty_note
from ..core.game import ONE, ROWS, full_information, game_of, make_env
from ..core.scenario import Scenario
from ..errors import ScenarioError
from . import Command, Option

METHOD = "backward induction at every point, in one batched call"
MAX_SWEEP_POINTS = 10_000_000
MAX_JSON_POINTS = 100_000  # above this, --json gives the summary only (no per-point arrays)
MAX_CSV_ROWS = 1_000_000
CSV_CHUNK = 50_000


@dataclass(frozen=True)
class Grid:
    """``n`` evenly spaced values from ``lo`` to ``hi`` (both included); ``name`` the parameter, where known."""

    lo: float
    hi: float
    n: int
    name: str = ""

    def values(self) -> np.ndarray:
        return np.linspace(float(self.lo), float(self.hi), int(self.n))


@dataclass(frozen=True)
class Sweep(Result):
    """Equilibria at N points. Shapes: ``choice (n_decisions, N)`` (action index at each decision node,
    in ``decisions`` order), ``root (n_players, N)``, ``path (N,)``; ``node_values
    (n_nodes, n_players, N)`` only when asked for (``detail=True``), nodes in ``node_ids`` order.
    ``grids``: the even grids the points came from, when they came from grids (``sweep_grid``)."""

    parameters: tuple[str, ...]
    points: dict[str, np.ndarray]
    players: tuple[str, ...]
    decisions: tuple[str, ...]
    node_ids: tuple[str, ...]
    choice: np.ndarray
    root: np.ndarray
    path: np.ndarray
    paths: tuple[Path, ...]
    node_values: np.ndarray | None = None
    grids: tuple[Grid, ...] = ()
    method: str = METHOD

    @property
    def n(self) -> int:
        return self.choice.shape[1]

    @property
    def counts(self) -> np.ndarray:
        """How many points end in each of ``paths``."""
        return np.bincount(self.path, minlength=len(self.paths))

    @property
    def compact_json(self) -> bool:
        return self.n > 1000  # print the JSON on one line when it lists many points

    def to_json(self) -> dict:
        data = {
            "parameters": list(self.parameters),
            "grid": {g.name: {"lo": g.lo, "hi": g.hi, "n": g.n} for g in self.grids},
            "n_points": self.n,
            "players": list(self.players),
            "paths": paths_json(self.paths),
            "counts": self.counts.tolist(),
        }
        if self.n <= MAX_JSON_POINTS:
            data["points"] = {name: np.asarray(self.points[name]).tolist() for name in self.parameters}
            data["path"] = self.path.tolist()
            data["utility"] = {p: self.root[i].tolist() for i, p in enumerate(self.players)}
        return data

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per point: the varied values, the path index and each player's utility."""
        header = [*self.parameters, "path", *(f"utility_{p}" for p in self.players)]

        def rows():
            for lo in range(0, self.n, CSV_CHUNK):
                hi = min(self.n, lo + CSV_CHUNK)
                cols = [np.asarray(self.points[name][lo:hi]).tolist() for name in self.parameters]
                cols.append(self.path[lo:hi].tolist())
                cols += [row.tolist() for row in self.root[:, lo:hi]]
                yield from zip(*cols)

        return csv_text(header, rows(), out)

    def to_text(self, scenario: Scenario) -> str:
        names_of = {p.id: p.name for p in scenario.players}
        counts = self.counts
        sizes = f" ({' x '.join(str(g.n) for g in self.grids)})" if len(self.grids) > 1 else ""
        out = [scenario.title, NOTE, "", f"Sweep: {self.n:,} points{sizes}, one batched solve:"]
        out += [f"  {g.name} from {g.lo:g} to {g.hi:g} ({g.n} values)" for g in self.grids]
        out.append("Every other parameter at its current value.")
        out += uncertainty_note(scenario)
        out += ["", f"Equilibrium paths ({len(self.paths)} distinct; [index] as in --json and --csv):"]
        for k in np.argsort(-counts, kind="stable").tolist():
            out.append(f"  [{k}] {pct(counts[k] / self.n):>6} ({int(counts[k]):,} points)  "
                       f"{play_words(scenario, self.paths[k])}")
        mean = ", ".join(f"{names_of[p]} {fmt(float(self.root[i].mean()))}" for i, p in enumerate(self.players))
        out.append(f"Mean equilibrium utility over the grid: {mean}")
        return "\n".join(out)


def points_of(scenario: Scenario, vary: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Arrays for each varied parameter: a ``Grid`` becomes its values; anything else is taken as values."""
    out = {}
    for name, spec in vary.items():
        scenario.parameter(name)
        if isinstance(spec, Grid):
            if not 1 <= int(spec.n) <= 100_000_000:
                raise ScenarioError(f"grid size {spec.n} must be between 1 and 100,000,000", field=f"parameters.{name}")
            out[name] = spec.values()
        else:
            out[name] = np.asarray(spec, dtype=float).reshape(-1)
    return out


def sweep(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
          vary: Mapping[str, object] | None = None, rows: tuple[Sequence[str], np.ndarray] | None = None,
          grids: Sequence[Grid] = (), detail: bool = False, validate: bool = True) -> Sweep:
    """Solve every point in one call, other parameters at their current values (or ``values``).

    Points come from ``vary`` (name -> array of values, or a ``Grid``; arrays are broadcast and
    stacked one row per parameter) or, without a copy, from ``rows``: a tuple of names and a
    ``(len(names), N)`` array (a final row of ones named ``ONE`` speeds it up). ``grids`` only
    records the grids the rows were built from (``grid_rows``).
    """
    full_information(scenario)
    game = game_of(scenario)
    if rows is not None:
        names, block = rows
        env, n = make_env(scenario, values, rows=(names, block), validate=validate)
        pts = {name: block[j] for j, name in enumerate(names) if name != ONE}
    else:
        pts = points_of(scenario, vary or {})
        env, n = make_env(scenario, {**(values or {}), **pts}, validate=validate)
        pts = {name: env[name] for name in pts}
    varied = set(env[ROWS][0]) if ROWS in env else set()
    constant_probs = not any(names & varied for row in game.prob_names for names in row)
    batch = backward_induction(game, env, n, detail=detail, path_keys=not constant_probs)
    if constant_probs:
        probs = [[float(f(env)) for f in row] for row in game.probs]
        path, paths = label_profiles(game, batch.choice, probs)
    else:
        path, paths = label_paths(game, batch.path_key)
    return Sweep(
        parameters=tuple(pts), points=pts,
        players=tuple(p.id for p in scenario.players), decisions=tuple(game.node_ids[d] for d in game.decisions),
        node_ids=game.node_ids, choice=batch.choice, root=batch.root, path=path, paths=paths,
        node_values=batch.node_values[0] if detail else None, grids=tuple(grids),
    )


def option_values(scenario: Scenario, result: Sweep, node: str) -> np.ndarray:
    """``(n_actions, N)``: each action's value to the mover at ``node`` across a detailed sweep."""
    if result.node_values is None:
        raise ValueError("option_values needs a sweep with detail=True")
    game = game_of(scenario)
    j = game.index(node)
    kids = list(game.children[j])
    return result.node_values[kids, game.mover[j], :]


# -- grids from the command line ----------------------------------------------------------------


def parse_vary(spec: str) -> Grid:
    """``NAME=LO:HI:N`` -> ``Grid(lo, hi, n, name)``; LO <= HI finite numbers, N a whole number >= 2."""
    name, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or not name.strip() or len(parts) != 3:
        raise ScenarioError(f"--vary {spec!r} must look like NAME=LO:HI:N (for example p_detect=0:1:101)")
    name = name.strip()
    try:
        lo, hi = float(parts[0]), float(parts[1])
    except ValueError:
        raise ScenarioError(f"--vary {spec!r}: LO and HI must be numbers") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ScenarioError(f"--vary {spec!r}: LO and HI must be finite numbers")
    if lo > hi:
        raise ScenarioError(f"--vary {spec!r}: LO {lo:g} is above HI {hi:g}")
    text = parts[2].strip()
    if not (text.isascii() and text.isdigit()):
        raise ScenarioError(f"--vary {spec!r}: N must be a whole number of at least 2, got {text!r}")
    n = int(text)
    if n < 2:
        raise ScenarioError(f"--vary {spec!r}: N must be at least 2, got {n}")
    return Grid(lo, hi, n, name)


def grid_rows(scenario: Scenario, specs: Sequence[str], *, fixed: Sequence[str] = ()
              ) -> tuple[tuple[str, ...], np.ndarray, tuple[Grid, ...]]:
    """The cartesian product of the ``--vary`` grids as ``(names + (ONE,), block, grids)``, one row per
    varied parameter (the last one varies fastest) and a final row of ones; the grids are checked first."""
    grids: list[Grid] = []
    for spec in specs:
        g = parse_vary(spec)
        try:
            p = scenario.parameter(g.name)
        except ScenarioError as err:
            raise err.at(file="--vary") from None
        if any(h.name == g.name for h in grids):
            raise ScenarioError(f"{g.name!r} is varied twice", file="--vary")
        if g.name in fixed:
            raise ScenarioError(f"{g.name!r} is both varied (--vary) and held fixed (--set); pick one", file="--vary")
        if not p.contains(g.lo) or not p.contains(g.hi):
            raise ScenarioError(f"{g.lo:g} to {g.hi:g} is outside the range; allowed: {p.min:g} to {p.max:g}",
                                file="--vary", field=f"parameters.{g.name}")
        grids.append(g)
    total = math.prod(g.n for g in grids)
    if total > MAX_SWEEP_POINTS:
        sizes = f" ({' x '.join(str(g.n) for g in grids)})" if len(grids) > 1 else ""
        raise ScenarioError(f"the grid has {total:,} points{sizes}; at most {MAX_SWEEP_POINTS:,} are allowed",
                            file="--vary")
    shape = tuple(g.n for g in grids)
    block = np.empty((len(grids) + 1, total))
    for j, g in enumerate(grids):
        axis = [1] * len(grids)
        axis[j] = g.n
        block[j].reshape(shape)[...] = g.values().reshape(axis)
    block[-1] = 1.0
    return tuple(g.name for g in grids) + (ONE,), block, tuple(grids)


def on_grid(solver: Callable[..., Result]) -> Callable[[Scenario, Mapping[str, object]], Result]:
    """The command line's run of ``solver(scenario, rows=..., grids=...)`` on the ``--vary`` grid (``grid_rows``),
    refused when ``--csv`` would write too many rows; each error names ``--vary``."""
    def run(scenario: Scenario, options: Mapping[str, object]) -> Result:
        names, block, grids = grid_rows(scenario, options["vary"], fixed=options["fixed"])
        n = block.shape[1]
        if options.get("csv") and n > MAX_CSV_ROWS:
            raise ScenarioError(f"the grid has {n:,} points; --csv writes at most {MAX_CSV_ROWS:,} rows "
                                "(use --json for the summary, or a coarser grid)", file="--vary")
        try:
            return solver(scenario, rows=(names, block), grids=grids)
        except ScenarioError as err:
            raise err.at(file="--vary") from None

    return run


COMMAND = Command(
    name="sweep", order=30, run=on_grid(sweep), outputs=("text", "json", "csv"),
    help="solve a grid of parameter values in one batched call; count the equilibrium paths",
    set_help="move a parameter that is not varied (repeatable)",
    options=(Option("--vary", dict(
        action="append", required=True, metavar="NAME=LO:HI:N",
        help="an even grid of N >= 2 values from LO to HI (repeatable: the grids multiply, "
             f"at most {MAX_SWEEP_POINTS:,} points); --json lists every point up to "
             f"{MAX_JSON_POINTS:,} points, --csv writes one row per point (at most {MAX_CSV_ROWS:,})")),),
)
