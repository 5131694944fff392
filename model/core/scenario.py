"""The scenario: what a game *is*, declared once as data (players, attributes, parameters, tree).

A player's utility at an outcome ``t`` is ``u_i(t) = sum_k w_ik * s_k * a_k(t)``: the weight
``w_ik`` the player gives attribute ``k`` (usually a parameter, a slider), the attribute's sense
``s_k`` (+1 when more is better, -1 when less is better) and the outcome's level ``a_k(t)``.
Levels, weights and chance probabilities are numbers or expressions of parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, Union

from ..errors import ScenarioError
from .expressions import Expr

SCHEMA_VERSION = 1
CHANCE = "chance"


@dataclass(frozen=True)
class Parameter:
    """A named number a user may move: a slider with its range, step, unit and one-line description."""

    id: str
    label: str
    default: float
    min: float
    max: float
    step: float
    unit: str = ""
    description: str = ""

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies inside the range (NaN never does)."""
        return self.min <= x <= self.max

    def out_of_range(self, raw: object) -> ScenarioError:
        """The one message for a value outside the range."""
        return ScenarioError(f"value {raw!r} is outside the range; allowed: {self.min:g} to {self.max:g}",
                             field=f"parameters.{self.id}")


@dataclass(frozen=True)
class Attribute:
    """A consequence every outcome has a level of; ``better`` says which direction is good."""

    id: str
    label: str
    better: Literal["higher", "lower"] = "higher"
    unit: str = ""
    description: str = ""

    @property
    def sense(self) -> float:
        return 1.0 if self.better == "higher" else -1.0


@dataclass(frozen=True)
class Player:
    """A decision maker and the weight it gives each attribute (attribute id -> Expr, in attribute order)."""

    id: str
    name: str
    weights: tuple[tuple[str, Expr], ...]
    description: str = ""

    def weight(self, attribute: str) -> Expr:
        return dict(self.weights)[attribute]


@dataclass(frozen=True)
class Action:
    """One move available at a decision node (or one branch of a chance node, with its probability)."""

    id: str
    label: str
    next: str
    probability: Expr | None = None


@dataclass(frozen=True)
class Decision:
    id: str
    player: str
    actions: tuple[Action, ...]
    label: str = ""
    description: str = ""
    kind: Literal["decision"] = "decision"


@dataclass(frozen=True)
class Chance:
    id: str
    actions: tuple[Action, ...]
    label: str = ""
    description: str = ""
    kind: Literal["chance"] = "chance"

    @property
    def player(self) -> str:
        return CHANCE


@dataclass(frozen=True)
class Outcome:
    """A terminal node: the level of every attribute (attribute id -> Expr, in attribute order)."""

    id: str
    levels: tuple[tuple[str, Expr], ...]
    label: str = ""
    description: str = ""
    kind: Literal["outcome"] = "outcome"


Node = Union[Decision, Chance, Outcome]


@dataclass(frozen=True)
class PlayerType:
    """One possible type of the privately informed player: its prior and the parameter values it has."""

    id: str
    label: str
    prior: Expr
    values: tuple[tuple[str, float], ...]
    description: str = ""


@dataclass(frozen=True)
class Uncertainty:
    """Chance draws ``player``'s type from the prior; the other players know the prior, not the draw."""

    player: str
    types: tuple[PlayerType, ...]
    label: str = ""
    description: str = ""

    def priors(self, env: Mapping[str, float]) -> tuple[float, ...]:
        """Each type's prior probability at the parameter values ``env`` (a prior may be a parameter)."""
        return tuple(float(t.prior.value(env)) for t in self.types)


@dataclass(frozen=True)
class Claim:
    """A statement of fact about the model, as data: its ``kind``, its ``options`` (ids and numbers) and
    the description sentences it backs (``says``: their first words). ``model.analyses.claims`` checks it."""

    kind: str
    says: tuple[str, ...] = ()
    options: tuple[tuple[str, object], ...] = ()

    def option(self, name: str, default: object = None) -> object:
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Bargaining:
    """The deal the players bargain over: ``deal``, the outcome of the kept deal; ``parameter``, the term
    bargained over by default (e.g. the package's size); ``alternatives``: player id -> the moves
    (``(node, action)``) that lead to that player's alternatives to the deal."""

    deal: str
    parameter: str
    alternatives: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    description: str = ""


