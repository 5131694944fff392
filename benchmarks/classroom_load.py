"""A lecture hall on loopback: N simulated students move sliders for T seconds; how does the server hold up?

    python benchmarks/classroom_load.py --students 60 --seconds 60              # starts the app itself
    python benchmarks/classroom_load.py --students 60 --seconds 60 --url http://127.0.0.1:8500 --pids 123,456
    python benchmarks/classroom_load.py --compare-trivial --students 20 --seconds 30   # + the trivial page, same settings
    python benchmarks/classroom_load.py --browser-students 3 --students 3 --seconds 30   # validate against Chromium
    python benchmarks/classroom_load.py --page step_by_step --compare-trivial            # another page a class uses
    python benchmarks/classroom_load.py --students 60 --arrive 10 --compare-trivial      # a class arriving

Each student is a client of Streamlit's own websocket protocol (its protobuf messages, as the browser
sends them): it opens the page, then every 2-5 s (seeded) moves a random slider to a random allowed
value, sends the rerun the browser would send (all slider states, the slider's fragment), and waits
for the run to finish. Measured: sessions held, reruns, errors (exceptions shown by the app,
disconnects, timeouts), rerun latency (send to script_finished) p50/p95/max, the server's CPU
seconds per rerun and peak memory (from /proc). It only ever connects to loopback and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

TIMEOUT = 15.0
IDLE_SECONDS = 3.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Stats:
    sessions: int = 0
    reruns: int = 0
    latencies: list[float] = field(default_factory=list)
    exceptions: int = 0
    disconnects: int = 0
    timeouts: int = 0
    exception_texts: list[str] = field(default_factory=list)
    first_page: list[float] = field(default_factory=list)  # seconds from connecting to the first run's end
    pages_seen: set[str] = field(default_factory=set)  # the URL path of the page each student was served

    @property
    def errors(self) -> int:
        return self.exceptions + self.disconnects + self.timeouts


@dataclass
class Slider:
    id: str
    min: float
    max: float
    step: float
    value: float
    fragment: str


@dataclass
class Choice:
    """A selectbox, a radio or a button as the browser holds it: its options (formatted), the value it would
    send, the fragment it is drawn in."""
    id: str
    kind: str
    label: str
    options: list[str]
    value: str | None
    fragment: str
    disabled: bool = False


# What a student does on each page, one move at a time (see ``move``); the page is opened by its URL path.
PAGES = {
    "explore": "a random slider to a random allowed value (the panel's fragment reruns)",
    "sensitivity": "another slider in the one-way chart's picker (the open tab, One-way, reruns)",
    "step_by_step": "Next, or Back at the last step (the whole page reruns)",
    "predict": "a prediction at a random move (a radio), or now and then Reveal / Hide again",
    "live_join": "a student's answer to the question on screen, then Send (a live class, every question open)",
}


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


async def _run_until_finished(ws, stats: Stats, sliders: dict[str, Slider] | None, nav: dict,
                              choices: dict[str, Choice] | None = None) -> bool:
    """Read messages until the run finishes; collect sliders (and selectboxes, radios and buttons) and count
    exceptions shown by the app."""
    while True:
        data = await asyncio.wait_for(ws.recv(), TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                stats.exceptions += 1
                stats.exception_texts.append(element.exception.message[:200])
            elif which == "slider" and sliders is not None:
                s = element.slider
                old = sliders.get(s.id)
                value = old.value if old else (list(s.default)[0] if len(s.default) else s.min)
                sliders[s.id] = Slider(s.id, s.min, s.max, s.step, value, msg.delta.fragment_id)
            elif which in ("selectbox", "radio", "button") and choices is not None:
                w = getattr(element, which)
                old_choice = choices.get(w.id)
                options = list(w.options) if which != "button" else []
                if old_choice is not None and old_choice.value in options:
                    value = old_choice.value
                elif which != "button" and w.set_value and w.raw_value:
                    value = w.raw_value
                elif which != "button" and w.HasField("default") and 0 <= w.default < len(options):
                    value = options[w.default]
                else:
                    value = None
                choices[w.id] = Choice(w.id, which, w.label, options, value, msg.delta.fragment_id,
                                       bool(getattr(w, "disabled", False)))
        elif kind == "navigation":  # the page this run is of: later reruns name it
            nav["page"] = msg.navigation.page_script_hash
            for page in msg.navigation.app_pages:
                if page.page_script_hash == nav["page"]:
                    nav["path"] = page.url_pathname or "(default)"
        elif kind == "script_finished":
            return True


def _rerun(sliders: dict[str, Slider], nav: dict, query: str, fragment: str = "",
           choices: dict[str, Choice] | None = None, trigger: str = "", page_name: str = "") -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query
    cs.page_script_hash = nav.get("page", "")
    cs.page_name = page_name
    if fragment:
        cs.fragment_id = fragment
    for s in sliders.values():
        w = cs.widget_states.widgets.add()
        w.id = s.id
        w.double_array_value.data.append(s.value)
    for c in (choices or {}).values():
        if c.kind != "button" and c.value is not None:
            cs.widget_states.widgets.add(id=c.id, string_value=c.value)
    if trigger:
        cs.widget_states.widgets.add(id=trigger, trigger_value=True)
    return msg.SerializeToString()


def move(page: str, sliders: dict[str, Slider], choices: dict[str, Choice], rng: random.Random):
    """One student's move on ``page`` (``PAGES``): returns (fragment to rerun, button to press), or None."""
    if page == "explore":
        if not sliders:
            return None
        s = rng.choice(list(sliders.values()))
        steps = int(round((s.max - s.min) / s.step)) if s.step else 0
        s.value = round(s.min + rng.randint(0, steps) * s.step, 10) if steps else s.min
        return s.fragment, ""
    live = [c for c in choices.values() if not c.disabled]
    if page == "sensitivity":
        box = next((c for c in live if c.kind == "selectbox" and c.label == "Slider"), None)
        if box is None:
            return None
        box.value = rng.choice([o for o in box.options if o != box.value] or box.options)
        return box.fragment, ""
    if page == "step_by_step":
        nxt = next((c for c in live if c.kind == "button" and c.label == "Next"), None)
        back = next((c for c in live if c.kind == "button" and c.label == "Back"), None)
        button = nxt or back
        return (button.fragment, button.id) if button else None
    if page == "predict":
        radios = [c for c in live if c.kind == "radio"]
        buttons = {c.label: c for c in live if c.kind == "button"}
        if radios and rng.random() < 0.8:
            r = rng.choice(radios)
            r.value = rng.choice(r.options)
            return r.fragment, ""
        button = buttons.get("Reveal") or buttons.get("Hide again / next round")
        return (button.fragment, button.id) if button else None
    if page == "live_join":
        radios = [c for c in live if c.kind == "radio"]
        send = next((c for c in live if c.kind == "button" and c.label == "Send my answer"), None)
        if not radios or send is None:
            nxt = next((c for c in live if c.kind == "button" and c.label.startswith("Next")), None)
            return (nxt.fragment, nxt.id) if nxt else None
        r = radios[0]
        r.value = rng.choice(r.options)  # a tap: no rerun, it goes with Send
        return send.fragment, send.id
    raise ValueError(f"no moves for page {page!r}; pages: {', '.join(PAGES)}")


