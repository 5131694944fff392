"""Timing of the perfect Bayesian solver on the screening preset: one solve with everything a reader needs
(``perfect_bayesian``), and a 200 x 200 region map of the prior and the US's sharing weight (one batched
``pbe_batch`` call, each cell labelled by its equilibrium set). Medians of several runs.

    python benchmarks/bench_pbe.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from model import load_scenario
from model.analyses.bayesian_thresholds import _keys
from model.core.game import make_env
from model.core.pbe_batch import bayesian_game, pbe_batch
from model.core.perfect_bayesian import perfect_bayesian

ROOT = Path(__file__).resolve().parent.parent


def region_map(scenario, x: str, y: str, points: int = 200):
    """Each cell's equilibrium set as an index into the distinct sets (one batched call)."""
    bg = bayesian_game(scenario)
    px, py = scenario.parameter(x), scenario.parameter(y)
    xs, ys = np.linspace(px.min, px.max, points), np.linspace(py.min, py.max, points)
    env, n = make_env(scenario, {x: np.tile(xs, points), y: np.repeat(ys, points)})
    batch = pbe_batch(bg, env, n)
    sets, index = np.unique(_keys(bg, batch), axis=0, return_inverse=True)
    return index.reshape(points, points), len(sets)


def median_time(f, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    s = load_scenario(ROOT / "scenarios" / "screening.toml")
    perfect_bayesian(s)  # compile once
    one = median_time(lambda: perfect_bayesian(s), args.runs)
    grid, n_sets = region_map(s, "p_high", "w_us_sharing")
    rmap = median_time(lambda: region_map(s, "p_high", "w_us_sharing"), args.runs)
    print(f"one PBE solve (screening.toml): median {one * 1e3:.2f} ms over {args.runs} runs")
    print(f"200 x 200 region map (p_high x w_us_sharing, {n_sets} equilibrium sets): median {rmap * 1e3:.1f} ms "
          f"over {args.runs} runs")


if __name__ == "__main__":
    main()
