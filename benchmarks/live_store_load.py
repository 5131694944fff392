"""A live class against the store alone: N processes, 60 students, 5 questions in about 20 s.

    python benchmarks/live_store_load.py                                   # a new SQLite file in a temp folder
    python benchmarks/live_store_load.py sqlite:////tmp/class.sqlite3 --processes 2
    python benchmarks/live_store_load.py 'postgresql+psycopg://postgres@/live_test?host=/tmp/pg&port=54329'

The parent opens a class and its questions; each process then plays its share of the students, one
thread per student (as app processes serve students from threads): the student joins within the
first 2 s, then answers question k at a random moment of the k-th fifth of the run. Printed: answers
sent (confirmed by a receipt) against answers counted by the projector's tally (they must be equal),
submit-to-commit latency p50/p95/max, and the cost of one tally query (median of 50) on the full class.
Exit status 1 when sent and counted differ or any submission failed. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.live.store import LiveError, open_store  # noqa: E402


def play_students(url: str, join_code: str, questions: list[tuple[str, list[str]]], students: int, seconds: float,
                  start_at: float, seed: int) -> dict:
    """One process: ``students`` threads, each joining and answering every question on its own random schedule."""
    store = open_store(url=url)
    latencies, joins, failures, lock = [], [], [], threading.Lock()

    def student(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        slot = seconds / len(questions)
        plan = [(rng.uniform(0, 2.0), None)] + [(rng.uniform(k * slot, (k + 1) * slot), q) for k, q in enumerate(questions)]
        token = None
        for at, question in sorted(plan, key=lambda p: (p[1] is not None, p[0])):
            time.sleep(max(0.0, start_at + at - time.time()))
            t0 = time.perf_counter()
            try:
                if question is None:
                    token = store.join(join_code=join_code).student_token
                else:
                    store.submit_prediction(student_token=token, question_id=question[0], action=rng.choice(question[1]))
            except LiveError as error:
                with lock:
                    failures.append(str(error))
                if token is None:
                    return
                continue
            with lock:
                (joins if question is None else latencies).append(time.perf_counter() - t0)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    return {"latencies": latencies, "joins": joins, "failures": failures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="an SQLAlchemy URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='live-load-')}/classroom.sqlite3"

    store = open_store(url=url)
    session = store.create_session(scenario="preset:default", student_cap=args.students)
    questions = [(f"node_{k}", ["accept", "reject", "wait"]) for k in range(args.questions)]
    for qid, actions in questions:
        store.open_question(instructor_token=session.instructor_token, question_id=qid, actions=actions)
    shares = [args.students // args.processes + (i < args.students % args.processes) for i in range(args.processes)]
    start_at = time.time() + 3.0  # every process is up and connected before the first student moves
    t0 = time.time()
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = pool.starmap(play_students, [(url, session.join_code, questions, n, args.seconds, start_at, seed)
                                               for seed, n in enumerate(shares)])
    wall = time.time() - max(t0, start_at)

    latencies = sorted(x for r in results for x in r["latencies"])
    joins = sorted(x for r in results for x in r["joins"])
    failures = [f for r in results for f in r["failures"]]
    tally = store.tally(instructor_token=session.instructor_token)
    counted = sum(q.answered for q in tally.questions)
    costs = []
    for _ in range(50):
        t = time.perf_counter()
        store.tally(instructor_token=session.instructor_token)
        costs.append(time.perf_counter() - t)
    store.delete_session(instructor_token=session.instructor_token)
    store.close()

    def ms(values: list[float], q: int) -> str:
        return f"{statistics.quantiles(values, n=100, method='inclusive')[q - 1] * 1000:.1f} ms" if len(values) > 1 else "n/a"

    print(f"live store load: {store.url}")
    print(f"  {args.processes} processes, {tally.students} of {args.students} students joined, "
          f"{args.questions} questions, {wall:.1f} s")
    print(f"  answers sent {len(latencies)}, counted {counted}: {'equal' if counted == len(latencies) else 'NOT EQUAL'}; "
          f"failed {len(failures)}{': ' + failures[0] if failures else ''}")
    print(f"  submit-to-commit latency: p50 {ms(latencies, 50)}, p95 {ms(latencies, 95)}, "
          f"max {max(latencies, default=0) * 1000:.1f} ms (join: p50 {ms(joins, 50)}, p95 {ms(joins, 95)})")
    print(f"  projector tally query: median of 50 {statistics.median(costs) * 1000:.2f} ms")
    return 0 if counted == len(latencies) and not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
