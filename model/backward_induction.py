"""Subgame-perfect equilibrium by backward induction, over a leading batch of parameter points.

From the leaves up: an outcome's value to player i is ``u_i(t) = sum_k w_ik s_k a_k(t)``; a chance
node's value is the probability-weighted sum of its branches' values; a decision node takes the
value of the mover's best action. Tie rule: actions whose values to the mover differ by no more than
``TIE_TOLERANCE`` are tied, and the tie goes to the action listed first in the scenario file.

Arrays: a batch of N parameter points is processed in chunks of ``CHUNK`` points (a loop over
blocks of points, never over single points); node values have shape ``(L, n_players, chunk)``,
where layer 1 (optional) carries the values at a second parameter point used only to break
primary ties (the thresholds use it to find the choice just right of a flip).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .game import Game, Value

TIE_TOLERANCE = 1e-9
TIE_RULE = (
    f"Actions whose values to the mover differ by at most {TIE_TOLERANCE:g} are tied; a tie goes to the "
    "action listed first in the scenario."
)
CHUNK = 16384


@dataclass(frozen=True)
class Batch:
    """Backward induction over N points.

    ``choice``: ``(n_decisions, N)`` int16, the chosen action's index at each decision node (in
    ``game.decisions`` order); ``root``: ``(n_players, N)`` expected utilities at the root;
    ``node_values`` (only with ``detail``): ``(L, n_nodes, n_players, N)``, every node's value to
    every player under equilibrium play below it; ``probs`` (only with ``detail``): one
    ``(n_branches, N)`` array per chance node.
    """

    choice: np.ndarray
    root: np.ndarray
    node_values: np.ndarray | None = None
    probs: tuple[np.ndarray, ...] | None = None


def _slice(env: Mapping[str, Value], lo: int, hi: int) -> dict[str, Value]:
    return {k: (v[lo:hi] if isinstance(v, np.ndarray) else v) for k, v in env.items()}


def utilities(game: Game, env: Mapping[str, Value], n: int) -> np.ndarray:
    """Terminal utilities ``(n_outcomes, n_players, n)`` (possibly a broadcast view)."""
    levels = [[f(env) for f in row] for row in game.levels]
    weights = [[f(env) for f in row] for row in game.weights]
    n_out, n_players = len(levels), len(weights)
    n_attr = len(game.scenario.attributes)
    if not any(type(x) is np.ndarray for row in levels for x in row):
        A = np.array(levels, dtype=float).reshape(n_out, n_attr)
        if not any(type(x) is np.ndarray for row in weights for x in row):
            U = A @ np.array(weights, dtype=float).reshape(n_players, n_attr).T  # (T, P)
            return np.broadcast_to(U[:, :, None], (n_out, n_players, n))
        W = np.empty((n_attr, n_players, n))
        for i, row in enumerate(weights):
            for k, w in enumerate(row):
                W[k, i] = w
        return (A @ W.reshape(n_attr, n_players * n)).reshape(n_out, n_players, n)
    U = np.zeros((n_out, n_players, n))
    for t, row in enumerate(levels):
        for i, wrow in enumerate(weights):
            for a, w in zip(row, wrow):
                if np.ndim(a) == 0 and a == 0.0 or np.ndim(w) == 0 and w == 0.0:
                    continue
                U[t, i] += w * a
    return U


def _probabilities(game: Game, env: Mapping[str, Value]) -> list[list[Value]]:
    return [[f(env) for f in row] for row in game.probs]


def backward_induction(
    game: Game,
    env: Mapping[str, Value],
    n: int,
    *,
    detail: bool = False,
    tiebreak_env: Mapping[str, Value] | None = None,
) -> Batch:
    """Solve ``n`` parameter points at once (``env`` from ``make_env``).

    With ``tiebreak_env``, actions tied at ``env`` are ranked by their value at ``tiebreak_env``
    minus their value at ``env`` (for a parameter that enters affinely, the sign of the slope), each
    action valued under the same choices below it; remaining ties go to the first listed action.
    """
    n_dec = len(game.decisions)
    choice = np.zeros((n_dec, n), dtype=np.int16)
    root = np.empty((game.n_players, n))
    layers = 1 if tiebreak_env is None else 2
    node_values = np.empty((layers, len(game.node_ids), game.n_players, n)) if detail else None
    probs_out = [np.empty((len(game.children[c]), n)) for c in game.chances] if detail else None
    dec_row = {node: r for r, node in enumerate(game.decisions)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    tol = TIE_TOLERANCE

    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        c = hi - lo
        envs = [_slice(env, lo, hi)]
        if tiebreak_env is not None:
            envs.append(_slice(tiebreak_env, lo, hi))
        U = [utilities(game, e, c) for e in envs]
        P = [_probabilities(game, e) for e in envs]
        V: list[np.ndarray | None] = [None] * len(game.node_ids)
        for node in reversed(range(len(game.node_ids))):
            kids = game.children[node]
            mover = game.mover[node]
            if mover == -2:  # outcome
                t = outcome_row[node]
                V[node] = U[0][t][None] if layers == 1 else np.stack([U[0][t], U[1][t]])
            elif mover == -1:  # chance
                r = chance_row[node]
                total = 0.0
                for b, kid in enumerate(kids):
                    p = P[0][r][b] if layers == 1 else np.stack(np.broadcast_arrays(P[0][r][b], P[1][r][b]))
                    p = np.asarray(p, dtype=float)
                    p = p.reshape((layers, 1, -1) if p.ndim else ())
                    total = total + p * V[kid]
                    if detail:
                        probs_out[r][b, lo:hi] = P[0][r][b]
                V[node] = np.broadcast_to(total, (layers, game.n_players, c))
            else:  # decision
                keys = [V[kid][0, mover] for kid in kids]
                if len(kids) == 1:
                    pick = np.zeros(c, dtype=np.int16)
                    V[node] = V[kids[0]]
                elif len(kids) == 2 and layers == 1:
                    second = (keys[0] - keys[1]) < -tol
                    pick = second
                    V[node] = np.where(second, V[kids[1]], V[kids[0]])
                else:
                    K = np.stack(np.broadcast_arrays(*keys))  # (m, c)
                    mask = K >= K.max(axis=0) - tol
                    if layers == 2:
                        K2 = np.stack(np.broadcast_arrays(*[V[kid][1, mover] - V[kid][0, mover] for kid in kids]))
                        K2 = np.where(mask, K2, -np.inf)
                        mask &= K2 >= K2.max(axis=0) - tol
                    pick = mask.argmax(axis=0)
                    stacked = np.stack(np.broadcast_arrays(*[V[kid] for kid in kids]))  # (m, L, P, c)
                    V[node] = np.take_along_axis(stacked, pick[None, None, None, :], axis=0)[0]
                choice[dec_row[node], lo:hi] = pick
            if detail:
                node_values[:, node, :, lo:hi] = V[node]
        root[:, lo:hi] = V[0][0]
    return Batch(choice=choice, root=root, node_values=node_values,
                 probs=tuple(probs_out) if detail else None)
