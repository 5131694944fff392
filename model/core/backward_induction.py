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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .game import BOUNDS, ROWS, Game, Value, check_rows
from .utility import linear_plan, utilities

TIE_TOLERANCE = 1e-9
TIE_RULE = (
    f"Actions whose values to the mover differ by at most {TIE_TOLERANCE:g} are tied; a tie goes to the "
    "action listed first in the scenario."
)
CHUNK = 32768
WORKERS = 2  # the machines this runs on have two cores
PARALLEL_CHUNKS = 2  # from this many chunks on, solve them on WORKERS threads
# Path keys are signed 64-bit integers, 0 to 2**63 - 1, one mixed-radix digit per decision node
# (``path_radix``): a tree may have at most this many (the scenario reader refuses larger ones).
MAX_PATH_KEYS = 2**63


@dataclass(frozen=True)
class Batch:
    """Backward induction over N points.

    ``choice``: ``(n_decisions, N)`` int8, the chosen action's index at each decision node (in
    ``game.decisions`` order); ``root``: ``(n_players, N)`` expected utilities at the root;
    ``node_values`` (only with ``detail``): ``(L, n_nodes, n_players, N)``, every node's value to
    every player under equilibrium play below it; ``probs`` (only with ``detail``): one
    ``(n_branches, N)`` array per chance node.
    """

    choice: np.ndarray
    root: np.ndarray
    node_values: np.ndarray | None = None
    probs: tuple[np.ndarray, ...] | None = None
    path_key: np.ndarray | None = None


def _slice(env: Mapping[str, Value], lo: int, hi: int) -> dict[str, Value]:
    out = {k: (v[lo:hi] if isinstance(v, np.ndarray) else v) for k, v in env.items() if k != BOUNDS}
    if ROWS in env:
        names, block = env[ROWS]
        out[ROWS] = (names, block[:, lo:hi])
    return out


def _probabilities(game: Game, env: Mapping[str, Value]) -> list[list[Value]]:
    return [[f(env) for f in row] for row in game.probs]


Leaves = tuple[np.ndarray, list[list[Value]]]


def leaf_values(game: Game, env: Mapping[str, Value], n: int) -> Leaves:
    """``(U, P)``: the outcomes' utilities ``(n_outcomes, n_players, n)`` and every chance branch's
    probability (a number, or an array of ``n``), as ``backward_induction`` takes them in ``leaves``."""
    return np.broadcast_to(utilities(game, env, n), (len(game.outcomes), game.n_players, n)), _probabilities(game, env)


def _slice_leaves(leaves: Leaves, lo: int, hi: int) -> Leaves:
    U, P = leaves
    return U[..., lo:hi], [[p[lo:hi] if isinstance(p, np.ndarray) else p for p in row] for row in P]


