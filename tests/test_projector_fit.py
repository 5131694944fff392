"""Projector fit (issue 13, goal 7): at 1280 x 720 and 1920 x 1080 the Explore page shows the equilibrium
headline, both sides' cards and the whole game tree without scrolling. Headless Chromium on a real
``streamlit run`` server; the screenshots are kept in ``PERF_SHOTS`` (default /tmp/perf-shots/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .servers import require_browser

SHOTS = Path(os.environ.get("PERF_SHOTS", "/tmp/perf-shots"))

require_browser()


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_the_headline_the_cards_and_the_whole_tree_fit_a_projector_screen(server, chromium, width, height):
    page = chromium.new_page(viewport={"width": width, "height": height})
    page.goto(server)
    page.get_by_text("Equilibrium play: ").first.wait_for(timeout=60_000)
    tree = page.locator("svg[aria-label^='Game tree']")
    tree.wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stStatusWidget]').length === 0",
                           timeout=60_000)
    page.wait_for_timeout(500)  # fonts and layout settle
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"explore-{width}x{height}.png"))
    assert page.evaluate("() => window.scrollY") == 0
    boxes = {"headline": page.locator(".co-path").last.bounding_box(),
             "tree": tree.bounding_box(),
             **{f"card {k + 1}": c.bounding_box() for k, c in enumerate(page.locator(".co-card").all())}}
    assert len([k for k in boxes if k.startswith("card")]) == 2
    outside = {name: box for name, box in boxes.items()
               if box is None or box["x"] < 0 or box["y"] < 0 or box["x"] + box["width"] > width + 0.5
               or box["y"] + box["height"] > height + 0.5}
    assert not outside, f"not inside the {width} x {height} viewport without scrolling: {outside}"
    page.close()
