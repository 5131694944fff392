"""The database under the live store: where it is, how each backend is set up, and its versioned schema.

Where: ``default_url()``. SQLite runs in WAL mode with a busy timeout and foreign keys on; every write
transaction starts with ``BEGIN IMMEDIATE`` (writers queue for the one lock at the start, so a
transaction never fails half-way on a lock), every read with a plain ``BEGIN`` (a WAL snapshot that
blocks no one). PostgreSQL gets a lock timeout equal to the busy timeout and a pool that checks its
connections before use.

Schema: each migration is applied exactly once, in order, each in its own transaction that also records
its version in ``schema_version``; a migration that fails leaves nothing behind. Several processes may
open the store at once: on PostgreSQL each migration transaction first takes an advisory lock, on
SQLite it starts with ``BEGIN IMMEDIATE`` (the store's engine does that), so the second process waits
and then finds the version already recorded. A database newer than this code is refused, not touched.
A migration is never edited once released: a change to the schema is a new migration appended to
``MIGRATIONS`` (and the ``Table`` definitions below updated to match; a test compares the two).
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine, make_url

ROOT = Path(__file__).resolve().parent.parent.parent

# Any 64-bit key, the same in every process: "conditional-offer live store" folded into a bigint.
ADVISORY_LOCK_KEY = 0x636F6E646F666672


def default_url() -> str:
    """``CONDITIONAL_OFFER_DB_URL`` if set, else the SQLite file ``classroom.sqlite3`` in
    ``CONDITIONAL_OFFER_DATA_DIR`` (default ``<repo>/data/``)."""
    url = os.environ.get("CONDITIONAL_OFFER_DB_URL", "").strip()
    folder = Path(os.environ.get("CONDITIONAL_OFFER_DATA_DIR", "").strip() or ROOT / "data")
    return url or f"sqlite:///{folder.resolve() / 'classroom.sqlite3'}"


def create_store_engine(url: str, *, busy_timeout_s: float) -> Engine:
    """An engine for ``url`` set up as above; ``ValueError`` (a sentence) for a URL that is not SQLite or PostgreSQL.

    The SQLite file's folder is created if missing (``OSError`` when it cannot be).
    """
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise ValueError(f"{url!r} is not a database URL; use sqlite:////path/to/file.sqlite3 "
                         "or postgresql+psycopg://user@host/db.") from None
    backend, wait_ms = parsed.get_backend_name(), int(busy_timeout_s * 1000)
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("The class store needs an SQLite file that every app process can open, not memory.")
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_s})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # the driver sends no BEGIN of its own: _sqlite_begin does
            dbapi_conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
            dbapi_conn.execute("PRAGMA foreign_keys = ON")
            _switch_to_wal(dbapi_conn, busy_timeout_s)

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("live_readonly") else "BEGIN IMMEDIATE")
        return engine
    if backend == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10,
                               connect_args={"connect_timeout": max(1, math.ceil(busy_timeout_s))})

        @event.listens_for(engine, "connect")
        def _pg_connect(dbapi_conn, _record):
            autocommit, dbapi_conn.autocommit = dbapi_conn.autocommit, True
            dbapi_conn.execute(f"SET lock_timeout = {wait_ms}")
            dbapi_conn.autocommit = autocommit
        return engine
    raise ValueError(f"The class store runs on SQLite or PostgreSQL, not {backend!r}.")


def _switch_to_wal(dbapi_conn, busy_timeout_s: float) -> None:
    """WAL mode is stored in the file, so this changes something only on a new file; SQLite answers "locked" at
    once (it does not wait) when another process opens the same new file at the same moment, so retry."""
    deadline = time.monotonic() + busy_timeout_s
    while dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``statements(dialect_name)`` gives its SQL, run in order in one transaction."""

    version: int
    description: str
    statements: Callable[[str], Sequence[str]]