def backward_induction(
    game: Game,
    env: Mapping[str, Value],
    n: int,
    *,
    detail: bool = False,
    tiebreak_env: Mapping[str, Value] | None = None,
    path_keys: bool = False,
    leaves: Leaves | None = None,
    tiebreak_leaves: Leaves | None = None,
) -> Batch:
    """Solve ``n`` parameter points at once (``env`` from ``make_env``).

    With ``tiebreak_env``, actions tied at ``env`` are ranked by their value at ``tiebreak_env``
    minus their value at ``env`` (for a parameter that enters affinely, the sign of the slope), each
    action valued under the same choices below it; remaining ties go to the first listed action.
    With ``path_keys``, each point also gets an integer naming its equilibrium path (see
    ``path_radix``): two points share the key exactly when equilibrium play reaches the same
    decision nodes and chooses the same actions there.
    ``leaves`` (and ``tiebreak_leaves``, in place of ``tiebreak_env``): the utilities and probabilities
    at the points, already known (``leaf_values``); then ``env`` is not read.
    """
    n_dec = len(game.decisions)
    widest = max((len(game.children[d]) for d in game.decisions), default=1)
    choice = np.zeros((n_dec, n), dtype=np.int8 if widest < 127 else np.int16)
    root = np.empty((game.n_players, n))
    layers = 1 if tiebreak_env is None and tiebreak_leaves is None else 2
    node_values = np.empty((layers, len(game.node_ids), game.n_players, n)) if detail else None
    probs_out = [np.empty((len(game.children[c]), n)) for c in game.chances] if detail else None
    keys_out = None
    dec_row = {node: r for r, node in enumerate(game.decisions)}
    chance_row = {node: r for r, node in enumerate(game.chances)}
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    tol = TIE_TOLERANCE
    plan = linear_plan(game, env) if leaves is None else None
    diff_row: dict[int, int] = {}  # two-action nodes over two outcomes: the mover's difference as one more row
    if plan is not None and plan[1] is None and layers == 1:
        M = plan[0]
        extra = []
        for node in game.decisions:
            kids = game.children[node]
            if len(kids) == 2 and all(game.mover[k] == -2 for k in kids):
                i = game.mover[node]
                t0, t1 = outcome_row[kids[0]], outcome_row[kids[1]]
                diff_row[node] = len(extra)
                extra.append(M[t1 * game.n_players + i] - M[t0 * game.n_players + i])
        if extra:
            plan = (np.vstack([M, np.array(extra)]), None)
    n_util = len(game.outcomes) * game.n_players
    key_type, digit_weight = _path_digits(game)
    keys_out = np.empty(n, dtype=key_type) if path_keys else None

    def run(lo: int) -> None:
        hi = min(n, lo + CHUNK)
        c = hi - lo
        if leaves is not None:
            given = [_slice_leaves(leaves, lo, hi)]
            if tiebreak_leaves is not None:
                given.append(_slice_leaves(tiebreak_leaves, lo, hi))
            U, P = [u for u, _ in given], [p for _, p in given]
        else:
            if BOUNDS in env:
                check_rows(env, lo, hi)
            envs = [_slice(env, lo, hi)]
            if tiebreak_env is not None:
                envs.append(_slice(tiebreak_env, lo, hi))
            if plan is not None:
                UD = plan[0] @ envs[0][ROWS][1]
                if plan[1] is not None:  # rows without a row of ones: the constant part is added here
                    UD[:n_util] += plan[1]
                U = [UD[:n_util].reshape(len(game.outcomes), game.n_players, c)]
                D = UD[n_util:]
            else:
                U = [utilities(game, e, c) for e in envs]
            P = [_probabilities(game, e) for e in envs]
        if layers == 2:
            U_both = np.stack(np.broadcast_arrays(U[0], U[1]), axis=1)  # (T, 2, P, c)
        V: list[np.ndarray | None] = [None] * len(game.node_ids)
        keys_below: list = [0] * len(game.node_ids)  # path key of the equilibrium play below each node
        for node in reversed(range(len(game.node_ids))):
            kids = game.children[node]
            mover = game.mover[node]
            if mover == -2:  # outcome
                t = outcome_row[node]
                V[node] = U[0][t][None] if layers == 1 else U_both[t]
            elif mover == -1:  # chance
                r = chance_row[node]
                total = 0.0
                for b, kid in enumerate(kids):
                    p = P[0][r][b]
                    if layers == 2 and not (np.ndim(p) == 0 and np.ndim(P[1][r][b]) == 0 and p == P[1][r][b]):
                        p = np.stack(np.broadcast_arrays(P[0][r][b], P[1][r][b]))
                    p = np.asarray(p, dtype=float)
                    p = p.reshape((layers, 1, -1) if p.ndim else ())
                    total = total + p * V[kid]
                    if detail:
                        probs_out[r][b, lo:hi] = P[0][r][b]
                    if path_keys and not (np.ndim(keys_below[kid]) == 0 and keys_below[kid] == 0):
                        pb = P[0][r][b]
                        if np.ndim(pb) == 0:
                            if pb > 0:
                                keys_below[node] = keys_below[node] + keys_below[kid]
                        else:
                            keys_below[node] = keys_below[node] + np.where(np.asarray(pb) > 0, keys_below[kid],
                                                                           key_type(0))
                V[node] = np.broadcast_to(total, (layers, game.n_players, c))
            else:  # decision
                keys = [V[kid][0, mover] for kid in kids]
                if len(kids) == 1:
                    pick = 0
                    V[node] = V[kids[0]]
                elif layers == 1 and len(kids) == 2:
                    # the first action unless the second is better by more than tol; written straight
                    # into the int8 choice row through a boolean view of it
                    row = choice[dec_row[node], lo:hi].view(np.bool_) if choice.dtype == np.int8 else None
                    diff = D[diff_row[node]] if node in diff_row else keys[1] - keys[0]
                    second = np.greater(diff, tol, out=row)
                    pick = second
                    V[node] = np.where(second, V[kids[1]], V[kids[0]])
                elif len(kids) == 2:  # two layers: ties on the value go to the larger second-layer change
                    d = keys[1] - keys[0]
                    d2 = (V[kids[1]][1, mover] - keys[1]) - (V[kids[0]][1, mover] - keys[0])
                    second = (d > tol) | ((d >= -tol) & (d2 > tol))
                    pick = second
                    V[node] = np.where(second, V[kids[1]], V[kids[0]])
                elif layers == 1:
                    # the first action within tol of the best: scan from the last action to the first
                    best = keys[0]
                    for k in keys[1:]:
                        best = np.maximum(best, k)
                    floor = best - tol
                    pick = np.full(c, len(kids) - 1, dtype=choice.dtype)
                    value = V[kids[-1]]
                    for j in range(len(kids) - 2, -1, -1):
                        ok = keys[j] >= floor
                        pick = np.where(ok, j, pick)
                        value = np.where(ok, V[kids[j]], value)
                    V[node] = value
                else:
                    K = np.stack(np.broadcast_arrays(*keys))  # (m, c)
                    mask = K >= K.max(axis=0) - tol
                    K2 = np.stack(np.broadcast_arrays(*[V[kid][1, mover] - V[kid][0, mover] for kid in kids]))
                    K2 = np.where(mask, K2, -np.inf)
                    mask &= K2 >= K2.max(axis=0) - tol
                    pick = mask.argmax(axis=0)
                    stacked = np.stack(np.broadcast_arrays(*[V[kid] for kid in kids]))  # (m, L, P, c)
                    V[node] = np.take_along_axis(stacked, pick[None, None, None, :], axis=0)[0]
                if not (layers == 1 and len(kids) == 2 and choice.dtype == np.int8):
                    choice[dec_row[node], lo:hi] = pick
                if path_keys:
                    w = digit_weight[node]
                    below = [keys_below[kid] for kid in kids]
                    if len(kids) == 2 and np.ndim(pick):
                        digit = np.where(pick, key_type(2 * w), key_type(w))
                    else:
                        digit = (np.asarray(pick).astype(key_type) + 1) * key_type(w)
                    if all(np.ndim(k) == 0 and k == 0 for k in below):
                        keys_below[node] = digit
                    elif len(kids) == 2 and np.ndim(pick):
                        keys_below[node] = np.where(pick, below[1], below[0]) + digit
                    else:
                        keys_below[node] = np.choose(pick, below) + digit
            if detail:
                node_values[:, node, :, lo:hi] = V[node]
        root[:, lo:hi] = V[0][0]
        if path_keys:
            keys_out[lo:hi] = keys_below[0]
    starts = range(0, n, CHUNK)
    if len(starts) >= PARALLEL_CHUNKS:
        # numpy releases the GIL inside its loops, so two workers use two cores on disjoint chunks
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(run, starts))
    else:
        for lo in starts:
            run(lo)
    return Batch(choice=choice, root=root, node_values=node_values,
                 probs=tuple(probs_out) if detail else None, path_key=keys_out)


def _path_digits(game: Game) -> tuple[type, dict[int, int]]:
    """The integer type of the path keys and each decision node's digit weight (worked out once per game)."""
    memo = game.scenario.memo
    if "path_digits" not in memo:
        radix = path_radix(game)
        space = int(np.prod(radix, dtype=object)) if radix else 1
        key_type = np.int16 if space < 2**15 else np.int32 if space < 2**31 else np.int64
        memo["path_digits"] = (key_type, {node: int(np.prod(radix[r + 1:], dtype=object))
                                          for r, node in enumerate(game.decisions)})
    return memo["path_digits"]


def path_radix(game: Game) -> list[int]:
    """The base of each decision node's digit in a path key: its number of actions plus one (0 = not reached)."""
    return [len(game.children[d]) + 1 for d in game.decisions]
