"""The live class's store (ui/live/store.py) on a real SQLite file and a real PostgreSQL database.

Every test that takes ``url`` runs on both: a fresh SQLite file, and a fresh schema in the PostgreSQL
database of ``TEST_POSTGRES_URL`` (``tests/pg_server.sh start DIR`` starts one and prints its URL).
Without that variable the PostgreSQL runs are skipped with the reason, unless ``REQUIRE_POSTGRES=1``
(as in ``.ci/run``), where they fail. No mocks: the clock is the only thing a test sets by hand.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import hashlib
import importlib
import io
import math
import multiprocessing
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from ui.live import migrations
from ui.live.store import (JOIN_ALPHABET, Joined, NewSession, Rejected, Store, StoreError, StudentPoint, default_url,
                           open_store)

from . import live_workers
from .conftest import ROOT

PG_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()
REQUIRE_PG = os.environ.get("REQUIRE_POSTGRES") == "1"
ROUNDS = 6  # rounds of the migration race: an unguarded race fails about one round in three
TABLES = ("sessions", "students", "questions", "predictions", "parameters", "assumptions", "rate_log", "scenario_files")
UPLOADED = ("my_class.toml", "title = 'Ünïcode'\n".encode() * 100)


class Clock:
    """A clock the test moves by hand (starts now)."""

    def __init__(self):
        self.t = time.time()

    def __call__(self) -> float:
        return self.t


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'class.sqlite3'}"
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set (tests/pg_server.sh start DIR prints one)")
        pytest.skip("PostgreSQL run skipped: TEST_POSTGRES_URL is not set (tests/pg_server.sh start DIR prints one)")
    schema = "live_test_" + secrets.token_hex(6)
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


class Db:
    """Plain SQL on the test's database, through a connection of its own (what another process would see)."""

    def __init__(self, url: str):
        self.engine = create_engine(url)

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def totals(self) -> dict[str, int]:
        return {t: self.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}

    def rows_of(self, session_id: str) -> dict[str, int]:
        where = {"sessions": "id = :s", "rate_log": "student_id IN (SELECT id FROM students WHERE session_id = :s)"}
        return {t: self.scalar(f"SELECT count(*) FROM {t} WHERE {where.get(t, 'session_id = :s')}", s=session_id)
                for t in TABLES}


@pytest.fixture
def db(url):
    d = Db(url)
    yield d
    d.engine.dispose()


@dataclass
class Room:
    store: Store
    clock: Clock
    session: NewSession
    a: Joined
    b: Joined

    @property
    def teacher(self) -> str:
        return self.session.instructor_token


def fill(store: Store, scenario_file=None) -> tuple[NewSession, Joined, Joined]:
    """A class with two students, us_offer and israel_accept open, israel_comply closed, two parameters open."""
    s = store.create_session(scenario="preset:default", student_cap=5, scenario_file=scenario_file)
    a, b = store.join(join_code=s.join_code, nickname="Ann"), store.join(join_code=s.join_code, nickname="Ben")
    t = s.instructor_token
    store.open_question(instructor_token=t, question_id="us_offer", actions=["conditional", "unconditional", "none"])
    store.open_question(instructor_token=t, question_id="israel_accept", actions=["accept", "reject"])
    store.open_question(instructor_token=t, question_id="israel_comply", actions=["comply", "operate"])
    store.close_question(instructor_token=t, question_id="israel_comply")
    store.open_assumptions(instructor_token=t, ranges={"p_detect": (0.0, 1.0), "w_il_deterrence": (0.0, 2.0)})
    return s, a, b


@pytest.fixture
def room(url):
    clock = Clock()
    store = open_store(url=url, clock=clock)
    yield Room(store, clock, *fill(store))
    store.close()


@pytest.fixture(scope="module")
def pool():
    """Four spawned processes that have imported the store already (so that they start together)."""
    with multiprocessing.get_context("spawn").Pool(4, initializer=importlib.import_module,
                                                   initargs=("tests.live_workers",)) as p:
        while len(set(p.map(live_workers.pid_after, [0.1] * 4, chunksize=1))) < 4:
            pass
        yield p


