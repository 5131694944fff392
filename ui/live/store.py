"""The live class's store: sessions, students, questions, predictions and assumptions in a real database.

Where: the SQLAlchemy URL in ``CONDITIONAL_OFFER_DB_URL`` (``postgresql+psycopg://user@host/db`` for
PostgreSQL), else the SQLite file ``classroom.sqlite3`` in ``CONDITIONAL_OFFER_DATA_DIR`` (default
``<repo>/data/``), shared by every app process on the machine. One code path (SQLAlchemy Core) for both;
the schema is created and migrated when the store opens (``migrations.py``).

What is stored: per class session its scenario key, join code, settings and times; per student a seat
number, an optional nickname (at most 40 characters), one answer per question (an action id and an
optional reason of at most 280 characters) and its parameter values; for a class on an uploaded
scenario, that file (at most 1 MB). No account and no personal data are required; the instructor's and students' tokens are kept only as SHA-256 hashes.

How long: a session and everything in it is deleted 30 days (``RETENTION_DAYS``) after it was created
(purged each time the store opens and each time a session is created), or at once by ``delete_session``.

Every public method is one transaction. A submission returns its receipt only after the commit. A
failure of the database (locked past the busy timeout, unreachable, disk full) raises ``StoreError``
and nothing is written; a request the store refuses raises ``Rejected``. Each says so in one sentence.

The store in four modules, by concept; import the public API (``__all__``) from this one: ``records.py``
(what it returns and raises), ``inputs.py`` (its limits and the checks on every input), ``reads.py`` (the
queries that read: who a token is, the tally, the export, a student's view) and this module (opening the
store, its transactions and every write). ``migrations.py`` holds where the database is and its schema.
"""


from __future__ import annotations

import contextlib
import json
import numbers
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine

from . import inputs, reads
from .inputs import (BUSY_TIMEOUT_S, DEFAULT_CAP, DEFAULT_HOURS, JOIN_ALPHABET, JOIN_CODE_LENGTH, MAX_CAP,
                     MAX_NICKNAME, MAX_REASON, MAX_SCENARIO_BYTES, MAX_SETTINGS, NOT_CHANGED, NOT_SENT, RATE_LIMIT, RATE_WINDOW_S,
                     RETENTION_DAYS)
from .migrations import (NewerSchemaError, assumptions, create_store_engine, default_url, migrate, parameters,
                         predictions, questions, rate_log, scenario_files, sessions, students)
from .records import (AssumptionReceipt, Joined, LiveError, NewSession, ParameterRange, PredictionReceipt,
                      QuestionTally, Rejected, StoreError, StudentPoint, StudentQuestion, StudentView, Tally)

__all__ = [  # the public API: the store, what it returns and raises, its limits, where it is
    "AssumptionReceipt", "BUSY_TIMEOUT_S", "DEFAULT_CAP", "DEFAULT_HOURS", "JOIN_ALPHABET", "JOIN_CODE_LENGTH",
    "Joined", "LiveError", "MAX_CAP", "MAX_NICKNAME", "MAX_REASON", "MAX_SCENARIO_BYTES", "MAX_SETTINGS",
    "NewSession", "ParameterRange",
    "PredictionReceipt", "QuestionTally", "RATE_LIMIT", "RATE_WINDOW_S", "RETENTION_DAYS", "Rejected", "Store",
    "StoreError", "StudentPoint", "StudentQuestion", "StudentView", "Tally", "default_url", "open_store",
]



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
        store = Store(engine, clock=clock, busy_timeout_s=busy_timeout_s)
        store.purge(retention_days=RETENTION_DAYS)
        return store
    except LiveError:
        engine.dispose()
        raise