async def student(url: str, seconds: float, rng: random.Random, stats: Stats, start_gap: float,
                  joined: asyncio.Event | None = None, go: asyncio.Event | None = None, page: str = "explore",
                  query: str = "") -> None:
    """Join (open the page), wait for ``go``, then make moves (``move``) every 2-5 s for ``seconds``.
    The time from opening the socket to the end of the first run goes to ``stats.first_page``."""
    await asyncio.sleep(start_gap)
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    headers = {"Cookie": f"stroute={rng.getrandbits(64):016x}"}  # for the sticky proxy; ignored by Streamlit
    sliders: dict[str, Slider] = {}
    choices: dict[str, Choice] = {}
    nav: dict = {}
    page_name = "" if page == "explore" else page
    try:
        t_open = time.perf_counter()
        async with connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
                           open_timeout=TIMEOUT) as ws:
            first = BackMsg()
            first.rerun_script.query_string = query
            first.rerun_script.page_name = page_name
            await ws.send(first.SerializeToString())
            await _run_until_finished(ws, stats, sliders, nav, choices)
            stats.first_page.append(time.perf_counter() - t_open)
            stats.pages_seen.add(nav.get("path", "?"))
            stats.sessions += 1
            if joined is not None:
                joined.set()
            if go is not None:
                await go.wait()
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await asyncio.sleep(rng.uniform(2.0, 5.0))
                if time.monotonic() >= end:
                    break
                planned = move(page, sliders, choices, rng)
                if planned is None:
                    continue
                fragment, trigger = planned
                t0 = time.perf_counter()
                await ws.send(_rerun(sliders, nav, query, fragment, choices, trigger, page_name))
                try:
                    await _run_until_finished(ws, stats, sliders, nav, choices)
                except asyncio.TimeoutError:
                    stats.timeouts += 1
                    continue
                stats.latencies.append(time.perf_counter() - t0)
                stats.reruns += 1
    except asyncio.TimeoutError:
        stats.timeouts += 1
    except Exception as error:  # a dropped connection of any kind  # noqa: BLE001
        stats.disconnects += 1
        stats.exception_texts.append(f"{type(error).__name__}: {error}"[:200])


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _caches_mb(url: str) -> dict[str, float]:
    """What Streamlit itself holds, from its metrics endpoint (``/_stcore/metrics``): MB by kind, summed over
    every cache of that kind (st.cache_data's pickled entries, st.cache_resource's objects measured when the
    server runs with ``server.enableExpensiveMemoryStats``, session state, media files such as downloads)."""
    import urllib.request

    out: dict[str, float] = {}
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/metrics", timeout=10) as r:
            text = r.read().decode()
    except OSError:
        return out
    for line in text.splitlines():
        if line.startswith("cache_memory_bytes{"):
            labels, _, value = line.rpartition(" ")
            kind = labels.split('cache_type="', 1)[1].split('"', 1)[0]
            out[kind] = out.get(kind, 0.0) + float(value) / 2**20
    return out