def test_a_class_round_trip(room, db):
    st, a, b = room.store, room.a.student_token, room.b.student_token
    first = st.submit_prediction(student_token=a, question_id="us_offer", action="conditional", reason="Because.")
    assert (first.revision, db.totals()["predictions"]) == (1, 1)  # committed: another connection sees it
    assert st.submit_prediction(student_token=a, question_id="us_offer", action="none").revision == 2
    st.submit_prediction(student_token=b, question_id="us_offer", action="conditional")
    st.submit_assumptions(student_token=b, values={"p_detect": 0.25})
    model = {"us_offer": "conditional"}
    tally = st.tally(instructor_token=room.teacher, model_actions=model)
    q = tally.question("us_offer")
    assert (tally.students, tally.join_code, q.state, q.answered) == (2, room.session.join_code, "open", 2)
    assert q.counts == (("conditional", 1), ("unconditional", 0), ("none", 1))
    assert q.matched is None  # nothing of the model's answer before the reveal
    st.reveal_question(instructor_token=room.teacher, question_id="us_offer")
    assert st.tally(instructor_token=room.teacher, model_actions=model).question("us_offer").matched == 0.5
    view = st.student_view(student_token=a)
    assert (view.seat, view.nickname, view.questions[0].my_action, view.questions[0].my_reason) == (1, "Ann", "none", None)
    assert [(x.question_id, x.state) for x in view.questions] == [
        ("us_offer", "revealed"), ("israel_accept", "open"), ("israel_comply", "closed")]
    assert st.student_view(student_token=b).my_values == (("p_detect", 0.25),)
    assert st.assumption_points(instructor_token=room.teacher) == (StudentPoint(2, "Ben", (("p_detect", 0.25),)),)


def test_concurrent_submissions_from_four_processes_lose_nothing_and_count_nothing_twice(url, db, pool):
    store = open_store(url=url)
    s = store.create_session(scenario="preset:default", student_cap=60)
    questions = [(f"node_{i}", ["left", "middle", "right"]) for i in range(5)]
    for qid, actions in questions:
        store.open_question(instructor_token=s.instructor_token, question_id=qid, actions=actions)
    sent = pool.starmap(live_workers.answer_as_class, [(url, s.join_code, 15, questions, seed) for seed in range(4)])
    final = {key: action for r in sent for key, action in r["final"].items()}
    assert sorted(seat for r in sent for seat in r["seats"]) == list(range(1, 61))
    assert sorted(rev for r in sent for rev in r["revisions"]) == [1] * 300 + [2] * 60
    with db.engine.connect() as conn:
        stored = {(r.seat, r.question_id): r.action for r in conn.execute(text(
            "SELECT s.seat, p.question_id, p.action FROM predictions p JOIN students s ON s.id = p.student_id"))}
    assert stored == final and db.totals()["predictions"] == 300
    tally = store.tally(instructor_token=s.instructor_token)
    for qid, actions in questions:
        expected = collections.Counter(a for (_, q), a in final.items() if q == qid)
        assert tally.question(qid).counts == tuple((a, expected[a]) for a in actions)
    assert tally.students == 60 and sum(q.answered for q in tally.questions) == 300
    store.close()


def test_the_class_cap_holds_when_four_processes_join_at_once(url, pool):
    store = open_store(url=url)
    s = store.create_session(scenario="preset:default", student_cap=10)
    results = pool.starmap(live_workers.join_many, [(url, s.join_code, 5)] * 4)
    assert sum(joined for joined, _ in results) == 10
    refused = [m for _, messages in results for m in messages]
    assert len(refused) == 10 and set(refused) == {"This class is full (10 students); ask your instructor to raise the cap."}
    assert store.tally(instructor_token=s.instructor_token).students == 10
    store.close()


