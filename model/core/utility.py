"""Each player's utility at each outcome, for a batch of parameter points.

``u_i(t) = sum_k w_ik * s_k * a_k(t)``: player i's weight on attribute k, the attribute's sense
(+1 when more is better, -1 when less is better) and outcome t's level. Shapes: ``(n_outcomes,
n_players, N)`` for N parameter points. The solver, the strategic form and the ``.efg`` writer all
take utilities from here, so the formula is written once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .game import ONE, ROWS, Game, Value


def linear_plan(game: Game, env: Mapping[str, Value]) -> tuple[np.ndarray, np.ndarray] | None:
    """``(M, C)`` with terminal utilities ``U = M @ rows + C`` (shape ``(n_outcomes * n_players, N)``),
    when no level depends on a varied parameter and every weight is a constant or one varied
    parameter: then the whole batch's utilities are one matrix product on the parameter rows."""
    if ROWS not in env:
        return None
    names = env[ROWS][0]
    row_of = {name: j for j, name in enumerate(names)}
    varied = frozenset(names)
    if any(ns & varied for row in game.level_names for ns in row):
        return None
    n_out, n_players, n_attr = len(game.levels), game.n_players, len(game.senses)
    A = np.array([[float(f(env)) for f in row] for row in game.levels]).reshape(n_out, n_attr)
    A = A * np.asarray(game.senses)
    M = np.zeros((n_out, n_players, len(names)))
    C = np.zeros((n_out, n_players))
    for i in range(n_players):
        for k in range(n_attr):
            if not game.weight_names[i][k] & varied:
                C[:, i] += A[:, k] * float(game.weights[i][k](env))
            elif game.weight_param[i][k] in row_of:
                M[:, i, row_of[game.weight_param[i][k]]] += A[:, k]
            else:
                return None
    if ONE in row_of:  # the constants ride along in the product
        M[:, :, row_of[ONE]] = C
        return M.reshape(n_out * n_players, len(names)), None
    return M.reshape(n_out * n_players, len(names)), C.reshape(n_out * n_players, 1)


def utilities(game: Game, env: Mapping[str, Value], n: int, plan=None) -> np.ndarray:
    """Terminal utilities ``(n_outcomes, n_players, n)``: ``u_i(t) = sum_k w_ik s_k a_k(t)``."""
    n_out, n_players, n_attr = len(game.levels), game.n_players, len(game.senses)
    if plan is not None:
        M, C = plan
        U = M @ env[ROWS][1]
        if C is not None:
            U += C
        return U.reshape(n_out, n_players, n)
    levels = [[f(env) for f in row] for row in game.levels]
    weights = [[f(env) for f in row] for row in game.weights]
    senses = np.asarray(game.senses)
    level_arrays = [(t, k, x) for t, row in enumerate(levels) for k, x in enumerate(row) if type(x) is np.ndarray]
    weight_arrays = [(i, k, x) for i, row in enumerate(weights) for k, x in enumerate(row) if type(x) is np.ndarray]
    const_levels = np.array([[0.0 if type(x) is np.ndarray else float(x) for x in row] for row in levels])
    const_weights = np.array([[0.0 if type(x) is np.ndarray else float(x) for x in row] for row in weights])
    A0 = const_levels.reshape(n_out, n_attr) * senses
    if not level_arrays:
        if not weight_arrays:
            U = A0 @ const_weights.reshape(n_players, n_attr).T  # (T, P)
            return np.broadcast_to(U[:, :, None], (n_out, n_players, n))
        W = np.empty((n_attr, n_players, n))
        W[:] = const_weights.T.reshape(n_attr, n_players, 1)
        for i, k, x in weight_arrays:
            W[k, i] = x
        return (A0 @ W.reshape(n_attr, n_players * n)).reshape(n_out, n_players, n)
    A = np.empty((n_out, n_attr, n))
    A[:] = A0[:, :, None]
    for t, k, x in level_arrays:
        A[t, k] = x * senses[k]
    W = np.empty((n_players, n_attr, n))
    W[:] = const_weights.reshape(n_players, n_attr, 1)
    for i, k, x in weight_arrays:
        W[i, k] = x
    return np.einsum("tkn,pkn->tpn", A, W)
