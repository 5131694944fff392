"""Screenshots of a game with private types, taken through the app's own pages in headless Chromium (a script,
not a test): Explore's tree with information sets and its beliefs panel, and Predict & reveal after a reveal.

    python benchmarks/pbe_screenshots.py                       # screening, into /tmp/pbe-shots
    python benchmarks/pbe_screenshots.py --preset beer_quiche --out /tmp/pbe-shots

Needs Debian's chromium and playwright (the test extra). Prints each file and what it shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shoot(url: str, out: Path, preset: str) -> list[str]:
    from tests.servers import browser

    done = []
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?preset={preset}")
        tree = page.locator("svg[aria-label^='Game tree']").first
        tree.wait_for(timeout=90_000)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stStatusWidget]').length === 0",
                               timeout=90_000)
        page.wait_for_timeout(800)
        tree.scroll_into_view_if_needed()
        tree.screenshot(path=str(out / f"{preset}-tree-infosets.png"))
        done.append(f"{preset}-tree-infosets.png: Explore's game tree, chance's draw of the type first, the "
                    "information sets joined by dashed lines, the first equilibrium's play starred")
        page.get_by_role("heading", name="Beliefs").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / f"{preset}-beliefs-panel.png"))
        done.append(f"{preset}-beliefs-panel.png: Explore's beliefs panel: each information set of the chosen "
                    "equilibrium, on or off the path, its belief and the sentence that explains it")
        page.goto(f"{url}/predict?preset={preset}")
        page.get_by_role("button", name="Reveal").first.wait_for(timeout=90_000)
        page.get_by_role("button", name="Reveal").first.click()
        page.wait_for_timeout(1500)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stStatusWidget]').length === 0",
                               timeout=90_000)
        page.screenshot(path=str(out / f"{preset}-predict-revealed.png"))
        done.append(f"{preset}-predict-revealed.png: Predict & reveal after Reveal with no prediction made: "
                    "each question with the model's answer, the beliefs and the tree")
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="screening")
    parser.add_argument("--out", type=Path, default=Path("/tmp/pbe-shots"))
    args = parser.parse_args()
    from tests.servers import streamlit_server

    args.out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url:
        for line in shoot(url, args.out, args.preset):
            print(args.out / line)


if __name__ == "__main__":
    main()