def test_a_restart_keeps_everything(room, url, pool):
    st = room.store
    st.submit_prediction(student_token=room.a.student_token, question_id="us_offer", action="none", reason="Cheap talk.")
    st.submit_prediction(student_token=room.b.student_token, question_id="israel_accept", action="reject")
    st.submit_assumptions(student_token=room.a.student_token, values={"p_detect": 0.7, "w_il_deterrence": 1.25})
    st.reveal_question(instructor_token=room.teacher, question_id="israel_accept")
    args = (url, room.teacher, room.a.student_token, {"israel_accept": "accept"})
    before = live_workers.read_back(*args)
    assert before[0].question("israel_accept").matched == 0.0 and before[3].my_values == (
        ("p_detect", 0.7), ("w_il_deterrence", 1.25))
    st.close()
    assert pool.apply(live_workers.read_back, args) == before  # another process, another engine, the same tokens
    again = open_store(url=url, clock=room.clock)
    assert again.submit_prediction(student_token=room.a.student_token, question_id="us_offer",
                                   action="conditional").revision == 2
    again.close()


def test_migrations_build_the_schema_from_an_empty_database_and_then_do_nothing(url, db):
    engine = migrations.create_store_engine(url, busy_timeout_s=5)
    assert migrations.migrate(engine) == tuple(m.version for m in migrations.MIGRATIONS)
    reflected = inspect(engine)
    for table in migrations.metadata.sorted_tables:  # the queries' view of each table matches what was built
        assert {c["name"] for c in reflected.get_columns(table.name)} == set(table.c.keys()), table.name
    applied = db.scalar("SELECT max(applied_at) FROM schema_version")
    assert migrations.migrate(engine) == ()
    open_store(url=url).close()
    assert db.scalar("SELECT count(*) FROM schema_version") == len(migrations.MIGRATIONS)
    assert db.scalar("SELECT max(applied_at) FROM schema_version") == applied
    engine.dispose()


def test_four_processes_opening_a_new_database_at_once_all_succeed(url, db, pool):
    """Several rounds (the race is not hit every time): four processes open one new database at the same moment."""
    for _ in range(ROUNDS):
        db.engine.dispose()
        if url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(make_url(url).database + suffix)
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS schema_version, {', '.join(TABLES)} CASCADE")
        start = time.time() + 0.05
        assert pool.starmap(live_workers.open_at, [(url, start)] * 4) == [True] * 4
        assert db.scalar("SELECT count(*) FROM schema_version") == len(migrations.MIGRATIONS)


def test_a_failed_migration_leaves_nothing_a_later_one_applies_alone_and_newer_databases_are_refused(url, db):
    engine = migrations.create_store_engine(url, busy_timeout_s=5)
    migrations.migrate(engine)
    last = migrations.MIGRATIONS[-1].version
    broken = migrations.Migration(last + 1, "broken", lambda d: ["CREATE TABLE extra (x INTEGER)", "CREATE TABLE ((("])
    with pytest.raises(sa_exc.SQLAlchemyError):
        migrations.migrate(engine, migrations=migrations.MIGRATIONS + (broken,))
    assert "extra" not in inspect(engine).get_table_names()
    assert db.scalar("SELECT max(version) FROM schema_version") == last
    extra = migrations.Migration(last + 1, "an extra table", lambda d: ["CREATE TABLE extra (x INTEGER)"])
    assert migrations.migrate(engine, migrations=migrations.MIGRATIONS + (extra,)) == (last + 1,)
    engine.dispose()
    with pytest.raises(StoreError, match=rf"^The class store could not open: .*schema version {last + 1}, newer than "
                                         rf"this app's {last}"):
        open_store(url=url)


def _outcome(call) -> str:
    try:
        call()
    except Rejected as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - any other outcome is a failure, reported by name
        return f"{type(error).__name__}: {error}"
    return "ACCEPTED"


