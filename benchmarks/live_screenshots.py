"""Screenshots of a live class, taken through the app's own pages in headless Chromium (a script, not a test).

    python benchmarks/live_screenshots.py                   # into /tmp/live-shots
    python benchmarks/live_screenshots.py --out docs/shots --students 5

It starts ``streamlit run ui/app.py`` on loopback with a new SQLite store in a temporary folder (the instructor
pages open to every session: CONDITIONAL_OFFER_INSTRUCTOR=local), then plays a class with the pages' own
controls only: the instructor (1920 x 1080) opens a class on the default scenario and its first question and
opens the projector in a second window with the instructor key the page shows; N students (phones, 390 x 844,
touch) join by the link with a nickname and answer; the instructor reveals; then opens the class's two
parameters, each student moves the two sliders to values of its own and sends them, and the projector
shows the class map. Written, each with what the page showed:

    1-join-screen.png               the instructor's page: join code, link and QR code
    2-phone-question.png            a phone: the open question and its answer buttons
    3-projector-before-reveal.png   the projector: the tally of the answers, before the reveal
    4-projector-after-reveal.png    the projector: the share that matched the model
    5-phone-after-reveal.png        a phone: the model's answer against the student's own
    6-class-map.png                 the projector: each student's point on the region map, the share per play

The join link is the loopback address the page was opened at, so the page warns that phones cannot reach
it; ``--public-host NAME`` shows http://NAME:PORT instead (and maps NAME to loopback in Chromium, so the
phones still follow the link they are shown).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from model import load_scenario  # noqa: E402
from tests.servers import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402
from ui.access import LOCAL_ENV, PASSCODE_ENV  # noqa: E402

PUBLIC_URL_ENV = "CONDITIONAL_OFFER_PUBLIC_URL"  # ui.live.parts's (importing it would start Streamlit's caches)
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
SCREEN = dict(viewport={"width": 1920, "height": 1080})
WAIT = 90_000  # ms: two busy cores
# Each student's own values, as fractions of each parameter's range (x, y): spread over the map so that
# they land in more than one region of the default scenario's map.
OWN = [(0.6, 0.4), (0.1, 0.9), (0.45, 0.75), (0.55, 1.0), (0.2, 0.2)]
ANSWER = [0, 1, 0, 2, 0]  # which answer (by position) each student taps


def main_block(page):
    return page.locator("[data-testid='stMain']")


def text_of(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def settle(page, seconds: float = 1.5) -> None:
    """Wait until Streamlit has finished running (no 'Running...' status), then let charts draw."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT)
    time.sleep(seconds)


