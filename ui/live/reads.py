"""The live store's reads: who a token belongs to, and what the projector, the export and a student see.

Each function runs inside a transaction the ``Store`` opened (``conn``) and returns records
(``records.py``), never rows. A student's view holds the questions and the student's own answers and
values: nothing of anyone else's answers, and nothing of the model's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from .inputs import cell, iso, reject, show, token_hash
from .migrations import assumptions, parameters, predictions, questions, scenario_files, sessions, students
from .records import ParameterRange, QuestionTally, StudentPoint, StudentQuestion, StudentView, Tally


def session_row(conn: Connection, token: str, *, lock: bool = True) -> Row:
    """The class whose instructor token this is (locked for the transaction's writes unless ``lock=False``)."""
    query = select(sessions).where(sessions.c.instructor_hash == token_hash(token, "instructor"))
    return conn.execute(query.with_for_update() if lock else query).first() or reject(
        "This instructor link is not valid, or its class was deleted; open the link you got when you created it.")


def student_row(conn: Connection, token: str, *, lock: bool, now: float) -> Row:
    """The student whose token this is, with its class's scenario, end and parameters switch; a write
    (``lock=True``) is refused once the class has ended."""
    query = (select(students.c.id, students.c.session_id, students.c.seat, students.c.nickname, sessions.c.scenario,
                    sessions.c.expires_at, sessions.c.assumptions_open, sessions.c.settings)
             .join_from(students, sessions, students.c.session_id == sessions.c.id)
             .where(students.c.token_hash == token_hash(token, "student")))
    row = conn.execute(query.with_for_update(of=students) if lock else query).first()
    if row is None:
        reject("This student link is not valid, or its class was deleted; join again with the class's code.")
    if lock and now >= row.expires_at:
        reject("This class session has ended; nothing was sent.")
    return row


def ranges(conn: Connection, session_id: str) -> tuple[ParameterRange, ...]:
    """The parameters the instructor opened, in the order they were given."""
    rows = conn.execute(select(parameters).where(parameters.c.session_id == session_id).order_by(parameters.c.position))
    return tuple(ParameterRange(r.name, r.low, r.high) for r in rows)


def tally(conn: Connection, s: Row, model_actions: Mapping[str, str] | None) -> Tally:
    """Per question its answers and their distribution; for a revealed question whose model action is in
    ``model_actions``, the share matching it."""
    n = conn.scalar(select(func.count()).where(students.c.session_id == s.id))
    qs = conn.execute(select(questions).where(questions.c.session_id == s.id).order_by(questions.c.position)).all()
    counts = {(r.question_id, r.action): r.n for r in conn.execute(
        select(predictions.c.question_id, predictions.c.action, func.count().label("n"))
        .where(predictions.c.session_id == s.id).group_by(predictions.c.question_id, predictions.c.action))}
    opened = ranges(conn, s.id)
    out = []
    for q in qs:
        acts = tuple(json.loads(q.actions))
        dist = tuple((a, counts.get((q.question_id, a), 0)) for a in acts)
        answered, model = sum(c for _, c in dist), (model_actions or {}).get(q.question_id)
        if model is not None and model not in acts:
            reject(f"The model's action {show(model)} is not an answer to question {q.question_id} "
                   f"({', '.join(acts)}).")
        matched = dict(dist)[model] / answered if q.state == "revealed" and model and answered else None
        out.append(QuestionTally(q.question_id, q.state, acts, dist, answered, matched))
    return Tally(s.id, s.join_code, s.scenario, s.settings, s.expires_at, s.student_cap, n, tuple(out), opened,
                 bool(s.assumptions_open))


def assumption_points(conn: Connection, s: Row) -> tuple[StudentPoint, ...]:
    """Each student's submitted parameter values, by seat (students who submitted none are left out)."""
    rows = conn.execute(select(students.c.seat, students.c.nickname, assumptions.c.name, assumptions.c.value)
                        .join_from(assumptions, students, assumptions.c.student_id == students.c.id)
                        .where(assumptions.c.session_id == s.id).order_by(students.c.seat, assumptions.c.name))
    points: dict[int, StudentPoint] = {}
    for r in rows:
        p = points.get(r.seat, StudentPoint(r.seat, r.nickname, ()))
        points[r.seat] = StudentPoint(r.seat, r.nickname, p.values + ((r.name, r.value),))
    return tuple(points.values())


def export_csv(conn: Connection, s: Row) -> str:
    """Everything of the class as CSV (see ``Store.export_csv``)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["record", "seat", "nickname", "item", "value", "reason", "time"])
    w.writerow(["session", "", "", "scenario", s.scenario, "", iso(s.created_at)])
    for q in conn.execute(select(questions).where(questions.c.session_id == s.id).order_by(questions.c.position)):
        w.writerow(["question", "", "", q.question_id, q.state, "|".join(json.loads(q.actions)), iso(q.opened_at)])
    w.writerows(["parameter", "", "", p.name, f"{p.low!r}..{p.high!r}", "", ""] for p in ranges(conn, s.id))
    for r in conn.execute(select(students).where(students.c.session_id == s.id).order_by(students.c.seat)):
        w.writerow(["student", r.seat, cell(r.nickname), "", "", "", iso(r.joined_at)])
    for table, item in ((predictions, "question_id"), (assumptions, "name")):
        for r in conn.execute(select(students.c.seat, students.c.nickname, table).join_from(
                table, students, table.c.student_id == students.c.id).where(table.c.session_id == s.id)
                .order_by(students.c.seat, table.c[item])):
            value, reason = (r.action, cell(r.reason)) if table is predictions else (repr(r.value), "")
            w.writerow([table.name[:-1], r.seat, cell(r.nickname), r._mapping[item], value, reason, iso(r.submitted_at)])
    return out.getvalue()


def student_view(conn: Connection, st: Row) -> StudentView:
    """The questions of the student's class with the student's own answers, its values and the open parameters."""
    mine = (predictions.c.session_id == questions.c.session_id) & (predictions.c.student_id == st.id) & (
        predictions.c.question_id == questions.c.question_id)
    qs = conn.execute(select(questions, predictions.c.action, predictions.c.reason).outerjoin(predictions, mine)
                      .where(questions.c.session_id == st.session_id).order_by(questions.c.position)).all()
    values = conn.execute(select(assumptions.c.name, assumptions.c.value)
                          .where(assumptions.c.student_id == st.id).order_by(assumptions.c.name)).all()
    return StudentView(st.session_id, st.scenario, st.seat, st.nickname, tuple(
        StudentQuestion(q.question_id, q.state, tuple(json.loads(q.actions)), q.action, q.reason) for q in qs),
        ranges(conn, st.session_id), bool(st.assumptions_open), tuple((r.name, r.value) for r in values), st.settings)


def reasons(conn: Connection, s: Row, question_id: str) -> tuple[tuple[str, str], ...]:
    """The reasons given for the answers to one question, as (action, reason), oldest first, with no name."""
    rows = conn.execute(select(predictions.c.action, predictions.c.reason).where(
        predictions.c.session_id == s.id, predictions.c.question_id == question_id, predictions.c.reason.is_not(None))
        .order_by(predictions.c.submitted_at))
    return tuple((r.action, r.reason) for r in rows)


def scenario_file(conn: Connection, session_id: str) -> tuple[str, bytes] | None:
    """The uploaded scenario file kept with the class, as ``(name, bytes)``, or None for a shipped scenario."""
    row = conn.execute(select(scenario_files).where(scenario_files.c.session_id == session_id)).first()
    return None if row is None else (row.name, row.data.encode("utf-8"))