@dataclass(frozen=True)
class Scenario:
    """A whole scenario file. Parameter ``default`` values are the scenario's current state."""

    title: str
    players: tuple[Player, ...]
    attributes: tuple[Attribute, ...]
    parameters: tuple[Parameter, ...]
    root: str
    nodes: tuple[Node, ...]
    description: str = ""
    schema_version: int = SCHEMA_VERSION
    uncertainty: Uncertainty | None = None
    bargaining: Bargaining | None = None
    claims: tuple[Claim, ...] = ()
    leaves_out: tuple[str, ...] = ()  # what the model leaves out, in a few words each (shown with the results)
    teaches: str = ""  # the lesson in one sentence (a preset's entry in the README's table)
    # Derived data computed once per Scenario object (its compiled game: ``game.game_of``); never
    # compared, printed, pickled or carried over by ``with_values``.
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "memo"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, memo={})

    # -- lookups (derived, never stored twice) -------------------------------------------------
    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def player(self, player_id: str) -> Player:
        for p in self.players:
            if p.id == player_id:
                return p
        raise KeyError(player_id)

    def parameter(self, param_id: str) -> Parameter:
        for p in self.parameters:
            if p.id == param_id:
                return p
        raise ScenarioError(
            f"unknown parameter {param_id!r}; known: {', '.join(p.id for p in self.parameters) or 'none'}"
        )

    def player_name(self, player_id: str) -> str:
        return "Chance" if player_id == CHANCE else self.player(player_id).name

    @property
    def values(self) -> dict[str, float]:
        """The current value of every parameter (its ``default``)."""
        return {p.id: p.default for p in self.parameters}

    def with_values(self, values: Mapping[str, float] | None = None, /) -> "Scenario":
        """The same scenario with some parameters moved (each checked against its range)."""
        updates = dict(values or {})
        if not updates:
            return self
        checked = check_values(self, updates)
        params = tuple(replace(p, default=checked[p.id]) if p.id in checked else p for p in self.parameters)
        return replace(self, parameters=params)


def check_values(scenario: Scenario, values: Mapping[str, object]) -> dict[str, float]:
    """Validate parameter overrides: known names, finite numbers inside each parameter's range."""
    out: dict[str, float] = {}
    for name, raw in values.items():
        param = scenario.parameter(name)
        try:
            if isinstance(raw, bool):
                raise TypeError
            x = float(raw)
        except (TypeError, ValueError):
            raise ScenarioError(
                f"value {raw!r} is not a number; allowed: a number from {param.min:g} to {param.max:g}",
                field=f"parameters.{name}",
            ) from None
        if not param.contains(x):  # also rejects NaN
            raise param.out_of_range(raw)
        out[name] = x
    return out


def parameter_groups(scenario: Scenario) -> list[tuple[str, tuple[Parameter, ...]]]:
    """Parameters grouped for display: each player's weights, then probabilities, then outcome levels.

    A parameter belongs to the first group it is used in, in that order; unused ones go with the levels.
    """
    groups: list[tuple[str, list[Parameter]]] = []
    placed: set[str] = set()
    for player in scenario.players:
        used = frozenset().union(*(e.names for _, e in player.weights))
        groups.append((f"{player.name}'s weights", [p for p in scenario.parameters if p.id in used and p.id not in placed]))
        placed |= used
    used = frozenset().union(*(a.probability.names for n in scenario.nodes if isinstance(n, Chance) for a in n.actions))
    if scenario.uncertainty is not None:
        used |= frozenset().union(*(t.prior.names for t in scenario.uncertainty.types))
    groups.append(("Probabilities", [p for p in scenario.parameters if p.id in used and p.id not in placed]))
    placed |= used
    groups.append(("Outcome levels", [p for p in scenario.parameters if p.id not in placed]))
    return [(label, tuple(ps)) for label, ps in groups if ps]
