"""The guided lesson, student view: what to look at and the questions for each step (no answers here)."""

from __future__ import annotations

from ui import lesson_view, state

state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
lesson_view.panel()
