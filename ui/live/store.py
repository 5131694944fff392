"""The live class's store: sessions, students, questions, predictions and assumptions in a real database.

Where: the SQLAlchemy URL in ``CONDITIONAL_OFFER_DB_URL`` (``postgresql+psycopg://user@host/db`` for
PostgreSQL), else the SQLite file ``classroom.sqlite3`` in ``CONDITIONAL_OFFER_DATA_DIR`` (default
``<repo>/data/``), shared by every app process on the machine. One code path (SQLAlchemy Core) for both;
the schema is created and migrated when the store opens (``migrations.py``).

What is stored: per class session its scenario key, join code, settings and times; per student a seat
number, an optional nickname (at most 40 characters), one answer per question (an action id and an
optional reason of at most 280 characters) and its parameter values. No account and no personal data
are required; the instructor's and students' tokens are kept only as SHA-256 hashes.

How long: a session and everything in it is deleted 30 days (``RETENTION_DAYS``) after it was created
(purged each time the store opens and each time a session is created), or at once by ``delete_session``.

Every public method is one transaction. A submission returns its receipt only after the commit. A
failure of the database (locked past the busy timeout, unreachable, disk full) raises ``StoreError``
and nothing is written; a request the store refuses raises ``Rejected``. Each says so in one sentence.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import numbers
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine

from .migrations import (NewerSchemaError, assumptions, create_store_engine, default_url, migrate, parameters,
                         predictions, questions, rate_log, sessions, students)

RETENTION_DAYS = 30
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters: no 0/O, no 1/I/L
JOIN_CODE_LENGTH = 8  # 31**8 = 8.5e11 codes, about 40 bits
MAX_NICKNAME, MAX_REASON, MAX_SETTINGS = 40, 280, 4000
RATE_LIMIT, RATE_WINDOW_S = 10, 10.0  # submissions per student per window, counted in the database
DEFAULT_CAP, MAX_CAP, DEFAULT_HOURS = 200, 2000, 12
BUSY_TIMEOUT_S = 5.0
NOT_SENT, NOT_CHANGED = "It was NOT sent; try again.", "Nothing was changed; try again."
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # a node, action or parameter id (model/scenario.schema.json)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class LiveError(ValueError):
    """Something the store refused or could not do; ``str()`` is one sentence fit to show the user."""


class Rejected(LiveError):
    """A request the store refuses: bad input, a wrong code or token, a closed question, a full class, too fast."""


class StoreError(LiveError):
    """The database could not do it (locked, unreachable, disk full); nothing was written; a retry may work."""


@dataclass(frozen=True)
class NewSession:
    session_id: str
    join_code: str  # 8 characters; ``join`` also takes it in lower case or as ABCD-EFGH
    instructor_token: str


@dataclass(frozen=True)
class Joined:
    session_id: str
    student_token: str
    seat: int  # 1, 2, ... in joining order: how exports and maps name a student


@dataclass(frozen=True)
class ParameterRange:
    name: str
    low: float
    high: float


@dataclass(frozen=True)
class PredictionReceipt:
    question_id: str
    action: str
    revision: int  # 1 for a first answer, +1 each time it is replaced
    saved_at: float


@dataclass(frozen=True)
class AssumptionReceipt:
    values: tuple[tuple[str, float], ...]
    saved_at: float


@dataclass(frozen=True)
class QuestionTally:
    question_id: str
    state: str  # closed, open or revealed
    actions: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]  # every allowed action, in order, zeros included
    answered: int
    matched: float | None  # the share equal to the model's action: only once revealed and given


@dataclass(frozen=True)
class Tally:
    session_id: str
    join_code: str
    scenario: str
    settings_json: str
    expires_at: float
    student_cap: int
    students: int
    questions: tuple[QuestionTally, ...]
    parameters: tuple[ParameterRange, ...]
    assumptions_open: bool

    def question(self, question_id: str) -> QuestionTally:
        """The tally of one question (``StopIteration`` if the class has no such question)."""
        return next(q for q in self.questions if q.question_id == question_id)


@dataclass(frozen=True)
class StudentPoint:
    seat: int
    nickname: str | None
    values: tuple[tuple[str, float], ...]  # only the parameters this student submitted


@dataclass(frozen=True)
class StudentQuestion:
    question_id: str
    state: str
    actions: tuple[str, ...]
    my_action: str | None
    my_reason: str | None


@dataclass(frozen=True)
class StudentView:
    session_id: str
    scenario: str
    seat: int
    nickname: str | None
    questions: tuple[StudentQuestion, ...]  # nothing of anyone else's answers, before or after the reveal
    parameters: tuple[ParameterRange, ...]
    assumptions_open: bool
    my_values: tuple[tuple[str, float], ...]


def open_store(*, url: str | None = None, busy_timeout_s: float = BUSY_TIMEOUT_S,
               clock: Callable[[], float] = time.time) -> Store:
    """Open the store at ``url`` (default ``default_url()``), create or migrate its schema, purge old sessions.

    A write waits up to ``busy_timeout_s`` for another writer, then fails with ``StoreError``.
    """
    with _failures("open", "Try again."):
        try:
            engine = create_store_engine(url or default_url(), busy_timeout_s=busy_timeout_s)
        except ValueError as error:
            raise Rejected(str(error)) from None
    try:
        with _failures("open", "Try again."):
            try:
                migrate(engine)
            except NewerSchemaError as error:
                raise StoreError(f"The class store could not open: {error}.") from None
        store = Store(engine, clock=clock)
        store.purge(retention_days=RETENTION_DAYS)
        return store
    except LiveError:
        engine.dispose()
        raise


class Store:
    """The class store over one SQLAlchemy engine (``open_store`` makes one); every public method is one transaction."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float]):
        self._engine, self._clock = engine, clock
        self.url = engine.url.render_as_string(hide_password=True)  # where the data is, without a password

    def close(self) -> None:
        """Close the store's database connections (the data stays)."""
        self._engine.dispose()

    # -- the instructor ----------------------------------------------------------------------------
    def create_session(self, *, scenario: str, student_cap: int = DEFAULT_CAP, hours: float = DEFAULT_HOURS,
                       settings: Mapping[str, object] | None = None) -> NewSession:
        """A new class on ``scenario`` (a key such as ``preset:default``) for at most ``student_cap`` students,
        taking joins and answers for ``hours`` hours; ``settings`` is any small JSON object for the UI."""
        scenario = _text(scenario, 200, "scenario key", single_line=True) or _reject("The scenario key is empty.")
        cap, settings_json = _cap(student_cap), _settings(settings or {})
        if isinstance(hours, bool) or not isinstance(hours, numbers.Real) or not 0 < hours <= 72:
            _reject(f"A class lasts more than 0 and at most 72 hours, not {_show(hours)}.")
        token, session_id, now = secrets.token_urlsafe(16), secrets.token_urlsafe(12), self._clock()
        with self._tx("create the class", NOT_CHANGED) as conn:
            self._purge(conn, now, RETENTION_DAYS)
            code = _new_join_code()
            while conn.scalar(select(sessions.c.id).where(sessions.c.join_code == code)):
                code = _new_join_code()
            conn.execute(insert(sessions).values(
                id=session_id, join_code=code, instructor_hash=_hash(token, "instructor"), scenario=scenario,
                created_at=now, expires_at=now + float(hours) * 3600, student_cap=cap, settings=settings_json,
                assumptions_open=0))
        return NewSession(session_id, code, token)

    def open_question(self, *, instructor_token: str, question_id: str, actions: Sequence[str]) -> None:
        """Open question ``question_id`` (a decision node) with its allowed action ids; answers are taken only
        while it is open. Re-opening keeps its answers; its actions can change only while it has none."""
        qid = _ident(question_id, "question id")
        if isinstance(actions, str) or not isinstance(actions, Sequence) or not 1 <= len(actions) <= 20:
            _reject("A question's actions are a list of 1 to 20 action ids.")
        acts = [_ident(a, "action id") for a in actions]
        if len(set(acts)) != len(acts):
            _reject(f"A question's actions must be different ids, not {', '.join(acts)}.")
        with self._tx("open the question", NOT_CHANGED) as conn:
            s = self._session(conn, instructor_token)
            where = (questions.c.session_id == s.id, questions.c.question_id == qid)
            row = conn.execute(select(questions).where(*where)).first()
            if row is None:
                position = conn.scalar(select(func.count()).where(questions.c.session_id == s.id)) + 1
                conn.execute(insert(questions).values(session_id=s.id, question_id=qid, position=position,
                                                      actions=json.dumps(acts), state="open", opened_at=self._clock()))
                return
            if row.state == "revealed":
                _reject(f"Question {qid} was already revealed; reset it to ask it again.")
            answered = conn.scalar(select(func.count()).where(predictions.c.session_id == s.id,
                                                              predictions.c.question_id == qid))
            if json.loads(row.actions) != acts and answered:
                _reject(f"Question {qid} already has answers among {', '.join(json.loads(row.actions))}; "
                        "reset it to change its actions.")
            conn.execute(update(questions).where(*where).values(state="open", actions=json.dumps(acts)))

    def close_question(self, *, instructor_token: str, question_id: str) -> None:
        """Stop taking answers to an open question (closing a closed one does nothing)."""
        self._move(instructor_token, question_id, "closed", ("open",))

    def reveal_question(self, *, instructor_token: str, question_id: str) -> None:
        """Reveal a question (open or closed): it takes no more answers; the tally shows the share matching the model."""
        self._move(instructor_token, question_id, "revealed", ("open", "closed"))

    def reset(self, *, instructor_token: str, question_id: str | None = None) -> None:
        """Clear the answers to one question (back to closed), or with no ``question_id`` every answer, every
        question's state and every submitted parameter value of the class. Students stay."""
        qid = None if question_id is None else _ident(question_id, "question id")
        with self._tx("reset the class", NOT_CHANGED) as conn:
            s = self._session(conn, instructor_token)
            one = [] if qid is None else [questions.c.question_id == qid]
            if not conn.execute(update(questions).where(questions.c.session_id == s.id, *one).values(state="closed")
                                ).rowcount and qid is not None:
                _reject(f"There is no question {qid} in this class.")
            conn.execute(delete(predictions).where(predictions.c.session_id == s.id,
                                                   *([] if qid is None else [predictions.c.question_id == qid])))
            if qid is None:
                conn.execute(delete(assumptions).where(assumptions.c.session_id == s.id))

    def open_assumptions(self, *, instructor_token: str, ranges: Mapping[str, tuple[float, float]]) -> None:
        """Let students submit values for these parameters, each inside its ``(low, high)``. The set replaces the
        previous one: values of a parameter dropped, or now outside its range, are deleted."""
        if not isinstance(ranges, Mapping) or not 1 <= len(ranges) <= 30:
            _reject("Open 1 to 30 parameters, each as name: (low, high).")
        checked = {}
        for name, pair in ranges.items():
            name = _ident(name, "parameter")
            if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                _reject(f"The range of {name} must be (low, high), not {_show(pair)}.")
            low, high = _number(pair[0], name), _number(pair[1], name)
            if not low < high:
                _reject(f"The range of {name} must have low < high, not ({low:g}, {high:g}).")
            checked[name] = (low, high)
        with self._tx("open the parameters", NOT_CHANGED) as conn:
            s = self._session(conn, instructor_token)
            conn.execute(delete(parameters).where(parameters.c.session_id == s.id,
                                                  parameters.c.name.not_in(list(checked))))
            for position, (name, (low, high)) in enumerate(checked.items(), 1):
                conn.execute(self._upsert(conn, parameters, ("session_id", "name"), session_id=s.id, name=name,
                                          position=position, low=low, high=high))
                conn.execute(delete(assumptions).where(assumptions.c.session_id == s.id, assumptions.c.name == name,
                                                       (assumptions.c.value < low) | (assumptions.c.value > high)))
            conn.execute(update(sessions).where(sessions.c.id == s.id).values(assumptions_open=1))

    def close_assumptions(self, *, instructor_token: str) -> None:
        """Stop taking parameter values (those submitted are kept)."""
        with self._tx("close the parameters", NOT_CHANGED) as conn:
            s = self._session(conn, instructor_token)
            conn.execute(update(sessions).where(sessions.c.id == s.id).values(assumptions_open=0))

    def tally(self, *, instructor_token: str, model_actions: Mapping[str, str] | None = None) -> Tally:
        """The projector's view: the class (code, students, parameters) and per question its answers and their
        distribution; for a revealed question whose model action is in ``model_actions``, the share matching it."""
        with self._tx("read the class's answers", "Try again.", readonly=True) as conn:
            s = self._session(conn, instructor_token, lock=False)
            n = conn.scalar(select(func.count()).where(students.c.session_id == s.id))
            qs = conn.execute(select(questions).where(questions.c.session_id == s.id).order_by(questions.c.position)).all()
            counts = {(r.question_id, r.action): r.n for r in conn.execute(
                select(predictions.c.question_id, predictions.c.action, func.count().label("n"))
                .where(predictions.c.session_id == s.id).group_by(predictions.c.question_id, predictions.c.action))}
            ranges = self._ranges(conn, s.id)
        out = []
        for q in qs:
            acts = tuple(json.loads(q.actions))
            dist = tuple((a, counts.get((q.question_id, a), 0)) for a in acts)
            answered, model = sum(c for _, c in dist), (model_actions or {}).get(q.question_id)
            if model is not None and model not in acts:
                _reject(f"The model's action {_show(model)} is not an answer to question {q.question_id} "
                        f"({', '.join(acts)}).")
            matched = dict(dist)[model] / answered if q.state == "revealed" and model and answered else None
            out.append(QuestionTally(q.question_id, q.state, acts, dist, answered, matched))
        return Tally(s.id, s.join_code, s.scenario, s.settings, s.expires_at, s.student_cap, n, tuple(out), ranges,
                     bool(s.assumptions_open))

    def assumption_points(self, *, instructor_token: str) -> tuple[StudentPoint, ...]:
        """Each student's submitted parameter values, by seat (students who submitted none are left out)."""
        with self._tx("read the class's values", "Try again.", readonly=True) as conn:
            s = self._session(conn, instructor_token, lock=False)
            rows = conn.execute(select(students.c.seat, students.c.nickname, assumptions.c.name, assumptions.c.value)
                                .join_from(assumptions, students, assumptions.c.student_id == students.c.id)
                                .where(assumptions.c.session_id == s.id).order_by(students.c.seat, assumptions.c.name))
            points: dict[int, StudentPoint] = {}
            for r in rows:
                p = points.get(r.seat, StudentPoint(r.seat, r.nickname, ()))
                points[r.seat] = StudentPoint(r.seat, r.nickname, p.values + ((r.name, r.value),))
        return tuple(points.values())

    def export_csv(self, *, instructor_token: str) -> str:
        """Everything of the class as CSV, columns ``record,seat,nickname,item,value,reason,time`` (UTC): one row
        for the session and per question, parameter, student, answer and value. Tokens are never exported."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        with self._tx("export the class", "Try again.", readonly=True) as conn:
            s = self._session(conn, instructor_token, lock=False)
            w.writerow(["record", "seat", "nickname", "item", "value", "reason", "time"])
            w.writerow(["session", "", "", "scenario", s.scenario, "", _iso(s.created_at)])
            for q in conn.execute(select(questions).where(questions.c.session_id == s.id).order_by(questions.c.position)):
                w.writerow(["question", "", "", q.question_id, q.state, "|".join(json.loads(q.actions)), _iso(q.opened_at)])
            w.writerows(["parameter", "", "", p.name, f"{p.low!r}..{p.high!r}", "", ""] for p in self._ranges(conn, s.id))
            for r in conn.execute(select(students).where(students.c.session_id == s.id).order_by(students.c.seat)):
                w.writerow(["student", r.seat, _cell(r.nickname), "", "", "", _iso(r.joined_at)])
            for table, item in ((predictions, "question_id"), (assumptions, "name")):
                for r in conn.execute(select(students.c.seat, students.c.nickname, table).join_from(
                        table, students, table.c.student_id == students.c.id).where(table.c.session_id == s.id)
                        .order_by(students.c.seat, table.c[item])):
                    value, reason = (r.action, _cell(r.reason)) if table is predictions else (repr(r.value), "")
                    w.writerow([table.name[:-1], r.seat, _cell(r.nickname), r._mapping[item], value, reason,
                                _iso(r.submitted_at)])
        return out.getvalue()

    def delete_session(self, *, instructor_token: str) -> None:
        """Delete the class and all its data (students, questions, answers, values) in one transaction."""
        with self._tx("delete the class", NOT_CHANGED) as conn:
            conn.execute(delete(sessions).where(sessions.c.id == self._session(conn, instructor_token).id))

    def purge(self, *, retention_days: float = RETENTION_DAYS) -> int:
        """Delete every session created more than ``retention_days`` days ago, with all its data; return how many."""
        days = _number(retention_days, "retention_days")
        if days <= 0:
            _reject(f"retention_days must be more than 0, not {days:g}.")
        with self._tx("purge old classes", "Try again.") as conn:
            return self._purge(conn, self._clock(), days)

    # -- the students ------------------------------------------------------------------------------
    def join(self, *, join_code: str, nickname: str | None = None) -> Joined:
        """Join the class with this code; the student token returned is the student's only key to its answers."""
        code, nickname = _join_code(join_code), _text(nickname, MAX_NICKNAME, "nickname", single_line=True)
        token, now, shown = secrets.token_urlsafe(16), self._clock(), f"{code[:4]}-{code[4:]}"
        with self._tx("add you to the class", "You have NOT joined; try again.") as conn:
            s = conn.execute(select(sessions).where(sessions.c.join_code == code).with_for_update()).first()
            if s is None:
                _reject(f"No class has the join code {shown}; check the code with your instructor.")
            if now >= s.expires_at:
                _reject(f"The class with join code {shown} has ended; ask your instructor for the current code.")
            n = conn.scalar(select(func.count()).where(students.c.session_id == s.id))
            if n >= s.student_cap:
                _reject(f"This class is full ({s.student_cap} students); ask your instructor to raise the cap.")
            seat = conn.scalar(select(func.coalesce(func.max(students.c.seat), 0)).where(students.c.session_id == s.id)) + 1
            conn.execute(insert(students).values(session_id=s.id, token_hash=_hash(token, "student"), seat=seat,
                                                 nickname=nickname, joined_at=now))
        return Joined(s.id, token, seat)

    def student_view(self, *, student_token: str) -> StudentView:
        """What a student's page may show: the questions and the student's own answers and values, no one else's."""
        with self._tx("read your answers", "Try again.", readonly=True) as conn:
            st = self._student(conn, student_token, lock=False)
            mine = (predictions.c.session_id == questions.c.session_id) & (predictions.c.student_id == st.id) & (
                predictions.c.question_id == questions.c.question_id)
            qs = conn.execute(select(questions, predictions.c.action, predictions.c.reason).outerjoin(predictions, mine)
                              .where(questions.c.session_id == st.session_id).order_by(questions.c.position)).all()
            values = conn.execute(select(assumptions.c.name, assumptions.c.value)
                                  .where(assumptions.c.student_id == st.id).order_by(assumptions.c.name)).all()
            ranges = self._ranges(conn, st.session_id)
        return StudentView(st.session_id, st.scenario, st.seat, st.nickname, tuple(
            StudentQuestion(q.question_id, q.state, tuple(json.loads(q.actions)), q.action, q.reason) for q in qs),
            ranges, bool(st.assumptions_open), tuple((r.name, r.value) for r in values))

    def submit_prediction(self, *, student_token: str, question_id: str, action: str,
                          reason: str | None = None) -> PredictionReceipt:
        """Save (or replace) this student's answer to an open question: one of its allowed action ids, with an
        optional reason of at most 280 characters. Returns after the commit."""
        qid, act = _ident(question_id, "question id"), _ident(action, "action id")
        reason, now = _text(reason, MAX_REASON, "reason", single_line=False), self._clock()
        with self._tx("save your answer", NOT_SENT) as conn:
            st = self._student(conn, student_token, lock=True)
            q = conn.execute(select(questions.c.state, questions.c.actions).where(
                questions.c.session_id == st.session_id, questions.c.question_id == qid).with_for_update(read=True)).first()
            if q is None:
                _reject(f"There is no question {qid} in this class; your answer was not sent.")
            if q.state != "open":
                _reject(f"Question {qid} is {q.state}: answers are taken only while it is open; your answer was not sent.")
            if act not in json.loads(q.actions):
                _reject(f"{act} is not an answer to question {qid} (allowed: {', '.join(json.loads(q.actions))}); "
                        "your answer was not sent.")
            self._count_submission(conn, st.id, now)
            stmt = self._upsert(conn, predictions, ("student_id", "question_id"), bump="revision", student_id=st.id,
                                session_id=st.session_id, question_id=qid, action=act, reason=reason, submitted_at=now,
                                revision=1)
            revision = conn.execute(stmt.returning(predictions.c.revision)).scalar_one()
        return PredictionReceipt(qid, act, revision, now)

    def submit_assumptions(self, *, student_token: str, values: Mapping[str, float]) -> AssumptionReceipt:
        """Save (or replace) this student's values of parameters the instructor opened: finite numbers inside the
        range stored when each was opened. Returns after the commit."""
        if not isinstance(values, Mapping) or not 1 <= len(values) <= 30:
            _reject("Send 1 to 30 parameter values, as name: number.")
        checked = {_ident(name, "parameter"): _number(v, str(name)) for name, v in values.items()}
        now = self._clock()
        with self._tx("save your values", NOT_SENT) as conn:
            st = self._student(conn, student_token, lock=True)
            if not st.assumptions_open:
                _reject("Your instructor has not opened the parameters for answers; your values were not sent.")
            ranges = {p.name: p for p in self._ranges(conn, st.session_id)}
            for name, value in checked.items():
                if name not in ranges:
                    _reject(f"{name} is not a parameter your instructor opened ({', '.join(ranges)}).")
                if not ranges[name].low <= value <= ranges[name].high:
                    _reject(f"{name} = {value:g} is outside its range [{ranges[name].low:g}, {ranges[name].high:g}].")
            self._count_submission(conn, st.id, now)
            for name, value in checked.items():
                conn.execute(self._upsert(conn, assumptions, ("student_id", "name"), student_id=st.id,
                                          session_id=st.session_id, name=name, value=value, submitted_at=now))
        return AssumptionReceipt(tuple(checked.items()), now)

    # -- inside ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self, doing: str, after: str, *, readonly: bool = False) -> Iterator[Connection]:
        with _failures(doing, after), self._engine.connect() as conn:
            if readonly:  # SQLite: a plain BEGIN (a WAL snapshot, no write lock); PostgreSQL: one snapshot
                conn.execution_options(live_readonly=True, **(
                    {"isolation_level": "REPEATABLE READ"} if conn.dialect.name == "postgresql" else {}))
            with conn.begin():
                yield conn

    def _session(self, conn: Connection, token: str, *, lock: bool = True):
        query = select(sessions).where(sessions.c.instructor_hash == _hash(token, "instructor"))
        return conn.execute(query.with_for_update() if lock else query).first() or _reject(
            "This instructor link is not valid, or its class was deleted; open the link you got when you created it.")

    def _student(self, conn: Connection, token: str, *, lock: bool):
        query = (select(students.c.id, students.c.session_id, students.c.seat, students.c.nickname, sessions.c.scenario,
                        sessions.c.expires_at, sessions.c.assumptions_open)
                 .join_from(students, sessions, students.c.session_id == sessions.c.id)
                 .where(students.c.token_hash == _hash(token, "student")))
        row = conn.execute(query.with_for_update(of=students) if lock else query).first()
        if row is None:
            _reject("This student link is not valid, or its class was deleted; join again with the class's code.")
        if lock and self._clock() >= row.expires_at:
            _reject("This class session has ended; nothing was sent.")
        return row

    def _count_submission(self, conn: Connection, student_id: int, now: float) -> None:
        """The rate limit, in the database (so it holds across processes): at most RATE_LIMIT per RATE_WINDOW_S."""
        conn.execute(delete(rate_log).where(rate_log.c.student_id == student_id, rate_log.c.at <= now - RATE_WINDOW_S))
        if conn.scalar(select(func.count()).where(rate_log.c.student_id == student_id)) >= RATE_LIMIT:
            _reject(f"Too many answers too fast (at most {RATE_LIMIT} in {RATE_WINDOW_S:g} s); wait a few seconds. "
                    "It was NOT sent.")
        conn.execute(insert(rate_log).values(student_id=student_id, at=now))

    def _upsert(self, conn: Connection, table, keys: tuple[str, ...], *, bump: str | None = None, **values):
        stmt = (pg_dialect if conn.dialect.name == "postgresql" else sqlite_dialect).insert(table).values(**values)
        changes = {k: stmt.excluded[k] for k in values if k not in keys and k != bump}
        return stmt.on_conflict_do_update(index_elements=list(keys),
                                          set_=changes | ({bump: table.c[bump] + 1} if bump else {}))

    def _ranges(self, conn: Connection, session_id: str) -> tuple[ParameterRange, ...]:
        rows = conn.execute(select(parameters).where(parameters.c.session_id == session_id).order_by(parameters.c.position))
        return tuple(ParameterRange(r.name, r.low, r.high) for r in rows)

    def _move(self, token: str, question_id: str, to: str, allowed_from: tuple[str, ...]) -> None:
        qid = _ident(question_id, "question id")
        with self._tx(f"mark the question {to}", NOT_CHANGED) as conn:
            where = (questions.c.session_id == self._session(conn, token).id, questions.c.question_id == qid)
            state = conn.scalar(select(questions.c.state).where(*where))
            if state is None:
                _reject(f"There is no question {qid} in this class; open it first.")
            if state != to and state not in allowed_from:
                _reject(f"Question {qid} is {state}; it can be marked {to} only when {' or '.join(allowed_from)}.")
            conn.execute(update(questions).where(*where).values(state=to))

    def _purge(self, conn: Connection, now: float, days: float) -> int:
        return conn.execute(delete(sessions).where(sessions.c.created_at < now - days * 86400)).rowcount


