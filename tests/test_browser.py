"""A few real-browser tests in headless Chromium: keyboard on a slider, the choice text, the URL, a screenshot."""

from __future__ import annotations

import pytest

from .servers import require_browser

require_browser()


def test_keyboard_on_a_slider_changes_the_choice_and_the_url(server, chromium, tmp_path):
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server + "/?p_detect=0.3")
    page.get_by_text("Equilibrium play: US: Conditional offer").wait_for(timeout=30_000)
    thumb = page.get_by_role("slider", name="Chance a breach is confirmed")
    thumb.focus()
    thumb.press("ArrowLeft")  # 0.30 -> 0.25, below the 0.2766 threshold
    page.get_by_text("Equilibrium play: US: No offer").wait_for(timeout=10_000)
    page.get_by_text("Israel now chooses \u201cBreak the pledge (operate)\u201d").first.wait_for(timeout=10_000)
    page.wait_for_url("**p_detect=0.25**", timeout=10_000)
    shot = tmp_path / "explore.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    page.close()


def test_a_shared_link_opens_the_exact_state_and_notes_bad_values(server, chromium):
    page = chromium.new_page()
    page.goto(server + "/?preset=commitment_problem&w_us_mediator=0.7&p_detect=abc")
    page.get_by_text("A commitment problem: a deal both prefer").first.wait_for(timeout=30_000)
    assert page.get_by_role("slider", name="US weight: mediator standing").input_value() == "0.7"
    page.get_by_text("was ignored").first.wait_for(timeout=10_000)
    page.close()


def test_the_tree_and_the_chart_render(server, chromium):
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server)
    page.get_by_text("The game tree").wait_for(timeout=30_000)
    tree = page.locator("svg[aria-label^='Game tree']")
    tree.wait_for(timeout=30_000)  # the tree, drawn as inline SVG
    assert tree.locator("rect, ellipse").count() == 22  # every node of the default tree: 9 decisions, 1 chance, 12 outcomes
    assert "equilibrium path" in tree.get_attribute("aria-label")
    chart = page.locator("svg[aria-label^='Each option']")
    chart.wait_for(timeout=30_000)  # the "how the choice shifts" chart, inline SVG
    assert chart.locator("polyline").count() >= 2
    page.close()


def test_the_rendered_cards_show_the_solvers_choice_at_every_decision(server, chromium):
    """What AppTest cannot see: the cards as the browser renders them (Markdown with HTML, CSS),
    read as visible text (innerText leaves out anything hidden)."""
    from model import load_scenario, solve

    from . import raw
    from .conftest import ROOT

    path = ROOT / "scenarios" / "default.toml"
    doc, sol = raw.read(path), solve(load_scenario(path), values={"p_detect": 0.2})
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server + "/?p_detect=0.2")
    page.get_by_text("Equilibrium play: US: No offer").wait_for(timeout=30_000)
    page.locator("svg[aria-label^='Game tree']").wait_for(timeout=30_000)  # drawn after the cards
    assert page.locator(".co-card").count() == len(doc["players"])
    shown = page.locator(".co-card").evaluate_all(
        "cards => cards.map(c => [c.querySelector('h3').innerText,"
        " [...c.querySelectorAll('.co-node')].map(e => e.innerText),"
        " [...c.querySelectorAll('.co-choice')].map(e => e.innerText)])")
    on_path = {s.node for s in sol.path if s.action is not None}
    expected = []
    for pid, player in doc["players"].items():
        nodes = [(nid, n) for nid, n in doc["nodes"].items() if n["kind"] == "decision" and n["player"] == pid]
        choices = {nid: next(a["label"] for a in n["actions"] if a["id"] == sol.choice(nid).action) for nid, n in nodes}
        expected.append((player["name"], sorted(
            (n["label"], ("\u2605 " if nid in on_path else "") + choices[nid]) for nid, n in nodes)))
    got = [(name, sorted((q.split(" (off the equilibrium path")[0].strip(), c.strip()) for q, c in zip(qs, cs)))
           for name, qs, cs in shown]
    assert got == expected
    page.close()


@pytest.mark.parametrize("name, then", [("default", "Then reveal what backward induction says"),
                                        ("screening", "Then reveal what the perfect Bayesian solver says")])
def test_the_predict_page_holds_no_action_label_outside_the_options_before_the_reveal(server, chromium, name, then):
    """Every character in the rendered page (textContent, hidden or not), apart from the questions
    with their answer options and the unrevealed tree figure (both checked in AppTest), is free of
    action labels; with private types too."""
    from . import raw
    from .conftest import ROOT
    from .test_pages_teaching import expected_questions

    doc = raw.read(ROOT / "scenarios" / f"{name}.toml")
    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(server + f"/predict?preset={name}")
    page.get_by_text(then).wait_for(timeout=30_000)
    page.get_by_role("button", name="Reveal").wait_for(timeout=30_000)
    page.locator('svg[aria-label^="Game tree with no choices"]').wait_for(timeout=30_000)  # the page's last element
    # every question's options drawn (under load the radios may mount after the tree): then read the whole page
    from playwright.sync_api import expect

    expect(page.get_by_role("radiogroup")).to_have_count(len(expected_questions(doc)), timeout=30_000)
    text = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('[data-testid=stRadio], svg[aria-label^="Game tree with no choices"], script, style')
            .forEach(e => e.remove());
        return body.textContent; }""")
    assert "Reveal" in text
    for node in doc["nodes"].values():
        for a in node.get("actions", []):
            assert a["label"] not in text, a["label"]
    page.close()
