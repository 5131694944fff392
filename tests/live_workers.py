"""What one process of a live class does, for the store's multi-process tests and its load benchmark.

Spawned processes import this module, so it holds only plain functions of picklable arguments.
"""

from __future__ import annotations

import os
import random
import time

from ui.live.store import open_store


def open_at(url: str, start_at: float) -> bool:
    """Wait until ``start_at`` (so that several processes open together), then open and close the store."""
    time.sleep(max(0.0, start_at - time.time()))
    store = open_store(url=url)
    store.close()
    return True


def answer_as_class(url: str, join_code: str, students: int, questions: list[tuple[str, list[str]]],
                    seed: int) -> dict:
    """Join ``students`` students, each answers every question, then changes its answer to the first one.

    Returns what was sent: the final answer of each (seat, question), and every receipt's revision.
    """
    rng = random.Random(seed)
    store = open_store(url=url)
    try:
        joined = [store.join(join_code=join_code, nickname=f"w{seed}-{i}") for i in range(students)]
        final, revisions = {}, []
        for qid, actions in questions:
            for student in joined:
                action = rng.choice(actions)
                receipt = store.submit_prediction(student_token=student.student_token, question_id=qid, action=action)
                final[(student.seat, qid)] = action
                revisions.append(receipt.revision)
        qid, actions = questions[0]
        for student in joined:
            action = rng.choice(actions)
            revisions.append(store.submit_prediction(student_token=student.student_token, question_id=qid,
                                                     action=action).revision)
            final[(student.seat, qid)] = action
        return {"final": final, "revisions": revisions, "seats": [s.seat for s in joined]}
    finally:
        store.close()


def join_many(url: str, join_code: str, students: int) -> tuple[int, list[str]]:
    """Try to join ``students`` times; return how many got in and the messages of those refused."""
    store = open_store(url=url)
    joined, refused = 0, []
    try:
        for i in range(students):
            try:
                store.join(join_code=join_code)
                joined += 1
            except ValueError as error:
                refused.append(str(error))
        return joined, refused
    finally:
        store.close()


def read_back(url: str, instructor_token: str, student_token: str, model_actions: dict[str, str]):
    """A fresh process reads the class back by its tokens: the tally, the points, the export and a student's view."""
    store = open_store(url=url)
    try:
        return (store.tally(instructor_token=instructor_token, model_actions=model_actions),
                store.assumption_points(instructor_token=instructor_token),
                store.export_csv(instructor_token=instructor_token), store.student_view(student_token=student_token))
    finally:
        store.close()


def pid_after(seconds: float) -> int:
    """Sleep, then say which process ran this (the pool fixture waits until all four answer)."""
    time.sleep(seconds)
    return os.getpid()
