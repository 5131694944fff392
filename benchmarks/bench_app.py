"""How fast the Explore page answers: AppTest reruns in-process, and the real browser round trip.

    python benchmarks/bench_app.py [--runs 20] [--no-browser]

1. AppTest: the time of one full rerun of the Explore page after a slider move to values not seen
   before (so solve, thresholds and the chart are recomputed), and after a move back to values
   already seen (served from the cache). Medians of ``--runs`` reruns.
2. Browser (headless Chromium, needs Debian's chromium): from the key-up of an arrow key on the
   "Chance a breach is confirmed" slider to the moment the page's equilibrium text changes,
   measured inside the page with performance.now(). Medians of ``--runs`` crossings, ``--gap``
   seconds apart (a person moving a slider, not a key held down).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def apptest(runs: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=60).run()
    slider = lambda key: at.slider(key=key)  # noqa: E731
    # fresh points: (w_us_mediator, p_detect) pairs never used before in this process
    points = [(round(0.05 * (i % 20), 2), round(0.05 * (i // 20) + 0.05 * (i % 3), 2)) for i in range(runs)]

    def timed_reruns() -> list[float]:
        times = []
        for w, p in points:
            slider("w_us_mediator").set_value(w)
            slider("p_detect").set_value(p)
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            assert not at.exception
        return times

    fresh = timed_reruns()  # new values: solve, thresholds and the chart recomputed
    cached = timed_reruns()  # the same values again: served from the cache
    print(f"AppTest full rerun after a slider move, new values (recomputed): median {statistics.median(fresh) * 1000:.1f} ms "
          f"(min {min(fresh) * 1000:.1f}, max {max(fresh) * 1000:.1f}) over {runs} reruns")
    print(f"AppTest full rerun after a slider move, values seen before (cached): median "
          f"{statistics.median(cached) * 1000:.1f} ms over {runs} reruns")


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


def browser(runs: int, args_gap: float = 1.0) -> None:
    from tests.servers import browser as chromium
    from tests.servers import have_browser, streamlit_server

    if not have_browser():
        print("browser: skipped (no chromium or playwright)")
        return
    with streamlit_server() as url, chromium() as b:
        page = b.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url + "/?p_detect=0.5")
        page.get_by_text("Equilibrium play: US: Conditional offer").wait_for(timeout=60_000)
        page.evaluate(PROBE)
        thumb = page.get_by_role("slider", name="Chance a breach is confirmed")
        thumb.focus()
        times = []
        for i in range(runs):
            key = "ArrowLeft" if i % 2 == 0 else "ArrowRight"  # 0.50 <-> 0.45 crosses the 0.485 threshold
            thumb.press(key)
            page.wait_for_function("() => window.__t.changed !== null && window.__t.changed !== undefined",
                                   timeout=10_000)
            times.append(page.evaluate("() => window.__t.changed - window.__t.up"))
            time.sleep(args_gap)
        first = times[:2]
        print(f"browser: key-up to changed equilibrium text, first two (not cached): "
              f"{', '.join(f'{t:.0f}' for t in first)} ms")
        print(f"browser: key-up to changed equilibrium text: median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}) over {runs} crossings")


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
