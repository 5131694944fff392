"""A live class through the app itself: N phones join and answer Q questions in about T seconds, while the
projector refreshes. Does every answer sent arrive, how fast is it counted, and what does a refresh cost?

    python benchmarks/classroom_live.py                          # starts one app process on a new SQLite store
    CONDITIONAL_OFFER_INSTRUCTOR=local CONDITIONAL_OFFER_DATA_DIR=/tmp/hall deploy/hall.sh start 2 8500 127.0.0.1
    python benchmarks/classroom_live.py --url http://127.0.0.1:8500 --data-dir /tmp/hall --pids $(deploy/hall.sh pids)

Each phone is a client of Streamlit's own websocket protocol (the messages a browser sends): it opens the
join link, joins with a nickname, then answers question k at a random moment of the k-th part of the run
as a person does (a tap on an answer, which sends nothing, then Send: one rerun, after which the page shows
the next open question), polls like the page's fragment every 4 s, and reads the page's "Sent" or "NOT sent". The class is created in the store as the instructor's page creates
one, every question open. A projector session (the instructor page, so the app runs with
CONDITIONAL_OFFER_INSTRUCTOR=local; loopback only) reruns its board fragment every 2 s as the browser does.
An observer reads the store every 50 ms, so each answer's submit-to-counted time is measured from the
moment its Send left the phone to the first read of the store that counts it.

Printed: answers sent (confirmed on the phone) against answers counted by the store and shown by the
projector (they must be equal), NOT sent and errors, submit-to-counted and submit-to-confirmed p50/p95,
the projector's refresh (wall time under load and at rest, server CPU and bytes per refresh), and each
server process's CPU. Exit status 1 when they differ. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from model import load_scenario  # noqa: E402
from ui.live.classroom import ClassSettings  # noqa: E402
from ui.live.store import open_store  # noqa: E402

TIMEOUT = 30.0
POLL_S = 4.0  # the student page's fragment (ui/views/live_join.py)
REFRESH_S = 2.0  # the projector's fragment (ui/views/live_projector.py)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")


class Page:
    """One Streamlit session over its websocket, as a browser holds it: the page, its link's query string,
    the widgets of the last run (and what the browser would send for each), the texts shown, the fragments
    that rerun on their own."""

    def __init__(self, ws, page_name: str, query: str):
        self.ws, self.page_name, self.query = ws, page_name, query
        self.widgets: dict[str, tuple[str, object]] = {}  # id -> (kind, proto)
        self.chosen: dict[str, str] = {}  # id -> a value this user typed or picked
        self.texts: list[str] = []
        self.errors: list[str] = []  # the error callouts of the last run
        self.auto: dict[str, float] = {}  # fragment id -> interval (s)
        self.exceptions: list[str] = []
        self.bytes = 0

    def widget(self, key: str) -> str | None:
        """The id of the widget with this user key on the page, if any (Streamlit ends such ids with the key)."""
        return next((i for i in self.widgets if i.endswith("-" + key)), None)

    def button(self, label: str) -> str | None:
        return next((i for i, (kind, p) in self.widgets.items() if kind == "button" and p.label == label), None)

    def _state(self, msg: BackMsg, trigger: str | None) -> None:
        for wid, (kind, proto) in self.widgets.items():
            if kind in ("text_input", "text_area"):
                w = msg.rerun_script.widget_states.widgets.add(id=wid)
                w.string_value = self.chosen.get(wid, proto.value if proto.set_value else proto.default)
            elif kind == "radio":
                value = self.chosen.get(wid) or (proto.raw_value if proto.set_value and proto.raw_value else None)
                if value is not None:
                    msg.rerun_script.widget_states.widgets.add(id=wid, string_value=value)
            elif kind == "checkbox":
                msg.rerun_script.widget_states.widgets.add(id=wid, bool_value=bool(proto.value if proto.set_value
                                                                                   else proto.default))
        if trigger:
            msg.rerun_script.widget_states.widgets.add(id=trigger, trigger_value=True)

    async def run(self, *, trigger: str | None = None, fragment: str = "") -> float:
        """Send one rerun (a click on ``trigger``, or the rerun of ``fragment``) and read until the run is over;
        returns the seconds it took."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = self.page_name
        if fragment:
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
        self._state(msg, trigger)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        if not fragment:
            self.texts, self.errors = [], []
        while True:
            data = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
            self.bytes += len(data)
            out = ForwardMsg()
            out.ParseFromString(data)
            kind = out.WhichOneof("type")
            if kind == "new_session" and not fragment:
                self.widgets, self.texts, self.errors = {}, [], []
            elif kind == "delta" and out.delta.WhichOneof("type") == "new_element":
                self._element(out.delta.new_element)
            elif kind == "page_info_changed":
                self.query = out.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.auto[out.auto_rerun.fragment_id] = out.auto_rerun.interval
            elif kind == "script_finished" and out.script_finished != EARLY:
                return time.perf_counter() - t0

    def _element(self, element) -> None:
        which = element.WhichOneof("type")
        if which in ("text_input", "text_area", "radio", "button", "checkbox"):
            proto = getattr(element, which)
            self.widgets[proto.id] = (which, proto)
        elif which == "alert":
            self.texts.append(element.alert.body)
            if element.alert.format == element.alert.ERROR:
                self.errors.append(element.alert.body)
        elif which == "markdown":
            self.texts.append(element.markdown.body)
        elif which == "exception":
            self.exceptions.append(element.exception.message[:200])