def test_hostile_inputs_are_refused_with_one_clear_message_and_change_nothing(room, db):
    st, t, a = room.store, room.teacher, room.a.student_token
    st.submit_prediction(student_token=room.b.student_token, question_id="us_offer", action="none")
    before = (st.export_csv(instructor_token=t), db.totals())

    def answer(question_id="us_offer", action="conditional", reason=None, token=a):
        return lambda: st.submit_prediction(student_token=token, question_id=question_id, action=action, reason=reason)

    def values(v, token=a):
        return lambda: st.submit_assumptions(student_token=token, values=v)

    cases = {
        "unknown question": (answer("nowhere"), r"^There is no question nowhere in this class"),
        "question id with SQL": (answer("x'; DROP TABLE students; --"), r"is not a question id: an id is a letter"),
        "unknown action": (answer(action="surrender"), r"^surrender is not an answer to question us_offer \(allowed: "),
        "another question's action": (answer(action="accept"), r"^accept is not an answer to question us_offer"),
        "closed question": (answer("israel_comply", "comply"), r"^Question israel_comply is closed: answers are taken only"),
        "oversized reason": (answer(reason="x" * 281), r"^The reason is 281 characters long; at most 280"),
        "reason with a NUL": (answer(reason="a\x00b"), r"^The reason contains control characters"),
        "reason not text": (answer(reason=12), r"^The reason must be text, not int"),
        "oversized nickname": (lambda: st.join(join_code=room.session.join_code, nickname="n" * 41),
                               r"^The nickname is 41 characters long; at most 40"),
        "nickname on two lines": (lambda: st.join(join_code=room.session.join_code, nickname="Ann\nBob"),
                                  r"^The nickname contains control characters"),
        "wrong join code": (lambda: st.join(join_code="ABCD-EFGH"), r"^No class has the join code ABCD-EFGH; check"),
        "malformed join code": (lambda: st.join(join_code="0000-1111"), r"is not a join code: a join code is 8 letters"),
        "join code not text": (lambda: st.join(join_code=None), r"^None is not a join code"),
        "forged student token": (answer(token=secrets.token_urlsafe(16)), r"^This student link is not valid, or its class"),
        "malformed token": (answer(token="../../etc/passwd"), r"^This student link is not valid; open the link"),
        "instructor token as a student's": (answer(token=t), r"^This student link is not valid"),
        "student token as the instructor's": (
            lambda: st.reveal_question(instructor_token=a, question_id="us_offer"), r"^This instructor link is not valid"),
        "student token reads the tally": (lambda: st.tally(instructor_token=a), r"^This instructor link is not valid"),
        "student token exports": (lambda: st.export_csv(instructor_token=a), r"^This instructor link is not valid"),
        "student token deletes": (lambda: st.delete_session(instructor_token=a), r"^This instructor link is not valid"),
        "value above range": (values({"p_detect": 1.5}), r"^p_detect = 1.5 is outside its range \[0, 1\]"),
        "value below range": (values({"p_detect": -0.01}), r"^p_detect = -0.01 is outside its range"),
        "NaN": (values({"p_detect": math.nan}), r"^The value of p_detect must be a finite number, not nan"),
        "infinity": (values({"w_il_deterrence": math.inf}), r"must be a finite number, not inf"),
        "number as text": (values({"p_detect": "0.5"}), r"must be a finite number, not '0.5'"),
        "boolean": (values({"p_detect": True}), r"must be a finite number, not True"),
        "None": (values({"p_detect": None}), r"must be a finite number, not None"),
        "parameter not opened": (values({"p_other": 0.5}), r"^p_other is not a parameter your instructor opened"),
        "one bad value among good": (values({"p_detect": 0.5, "w_il_deterrence": 9}), r"w_il_deterrence = 9 is outside"),
        "no values": (values({}), r"^Send 1 to 30 parameter values"),
        "values as a list": (values([("p_detect", 0.5)]), r"^Send 1 to 30 parameter values"),
        "model action not allowed": (lambda: st.tally(instructor_token=t, model_actions={"us_offer": "x"}),
                                     r"^The model's action 'x' is not an answer to question us_offer"),
        "question with no actions": (lambda: st.open_question(instructor_token=t, question_id="q", actions=[]),
                                     r"^A question's actions are a list of 1 to 20"),
        "question with repeated actions": (
            lambda: st.open_question(instructor_token=t, question_id="q", actions=["a", "a"]), r"must be different ids"),
        "empty range": (lambda: st.open_assumptions(instructor_token=t, ranges={"p_detect": (1, 1)}), r"low < high"),
        "cap of 0": (lambda: st.create_session(scenario="preset:default", student_cap=0), r"^The class size cap is a whole"),
        "settings with NaN": (lambda: st.create_session(scenario="preset:x", settings={"x": math.nan}), r"JSON object"),
        "scenario with a bell": (lambda: st.create_session(scenario="preset:\x07"), r"control characters"),
    }
    outcomes = {name: _outcome(call) for name, (call, _) in cases.items()}
    wrong = {name: outcomes[name] for name, (_, pattern) in cases.items() if not re.search(pattern, outcomes[name])}
    assert not wrong
    assert (st.export_csv(instructor_token=t), db.totals()) == before


