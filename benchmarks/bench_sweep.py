"""Time the batched solver and the analyses built on it, and compare with the exact pygambit route.

    python benchmarks/bench_sweep.py [--runs N] [--quick]

On scenarios/default.toml:

(a) ``sweep`` throughput at N = 1,000,000 with all 12 weight parameters (ids ``w_*``) drawn
    uniformly in their ranges, passed as one (13, N) block with a final row of ones (``rows=``),
    with validate=True and validate=False;
(b) peak memory (tracemalloc, which traces numpy's allocations) of one such sweep at
    N = 250k ... 2M, to show that it grows linearly;
(c) ``region_map`` 200 x 200, ``monte_carlo`` with 100,000 draws and ``tornado``, each with a
    precompiled game (as the app calls them) and including compilation;
(d) the exact route through pygambit for 200 random weight points: ``to_efg`` -> ``read_efg`` ->
    ``enumpure_agent_solve`` -> the subgame-perfect profile among the pure agent equilibria (checked
    in exact rational arithmetic), its agreement with ``sweep``, and the per-point time ratio.

Timings are medians of several in-process runs (the garbage collector is paused while timing);
the machine this runs on may be shared and noisy, so read the medians, not single runs.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
from dataclasses import replace
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import load_scenario, to_efg  # noqa: E402
from model.core.game import ONE, compile_game  # noqa: E402
from model.analyses.montecarlo import monte_carlo  # noqa: E402
from model import region_map, tornado  # noqa: E402
from model.analyses.sweep import sweep  # noqa: E402
from tests.gambit_exact import preorder, pure_choice, read_gambit_tree, sequentially_rational  # noqa: E402

SCENARIO = ROOT / "scenarios" / "default.toml"
SEED = 20240531

TARGET_POINTS_PER_S = 10e6
TARGET_REGION_MS = 50.0
TARGET_MC_MS = 100.0
TARGET_TORNADO_MS = 20.0
TARGET_RATIO = 1e5


def timed(fn, runs: int, warmup: int = 1) -> list[float]:
    """Seconds per call, ``runs`` calls after ``warmup`` untimed ones, garbage collector paused."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return out


def spread(times: list[float]) -> str:
    return f"min {min(times) * 1e3:.1f} / max {max(times) * 1e3:.1f} ms over {len(times)} runs"


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def weight_block(scenario, n: int, rng: np.random.Generator) -> tuple[tuple[str, ...], np.ndarray]:
    """One row of uniform draws per weight parameter (``w_*``), then a row of ones: shape (13, n)."""
    names = tuple(p.id for p in scenario.parameters if p.id.startswith("w_"))
    assert len(names) == 12, names
    block = np.empty((len(names) + 1, n))
    for j, name in enumerate(names):
        p = scenario.parameter(name)
        block[j] = rng.uniform(p.min, p.max, n)
    block[-1] = 1.0
    return names + (ONE,), block


# ------------------------------------------------------------------------------- (a) throughput


def bench_throughput(scenario, game, runs: int, n: int) -> dict[bool, float]:
    names, block = weight_block(scenario, n, np.random.default_rng(SEED))
    print(f"(a) sweep throughput: N = {n:,} points, 12 weights varying (uniform in their ranges), "
          f"rows=(13, N) block")
    times: dict[bool, list[float]] = {True: [], False: []}
    for validate in (True, False):  # warm-up
        sweep(scenario, rows=(names, block), validate=validate)
    for _ in range(runs):  # interleaved, so drifting load hits both alike
        for validate in (True, False):
            times[validate] += timed(lambda v=validate: sweep(scenario, rows=(names, block), validate=v), 1, warmup=0)
    per_point = {}
    for validate in (True, False):
        med = statistics.median(times[validate])
        per_point[validate] = med / n
        rate = n / med
        print(f"    validate={str(validate):<5}  median {med * 1e3:7.1f} ms  = {med / n * 1e9:6.1f} ns/point  "
              f"= {rate / 1e6:6.2f} M points/s   (target >= {TARGET_POINTS_PER_S / 1e6:.0f} M/s: "
              f"{verdict(rate >= TARGET_POINTS_PER_S)}; {spread(times[validate])})")
    return per_point