class Store:
    """The class store over one SQLAlchemy engine (``open_store`` makes one); every public method is one transaction."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float], busy_timeout_s: float = BUSY_TIMEOUT_S):
        self._engine, self._clock, self._busy_timeout_s = engine, clock, busy_timeout_s
        # SQLite has one writer. Its own wait for the lock is a back-off of sleeps up to 100 ms, so on a loaded
        # host the threads of one app process can each miss the free lock until the busy timeout expires. The
        # threads of one process therefore queue on a lock of their own first (first come, first served, no
        # sleeping); SQLite's busy timeout then only arbitrates between processes.
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None
        self.url = engine.url.render_as_string(hide_password=True)  # where the data is, without a password

    def close(self) -> None:
        """Close the store's database connections (the data stays)."""
        self._engine.dispose()

    # -- the instructor ----------------------------------------------------------------------------
    def create_session(self, *, scenario: str, student_cap: int = DEFAULT_CAP, hours: float = DEFAULT_HOURS,
                       settings: Mapping[str, object] | None = None,
                       scenario_file: tuple[str, bytes] | None = None) -> NewSession:
        """A new class on ``scenario`` (a key such as ``preset:default``) for at most ``student_cap`` students,
        taking joins and answers for ``hours`` hours; ``settings`` is any small JSON object for the UI;
        ``scenario_file`` (file name, bytes), an uploaded scenario kept with the class for every app process."""
        scenario = (inputs.text(scenario, 200, "scenario key", single_line=True)
                    or inputs.reject("The scenario key is empty."))
        cap, settings_json = inputs.cap(student_cap), inputs.settings_json(settings or {})
        upload = inputs.scenario_file(scenario_file)
        if isinstance(hours, bool) or not isinstance(hours, numbers.Real) or not 0 < hours <= 72:
            inputs.reject(f"A class lasts more than 0 and at most 72 hours, not {inputs.show(hours)}.")
        token, session_id, now = secrets.token_urlsafe(16), secrets.token_urlsafe(12), self._clock()
        with self._tx("create the class", NOT_CHANGED) as conn:
            self._purge(conn, now, RETENTION_DAYS)
            code = inputs.new_join_code()
            while conn.scalar(select(sessions.c.id).where(sessions.c.join_code == code)):
                code = inputs.new_join_code()
            conn.execute(insert(sessions).values(
                id=session_id, join_code=code, instructor_hash=inputs.token_hash(token, "instructor"),
                scenario=scenario, created_at=now, expires_at=now + float(hours) * 3600, student_cap=cap,
                settings=settings_json, assumptions_open=0))
            if upload is not None:
                conn.execute(insert(scenario_files).values(session_id=session_id, name=upload[0], data=upload[1]))
        return NewSession(session_id, code, token)

    def open_question(self, *, instructor_token: str, question_id: str, actions: Sequence[str]) -> None:
        """Open question ``question_id`` (a decision node) with its allowed action ids; answers are taken only
        while it is open. Re-opening keeps its answers; its actions can change only while it has none."""
        qid = inputs.ident(question_id, "question id")
        if isinstance(actions, str) or not isinstance(actions, Sequence) or not 1 <= len(actions) <= 20:
            inputs.reject("A question's actions are a list of 1 to 20 action ids.")
        acts = [inputs.ident(a, "action id") for a in actions]
        if len(set(acts)) != len(acts):
            inputs.reject(f"A question's actions must be different ids, not {', '.join(acts)}.")
        with self._tx("open the question", NOT_CHANGED) as conn:
            s = reads.session_row(conn, instructor_token)
            where = (questions.c.session_id == s.id, questions.c.question_id == qid)
            row = conn.execute(select(questions).where(*where)).first()
            if row is None:
                position = conn.scalar(select(func.count()).where(questions.c.session_id == s.id)) + 1
                conn.execute(insert(questions).values(session_id=s.id, question_id=qid, position=position,
                                                      actions=json.dumps(acts), state="open", opened_at=self._clock()))
                return
            if row.state == "revealed":
                inputs.reject(f"Question {qid} was already revealed; reset it to ask it again.")
            answered = conn.scalar(select(func.count()).where(predictions.c.session_id == s.id,
                                                              predictions.c.question_id == qid))
            if json.loads(row.actions) != acts and answered:
                inputs.reject(f"Question {qid} already has answers among {', '.join(json.loads(row.actions))}; "
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
        qid = None if question_id is None else inputs.ident(question_id, "question id")
        with self._tx("reset the class", NOT_CHANGED) as conn:
            s = reads.session_row(conn, instructor_token)
            one = [] if qid is None else [questions.c.question_id == qid]
            if not conn.execute(update(questions).where(questions.c.session_id == s.id, *one).values(state="closed")
                                ).rowcount and qid is not None:
                inputs.reject(f"There is no question {qid} in this class.")
            conn.execute(delete(predictions).where(predictions.c.session_id == s.id,
                                                   *([] if qid is None else [predictions.c.question_id == qid])))
            if qid is None:
                conn.execute(delete(assumptions).where(assumptions.c.session_id == s.id))

    def open_assumptions(self, *, instructor_token: str, ranges: Mapping[str, tuple[float, float]]) -> None:
        """Let students submit values for these parameters, each inside its ``(low, high)``. The set replaces the
        previous one: values of a parameter dropped, or now outside its range, are deleted."""
        if not isinstance(ranges, Mapping) or not 1 <= len(ranges) <= 30:
            inputs.reject("Open 1 to 30 parameters, each as name: (low, high).")
        checked = {}
        for name, pair in ranges.items():
            name = inputs.ident(name, "parameter")
            if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                inputs.reject(f"The range of {name} must be (low, high), not {inputs.show(pair)}.")
            low, high = inputs.number(pair[0], name), inputs.number(pair[1], name)
            if not low < high:
                inputs.reject(f"The range of {name} must have low < high, not ({low:g}, {high:g}).")
            checked[name] = (low, high)
        with self._tx("open the parameters", NOT_CHANGED) as conn:
            s = reads.session_row(conn, instructor_token)
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
            s = reads.session_row(conn, instructor_token)
            conn.execute(update(sessions).where(sessions.c.id == s.id).values(assumptions_open=0))

    def tally(self, *, instructor_token: str, model_actions: Mapping[str, str] | None = None) -> Tally:
        """The projector's view: the class (code, students, parameters) and per question its answers and their
        distribution; for a revealed question whose model action is in ``model_actions``, the share matching it."""
        with self._tx("read the class's answers", "Try again.", readonly=True) as conn:
            return reads.tally(conn, reads.session_row(conn, instructor_token, lock=False), model_actions)

    def assumption_points(self, *, instructor_token: str) -> tuple[StudentPoint, ...]:
        """Each student's submitted parameter values, by seat (students who submitted none are left out)."""
        with self._tx("read the class's values", "Try again.", readonly=True) as conn:
            return reads.assumption_points(conn, reads.session_row(conn, instructor_token, lock=False))

    def export_csv(self, *, instructor_token: str) -> str:
        """Everything of the class as CSV, columns ``record,seat,nickname,item,value,reason,time`` (UTC): one row
        for the session and per question, parameter, student, answer and value. Tokens are never exported."""
        with self._tx("export the class", "Try again.", readonly=True) as conn:
            return reads.export_csv(conn, reads.session_row(conn, instructor_token, lock=False))

    def reasons(self, *, instructor_token: str, question_id: str) -> tuple[tuple[str, str], ...]:
        """The reasons students gave for their answers to one question, as (action, reason), with no names."""
        qid = inputs.ident(question_id, "question id")
        with self._tx("read the reasons", "Try again.", readonly=True) as conn:
            return reads.reasons(conn, reads.session_row(conn, instructor_token, lock=False), qid)

    def scenario_file(self, *, instructor_token: str | None = None,
                      student_token: str | None = None) -> tuple[str, bytes] | None:
        """The uploaded scenario file of the class of this instructor or student (give one token), or None."""
        if (instructor_token is None) == (student_token is None):
            inputs.reject("Give the instructor's token or a student's, not both and not neither.")
        with self._tx("read the class's scenario", "Try again.", readonly=True) as conn:
            if student_token is not None:
                session_id = reads.student_row(conn, student_token, lock=False, now=self._clock()).session_id
            else:
                session_id = reads.session_row(conn, instructor_token, lock=False).id
            return reads.scenario_file(conn, session_id)

    def delete_session(self, *, instructor_token: str) -> None:
        """Delete the class and all its data (students, questions, answers, values) in one transaction."""
        with self._tx("delete the class", NOT_CHANGED) as conn:
            conn.execute(delete(sessions).where(sessions.c.id == reads.session_row(conn, instructor_token).id))

    def purge(self, *, retention_days: float = RETENTION_DAYS) -> int:
        """Delete every session created more than ``retention_days`` days ago, with all its data; return how many."""
        days = inputs.number(retention_days, "retention_days")
        if days <= 0:
            inputs.reject(f"retention_days must be more than 0, not {days:g}.")
        with self._tx("purge old classes", "Try again.") as conn:
            return self._purge(conn, self._clock(), days)

    # -- the students ------------------------------------------------------------------------------
    def join(self, *, join_code: str, nickname: str | None = None) -> Joined:
        """Join the class with this code; the student token returned is the student's only key to its answers."""
        code, nickname = inputs.join_code(join_code), inputs.text(nickname, MAX_NICKNAME, "nickname", single_line=True)
        token, now, shown = secrets.token_urlsafe(16), self._clock(), f"{code[:4]}-{code[4:]}"
        with self._tx("add you to the class", "You have NOT joined; try again.") as conn:
            s = conn.execute(select(sessions).where(sessions.c.join_code == code).with_for_update()).first()
            if s is None:
                inputs.reject(f"No class has the join code {shown}; check the code with your instructor.")
            if now >= s.expires_at:
                inputs.reject(f"The class with join code {shown} has ended; ask your instructor for the current code.")
            n = conn.scalar(select(func.count()).where(students.c.session_id == s.id))
            if n >= s.student_cap:
                inputs.reject(f"This class is full ({s.student_cap} students); ask your instructor to raise the cap.")
            seat = conn.scalar(select(func.coalesce(func.max(students.c.seat), 0))
                               .where(students.c.session_id == s.id)) + 1
            conn.execute(insert(students).values(session_id=s.id, token_hash=inputs.token_hash(token, "student"),
                                                 seat=seat, nickname=nickname, joined_at=now))
        return Joined(s.id, token, seat)

    def student_view(self, *, student_token: str) -> StudentView:
        """What a student's page may show: the questions and the student's own answers and values, no one else's."""
        with self._tx("read your answers", "Try again.", readonly=True) as conn:
            return reads.student_view(conn, reads.student_row(conn, student_token, lock=False, now=self._clock()))

    def submit_prediction(self, *, student_token: str, question_id: str, action: str,
                          reason: str | None = None) -> PredictionReceipt:
        """Save (or replace) this student's answer to an open question: one of its allowed action ids, with an
        optional reason of at most 280 characters. Returns after the commit."""
        qid, act = inputs.ident(question_id, "question id"), inputs.ident(action, "action id")
        reason, now = inputs.text(reason, MAX_REASON, "reason", single_line=False), self._clock()
        with self._tx("save your answer", NOT_SENT) as conn:
            st = reads.student_row(conn, student_token, lock=True, now=now)
            q = conn.execute(select(questions.c.state, questions.c.actions).where(
                questions.c.session_id == st.session_id, questions.c.question_id == qid).with_for_update(read=True)).first()
            if q is None:
                inputs.reject(f"There is no question {qid} in this class; your answer was not sent.")
            if q.state != "open":
                inputs.reject(f"Question {qid} is {q.state}: answers are taken only while it is open; your answer was not sent.")
            if act not in json.loads(q.actions):
                inputs.reject(f"{act} is not an answer to question {qid} (allowed: {', '.join(json.loads(q.actions))}); "
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
            inputs.reject("Send 1 to 30 parameter values, as name: number.")
        checked = {inputs.ident(name, "parameter"): inputs.number(v, str(name)) for name, v in values.items()}
        now = self._clock()
        with self._tx("save your values", NOT_SENT) as conn:
            st = reads.student_row(conn, student_token, lock=True, now=now)
            if not st.assumptions_open:
                inputs.reject("Your instructor has not opened the parameters for answers; your values were not sent.")
            ranges = {p.name: p for p in reads.ranges(conn, st.session_id)}
            for name, value in checked.items():
                if name not in ranges:
                    inputs.reject(f"{name} is not a parameter your instructor opened ({', '.join(ranges)}).")
                if not ranges[name].low <= value <= ranges[name].high:
                    inputs.reject(f"{name} = {value:g} is outside its range [{ranges[name].low:g}, {ranges[name].high:g}].")
            self._count_submission(conn, st.id, now)
            for name, value in checked.items():
                conn.execute(self._upsert(conn, assumptions, ("student_id", "name"), student_id=st.id,
                                          session_id=st.session_id, name=name, value=value, submitted_at=now))
        return AssumptionReceipt(tuple(checked.items()), now)

    # -- inside ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self, doing: str, after: str, *, readonly: bool = False) -> Iterator[Connection]:
        writer = None if readonly else self._writer
        if writer is not None and not writer.acquire(timeout=self._busy_timeout_s):
            raise StoreError(f"The class store could not {doing}: the database is busy (another writer holds its "
                             f"lock). {after}")
        try:
            with _failures(doing, after), self._engine.connect() as conn:
                if readonly:  # SQLite: a plain BEGIN (a WAL snapshot, no write lock); PostgreSQL: one snapshot
                    conn.execution_options(live_readonly=True, **(
                        {"isolation_level": "REPEATABLE READ"} if conn.dialect.name == "postgresql" else {}))
                with conn.begin():
                    yield conn
        finally:
            if writer is not None:
                writer.release()

    def _count_submission(self, conn: Connection, student_id: int, now: float) -> None:
        """The rate limit, in the database (so it holds across processes): at most RATE_LIMIT per RATE_WINDOW_S."""
        conn.execute(delete(rate_log).where(rate_log.c.student_id == student_id, rate_log.c.at <= now - RATE_WINDOW_S))
        if conn.scalar(select(func.count()).where(rate_log.c.student_id == student_id)) >= RATE_LIMIT:
            inputs.reject(f"Too many answers too fast (at most {RATE_LIMIT} in {RATE_WINDOW_S:g} s); wait a few seconds. "
                    "It was NOT sent.")
        conn.execute(insert(rate_log).values(student_id=student_id, at=now))

    def _upsert(self, conn: Connection, table, keys: tuple[str, ...], *, bump: str | None = None, **values):
        stmt = (pg_dialect if conn.dialect.name == "postgresql" else sqlite_dialect).insert(table).values(**values)
        changes = {k: stmt.excluded[k] for k in values if k not in keys and k != bump}
        return stmt.on_conflict_do_update(index_elements=list(keys),
                                          set_=changes | ({bump: table.c[bump] + 1} if bump else {}))

    def _move(self, token: str, question_id: str, to: str, allowed_from: tuple[str, ...]) -> None:
        qid = inputs.ident(question_id, "question id")
        with self._tx(f"mark the question {to}", NOT_CHANGED) as conn:
            where = (questions.c.session_id == reads.session_row(conn, token).id, questions.c.question_id == qid)
            state = conn.scalar(select(questions.c.state).where(*where))
            if state is None:
                inputs.reject(f"There is no question {qid} in this class; open it first.")
            if state != to and state not in allowed_from:
                inputs.reject(f"Question {qid} is {state}; it can be marked {to} only when {' or '.join(allowed_from)}.")
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