@dataclass
class Results:
    joined: int = 0
    sent: dict = field(default_factory=dict)  # (nickname, question) -> time the Send left the phone
    confirmed: dict = field(default_factory=dict)  # (nickname, question) -> seconds from send to "Sent" shown
    not_sent: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    polls: int = 0
    refresh: list = field(default_factory=list)  # projector refresh seconds under load
    refresh_bytes: list = field(default_factory=list)
    shown_on_projector: int | None = None


async def open_page(url: str, page_name: str, query: str, cookie: str):
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    return await connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": f"stroute={cookie}"},
                         max_size=None, open_timeout=TIMEOUT)


async def phone(url: str, code: str, nickname: str, questions: list[tuple[str, list[str]]], labels: dict,
                start_at: float, seconds: float, rng: random.Random, res: Results) -> None:
    """One student: open the join link, join, answer each question in its part of the run, poll meanwhile."""
    slot = seconds / len(questions)
    plan = [rng.uniform(k * slot + 0.5, (k + 1) * slot) for k in range(len(questions))]
    await asyncio.sleep(max(0.0, start_at + rng.uniform(0, 2.0) - time.time()))
    try:
        async with await open_page(url, "live_join", f"code={code}", f"{rng.getrandbits(64):016x}") as ws:
            page = Page(ws, "live_join", f"code={code}")
            await page.run()
            page.chosen[page.widget("live-nickname")] = nickname
            await page.run(trigger=page.button("Join"))
            if "t=" not in page.query:
                res.errors.append(f"{nickname} did not join: {(page.errors or ['no message'])[0]}")
                return
            res.joined += 1
            last_poll = time.time()
            for (qid, actions), at in zip(questions, plan):
                while time.time() < start_at + at:  # wait, polling as the page's fragment does
                    await asyncio.sleep(min(0.25, max(0.0, start_at + at - time.time())))
                    if time.time() - last_poll >= POLL_S and page.auto:
                        await page.run(fragment=next(iter(page.auto)))
                        res.polls += 1
                        last_poll = time.time()
                while page.widget(f"live-answer-{qid}") is None:  # Next until its screen shows
                    nxt = page.button("Next \u2192")
                    if nxt is None:
                        res.errors.append(f"{nickname} cannot reach {qid}")
                        return
                    await page.run(trigger=nxt)
                radio = page.widget(f"live-answer-{qid}")
                page.chosen[radio] = labels[qid][rng.choice(actions)]  # a tap: no rerun (it goes with Send)
                res.sent[(nickname, qid)] = time.time()
                took = await page.run(trigger=page.button("Send my answer"))
                if any(t.startswith("Sent \u2713") for t in page.texts):
                    res.confirmed[(nickname, qid)] = took
                else:
                    res.sent.pop((nickname, qid))
                    res.not_sent.append(next((t for t in page.texts if "NOT sent" in t), "no receipt shown"))
            res.errors += page.exceptions
    except Exception as error:  # a dropped connection or a timeout  # noqa: BLE001
        res.errors.append(f"{nickname}: {type(error).__name__}: {error}")