def _rss_mb(pids: list[int], key: str = "VmRSS") -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                total += int(line.split()[1])
    return total / 1024


async def load(url: str, pids: list[int], students: int, seconds: float, seed: int,
               memory_every: float = 0.0, page: str = "explore", queries: list[str] | None = None) -> dict:
    host = urllib.parse.urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host}: this tool only targets loopback")
    stats = Stats()
    rng = random.Random(seed)
    go = asyncio.Event()
    joined = [asyncio.Event() for _ in range(students)]
    tasks = [asyncio.create_task(student(url, seconds, random.Random(rng.getrandbits(64)), stats,
                                         start_gap=rng.uniform(0, 2.0), joined=joined[k], go=go, page=page,
                                         query=queries[k] if queries else ""))
             for k in range(students)]
    # phase 1: everyone opens the page (not measured); phase 2: everyone moves sliders (measured)
    join_deadline = time.monotonic() + 30 + students * 0.5
    while not all(e.is_set() or t.done() for e, t in zip(joined, tasks)) and time.monotonic() < join_deadline:
        await asyncio.sleep(0.2)
    join_seconds = time.monotonic() - (join_deadline - 30 - students * 0.5)
    idle0, i0 = _cpu_seconds(pids), time.monotonic()
    await asyncio.sleep(IDLE_SECONDS)  # the server's own background CPU with every session open and quiet
    idle_rate = (_cpu_seconds(pids) - idle0) / (time.monotonic() - i0)
    cpu0 = _cpu_seconds(pids)
    peak = _rss_mb(pids)
    go.set()
    t0 = time.monotonic()
    curve = [(0.0, _rss_mb(pids))]
    caches = [(0.0, _caches_mb(url))] if memory_every else []
    while not all(t.done() for t in tasks):
        await asyncio.sleep(1.0)
        rss = _rss_mb(pids)
        peak = max(peak, rss)
        if memory_every and time.monotonic() - t0 >= curve[-1][0] + memory_every:
            curve.append((time.monotonic() - t0, rss))
            caches.append((time.monotonic() - t0, await asyncio.to_thread(_caches_mb, url)))
        if time.monotonic() - t0 > seconds + 4 * TIMEOUT:  # stop by ourselves, whatever happens
            for t in tasks:
                t.cancel()
            break
    await asyncio.gather(*tasks, return_exceptions=True)
    cpu = _cpu_seconds(pids) - cpu0
    busy = time.monotonic() - t0
    net = max(0.0, cpu - idle_rate * busy)
    lat = [x * 1000 for x in stats.latencies]
    return {
        "url": url, "page": page, "page_paths": sorted(stats.pages_seen), "students": students, "seconds": seconds, "seed": seed, "join_seconds": join_seconds,
        "sessions_held": stats.sessions, "reruns": stats.reruns,
        "reruns_per_second": stats.reruns / seconds,
        "errors": stats.errors, "exceptions": stats.exceptions, "disconnects": stats.disconnects,
        "timeouts": stats.timeouts, "exception_examples": stats.exception_texts[:3],
        "latency_ms": {"p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95), "max": max(lat) if lat else float("nan"),
                       "mean": statistics.fmean(lat) if lat else float("nan")},
        "server_cpu_seconds": cpu, "server_cpu_ms_per_rerun": 1000 * cpu / max(stats.reruns, 1),
        "server_idle_cpu_per_second": idle_rate,
        "server_net_cpu_ms_per_rerun": 1000 * net / max(stats.reruns, 1),
        "server_peak_rss_mb": peak, "server_processes": len(pids),
        "memory_curve_mb": [(round(t), round(m, 1)) for t, m in curve] if memory_every else [],
        "caches_curve_mb": [(round(t), {k: round(v, 2) for k, v in sorted(c.items())}) for t, c in caches],
    }


