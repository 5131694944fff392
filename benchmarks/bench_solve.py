"""Time one solve and one full threshold analysis of a scenario (medians of many in-process runs).

    python benchmarks/bench_solve.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from model import load_scenario, solve, thresholds

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "default.toml"))
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    t_solve = median_ms(lambda: solve(scenario), args.repeat)
    t_thr = median_ms(lambda: thresholds(scenario), args.repeat)
    t_both = median_ms(lambda: (solve(scenario), thresholds(scenario)), args.repeat)
    print(f"scenario: {args.scenario}")
    print(f"solve:               median {t_solve:7.2f} ms over {args.repeat} runs")
    print(f"thresholds:          median {t_thr:7.2f} ms over {args.repeat} runs ({len(thresholds(scenario))} found)")
    print(f"solve + thresholds:  median {t_both:7.2f} ms over {args.repeat} runs (target < 10 ms)")


if __name__ == "__main__":
    main()