def test_a_student_cannot_change_another_students_answer_or_another_class(room, url):
    st = room.store
    st.submit_prediction(student_token=room.a.student_token, question_id="us_offer", action="conditional")
    st.submit_prediction(student_token=room.b.student_token, question_id="us_offer", action="none")
    st.submit_prediction(student_token=room.b.student_token, question_id="us_offer", action="unconditional")
    assert st.student_view(student_token=room.a.student_token).questions[0].my_action == "conditional"
    assert st.student_view(student_token=room.b.student_token).questions[0].my_action == "unconditional"
    other = st.create_session(scenario="preset:default")
    stranger = st.join(join_code=other.join_code)
    with pytest.raises(Rejected, match="^There is no question us_offer in this class"):
        st.submit_prediction(student_token=stranger.student_token, question_id="us_offer", action="none")
    counts = dict(st.tally(instructor_token=room.teacher).question("us_offer").counts)
    assert counts == {"conditional": 1, "unconditional": 1, "none": 0}


def test_the_class_cap_and_the_end_of_a_class_refuse_with_a_clear_message(room):
    st, code = room.store, room.session.join_code
    for _ in range(3):
        st.join(join_code=code)
    with pytest.raises(Rejected, match=r"^This class is full \(5 students\); ask your instructor to raise the cap\.$"):
        st.join(join_code=code)
    room.clock.t += 12 * 3600
    with pytest.raises(Rejected, match=r"^The class with join code .* has ended; ask your instructor for the current"):
        st.join(join_code=code)
    with pytest.raises(Rejected, match=r"^This class session has ended; nothing was sent\.$"):
        st.submit_prediction(student_token=room.a.student_token, question_id="us_offer", action="none")


def test_the_rate_limit_is_counted_in_the_database_across_engines(room, url, db):
    other = open_store(url=url, clock=room.clock)  # a second engine and pool: what another process has
    a = room.a.student_token
    for i in range(10):
        (room.store if i % 2 else other).submit_prediction(student_token=a, question_id="us_offer", action="none")
    pattern = r"^Too many answers too fast \(at most 10 in 10 s\); wait a few seconds\. It was NOT sent\.$"
    with pytest.raises(Rejected, match=pattern):
        room.store.submit_prediction(student_token=a, question_id="us_offer", action="conditional")
    with pytest.raises(Rejected, match=pattern):
        other.submit_assumptions(student_token=a, values={"p_detect": 0.5})
    assert db.scalar("SELECT revision FROM predictions") == 10 and db.totals()["assumptions"] == 0
    st_b = room.store.submit_prediction(student_token=room.b.student_token, question_id="us_offer", action="none")
    assert st_b.revision == 1  # the limit is per student
    room.clock.t += 10.01
    assert room.store.submit_prediction(student_token=a, question_id="us_offer", action="conditional").revision == 11
    other.close()


