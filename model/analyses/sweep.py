"""Backward induction over many parameter points at once: one solver call on stacked arrays.

``sweep(scenario, vary={name: array or (lo, hi, n)})`` solves every point (arrays broadcast to a
common length N; other parameters stay at the scenario's values) and labels each point with its
equilibrium path: ``path[j]`` indexes ``paths``, the distinct equilibrium paths found, each a tuple
of ``(node id, action id)`` for the decisions reached with positive probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..core.backward_induction import backward_induction, path_radix
from ..errors import ScenarioError
from ..core.game import ONE, ROWS, Game, compile_game, make_env
from ..core.scenario import Scenario

Path = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Sweep:
    """Equilibria at N points. Shapes: ``choice (n_decisions, N)`` (action index at each decision node,
    in ``decisions`` order), ``root (n_players, N)``, ``path (N,)``; ``node_values
    (n_nodes, n_players, N)`` only when asked for (``detail=True``), nodes in ``node_ids`` order."""

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

    @property
    def n(self) -> int:
        return self.choice.shape[1]


def _digits_to_path(game: Game, digits: list[int]) -> Path:
    sc = game.scenario
    steps = []
    for d, node in zip(digits, game.decisions):
        if d:
            spec = sc.node(game.node_ids[node])
            steps.append((spec.id, spec.actions[d - 1].id))
    return tuple(steps)


def _lookup(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys present (sorted) and each point's index among them: O(N) for a small key space."""
    if space <= 4 * max(keys.size, 1) and space <= 50_000_000:
        present = np.flatnonzero(np.bincount(keys, minlength=space))
        lut = np.zeros(space, dtype=np.int32)
        lut[present] = np.arange(present.size, dtype=np.int32)
        return present, lut[keys]
    present, index = np.unique(keys, return_inverse=True)
    return present, index.astype(np.int32)


def label_paths(game: Game, keys: np.ndarray) -> tuple[np.ndarray, tuple[Path, ...]]:
    """Index each point's path key (from ``backward_induction(path_keys=True)``) into the distinct
    equilibrium paths, ordered by key."""
    radix = path_radix(game)
    space = int(np.prod(radix, dtype=object)) if radix else 1
    present, index = _lookup(keys, space)
    paths = []
    for key in present.tolist():
        digits = []
        for base in reversed(radix):
            key, d = divmod(key, base)
            digits.append(d)
        paths.append(_digits_to_path(game, digits[::-1]))
    return index, tuple(paths)


def label_profiles(game: Game, choice: np.ndarray, probs: list[list[float]]) -> tuple[np.ndarray, tuple[Path, ...]]:
    """Equilibrium paths from whole strategy profiles, when every chance probability is a constant:
    a profile key ``sum_r choice_r * prod_{r'>r} m_r'`` costs a few small-integer operations a point,
    and each distinct profile's path is then traced once (paths ordered by first profile key)."""
    widths = [len(game.children[d]) for d in game.decisions]
    space = int(np.prod(widths, dtype=object)) if widths else 1
    kind = np.int16 if space < 2**15 else np.int32 if space < 2**31 else np.int64
    key = np.zeros(choice.shape[1], dtype=kind)
    for r, m in enumerate(widths):
        if r:
            key *= kind(m)
        key += choice[r]
    present, profile_index = _lookup(key, space)
    chance_row = {node: r for r, node in enumerate(game.chances)}
    dec_row = {node: r for r, node in enumerate(game.decisions)}
    path_of_profile, paths, seen = [], [], {}
    for code in present.tolist():
        digits = []
        for m in reversed(widths):
            code, d = divmod(code, m)
            digits.append(d)
        digits.reverse()
        reached = [0] * len(game.decisions)
        stack = [0]
        while stack:
            node = stack.pop()
            if game.mover[node] >= 0:
                a = digits[dec_row[node]]
                reached[dec_row[node]] = a + 1
                stack.append(game.children[node][a])
            elif game.mover[node] == -1:
                stack += [kid for kid, p in zip(game.children[node], probs[chance_row[node]]) if p > 0]
        path = _digits_to_path(game, reached)
        if path not in seen:
            seen[path] = len(paths)
            paths.append(path)
        path_of_profile.append(seen[path])
    return np.asarray(path_of_profile, dtype=np.int32)[profile_index], tuple(paths)


@dataclass(frozen=True)
class Grid:
    """``n`` evenly spaced values from ``lo`` to ``hi`` (both included)."""

    lo: float
    hi: float
    n: int

    def values(self) -> np.ndarray:
        return np.linspace(float(self.lo), float(self.hi), int(self.n))


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


def sweep_game(game: Game, vary: Mapping[str, object] | None = None, *,
               values: Mapping[str, float] | None = None, rows: tuple[tuple[str, ...], np.ndarray] | None = None,
               detail: bool = False, validate: bool = True) -> Sweep:
    """Solve every point (others at ``values`` or the scenario's defaults) in one call.

    Points come from ``vary`` (name -> array of values, or a ``Grid``; arrays are
    broadcast and stacked one row per parameter) or, without a copy, from ``rows``: a tuple of
    names and a ``(len(names), N)`` array (a final row of ones named ``game.ONE`` speeds it up).
    """
    sc = game.scenario
    if rows is not None:
        names, block = rows
        env, n = make_env(sc, values, rows=(names, block), validate=validate)
        pts = {name: block[j] for j, name in enumerate(names) if name != ONE}
    else:
        pts = points_of(sc, vary or {})
        env, n = make_env(sc, {**(values or {}), **pts}, validate=validate)
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
        players=tuple(p.id for p in sc.players), decisions=tuple(game.node_ids[d] for d in game.decisions),
        node_ids=game.node_ids, choice=batch.choice, root=batch.root, path=path, paths=paths,
        node_values=batch.node_values[0] if detail else None,
    )


def sweep(scenario: Scenario, /, *, vary: Mapping[str, object] | None = None,
          values: Mapping[str, float] | None = None, rows: tuple[tuple[str, ...], np.ndarray] | None = None,
          detail: bool = False) -> Sweep:
    """Equilibria over a batch of parameter points (see ``sweep_game``)."""
    return sweep_game(compile_game(scenario), vary, values=values, rows=rows, detail=detail)


def option_values(game: Game, result: Sweep, node: str) -> np.ndarray:
    """``(n_actions, N)``: each action's value to the mover at ``node`` across a detailed sweep."""
    if result.node_values is None:
        raise ValueError("option_values needs a sweep with detail=True")
    j = game.index(node)
    kids = list(game.children[j])
    return result.node_values[kids, game.mover[j], :]
