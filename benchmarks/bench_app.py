"""How fast the Explore page answers: AppTest reruns in-process, and the real browser round trip.

    python benchmarks/bench_app.py [--runs 20] [--no-browser]

Every timed call does new work: the app caches each model call by its slider values, so each timed
rerun or key press lands on slider values that no earlier call in the same process (or server) has
used, and solve, thresholds and the chart are computed anew. Nothing timed is a cache hit.

1. AppTest: the time of one full rerun of the Explore page after moving two sliders
   ("US weight: mediator standing" and "Chance a breach is confirmed") to a pair of values not used
   before, walking their grid and skipping the scenario's own pair. Median of ``--runs`` reruns.
2. Browser (headless Chromium, needs Debian's chromium): from the key-up of an arrow key on the
   "Chance a breach is confirmed" slider (0.30 -> 0.25, across the flip of equilibrium play near
   0.2766) to the moment the page's equilibrium text changes, measured inside the page with
   performance.now(). Before each crossing the page is opened afresh from a link that also sets
   "US weight: escalation risk" and "US weight: civilian harm" to a pair not used before (each pair
   checked with ``model.solve`` to still cross there), so both sides of every crossing are new to the
   server's caches. Median of ``--runs`` crossings; ``--gap`` seconds of rest between them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def grid(pid: str) -> list[float]:
    """Every value of a slider of the default scenario, on its step grid."""
    from model import load_scenario

    p = load_scenario(ROOT / "scenarios" / "default.toml").parameter(pid)
    n = round((p.max - p.min) / p.step)
    return [round(p.min + k * p.step, 10) for k in range(n + 1)]


def fresh_pairs(a: str, b: str) -> list[tuple[float, float]]:
    """Every (a, b) pair of slider values except the scenario's own pair, each once."""
    from model import load_scenario

    own = load_scenario(ROOT / "scenarios" / "default.toml").values
    return [(x, y) for x in grid(a) for y in grid(b) if (x, y) != (own[a], own[b])]


def apptest(runs: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=60).run()
    pairs = fresh_pairs("w_us_mediator", "p_detect")
    if runs > len(pairs):
        raise SystemExit(f"--runs {runs}: only {len(pairs)} fresh pairs of values")
    times = []
    for w, p in pairs[:runs]:  # never used before in this process
        at.slider(key="w_us_mediator").set_value(w)
        at.slider(key="p_detect").set_value(p)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception
    print(f"AppTest full rerun after a slider move to values not seen before: median "
          f"{statistics.median(times) * 1000:.1f} ms (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}) "
          f"over {runs} reruns")


PROBE = """() => {
  window.__t = {};
  document.addEventListener('keyup', () => { window.__t.up = performance.now(); window.__t.changed = null; }, true);
  const read = () => { const els = document.querySelectorAll('.co-path'); return els.length ? els[els.length - 1].innerText : ''; };
  window.__t.last = read();
  new MutationObserver(() => {
    const now = read();
    if (now && now !== window.__t.last) { window.__t.changed = performance.now(); window.__t.last = now; }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def crossing_contexts(runs: int) -> list[dict[str, float]]:
    """``runs`` link settings of two US weights, none used before, at each of which moving the breach
    slider from 0.50 to 0.45 still changes equilibrium play (checked with the model)."""
    from model import load_scenario, solve

    scenario = load_scenario(ROOT / "scenarios" / "default.toml")

    def play(values):
        return [(s.node, s.action) for s in solve(scenario, values=values).path]

    out = []
    for x, y in fresh_pairs("w_us_escalation", "w_us_civilian"):
        ctx = {"w_us_escalation": x, "w_us_civilian": y}
        if play({**ctx, "p_detect": 0.3}) != play({**ctx, "p_detect": 0.25}):
            out.append(ctx)
        if len(out) == runs:
            return out
    raise SystemExit(f"--runs {runs}: only {len(out)} fresh settings cross the flip")


def browser(runs: int, args_gap: float = 1.0) -> None:
    from tests.servers import browser as chromium
    from tests.servers import have_browser, streamlit_server

    if not have_browser():
        print("browser: skipped (no chromium or playwright)")
        return
    contexts = crossing_contexts(runs)
    with streamlit_server() as url, chromium() as b:
        page = b.new_page(viewport={"width": 1600, "height": 1200})
        times = []
        for ctx in contexts:  # each a fresh point for the server's caches, on both sides of the crossing
            query = "&".join(f"{k}={v:g}" for k, v in ctx.items())
            page.goto(f"{url}/?p_detect=0.3&{query}")
            page.get_by_text("Equilibrium play: ").first.wait_for(timeout=60_000)
            page.wait_for_function("() => document.querySelectorAll('[data-testid=stStatusWidget]').length === 0",
                                   timeout=60_000)
            before = page.locator(".co-path").last.inner_text()
            page.evaluate(PROBE)
            thumb = page.get_by_role("slider", name="Chance a breach is confirmed")
            thumb.focus()
            thumb.press("ArrowLeft")  # 0.30 -> 0.25: across the flip, to a value never used with ctx
            page.wait_for_function("() => window.__t.changed !== null && window.__t.changed !== undefined",
                                   timeout=10_000)
            times.append(page.evaluate("() => window.__t.changed - window.__t.up"))
            assert page.locator(".co-path").last.inner_text() != before
            time.sleep(args_gap)
        print(f"browser: key-up to changed equilibrium text, every crossing at values new to the server: median "
              f"{statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}) over {runs} crossings; "
              f"the first move after the server started: {times[0]:.0f} ms (every timed move is the first one on a "
              "freshly opened page)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between key presses in the browser")
    args = parser.parse_args()
    apptest(args.runs)
    if not args.no_browser:
        browser(args.runs, args.gap)


if __name__ == "__main__":
    main()
