"""A few real-browser tests in headless Chromium: keyboard on a slider, the choice text, the URL, a screenshot."""

from __future__ import annotations

import os

import pytest

from .servers import browser, have_browser, streamlit_server

REQUIRED = os.environ.get("REQUIRE_BROWSER_TESTS") == "1"  # set by .ci/run, which installs chromium

if not have_browser():
    if REQUIRED:
        pytest.fail("Chromium or playwright is missing but REQUIRE_BROWSER_TESTS=1", pytrace=False)
    pytest.skip("headless Chromium (Debian package 'chromium') or playwright is not installed",
                allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def test_keyboard_on_a_slider_changes_the_choice_and_the_url(server, chromium, tmp_path):
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server + "/?p_detect=0.5")
    page.get_by_text("Equilibrium play: US: Conditional offer").wait_for(timeout=30_000)
    thumb = page.get_by_role("slider", name="Chance a breach is confirmed")
    thumb.focus()
    thumb.press("ArrowLeft")  # 0.50 -> 0.45, below the 0.485 threshold
    page.get_by_text("Equilibrium play: US: Share unconditionally").wait_for(timeout=10_000)
    page.get_by_text("Israel now chooses \u201cBreak the pledge (operate)\u201d").first.wait_for(timeout=10_000)
    page.wait_for_url("**p_detect=0.45**", timeout=10_000)
    shot = tmp_path / "explore.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    page.close()


def test_a_shared_link_opens_the_exact_state_and_notes_bad_values(server, chromium):
    page = chromium.new_page()
    page.goto(server + "/?preset=pledge_broken&w_us_mediator=0.7&p_detect=abc")
    page.get_by_text("Almost no monitoring").first.wait_for(timeout=30_000)
    assert page.get_by_role("slider", name="US weight: mediator standing").input_value() == "0.7"
    page.get_by_text("was ignored").first.wait_for(timeout=10_000)
    page.close()


def test_the_tree_and_the_chart_render(server, chromium):
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server)
    page.get_by_text("The game tree").wait_for(timeout=30_000)
    tree = page.locator("svg[aria-label^='Game tree']")
    tree.wait_for(timeout=30_000)  # the tree, drawn as inline SVG
    assert tree.locator("rect, ellipse").count() == 18  # every node of the default tree
    assert "equilibrium path" in tree.get_attribute("aria-label")
    chart = page.locator("svg[aria-label^='Each option']")
    chart.wait_for(timeout=30_000)  # the "how the choice shifts" chart, inline SVG
    assert chart.locator("polyline").count() >= 2
    page.close()