async def arrive(url: str, pids: list[int], students: int, within: float, seed: int, page: str = "explore",
                 queries: list[str] | None = None, warm: bool = True) -> dict:
    """A class arriving: ``students`` open the page at random moments within ``within`` seconds. Each one's
    time from asking for the page (the HTML at ``url``, then the websocket) to the end of the first full run
    of the page is measured (the browser's own fetch of the script bundle, cached after a first visit, is
    not)."""
    import urllib.request

    host = urllib.parse.urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host}: this tool only targets loopback")
    stats, rng = Stats(), random.Random(seed)
    html: list[float] = []

    async def one(k: int, r: random.Random) -> None:
        await asyncio.sleep(r.uniform(0, within))
        t0 = time.perf_counter()
        await asyncio.to_thread(lambda: urllib.request.urlopen(url + "/", timeout=TIMEOUT).read())
        html.append(time.perf_counter() - t0)
        before = len(stats.first_page)
        await student(url, 0.0, r, stats, 0.0, page=page, query=queries[k] if queries else "")
        if len(stats.first_page) > before:
            stats.first_page[-1] += html[-1]

    if warm:  # the instructor opened the page before the class came in: the server has imported and drawn it once
        await student(url, 0.0, random.Random(0), Stats(), 0.0, page=page, query=queries[0] if queries else "")
    cpu0, t0 = _cpu_seconds(pids), time.monotonic()
    peak = _rss_mb(pids)
    task = asyncio.gather(*[one(k, random.Random(rng.getrandbits(64))) for k in range(students)])
    while not task.done():
        await asyncio.sleep(0.5)
        peak = max(peak, _rss_mb(pids))
    await task
    first = [x * 1000 for x in stats.first_page]
    return {"url": url, "page": page, "students": students, "within_seconds": within, "warm": warm,
            "pages_served": len(first), "errors": stats.errors, "exceptions": stats.exceptions,
            "disconnects": stats.disconnects, "timeouts": stats.timeouts,
            "first_page_ms": {"p50": _pct(first, 0.5), "p95": _pct(first, 0.95),
                              "max": max(first) if first else float("nan")},
            "html_ms_p95": _pct([x * 1000 for x in html], 0.95),
            "server_cpu_ms_per_page": 1000 * (_cpu_seconds(pids) - cpu0) / max(len(first), 1),
            "wall_seconds": time.monotonic() - t0, "server_peak_rss_mb": peak, "server_processes": len(pids)}