# ----------------------------------------------------------------------------------- (b) memory


def bench_memory(scenario, game, sizes: list[int]) -> None:
    print("\n(b) peak memory of one sweep (tracemalloc, validate=True); the input block (13 rows x 8 bytes = 104 B "
          "per point) is allocated before tracing starts and shown apart")
    print(f"    {'N':>10}  {'input block':>12}  {'sweep peak':>11}  {'peak/point':>11}  {'marginal':>11}  "
          f"{'result kept':>12}  {'input+peak':>11}")
    peaks = []
    for n in sizes:
        names, block = weight_block(scenario, n, np.random.default_rng(SEED))
        gc.collect()
        tracemalloc.start()
        result = sweep(scenario, rows=(names, block))
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        marginal = f"{(peak - peaks[-1][1]) / (n - peaks[-1][0]):7.1f} B/pt" if peaks else f"{'':>11}"
        peaks.append((n, peak))
        print(f"    {n:>10,}  {block.nbytes / 2**20:8.1f} MiB  {peak / 2**20:7.1f} MiB  {peak / n:7.1f} B/pt  "
              f"{marginal}  {kept / 2**20:8.1f} MiB  {(peak + block.nbytes) / n:6.1f} B/pt")
        del result, block
    # linear growth: every extra point costs the same (the marginal bytes per point stay put) on top of a
    # fixed workspace (two threads' chunk buffers), so peak = fixed + slope * N
    slopes = [(b - a) / (m - k) for (k, a), (m, b) in zip(peaks, peaks[1:])]
    steady = max(slopes) - min(slopes) <= 0.1 * max(slopes)
    fixed = peaks[-1][1] - slopes[-1] * peaks[-1][0]
    print(f"    marginal cost per extra point: {', '.join(f'{x:.1f}' for x in slopes)} B -> "
          f"{'grows linearly' if steady else 'NOT linear'}: peak ~ {fixed / 2**20:.0f} MiB fixed workspace "
          f"+ {slopes[-1]:.0f} B per point")
    print("    (the results kept are ~27 B/point: 7 int8 choices, 2 float64 utilities, 1 int32 path index; the fixed "
          "part is the solver's per-thread chunk workspace)")


# -------------------------------------------------------------------------------- (c) analyses


def bench_analyses(scenario, runs: int) -> None:
    cases = [
        ("region_map 200 x 200 (p_detect x w_il_deterrence)", TARGET_REGION_MS,
         lambda s: region_map(s, x="p_detect", y="w_il_deterrence", points=200)),
        ("monte_carlo 100,000 draws (defaults)", TARGET_MC_MS, lambda s: monte_carlo(s, draws=100_000)),
        ("tornado (every parameter)", TARGET_TORNADO_MS, lambda s: tornado(s)),
    ]
    t_compile = statistics.median(timed(lambda: compile_game(scenario), runs * 3))
    print(f"\n(c) analyses: median of {runs} runs; compile_game alone: {t_compile * 1e3:.2f} ms")
    for label, target, fn in cases:
        pre = timed(lambda f=fn: f(scenario), runs)  # the scenario keeps its compiled game
        full = timed(lambda f=fn: f(replace(scenario)), runs)  # a fresh copy compiles again
        med = statistics.median(pre) * 1e3
        print(f"    {label:<52} {med:7.1f} ms with a precompiled game (target < {target:g} ms: "
              f"{verdict(med < target)}); {statistics.median(full) * 1e3:7.1f} ms including compilation")


# ------------------------------------------------------------------------ (d) the pygambit route