async def projector(url: str, token: str, until: list, res: Results) -> Page | None:
    """The instructor's projector: open it, then rerun its board every REFRESH_S seconds until told to stop."""
    async with await open_page(url, "live_projector", f"key={token}", "projector") as ws:
        page = Page(ws, "live_projector", f"key={token}")
        await page.run()
        while not until:
            await asyncio.sleep(REFRESH_S)
            if not page.auto:
                res.errors.append("the projector does not refresh by itself")
                return None
            before = page.bytes
            res.refresh.append(await page.run(fragment=next(iter(page.auto))))
            res.refresh_bytes.append(page.bytes - before)
        return page


def observe(url: str, session_id: str, seen: dict, stop: threading.Event) -> None:
    """Read the store every 50 ms: when is each (nickname, question) first counted?"""
    engine = create_engine(url)
    query = text("SELECT s.nickname, p.question_id FROM predictions p JOIN students s ON s.id = p.student_id "
                 "WHERE p.session_id = :s")
    with engine.connect() as conn:
        while not stop.is_set():
            now = time.time()
            for nickname, qid in conn.execute(query, {"s": session_id}):
                seen.setdefault((nickname, qid), now)
            conn.rollback()
            stop.wait(0.05)
    engine.dispose()


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def pct(values: list[float], q: int) -> str:
    if len(values) < 2:
        return "n/a"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[q - 1] * 1000:.0f} ms"