@contextlib.contextmanager
def write_lock(url: str):
    """Another connection holds a write lock: SQLite's one writer lock; on PostgreSQL, the predictions table."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
        conn.close()
        return
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.begin()
        conn.exec_driver_sql("LOCK TABLE predictions IN EXCLUSIVE MODE")  # plain reads still pass
        yield
        conn.rollback()
    engine.dispose()


def test_a_locked_database_gives_store_error_not_sent_and_nothing_half_written(room, url, db):
    quick = open_store(url=url, busy_timeout_s=0.3, clock=room.clock)
    before = db.totals()
    with write_lock(url):
        with pytest.raises(StoreError, match=r"^The class store could not save your answer: the database is busy "
                                             r"\(another writer holds its lock\)\. It was NOT sent; try again\.$"):
            quick.submit_prediction(student_token=room.a.student_token, question_id="us_offer", action="none")
        assert quick.tally(instructor_token=room.teacher).question("us_offer").answered == 0  # the projector still reads
    assert db.totals() == before  # not the rate-log entry either
    assert quick.submit_prediction(student_token=room.a.student_token, question_id="us_offer", action="none").revision == 1
    quick.close()


def test_an_unreachable_database_gives_store_error():
    with pytest.raises(StoreError, match=r"^The class store could not open: the database cannot be reached\. Try again"):
        open_store(url="postgresql+psycopg://nobody@127.0.0.1:9/nothing", busy_timeout_s=1)


def test_a_full_disk_gives_store_error_not_sent_and_writes_nothing(tmp_path):
    """A real failed write: the process may not grow any file past 16 KiB (RLIMIT_FSIZE), so the WAL cannot grow."""
    path = tmp_path / "class.sqlite3"
    code = textwrap.dedent(f"""
        import resource, signal, sqlite3, sys
        sys.path.insert(0, {str(ROOT)!r})
        from ui.live.store import StoreError, open_store
        store = open_store(url="sqlite:///{path}")
        s = store.create_session(scenario="preset:default")
        j = store.join(join_code=s.join_code)
        store.open_question(instructor_token=s.instructor_token, question_id="us_offer", actions=["a", "b"])
        sqlite3.connect({str(path)!r}).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, resource.RLIM_INFINITY))
        try:
            store.submit_prediction(student_token=j.student_token, question_id="us_offer", action="a", reason="x" * 280)
        except StoreError as error:
            print(error)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert re.fullmatch(r"The class store could not save your answer: the disk (is full|could not be written \(full or "
                        r"failing\))\. It was NOT sent; try again\.\n", out.stdout), out.stdout + out.stderr
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("predictions", "rate_log")] == [0, 0]


def test_delete_removes_every_row_of_its_class_and_nothing_of_another(url, db):
    store = open_store(url=url)
    classes = []
    for _ in range(2):
        s, a, b = fill(store, scenario_file=UPLOADED)
        store.submit_prediction(student_token=a.student_token, question_id="us_offer", action="none")
        store.submit_assumptions(student_token=b.student_token, values={"p_detect": 0.5})
        classes.append(s)
    kept, gone = classes
    kept_rows = db.rows_of(kept.session_id)
    assert all(kept_rows.values()) and db.totals() == {t: 2 * n for t, n in kept_rows.items()}
    kept_tally = store.tally(instructor_token=kept.instructor_token)
    store.delete_session(instructor_token=gone.instructor_token)
    assert db.totals() == kept_rows
    assert store.tally(instructor_token=kept.instructor_token) == kept_tally
    with pytest.raises(Rejected, match="^This instructor link is not valid, or its class was deleted"):
        store.tally(instructor_token=gone.instructor_token)
    with pytest.raises(Rejected, match="^No class has the join code"):
        store.join(join_code=gone.join_code)
    store.close()


def test_purge_removes_only_sessions_past_the_retention_period(url, db):
    clock = Clock()
    store = open_store(url=url, clock=clock)
    old, *_ = fill(store)
    clock.t += 20 * 86400
    recent, *_ = fill(store)
    recent_rows = db.rows_of(recent.session_id)
    clock.t += 10.5 * 86400  # old is 30.5 days old, recent 10.5
    assert store.purge() == 1
    assert db.totals() == recent_rows
    store.close()
    clock.t += 20 * 86400  # recent is 30.5 days old: opening the store purges it by itself
    open_store(url=url, clock=clock).close()
    assert db.totals() == dict.fromkeys(TABLES, 0)


