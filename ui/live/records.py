"""What the live store returns and raises: its errors and its frozen records (receipts, tallies, views).

Every message of an error is one sentence fit to show the user; every record is a frozen dataclass of
plain values (ids, counts, numbers), never a database row.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    settings_json: str  # the class's settings as the instructor made them (never an answer)