def _v1(dialect: str) -> list[str]:
    serial = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if dialect == "postgresql" else "INTEGER PRIMARY KEY"
    real = "DOUBLE PRECISION"
    return [
        f"""CREATE TABLE sessions (
            id TEXT PRIMARY KEY, join_code TEXT NOT NULL UNIQUE, instructor_hash TEXT NOT NULL UNIQUE,
            scenario TEXT NOT NULL, created_at {real} NOT NULL, expires_at {real} NOT NULL,
            student_cap INTEGER NOT NULL, settings TEXT NOT NULL, assumptions_open INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX sessions_created ON sessions (created_at)",
        f"""CREATE TABLE students (
            id {serial}, session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE, seat INTEGER NOT NULL, nickname TEXT, joined_at {real} NOT NULL,
            UNIQUE (session_id, seat), UNIQUE (id, session_id))""",
        f"""CREATE TABLE questions (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, question_id TEXT NOT NULL,
            position INTEGER NOT NULL, actions TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'revealed')), opened_at {real} NOT NULL,
            PRIMARY KEY (session_id, question_id))""",
        f"""CREATE TABLE predictions (
            student_id BIGINT NOT NULL, session_id TEXT NOT NULL, question_id TEXT NOT NULL,
            action TEXT NOT NULL, reason TEXT, submitted_at {real} NOT NULL, revision INTEGER NOT NULL,
            PRIMARY KEY (student_id, question_id),
            FOREIGN KEY (student_id, session_id) REFERENCES students (id, session_id) ON DELETE CASCADE,
            FOREIGN KEY (session_id, question_id) REFERENCES questions (session_id, question_id) ON DELETE CASCADE)""",
        "CREATE INDEX predictions_question ON predictions (session_id, question_id)",
        f"""CREATE TABLE parameters (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, name TEXT NOT NULL,
            position INTEGER NOT NULL, low {real} NOT NULL, high {real} NOT NULL, PRIMARY KEY (session_id, name))""",
        f"""CREATE TABLE assumptions (
            student_id BIGINT NOT NULL, session_id TEXT NOT NULL, name TEXT NOT NULL, value {real} NOT NULL,
            submitted_at {real} NOT NULL, PRIMARY KEY (student_id, name),
            FOREIGN KEY (student_id, session_id) REFERENCES students (id, session_id) ON DELETE CASCADE,
            FOREIGN KEY (session_id, name) REFERENCES parameters (session_id, name) ON DELETE CASCADE)""",
        "CREATE INDEX assumptions_session ON assumptions (session_id, name)",
        f"""CREATE TABLE rate_log (
            student_id BIGINT NOT NULL REFERENCES students (id) ON DELETE CASCADE, at {real} NOT NULL)""",
        "CREATE INDEX rate_log_student ON rate_log (student_id, at)",
    ]


def _v2(dialect: str) -> list[str]:
    return [
        """CREATE TABLE scenario_files (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE, name TEXT NOT NULL,
            data TEXT NOT NULL)""",
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "class sessions, students, questions, predictions, parameters, assumptions, rate log", _v1),
    Migration(2, "the scenario file of a class on an uploaded scenario (every app process reads it from here)", _v2),
)


class NewerSchemaError(RuntimeError):
    """The database was migrated by a newer version of the app than this one."""


def migrate(engine: Engine, *, migrations: Sequence[Migration] = MIGRATIONS) -> tuple[int, ...]:
    """Apply every migration not yet recorded, each in its own locked transaction; return the versions applied.

    Opening an up-to-date database applies nothing and changes nothing.
    """
    known = max((m.version for m in migrations), default=0)
    applied: list[int] = []
    while True:
        with engine.begin() as conn:
            done = _lock_and_read_versions(conn)
            if done and max(done) > known:
                raise NewerSchemaError(
                    f"the class store's database has schema version {max(done)}, newer than this app's {known}; "
                    "update the app (or point CONDITIONAL_OFFER_DB_URL at another database)")
            pending = [m for m in sorted(migrations, key=lambda m: m.version) if m.version not in done]
            if not pending:
                return tuple(applied)
            step = pending[0]
            for statement in step.statements(conn.dialect.name):
                conn.exec_driver_sql(statement)
            conn.execute(text("INSERT INTO schema_version (version, description, applied_at) VALUES (:v, :d, :t)"),
                         {"v": step.version, "d": step.description, "t": time.time()})
            applied.append(step.version)


def _lock_and_read_versions(conn: Connection) -> set[int]:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_version ("
                         "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)")
    return set(conn.execute(text("SELECT version FROM schema_version")).scalars())


# The tables as the store's queries see them (the schema after the last migration). Never used to
# create anything: MIGRATIONS does that.
metadata = MetaData()
sessions = Table(
    "sessions", metadata,
    Column("id", Text, primary_key=True), Column("join_code", Text), Column("instructor_hash", Text),
    Column("scenario", Text), Column("created_at", Float), Column("expires_at", Float),
    Column("student_cap", Integer), Column("settings", Text), Column("assumptions_open", Integer))
students = Table(
    "students", metadata,
    Column("id", Integer, primary_key=True), Column("session_id", Text), Column("token_hash", Text),
    Column("seat", Integer), Column("nickname", Text), Column("joined_at", Float))
questions = Table(
    "questions", metadata,
    Column("session_id", Text, primary_key=True), Column("question_id", Text, primary_key=True),
    Column("position", Integer), Column("actions", Text), Column("state", Text), Column("opened_at", Float))
predictions = Table(
    "predictions", metadata,
    Column("student_id", Integer, primary_key=True), Column("session_id", Text),
    Column("question_id", Text, primary_key=True), Column("action", Text), Column("reason", Text),
    Column("submitted_at", Float), Column("revision", Integer))
parameters = Table(
    "parameters", metadata,
    Column("session_id", Text, primary_key=True), Column("name", Text, primary_key=True),
    Column("position", Integer), Column("low", Float), Column("high", Float))
assumptions = Table(
    "assumptions", metadata,
    Column("student_id", Integer, primary_key=True), Column("session_id", Text),
    Column("name", Text, primary_key=True), Column("value", Float), Column("submitted_at", Float))
rate_log = Table("rate_log", metadata, Column("student_id", Integer), Column("at", Float))
scenario_files = Table(
    "scenario_files", metadata,
    Column("session_id", Text, primary_key=True), Column("name", Text), Column("data", Text))