def test_reset_clears_answers_and_reopening_keeps_them(room, db):
    st, t, a, b = room.store, room.teacher, room.a.student_token, room.b.student_token
    st.submit_prediction(student_token=a, question_id="us_offer", action="none")
    st.submit_prediction(student_token=b, question_id="israel_accept", action="accept")
    st.submit_assumptions(student_token=a, values={"p_detect": 0.1})
    st.close_question(instructor_token=t, question_id="us_offer")
    st.open_question(instructor_token=t, question_id="us_offer", actions=["conditional", "unconditional", "none"])
    assert st.tally(instructor_token=t).question("us_offer").answered == 1
    with pytest.raises(Rejected, match="^Question us_offer already has answers among conditional, unconditional, none"):
        st.open_question(instructor_token=t, question_id="us_offer", actions=["conditional", "none"])
    st.reset(instructor_token=t, question_id="us_offer")
    tally = st.tally(instructor_token=t)
    assert [(q.question_id, q.state, q.answered) for q in tally.questions] == [
        ("us_offer", "closed", 0), ("israel_accept", "open", 1), ("israel_comply", "closed", 0)]
    st.reset(instructor_token=t)
    assert (db.totals()["predictions"], db.totals()["assumptions"], st.tally(instructor_token=t).students) == (0, 0, 2)
    st.reveal_question(instructor_token=t, question_id="us_offer")
    with pytest.raises(Rejected, match="^Question us_offer was already revealed; reset it to ask it again"):
        st.open_question(instructor_token=t, question_id="us_offer", actions=["conditional"])
    with pytest.raises(Rejected, match="^Question us_offer is revealed; it can be marked closed only when open"):
        st.close_question(instructor_token=t, question_id="us_offer")


def test_reopening_parameters_drops_values_outside_the_new_range(room):
    st, t = room.store, room.teacher
    st.submit_assumptions(student_token=room.a.student_token, values={"p_detect": 0.8, "w_il_deterrence": 1.5})
    st.submit_assumptions(student_token=room.b.student_token, values={"p_detect": 0.2})
    st.open_assumptions(instructor_token=t, ranges={"p_detect": (0.0, 0.5)})
    assert st.assumption_points(instructor_token=t) == (StudentPoint(2, "Ben", (("p_detect", 0.2),)),)
    st.close_assumptions(instructor_token=t)
    with pytest.raises(Rejected, match="^Your instructor has not opened the parameters"):
        st.submit_assumptions(student_token=room.b.student_token, values={"p_detect": 0.3})


def test_the_export_has_every_record_no_token_and_no_formula(room):
    st = room.store
    evil = st.join(join_code=room.session.join_code, nickname="=cmd|' /C calc'!A0")
    st.submit_prediction(student_token=evil.student_token, question_id="us_offer", action="none", reason="@SUM(1+1)")
    st.submit_assumptions(student_token=room.a.student_token, values={"p_detect": 0.125})
    text_out = st.export_csv(instructor_token=room.teacher)
    rows = list(csv.reader(io.StringIO(text_out)))
    assert rows[0] == ["record", "seat", "nickname", "item", "value", "reason", "time"]
    assert collections.Counter(r[0] for r in rows[1:]) == {
        "session": 1, "question": 3, "parameter": 2, "student": 3, "prediction": 1, "assumption": 1}
    assert ["prediction", "3", "'=cmd|' /C calc'!A0", "us_offer", "none", "'@SUM(1+1)"] == rows[-2][:6]
    assert ["assumption", "1", "Ann", "p_detect", "0.125", ""] == rows[-1][:6]
    for token in (room.teacher, room.a.student_token, evil.student_token):
        assert token not in text_out


def test_join_codes_and_tokens_are_long_random_and_stored_only_as_hashes(room, db):
    code, st = room.session.join_code, room.store
    assert len(JOIN_ALPHABET) == len(set(JOIN_ALPHABET)) == 31 and not set("01ILO") & set(JOIN_ALPHABET)
    assert len(code) == 8 and set(code) <= set(JOIN_ALPHABET)  # 31**8: about 40 bits
    assert len({st.create_session(scenario="preset:default").join_code for _ in range(20)}) == 20
    assert st.join(join_code=f" {code[:4].lower()}-{code[4:]} ").seat == 3
    for token in (room.teacher, room.a.student_token):
        assert len(token) == 22  # 16 random bytes
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert db.scalar("SELECT count(*) FROM sessions WHERE instructor_hash = :h", h=digest) + db.scalar(
            "SELECT count(*) FROM students WHERE token_hash = :h", h=digest) == 1
        assert db.scalar("SELECT count(*) FROM students WHERE token_hash = :t", t=token) == 0


