"""The guided lesson, instructor view: each step with its model answer and live figures."""

from __future__ import annotations

from ui import instructor_view, state

state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
instructor_view.panel()
