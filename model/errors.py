"""The one domain error of the model: a bad scenario, game file, expression or parameter value.

Every message says which file, which field, what was wrong and what is allowed, so the CLI and the
app can show it as one line without a traceback.
"""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario (or game file, expression, parameter value) that the model cannot accept.

    ``message`` says what was wrong and what is allowed; ``file`` and ``field`` say where
    (``field`` is a dotted path such as ``nodes.us_offer.actions[1].next``).
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.message = message
        self.file = file
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.field) if part)
        return f"{where}: {self.message}" if where else self.message

    def at(self, *, file: str | None = None, field: str | None = None) -> "ScenarioError":
        """The same error with the location filled in where it was still missing."""
        return ScenarioError(self.message, file=self.file or file, field=self.field or field)

