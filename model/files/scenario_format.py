"""The scenario file format, declared once: the shape check and the JSON Schema both come from ``FORMAT``.

``check_shape(data)`` walks a parsed TOML/JSON document against ``FORMAT`` and raises
``ScenarioError`` naming the field path, the bad value and what is allowed; ``json_schema()``
renders the same declaration as a JSON Schema (shipped as ``model/files/scenario.schema.json``).
Meaning (references, ranges, the tree, probabilities) is checked afterwards in ``validation.py``.
"""

from __future__ import annotations

from typing import Any

from ..core.scenario import SCHEMA_VERSION
from .claim_format import CLAIM, MOVE
from .shape import ID_PATTERN, Text, Number, ExprSpec, Const, Choice, Table, Keyed, Items, Tagged


_ID = Text(pattern=ID_PATTERN, max_length=64)
_LABEL = Text(max_length=200, description="a short name shown in the app")
_DESCRIPTION = Text(description="one or two plain sentences shown in the app")

_ACTION = Table(
    (
        ("id", Text(pattern=ID_PATTERN, max_length=64, description="unique within the node"), True),
        ("label", _LABEL, True),
        ("next", Text(pattern=ID_PATTERN, max_length=64, description="id of the node this action leads to"), True),
    )
)
_BRANCH = Table(
    (
        ("id", Text(pattern=ID_PATTERN, max_length=64, description="unique within the node"), True),
        ("label", _LABEL, True),
        ("probability", ExprSpec("a probability in [0, 1]: a number or an expression of parameters"), True),
        ("next", Text(pattern=ID_PATTERN, max_length=64, description="id of the node this branch leads to"), True),
    )
)

_UNCERTAINTY = Table(
    (
        ("player", Text(pattern=ID_PATTERN, max_length=64, description="the player whose type is private"), True),
        ("label", _LABEL, False),
        ("description", _DESCRIPTION, False),
        (
            "types",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("description", _DESCRIPTION, False),
                        ("prior", ExprSpec("the type's prior probability: a number or an expression"), True),
                        ("values", Keyed(Number(description="the parameter's value for this type: a parameter of the "
                                                               "informed player's weights or of outcome levels"),
                                        min_items=1), True),
                    )
                ),
                "the possible types, by id, each with its prior and its own values of some parameters; "
                "the other players do not see the type, so their nodes that differ only by type form one "
                "information set",
                min_items=2,
            ),
            True,
        ),
    ),
    "optional: uncertainty about one player's type (the others know only the prior); solved for a perfect "
    "Bayesian equilibrium",
)

_BARGAINING = Table(
    (
        ("deal", Text(pattern=ID_PATTERN, max_length=64, description="id of the outcome of the kept deal"), True),
        ("parameter", Text(pattern=ID_PATTERN, max_length=64, description="the term bargained over by default"), True),
        ("alternatives", Keyed(Items(MOVE), "player id -> the moves (NODE:ACTION) leading to its alternatives to the "
                                            "deal"), True),
        ("description", _DESCRIPTION, False),
    ),
    "optional: the deal, and each side's alternatives to it, for the bargaining range",
)

FORMAT = Table(
    (
        ("schema_version", Const(SCHEMA_VERSION, "version of this file format"), True),
        ("title", Text(max_length=200), True),
        ("description", _DESCRIPTION, False),
        ("teaches", Text(max_length=300, description="the lesson this scenario teaches, in one sentence"), False),
        ("leaves_out", Items(Text(max_length=300), "what the model leaves out (actors, issues), a phrase each",
                             min_items=0), False),
        ("root", Text(pattern=ID_PATTERN, max_length=64, description="id of the first node (the first move)"), True),
        (
            "players",
            Keyed(
                Table(
                    (
                        ("name", _LABEL, True),
                        ("description", _DESCRIPTION, False),
                        (
                            "weights",
                            Keyed(ExprSpec("how much this player cares about the attribute")),
                            True,
                        ),
                    )
                ),
                "the decision makers, by id; each gives every attribute a weight",
            ),
            True,
        ),
        (
            "attributes",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("better", Choice(("higher", "lower"), "which direction is good for a player with a positive weight"), False),
                        ("unit", Text(max_length=40), False),
                        ("description", _DESCRIPTION, False),
                    )
                ),
                "the consequences every outcome has a level of",
            ),
            True,
        ),
        (
            "parameters",
            Keyed(
                Table(
                    (
                        ("label", _LABEL, True),
                        ("default", Number(description="the value the scenario opens with"), True),
                        ("min", Number(), True),
                        ("max", Number(), True),
                        ("step", Number(description="slider step, > 0"), True),
                        ("unit", Text(max_length=40), False),
                        ("description", _DESCRIPTION, False),
                    )
                ),
                "named numbers the user can move (sliders)",
                min_items=0,
            ),
            False,
        ),
        (
            "nodes",
            Keyed(
                Tagged(
                    (
                        (
                            "decision",
                            Table(
                                (
                                    ("kind", Const("decision"), True),
                                    ("player", Text(pattern=ID_PATTERN, max_length=64, description="id of the mover"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("actions", Items(_ACTION), True),
                                )
                            ),
                        ),
                        (
                            "chance",
                            Table(
                                (
                                    ("kind", Const("chance"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("branches", Items(_BRANCH), True),
                                )
                            ),
                        ),
                        (
                            "outcome",
                            Table(
                                (
                                    ("kind", Const("outcome"), True),
                                    ("label", _LABEL, False),
                                    ("description", _DESCRIPTION, False),
                                    ("levels", Keyed(ExprSpec("the attribute's level at this outcome")), True),
                                )
                            ),
                        ),
                    )
                ),
                "the game tree: decision, chance and outcome nodes, by id",
            ),
            True,
        ),
        ("uncertainty", _UNCERTAINTY, False),
        ("bargaining", _BARGAINING, False),
        ("claims", Items(CLAIM, "statements of fact about the model that the tool checks", min_items=0), False),
    ),
    "A conditional-offer scenario: players, attributes, parameters and a game tree.",
)


def check_shape(data: Any) -> dict:
    """The document, with types checked against ``FORMAT`` (numbers made floats), or ScenarioError."""
    return FORMAT.check(data, "")


def json_schema() -> dict:
    """The JSON Schema of the scenario format, generated from ``FORMAT``."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/conditional-offer/scenario.schema.json",
        "title": "Conditional-offer scenario",
    }
    schema.update(FORMAT.schema())
    return schema