@contextlib.contextmanager
def _failures(doing: str, after: str) -> Iterator[None]:
    """Any failure of the database or the disk becomes one StoreError that says what could not be done."""
    try:
        yield
    except LiveError:
        raise
    except (sa_exc.SQLAlchemyError, OSError, UnicodeError) as error:
        message = str(getattr(error, "orig", None) or error)
        reason = next((r for words, r in _REASONS if any(w in message.lower() for w in words)),
                      f"the database said {message.splitlines()[0][:200] if message else type(error).__name__}")
        raise StoreError(f"The class store could not {doing}: {reason}. {after}") from error


_REASONS = (
    (("locked", "busy", "lock timeout", "deadlock", "could not serialize"),
     "the database is busy (another writer holds its lock)"),
    (("disk is full", "no space", "disk full"), "the disk is full"),
    (("disk i/o", "file too large"), "the disk could not be written (full or failing)"),
    (("read-only", "readonly"), "the database is read-only"),
    (("connect", "unable to open", "server closed", "terminat"), "the database cannot be reached"),
)


def _reject(message: str):
    raise Rejected(message)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _hash(token: object, who: str) -> str:
    if not (isinstance(token, str) and _TOKEN.fullmatch(token)):
        _reject(f"This {who} link is not valid; open the link you were given again.")
    return hashlib.sha256(token.encode()).hexdigest()


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _join_code(value: object) -> str:
    code = re.sub(r"[\s-]", "", value).upper() if isinstance(value, str) else ""
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_ALPHABET for c in code):
        _reject(f"{_show(value)} is not a join code: a join code is {JOIN_CODE_LENGTH} letters and digits "
                "(no 0, 1, I, L or O), like K7QM-3XPA.")
    return code