async def class_run(args, url: str, db_url: str, pids: list[int]) -> int:
    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    decisions = [n for n in scenario.nodes if n.kind == "decision"][:args.questions]
    questions = [(n.id, [a.id for a in n.actions]) for n in decisions]
    labels = {n.id: {a.id: a.label for a in n.actions} for n in decisions}
    store = open_store(url=db_url)
    settings = ClassSettings(tuple(q for q, _ in questions), (), None).to_json()
    session = store.create_session(scenario="preset:default", student_cap=args.students, settings=settings)
    for qid, actions in questions:
        store.open_question(instructor_token=session.instructor_token, question_id=qid, actions=actions)
    res, seen, stop, until = Results(), {}, threading.Event(), []
    watcher = threading.Thread(target=observe, args=(db_url, session.session_id, seen, stop), daemon=True)
    watcher.start()
    rng = random.Random(args.seed)
    start_at = time.time() + 2.0
    cpu0 = cpu_seconds(pids)
    board = asyncio.create_task(projector(url, session.instructor_token, until, res))
    await asyncio.gather(*[phone(url, session.join_code, f"phone-{i}", questions, labels, start_at, args.seconds,
                                 random.Random(rng.getrandbits(64)), res) for i in range(args.students)])
    wall = time.time() - start_at
    cpu_class = {p: c - cpu0[p] for p, c in cpu_seconds(pids).items()}
    await asyncio.sleep(0.5)
    until.append(True)
    page = await board
    stop.set()
    watcher.join()
    tally = store.tally(instructor_token=session.instructor_token)
    counted = sum(q.answered for q in tally.questions)

    rest, rest_bytes = [], []  # the projector at rest, with the full class: its own cost, nothing else running
    if page is not None:
        async with await open_page(url, "live_projector", f"key={session.instructor_token}", "projector") as ws:
            quiet = Page(ws, "live_projector", f"key={session.instructor_token}")
            await quiet.run()
            shown = [int(m.group(1)) for t in quiet.texts for m in [re.search(r"(\d+) of \d+ answered", t)] if m]
            res.shown_on_projector = sum(shown)
            c0 = sum(cpu_seconds(pids).values())
            for _ in range(args.rest_refreshes):
                before = quiet.bytes
                rest.append(await quiet.run(fragment=next(iter(quiet.auto))))
                rest_bytes.append(quiet.bytes - before)
            rest_cpu = (sum(cpu_seconds(pids).values()) - c0) / max(len(rest), 1)
    store.delete_session(instructor_token=session.instructor_token)
    store.close()

    counted_lat = [seen[k] - t for k, t in res.sent.items() if k in seen]
    confirmed = list(res.confirmed.values())
    sent = len(res.sent)
    equal = sent == counted == (res.shown_on_projector if res.shown_on_projector is not None else counted)
    print(f"classroom live: {args.students} phones, {args.questions} questions, {args.seconds:.0f} s, at {url} "
          f"({len(pids)} app process{'es' if len(pids) != 1 else ''}); store {store.url}")
    print(f"  joined {res.joined}/{args.students} in the first 2 s; the class took {wall:.1f} s; phones polled "
          f"{res.polls} times")
    print(f"  answers sent (\"Sent\" on the phone) {sent}, counted by the store {counted}, shown on the projector "
          f"{res.shown_on_projector}: {'equal' if equal else 'NOT EQUAL'}")
    print(f"  NOT sent {len(res.not_sent)}{': ' + res.not_sent[0] if res.not_sent else ''}; errors "
          f"{len(res.errors)}{': ' + res.errors[0] if res.errors else ''}")
    print(f"  submit-to-counted (Send leaves the phone -> the store's tally counts it, read every 50 ms): "
          f"p50 {pct(counted_lat, 50)}, p95 {pct(counted_lat, 95)}, max {max(counted_lat, default=0) * 1000:.0f} ms")
    print(f"  submit-to-confirmed (Send leaves the phone -> \"Sent\" on it): p50 {pct(confirmed, 50)}, "
          f"p95 {pct(confirmed, 95)}")
    by_question = {qid: [seen[k] - t for k, t in res.sent.items() if k in seen and k[1] == qid] for qid, _ in questions}
    print("  submit-to-counted by question (the first overlaps the 60 joins): " + "; ".join(
        f"{k + 1}: p50 {pct(v, 50)}, p95 {pct(v, 95)}" for k, v in enumerate(by_question.values())))
    print(f"  projector refresh under load ({len(res.refresh)} refreshes): p50 {pct(res.refresh, 50)}, "
          f"p95 {pct(res.refresh, 95)}; at rest with the full class ({len(rest)}): p50 {pct(rest, 50)}, "
          f"server CPU {1000 * rest_cpu:.0f} ms and {statistics.median(rest_bytes or [0]) / 1024:.0f} KiB "
          "per refresh" if rest else "  projector: no refresh measured")
    print("  server CPU during the class: " + ", ".join(f"pid {p} {c:.1f} s" for p, c in cpu_class.items()))
    return 0 if equal and not res.not_sent and not res.errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="running app processes (loopback only); default: start one")
    parser.add_argument("--pids", default="", help="comma-separated app process ids (with --url), for their CPU")
    parser.add_argument("--data-dir", help="their CONDITIONAL_OFFER_DATA_DIR (with --url; or set "
                                           "CONDITIONAL_OFFER_DB_URL as they have it)")
    parser.add_argument("--db-url", help="a PostgreSQL URL for the store (default: a new SQLite file); for the "
                                         "app process this benchmark starts, or as the running ones have it")
    parser.add_argument("--rest-refreshes", type=int, default=20)
    args = parser.parse_args()
    if args.url:
        if urllib.parse.urlparse(args.url).hostname not in LOOPBACK:
            raise SystemExit("refusing: this benchmark only targets loopback")
        if args.data_dir:
            os.environ["CONDITIONAL_OFFER_DATA_DIR"] = args.data_dir
        if args.db_url:
            os.environ["CONDITIONAL_OFFER_DB_URL"] = args.db_url
        from ui.live.migrations import default_url

        pids = [int(p) for p in args.pids.split(",") if p]
        return asyncio.run(class_run(args, args.url, default_url(), pids))
    from tests.servers import streamlit_server

    data = tempfile.mkdtemp(prefix="classroom-live-")
    env = {"CONDITIONAL_OFFER_DATA_DIR": data, "CONDITIONAL_OFFER_INSTRUCTOR": "local",
           "CONDITIONAL_OFFER_DB_URL": args.db_url or ""}
    os.environ.update(env)
    from ui.live.migrations import default_url

    with streamlit_server(env=env, with_pid=True) as (url, pid):
        return asyncio.run(class_run(args, url, default_url(), [pid]))


if __name__ == "__main__":
    raise SystemExit(main())
