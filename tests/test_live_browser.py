"""A live class in headless Chromium: one instructor and three students on phones (390 x 844, touch).

Two app processes share one store (one SQLite file), as the nginx deployment's do: the instructor and one
student use the first, two students the second. The students join by the link the instructor's page
shows, answer by tapping, and the instructor's projector counts them as they arrive; after the reveal it
shows the share that matched the model, and each phone shows the model's answer.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from ui.access import LOCAL_ENV, PASSCODE_ENV

from .servers import browser, require_browser, streamlit_server

require_browser()

PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
WAIT = 30_000


def main(page):
    return page.locator("[data-testid='stMain']")


def test_three_phones_answer_and_the_projector_counts_them_then_shows_the_match(tmp_path):
    env = {"CONDITIONAL_OFFER_DATA_DIR": str(tmp_path), LOCAL_ENV: "local", PASSCODE_ENV: "",
           "CONDITIONAL_OFFER_DB_URL": "", "CONDITIONAL_OFFER_PUBLIC_URL": ""}
    with streamlit_server(env=env) as first, streamlit_server(env=env) as second, browser() as b:
        teacher = b.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        teacher.goto(first + "/live_class")
        main(teacher).get_by_role("button", name="Open the class").click()
        link = teacher.locator(".co-link a").first
        link.wait_for(timeout=WAIT)
        join_link = link.get_attribute("href")
        assert re.fullmatch(re.escape(first) + r"/live_join\?code=[A-Z2-9]{8}", join_link)
        assert teacher.locator("svg[aria-label='QR code of the join link'] path").count() >= 1
        main(teacher).get_by_role("button", name="Open", exact=True).first.click()
        teacher.get_by_text("open: taking answers").first.wait_for(timeout=WAIT)
        teacher.get_by_text("Open the projector view").click()
        teacher.get_by_text("0 joined").wait_for(timeout=WAIT)

        phones = []
        for n, server in enumerate((second, first, second), start=1):
            phone = b.new_context(**PHONE).new_page()
            phone.goto(join_link.replace(first, server))  # the same link, through either process
            phone.get_by_label("Nickname (optional)").fill(f"Phone {n}")
            phone.get_by_role("button", name="Join").tap()
            phone.get_by_text("Question 1 of 1").wait_for(timeout=WAIT)
            assert re.search(r"[?&]t=[\w-]{22}", phone.url)  # the token is in the link: a reload keeps the answers
            phones.append(phone)
        teacher.get_by_text("3 joined").wait_for(timeout=WAIT)
        teacher.get_by_text("0 of 3 answered").wait_for(timeout=WAIT)

        for n, (phone, choice) in enumerate(zip(phones, ("Conditional offer", "Conditional offer", "No offer")), 1):
            phone.locator("label[data-testid='stRadioOption']", has_text=choice).tap()
            phone.get_by_role("button", name="Send my answer").tap()
            phone.get_by_text(f"Sent \u2713 \u201c{choice}\u201d is saved.").wait_for(timeout=WAIT)
            assert "the model" not in phone.inner_text("body").lower()  # nothing of the answer before the reveal
            teacher.get_by_text(f"{n} of 3 answered").wait_for(timeout=WAIT)  # the projector polls the store

        main(teacher).get_by_role("button", name="Reveal").click()
        teacher.get_by_text("67% matched the model: \u201cConditional offer\u201d").wait_for(timeout=WAIT)
        phones[0].get_by_text("The model: \u201cConditional offer\u201d").wait_for(timeout=WAIT)  # its poll
        phones[0].get_by_text("\u2713 You predicted it.").wait_for(timeout=WAIT)
        phones[2].get_by_text("\u2717 You predicted \u201cNo offer\u201d.").wait_for(timeout=WAIT)

        phones[1].reload()  # a reload (the token in the link) keeps the answer and its seat
        phones[1].get_by_text("Seat 2 \u00b7 Phone 2").wait_for(timeout=WAIT)
        assert urlparse(phones[1].url).query.startswith("t=")