def arrival_report(title: str, r: dict) -> str:
    f = r["first_page_ms"]
    return (f"{title}\n"
            f"  {r['students']} students arriving within {r['within_seconds']:.0f} s on {r['server_processes']} "
            f"process(es){' (opened once before)' if r['warm'] else ' (cold: just started)'}: first full page served to {r['pages_served']}/{r['students']}, errors {r['errors']} "
            f"(exceptions {r['exceptions']}, disconnects {r['disconnects']}, timeouts {r['timeouts']})\n"
            f"  first full page (HTML + websocket + first run) p50 {f['p50']:.0f} ms, p95 {f['p95']:.0f} ms, "
            f"max {f['max']:.0f} ms; server CPU per page {r['server_cpu_ms_per_page']:.0f} ms; "
            f"peak memory {r['server_peak_rss_mb']:.0f} MB")


def live_class(data_dir: Path, students: int) -> list[str]:
    """A live class in the store of ``data_dir``, every question open, and ``students`` joined: their links'
    query strings (``t=TOKEN``), as a student's page holds them after joining."""
    import os as _os

    _os.environ["CONDITIONAL_OFFER_DATA_DIR"] = str(data_dir)
    from model import load_scenario
    from ui.live.classroom import ClassSettings
    from ui.live.migrations import default_url
    from ui.live.store import open_store

    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    decisions = [n for n in scenario.nodes if n.kind == "decision"]
    store = open_store(url=default_url())
    settings = ClassSettings(tuple(n.id for n in decisions), (), None).to_json()
    session = store.create_session(scenario="preset:default", student_cap=max(students, 1), settings=settings)
    for n in decisions:
        store.open_question(instructor_token=session.instructor_token, question_id=n.id,
                            actions=[a.id for a in n.actions])
    tokens = [store.join(join_code=session.join_code, nickname=f"s{k}").student_token for k in range(students)]
    store.close()
    return [f"t={t}" for t in tokens]


def report(title: str, r: dict) -> str:
    lat = r["latency_ms"]
    return (f"{title}\n"
            f"  students {r['students']} for {r['seconds']:.0f} s on {r['server_processes']} process(es): "
            f"sessions held {r['sessions_held']}/{r['students']}, reruns {r['reruns']} "
            f"({r['reruns_per_second']:.1f}/s); page served: {', '.join(r.get('page_paths', [])) or '?'}\n"
            f"  errors {r['errors']} (exceptions {r['exceptions']}, disconnects {r['disconnects']}, "
            f"timeouts {r['timeouts']})\n"
            + (f"  for example: {'; '.join(r['exception_examples'])}\n" if r["exception_examples"] else "")
            + f"  rerun latency p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms\n"
            f"  server CPU per rerun {r['server_cpu_ms_per_rerun']:.1f} ms ({r['server_net_cpu_ms_per_rerun']:.1f} ms "
            f"above the idle {1000 * r['server_idle_cpu_per_second']:.0f} ms/s of open, quiet sessions); "
            f"peak memory {r['server_peak_rss_mb']:.0f} MB")