def spe_profile(text: str, gbt) -> tuple[dict[str, int], int]:
    """pygambit's subgame-perfect profile (infoset label -> action position) and the number of pure
    agent equilibria it was picked from."""
    game = gbt.read_efg(io.StringIO(text))
    equilibria = list(gbt.nash.enumpure_agent_solve(game).equilibria)
    root = read_gambit_tree(game)
    nodes = [g for g in preorder(root) if g.kind == "p"]
    found = []
    for eq in equilibria:
        choice = {g.index: g.labels.index(pure_choice(eq, g)) for g in nodes}
        if sequentially_rational(root, choice, len(game.players)):
            found.append({g.infoset_label: choice[g.index] for g in nodes})
    assert len(found) == 1, f"{len(found)} subgame-perfect profiles among {len(equilibria)} pure agent equilibria"
    return found[0], len(equilibria)


def bench_pygambit(scenario, game, n_points: int, ours_per_point: dict[bool, float], n_ours: int) -> None:
    print(f"\n(d) the exact pygambit route, {n_points} random weight points (same draws as a batch for sweep)")
    try:
        import pygambit as gbt
    except ImportError:
        print("    pygambit is not installed: skipped")
        return
    names, block = weight_block(scenario, n_points, np.random.default_rng(SEED + 1))
    ours = sweep(scenario, rows=(names, block))
    decisions = [game.node_ids[d] for d in game.decisions]
    route, solver_only, n_eq = [], [], []
    agreed = 0
    for j in range(n_points):
        values = {name: float(block[k, j]) for k, name in enumerate(names[:-1])}
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            profile, n_equilibria = spe_profile(to_efg(scenario, values=values), gbt)
            route.append(time.perf_counter() - t0)
        finally:
            gc.enable()
        g2 = gbt.read_efg(io.StringIO(to_efg(scenario, values=values)))
        t0 = time.perf_counter()
        gbt.nash.enumpure_agent_solve(g2)
        solver_only.append(time.perf_counter() - t0)
        n_eq.append(n_equilibria)
        mine = {node: int(ours.choice[r, j]) for r, node in enumerate(decisions)}
        agreed += mine == profile  # to_efg labels each player's information set with our node id
    paths = len(set(ours.path.tolist()))
    print(f"    pure agent equilibria per point: {min(n_eq)} to {max(n_eq)}; exactly one subgame-perfect each; "
          f"{paths} distinct equilibrium paths among the points")
    print(f"    agreement with sweep (choice at all {len(decisions)} decision nodes): {agreed} of {n_points}")
    med_route, med_solver = statistics.median(route), statistics.median(solver_only)
    print(f"    pygambit per point: median {med_route * 1e3:.2f} ms for the whole route (to_efg, read_efg, "
          f"enumpure_agent_solve, exact subgame-perfect check); {med_solver * 1e3:.2f} ms for "
          f"enumpure_agent_solve alone")
    for validate in (True, False):
        ratio = med_route / ours_per_point[validate]
        print(f"    ratio pygambit route / sweep per point (N = {n_ours:,}, validate={validate}): {ratio:,.0f}"
              f" (target >= {TARGET_RATIO:,.0f}: {verdict(ratio >= TARGET_RATIO)}); solver alone: "
              f"{med_solver / ours_per_point[validate]:,.0f}")
    assert agreed == n_points, f"pygambit's subgame-perfect profile differs from ours at {n_points - agreed} points"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per figure (median; default 9)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    start = time.perf_counter()
    scenario = load_scenario(SCENARIO)
    game = compile_game(scenario)
    n = 100_000 if args.quick else 1_000_000
    sizes = [25_000, 50_000, 100_000, 200_000] if args.quick else [250_000, 500_000, 1_000_000, 2_000_000]
    print(f"scenario: {SCENARIO.relative_to(ROOT)}; numpy {np.__version__}; python {sys.version.split()[0]}; "
          f"medians of {args.runs} runs unless said\n")
    per_point = bench_throughput(scenario, game, args.runs, n)
    bench_memory(scenario, game, sizes)
    bench_analyses(scenario, max(args.runs, 21))
    bench_pygambit(scenario, game, 20 if args.quick else 200, per_point, n)
    print(f"\ntotal benchmark time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
