"""Equilibrium plays as data: a play is a tuple of ``(node id, action id)`` for the decisions reached
with positive probability, in the order of the compiled tree.

A batch of points is labelled by its distinct plays: ``index[j]`` says which of ``plays`` point j
ends in. Two routes, both a few integer operations a point: from path keys (``backward_induction``
with ``path_keys=True``: one mixed-radix digit per decision node, 0 = not reached), or, when every
chance probability is a constant, from whole strategy profiles traced once each.
"""

from __future__ import annotations

import numpy as np

from .backward_induction import path_radix
from .game import Game

Path = tuple[tuple[str, str], ...]


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