async def browser_students(url: str, n: int, seconds: float, seed: int, pids: list[int]) -> dict:
    """Headless Chromium students (the truest, and heavy): arrow keys on random sliders every 2-5 s."""
    from playwright.async_api import async_playwright

    from tests.servers import CHROMIUM, CHROMIUM_ARGS

    rng = random.Random(seed)
    latencies, errors = [], 0

    async def one(browser, r: random.Random):
        nonlocal errors
        page = await browser.new_page(viewport={"width": 1400, "height": 1000})
        await page.goto(url)
        await page.get_by_text("Equilibrium play").first.wait_for(timeout=60_000)
        thumbs = page.get_by_role("slider")
        await thumbs.first.wait_for(timeout=60_000)
        count = await thumbs.count()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(r.uniform(2.0, 5.0))
            thumb = thumbs.nth(r.randrange(count))
            try:
                await thumb.focus()
                t0 = time.perf_counter()
                await thumb.press(r.choice(["ArrowLeft", "ArrowRight"]))
                await page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]') && "
                                             "!document.querySelector('[data-testid=stStatusWidget]')",
                                             timeout=15_000)
                latencies.append((time.perf_counter() - t0) * 1000)
            except Exception:  # noqa: BLE001
                errors += 1
        await page.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cpu0 = _cpu_seconds(pids)
        await asyncio.gather(*[one(browser, random.Random(rng.getrandbits(64))) for _ in range(n)])
        cpu = _cpu_seconds(pids) - cpu0
        await browser.close()
    return {"browser_students": n, "moves": len(latencies), "errors": errors,
            "latency_ms": {"p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95)},
            "server_cpu_ms_per_rerun_incl_page_loads": 1000 * cpu / max(len(latencies), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="an already running app (loopback only); default: start one")
    parser.add_argument("--pids", help="comma-separated server process ids to measure (with --url)")
    parser.add_argument("--compare-trivial", action="store_true",
                        help="also load a trivial two-slider page the same way, in the same run, under this "
                             "project's own .streamlit/config.toml (like for like: the ratio printed is against it)")
    parser.add_argument("--trivial-streamlit-defaults", action="store_true",
                        help="with --compare-trivial: also load the trivial page under Streamlit's default settings "
                             "(outside the project; its post-run garbage collection dominates its cost), for reference "
                             "only: no ratio is taken against it")
    parser.add_argument("--trivial-with-our-config", action="store_true", help=argparse.SUPPRESS)  # now the default
    parser.add_argument("--trivial-sliders", type=int, default=0, metavar="N",
                        help="with --compare-trivial: also load a trivial page of N sliders drawn as Explore draws its "
                             "own (label, help, bound to the URL), same settings, same run: the floor of N native sliders")
    parser.add_argument("--browser-students", type=int, default=0,
                        help="also run this many headless-Chromium students (validation of the light client)")
    parser.add_argument("--memory-every", type=float, default=0.0, metavar="S",
                        help="sample the server's memory every S seconds (a soak run: --seconds 1200 --memory-every 60)")
    parser.add_argument("--page", default="explore", choices=list(PAGES),
                        help="the page the students use; their moves: "
                             + "; ".join(f"{k}: {v}" for k, v in PAGES.items()))
    parser.add_argument("--arrive", type=float, default=0.0, metavar="S",
                        help="instead of moves: a class arriving, every student opening the page within S seconds "
                             "(the first full page's time to each; with --compare-trivial, the trivial page's too)")
    parser.add_argument("--cold", action="store_true",
                        help="with --arrive: no page opened before the class arrives (the first student pays the imports)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    from tests.servers import free_port, streamlit_server

    results = {}
    title = f"{args.page} page (this app)"

    def run_app(url: str, pids: list[int], queries: list[str] | None) -> None:
        if args.arrive:
            results["arrive"] = asyncio.run(arrive(url, pids, args.students, args.arrive, args.seed, args.page,
                                                   queries, warm=not args.cold))
        else:
            results["app"] = asyncio.run(load(url, pids, args.students, args.seconds, args.seed, args.memory_every,
                                              args.page, queries))

    with tempfile.TemporaryDirectory() as data:
        queries = live_class(Path(data), args.students) if args.page == "live_join" else None
        env = {"CONDITIONAL_OFFER_DATA_DIR": data}
        if args.memory_every:  # a soak: st.cache_resource's entries measured in bytes, not counted
            env["STREAMLIT_SERVER_ENABLE_EXPENSIVE_MEMORY_STATS"] = "true"
        if args.url:
            if queries:
                raise SystemExit("--page live_join starts its own app (its class is in a new store)")
            run_app(args.url, [int(p) for p in (args.pids or "").split(",") if p], None)
        else:
            with streamlit_server(free_port(), with_pid=True, env=env) as (url, pid):
                run_app(url, [pid], queries)
                if args.browser_students:
                    results["browser"] = asyncio.run(browser_students(url, args.browser_students, args.seconds,
                                                                      args.seed, [pid]))
    if args.arrive:
        print(arrival_report(f"A class arriving at the {args.page} page (this app)", results["arrive"]))
        if args.compare_trivial:
            trivial = ROOT / "benchmarks" / "trivial_app.py"
            with streamlit_server(free_port(), script=trivial, with_pid=True) as (url, pid):
                r = asyncio.run(arrive(url, [pid], args.students, args.arrive, args.seed, warm=not args.cold))
            print(arrival_report("A class arriving at the trivial two-slider page, this project's settings "
                                 "(same run)", r))
            results["arrive_trivial"] = r
        if args.json:
            print(json.dumps(results, indent=2))
        return
    if args.compare_trivial:
        # the baseline: a plain two-slider page under this project's own settings (started from the
        # project's folder, so .streamlit/config.toml applies to it as it does to the app): like for like
        trivial = ROOT / "benchmarks" / "trivial_app.py"
        with streamlit_server(free_port(), script=trivial, with_pid=True) as (url, pid):
            results["trivial"] = asyncio.run(load(url, [pid], args.students, args.seconds, args.seed))
        if args.trivial_sliders:
            with streamlit_server(free_port(), script=trivial, with_pid=True,
                                  env={"TRIVIAL_SLIDERS": str(args.trivial_sliders)}) as (url, pid):
                results["trivial_n"] = asyncio.run(load(url, [pid], args.students, args.seconds, args.seed))
            results["cpu_ratio_n"] = (results["app"]["server_cpu_ms_per_rerun"]
                                      / results["trivial_n"]["server_cpu_ms_per_rerun"])
            results["cpu_ratio_n_to_2"] = (results["trivial_n"]["server_cpu_ms_per_rerun"]
                                           / results["trivial"]["server_cpu_ms_per_rerun"])
        if args.trivial_streamlit_defaults:
            # for reference only: Streamlit's defaults (run outside the project, so our config does not apply)
            with tempfile.TemporaryDirectory() as plain, \
                    streamlit_server(free_port(), script=trivial, with_pid=True, cwd=Path(plain)) as (url, pid):
                results["trivial_streamlit_defaults"] = asyncio.run(load(url, [pid], args.students, args.seconds,
                                                                         args.seed))
        results["cpu_ratio"] = (results["app"]["server_cpu_ms_per_rerun"]
                                / results["trivial"]["server_cpu_ms_per_rerun"])
        results["net_cpu_ratio"] = (results["app"]["server_net_cpu_ms_per_rerun"]
                                    / max(results["trivial"]["server_net_cpu_ms_per_rerun"], 1e-9))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(report(title, results["app"]))
    if results["app"]["memory_curve_mb"]:
        print("  server memory (RSS) over time: " + ", ".join(f"{t // 60:.0f} min {m:.0f} MB"
                                                             for t, m in results["app"]["memory_curve_mb"]))
        print("  what Streamlit holds (its /_stcore/metrics, MB), over time:")
        for t, c in results["app"]["caches_curve_mb"]:
            print(f"    {t // 60:.0f} min: " + (", ".join(f"{k} {v:.2f}" for k, v in c.items()) or "nothing"))
    if "trivial" in results:
        print(report("Trivial two-slider page, this project's settings (same run)", results["trivial"]))
    if "trivial_n" in results:
        print(report(f"Trivial page of {args.trivial_sliders} sliders drawn as Explore's, this project's settings (same run)",
                     results["trivial_n"]))
    if "trivial_streamlit_defaults" in results:
        print(report("Trivial two-slider page, Streamlit's default settings (same run; reference only, no ratio)",
                     results["trivial_streamlit_defaults"]))
    if "trivial" in results:
        print(f"CPU per rerun, ours / trivial under the same settings: {results['cpu_ratio']:.2f} (goal <= 2); "
              f"above idle: {results['net_cpu_ratio']:.2f}")
    if "trivial_n" in results:
        print(f"CPU per rerun, the {args.trivial_sliders}-slider trivial page / the two-slider one: "
              f"{results['cpu_ratio_n_to_2']:.2f}; ours / the {args.trivial_sliders}-slider page: {results['cpu_ratio_n']:.2f}")
    if "browser" in results:
        b = results["browser"]
        print(f"Headless Chromium students (same server, after the protocol students): {b['browser_students']}, "
              f"moves {b['moves']}, errors {b['errors']}, key press to settled page p50 {b['latency_ms']['p50']:.0f} ms, "
              f"p95 {b['latency_ms']['p95']:.0f} ms; server CPU per move {b['server_cpu_ms_per_rerun_incl_page_loads']:.1f} ms "
              "(page loads included)")


if __name__ == "__main__":
    main()