def shoot(page, path: Path, what: str) -> None:
    size = page.viewport_size
    page.mouse.move(size["width"] - 8, size["height"] // 2)  # the right margin: no chart toolbar, no sidebar button
    page.screenshot(path=str(path))
    print(f"{path}: {what}", flush=True)


def run(out: Path, students: int, public_host: str | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = list(CHROMIUM_ARGS)
    public = ""
    if public_host:
        public = f"http://{public_host}:{port}"
        args.append(f"--host-resolver-rules=MAP {public_host} 127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="live-shots-") as data:
        env = {"CONDITIONAL_OFFER_DATA_DIR": data, LOCAL_ENV: "local", PASSCODE_ENV: "", "CONDITIONAL_OFFER_DB_URL": "",
               PUBLIC_URL_ENV: public}
        with streamlit_server(port, env=env) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
            try:
                play(browser, url, out, students)
            finally:
                browser.close()


def play(browser, url: str, out: Path, students: int) -> None:
    # 1. The instructor opens a class on the default scenario (the setup form's defaults).
    teacher = browser.new_context(**SCREEN).new_page()
    teacher.goto(url + "/live_class")
    main_block(teacher).get_by_role("button", name="Open the class").click()
    link = teacher.locator(".co-link a").first
    link.wait_for(timeout=WAIT)
    teacher.locator("svg[aria-label='QR code of the join link']").wait_for(timeout=WAIT)
    join_link = link.get_attribute("href")
    code = teacher.locator(".co-code").first.inner_text().strip()
    allowed = main_block(teacher).get_by_text("Students may set:").inner_text()
    params = re.match(r"Students may set: (.*?)\. ", allowed).group(1).split(", ")
    settle(teacher)
    teacher.evaluate("window.scrollTo(0, 0)")
    shoot(teacher, out / "1-join-screen.png", f"instructor's live-class page: join code {code}, link {join_link}, "
          f"QR code; students may set {len(params)} parameters ({', '.join(params)})")

    # The first question opens; the projector opens in a second window with the instructor key.
    main_block(teacher).get_by_role("button", name="Open", exact=True).first.click()
    teacher.get_by_text("open: taking answers").first.wait_for(timeout=WAIT)
    teacher.get_by_text("Instructor key (to run this class from another window)").click()
    projector_link = teacher.locator("[data-testid='stCode'] code").first.inner_text().strip()
    projector = browser.new_context(**SCREEN).new_page()
    projector.goto(projector_link)
    projector.get_by_text("0 joined").wait_for(timeout=WAIT)

    # 2. Phones join by the link with a nickname.
    phones = []
    for n in range(1, students + 1):
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(join_link)
        phone.get_by_label("Nickname (optional)").fill(f"Student {n}")
        phone.get_by_role("button", name="Join").tap()
        phone.get_by_text("Question 1 of 1").wait_for(timeout=WAIT)
        phones.append(phone)
        projector.get_by_text(f"{n} joined", exact=True).wait_for(timeout=WAIT)
    first = phones[0]
    options = text_of(first, "label[data-testid='stRadioOption']")
    question = first.locator(".co-q").first.inner_text().strip()
    settle(first)
    seat = re.search(r"Seat \d+[^\n]*", main_block(first).inner_text()).group(0)
    shoot(first, out / "2-phone-question.png", f"phone ({seat}): open question \u201c{question}\u201d with "
          f"{len(options)} answer buttons ({' / '.join(options)})")

    # 3. Each student taps an answer and sends it; the projector counts them.
    chosen = []
    for n, phone in enumerate(phones, start=1):
        choice = options[ANSWER[(n - 1) % len(ANSWER)] % len(options)]
        chosen.append(choice)
        phone.locator("label[data-testid='stRadioOption']", has_text=choice).tap()
        phone.get_by_role("button", name="Send my answer").tap()
        phone.get_by_text(f"Sent \u2713 \u201c{choice}\u201d is saved.").wait_for(timeout=WAIT)
        projector.get_by_text(f"{n} of {students} answered").wait_for(timeout=WAIT)
    projector.get_by_text("Show the join code").click()  # everyone is in: the toggle off, the board moves up
    projector.locator(".co-qr-box").wait_for(state="detached", timeout=WAIT)
    settle(projector)
    bars = "; ".join(b.replace("\n", " ") for b in text_of(projector, ".co-bar"))
    answered = projector.get_by_text(re.compile(r"^\d+ of \d+ answered$")).first.inner_text()
    shoot(projector, out / "3-projector-before-reveal.png", f"projector before the reveal: {answered}: {bars}")

    # 4. The instructor reveals (on the instructor's page); the projector and the phones follow by polling.
    main_block(teacher).get_by_role("button", name="Reveal").first.click()
    teacher.get_by_text("revealed").first.wait_for(timeout=WAIT)
    matched = projector.get_by_text("matched the model")
    try:
        matched.wait_for(timeout=20_000)
    except PlaywrightTimeout:  # the board stopped polling once nothing was open
        refresh(projector)
        matched.wait_for(timeout=WAIT)
    settle(projector)
    bars = "; ".join(b.replace("\n", " ") for b in text_of(projector, ".co-bar"))
    shoot(projector, out / "4-projector-after-reveal.png", f"projector after the reveal: {matched.inner_text()} "
          f"({bars})")

    # 5. A phone after the reveal.
    first.get_by_text("The model: ").wait_for(timeout=WAIT)
    settle(first)
    verdict = first.get_by_text(re.compile("You predicted|You did not answer")).first.inner_text()
    shoot(first, out / "5-phone-after-reveal.png", f"phone of Student 1 after the reveal: "
          f"{first.get_by_text('The model: ').inner_text()}; {verdict} (it sent \u201c{chosen[0]}\u201d)")

    # 6. The instructor opens the parameters; each student sets values of its own and sends them.
    main_block(teacher).get_by_role("button", name="Open the parameters to students").click()
    teacher.get_by_text("Open now").wait_for(timeout=WAIT)
    refresh(projector)
    sent_values = []
    for n, phone in enumerate(phones, start=1):
        phone.get_by_role("button", name="Next \u2192").wait_for(timeout=WAIT)  # the poll adds the values screen
        phone.get_by_role("button", name="Next \u2192").tap()
        phone.get_by_text("Your own assumptions").first.wait_for(timeout=WAIT)
        mine = []
        for label, fraction in zip(params, OWN[(n - 1) % len(OWN)]):
            mine.append(move_slider(phone, label, fraction))
        phone.get_by_role("button", name="Send my values").tap()
        phone.get_by_text("Sent \u2713 Your values are saved.").wait_for(timeout=WAIT)
        sent_values.append(mine)
        projector.get_by_text(f"{n} of {students} sent their values").wait_for(timeout=WAIT)
    projector.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(
        timeout=WAIT)
    settle(projector, 3.0)
    heading = projector.get_by_text("The class's own assumptions")  # the section at the top, below the header
    heading.evaluate("e => { e.style.scrollMarginTop = '5rem'; e.scrollIntoView({block: 'start'}); }")
    time.sleep(1.0)
    sentence = projector.locator(".co-q", has_text="With their own assumptions").inner_text()
    shares = play_shares(projector)
    for n, mine in enumerate(sent_values, start=1):
        print(f"  Student {n} sent {', '.join(f'{k} = {v}' for k, v in zip(params, mine))}")
    shoot(projector, out / "6-class-map.png", f"projector, class map: {students} of {students} sent their values; "
          f"{sentence} Shares per play: {shares}")


def refresh(projector) -> None:
    """The projector polls only while a question or the parameters are open or the join code is shown;
    otherwise it waits for its Refresh button, which an instructor presses after acting in another window."""
    button = main_block(projector).get_by_role("button", name="Refresh")
    if button.count():
        print("  (the projector was not polling: pressed its Refresh)", flush=True)
        button.click()
        settle(projector, 0.5)


def move_slider(phone, label: str, fraction: float) -> str:
    """Move a slider with the keyboard (focus its thumb, an ``input type=range``; arrow keys, one step a
    press) to about ``fraction`` of its range; the value it then shows."""
    thumb = phone.get_by_role("slider", name=label)
    low, high, now = float(thumb.get_attribute("min")), float(thumb.get_attribute("max")), float(thumb.input_value())
    step = next(p.step for p in load_scenario(ROOT / "scenarios" / "default.toml").parameters if p.label == label)
    steps = round((low + fraction * (high - low) - now) / step)
    thumb.focus()
    for _ in range(abs(steps)):
        thumb.press("ArrowRight" if steps > 0 else "ArrowLeft")
    time.sleep(0.5)
    return thumb.get_attribute("aria-valuetext") or thumb.input_value()


def play_shares(page) -> str:
    """The shares per play from the projector's table (the table's accessible copy of its cells)."""
    table = page.locator("[data-testid='stDataFrame']").first
    rows = table.locator("[role='row']")
    found = []
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("[role='gridcell']").all_inner_texts()]
        if len(cells) >= 3:  # play, students, share (a fraction in the table's accessible copy)
            share = f"{100 * float(cells[2]):.0f}%" if re.fullmatch(r"[\d.]+", cells[2]) else cells[2]
            found.append(f"{cells[0]}: {cells[1]} ({share}){' = the model' if len(cells) > 3 and cells[3] else ''}")
    return "; ".join(found) or "(table not readable)"


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/live-shots"), help="folder for the PNG files")
    parser.add_argument("--students", type=int, default=4, choices=range(3, 6), help="phones in the class (3-5)")
    parser.add_argument("--public-host", help="show the join link at http://NAME:PORT (mapped to loopback)")
    ns = parser.parse_args()
    run(ns.out, ns.students, ns.public_host)


if __name__ == "__main__":
    cli()