def _ident(value: object, what: str) -> str:
    if not (isinstance(value, str) and _ID.fullmatch(value)):
        _reject(f"{_show(value)} is not a {what}: an id is a letter or _, then letters, digits or _ (at most 64).")
    return value


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        _reject(f"The value of {name} must be a finite number, not {_show(value)}.")
    return float(value)


def _text(value: object, limit: int, what: str, *, single_line: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        _reject(f"The {what} must be text, not {type(value).__name__}.")
    value = value.replace("\r\n", "\n").strip()
    if len(value) > limit:
        _reject(f"The {what} is {len(value)} characters long; at most {limit} are allowed.")
    if any(unicodedata.category(c) in ("Cc", "Cs") and (single_line or c not in "\n\t") for c in value):
        _reject(f"The {what} contains control characters; use plain text{'' if single_line else ' (line breaks are fine)'}.")
    return value or None


def _cap(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CAP:
        _reject(f"The class size cap is a whole number from 1 to {MAX_CAP}, not {_show(value)}.")
    return value


def _settings(value: object) -> str:
    try:
        text = json.dumps(value, allow_nan=False, sort_keys=True) if isinstance(value, Mapping) else ""
    except (TypeError, ValueError):
        text = ""
    if not text or len(text) > MAX_SETTINGS:
        _reject(f"The settings must be a JSON object (text, finite numbers, lists) of at most {MAX_SETTINGS} characters.")
    return text


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")


def _cell(text: str | None) -> str:
    """Free text for a CSV cell that a spreadsheet never reads as a formula."""
    return "'" + text if text and text[0] in "=+-@\t\r" else (text or "")