def test_the_default_database_is_a_wal_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CONDITIONAL_OFFER_DB_URL", raising=False)
    monkeypatch.delenv("CONDITIONAL_OFFER_DATA_DIR", raising=False)
    assert default_url() == f"sqlite:///{ROOT / 'data' / 'classroom.sqlite3'}"
    monkeypatch.setenv("CONDITIONAL_OFFER_DATA_DIR", str(tmp_path / "new" / "data"))
    store = open_store()
    path = tmp_path / "new" / "data" / "classroom.sqlite3"
    assert store.url == f"sqlite:///{path}"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    store.close()
    monkeypatch.setenv("CONDITIONAL_OFFER_DB_URL", "postgresql+psycopg://u@db.example/live")
    assert default_url() == "postgresql+psycopg://u@db.example/live"
    for bad, message in (("mysql://u@h/db", "runs on SQLite or PostgreSQL, not 'mysql'"), ("not a url", "not a database URL"),
                         ("sqlite://", "needs an SQLite file")):
        with pytest.raises(Rejected, match=message):
            open_store(url=bad)


def test_the_store_imports_neither_streamlit_nor_the_model():
    code = "import sys, ui.live.store; print([m for m in ('streamlit', 'model', 'altair') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_an_uploaded_scenario_file_is_kept_with_its_class_for_every_process(url, db):
    store = open_store(url=url)
    s, a, _ = fill(store, scenario_file=UPLOADED)
    plain, *_ = fill(store)
    assert store.scenario_file(instructor_token=s.instructor_token) == UPLOADED
    assert store.scenario_file(student_token=a.student_token) == UPLOADED
    assert store.scenario_file(instructor_token=plain.instructor_token) is None
    other = open_store(url=url)  # what another app process reads
    assert other.scenario_file(student_token=a.student_token) == UPLOADED
    other.close()
    for bad, message in (((UPLOADED[0], b"\xff\xfe"), "not UTF-8"), ((UPLOADED[0], b"x" * 1_000_001), "at most 1,000,000"),
                         (("", b"x"), "has no name"), ((UPLOADED[0], "text"), r"must be \(file name, bytes\)")):
        with pytest.raises(Rejected, match=message):
            store.create_session(scenario="upload:abc", scenario_file=bad)
    with pytest.raises(Rejected, match="not both and not neither"):
        store.scenario_file()
    store.delete_session(instructor_token=s.instructor_token)
    assert db.totals()["scenario_files"] == 0
    store.close()


def test_reasons_come_without_names_and_the_students_view_carries_the_class_settings(url):
    store = open_store(url=url)
    s = store.create_session(scenario="preset:default", settings={"values": {"p_detect": 0.3}, "map": ["a", "b"]})
    t = s.instructor_token
    store.open_question(instructor_token=t, question_id="us_offer", actions=["conditional", "none"])
    a, b, c = (store.join(join_code=s.join_code, nickname=n) for n in ("Ann", "Ben", "Cy"))
    store.submit_prediction(student_token=a.student_token, question_id="us_offer", action="none", reason="<b>cheap</b>")
    store.submit_prediction(student_token=b.student_token, question_id="us_offer", action="conditional")
    store.submit_prediction(student_token=c.student_token, question_id="us_offer", action="conditional", reason="Deal.")
    assert store.reasons(instructor_token=t, question_id="us_offer") == (("none", "<b>cheap</b>"), ("conditional", "Deal."))
    with pytest.raises(Rejected, match="This instructor link is not valid"):
        store.reasons(instructor_token=a.student_token, question_id="us_offer")
    view = store.student_view(student_token=b.student_token)
    assert view.settings_json == '{"map": ["a", "b"], "values": {"p_detect": 0.3}}'
    store.close()
