"""The subgame-perfect equilibrium at one parameter point, with everything a reader needs.

``solve`` runs the batched ``backward_induction`` on a batch of one point and reports, for every
decision node on and off the equilibrium path: the mover, each action's value to the mover, the
chosen action, its margin over the runner-up, the actions tied with it, and a one-sentence
explanation; plus the root's expected utility for each player and the equilibrium path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .backward_induction import TIE_RULE, TIE_TOLERANCE, backward_induction
from ..text.explanations import NOTE, explain_choice, fmt
from .game import Game, full_information, game_of, make_env
from .result import Result
from .scenario import CHANCE, Decision, Scenario

METHOD = "backward induction (subgame-perfect equilibrium, expected values at chance nodes)"


@dataclass(frozen=True)
class NodeChoice:
    """The mover's choice at one decision node, on or off the equilibrium path.

    ``values``: action id -> value to the mover; ``payoffs``: action id -> every player's value
    (in ``Solution.players`` order); ``margin``: chosen value minus the best other action's value
    (None when there is only one action); ``ties``: other actions within the tie tolerance;
    ``reach``: probability that equilibrium play reaches this node; ``contributions``: attribute id
    -> weight x sense x (expected level after the chosen action - after the runner-up), which sum
    to the margin.
    """

    node: str
    player: str
    action: str
    values: tuple[tuple[str, float], ...]
    payoffs: tuple[tuple[str, tuple[float, ...]], ...]
    margin: float | None
    runner_up: str | None
    ties: tuple[str, ...]
    reach: float
    contributions: tuple[tuple[str, float], ...]
    explanation: str

    @property
    def on_path(self) -> bool:
        return self.reach > 0.0

    def value(self, action: str) -> float:
        return dict(self.values)[action]


@dataclass(frozen=True)
class PathStep:
    """One node of equilibrium play: a decision (``action`` set) or a chance node (``probabilities``)."""

    node: str
    player: str
    action: str | None = None
    probabilities: tuple[tuple[str, float], ...] | None = None


@dataclass(frozen=True)
class Solution(Result):
    """A subgame-perfect equilibrium and how it was found (``method``, ``tie_rule``, ``values``).

    ``reach``: node id -> probability that equilibrium play reaches it; ``outcomes``: the outcomes
    reached, with their probabilities; ``chance``: every chance node's branch probabilities.
    """

    title: str
    values: tuple[tuple[str, float], ...]
    players: tuple[str, ...]
    payoffs: tuple[tuple[str, float], ...]
    choices: tuple[NodeChoice, ...]
    path: tuple[PathStep, ...]
    node_values: tuple[tuple[str, tuple[float, ...]], ...]
    reach: tuple[tuple[str, float], ...]
    outcomes: tuple[tuple[str, float], ...]
    chance: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    method: str = METHOD
    tie_rule: str = TIE_RULE

    def probabilities(self, node: str) -> dict[str, float]:
        """Branch id -> probability at chance node ``node`` (at this solution's parameter values)."""
        return dict(dict(self.chance)[node])

    def choice(self, node: str) -> NodeChoice:
        for c in self.choices:
            if c.node == node:
                return c
        raise KeyError(node)

    @property
    def choice_map(self) -> dict[str, str]:
        return {c.node: c.action for c in self.choices}

    @property
    def ties(self) -> tuple[NodeChoice, ...]:
        return tuple(c for c in self.choices if c.ties)

    def to_text(self, scenario: Scenario) -> str:
        """The human report of ``python -m model solve``: the play, then every decision and why."""
        names = {p.id: p.name for p in scenario.players}

        def label(node: str, action: str) -> str:
            return next(a.label for a in scenario.node(node).actions if a.id == action)

        out = [scenario.title, NOTE, "", "Equilibrium play (subgame-perfect, by backward induction):"]
        for k, step in enumerate(self.path, start=1):
            spec = scenario.node(step.node)
            if step.player == CHANCE:
                odds = ", ".join(f"{a.label} {fmt(p)}" for a, (_, p) in zip(spec.actions, step.probabilities))
                out.append(f"  {k}. Chance ({spec.label or spec.id}): {odds}")
            else:
                out.append(f"  {k}. {names[step.player]}: {label(step.node, step.action)}")
        out.append("Expected utility: " + ", ".join(f"{names[p]} {fmt(v)}" for p, v in self.payoffs))
        out += ["", "Every decision, on and off the equilibrium path (* = on the path):"]
        for c in self.choices:
            spec = scenario.node(c.node)
            mark = "*" if c.on_path else " "
            margin = "" if c.margin is None else f", margin {fmt(c.margin)}"
            out.append(f"{mark} {spec.label or spec.id} [{c.node}]: {names[c.player]} chooses "
                       f"\u201c{label(c.node, c.action)}\u201d{margin}")
            out.append("      " + " | ".join(f"{label(c.node, a)} {fmt(v)}" for a, v in c.values))
            out.append("      " + c.explanation)
        ties = self.ties
        out.append("")
        out.append("Ties: " + ("none." if not ties else "; ".join(
            f"{c.node} ({', '.join([c.action, *c.ties])})" for c in ties)))
        out.append(f"Tie rule: {self.tie_rule}")
        return "\n".join(out)

    def to_json(self) -> dict:
        """Plain data: ``players``, ``payoffs``, ``choices``, ``path`` and how they were computed."""
        return {
            "title": self.title,
            "method": self.method,
            "tie_rule": self.tie_rule,
            "players": list(self.players),
            "payoffs": dict(self.payoffs),
            "choices": {
                c.node: {
                    "player": c.player,
                    "action": c.action,
                    "values": dict(c.values),
                    "margin": c.margin,
                    "runner_up": c.runner_up,
                    "ties": list(c.ties),
                    "on_path": c.on_path,
                    "explanation": c.explanation,
                }
                for c in self.choices
            },
            "path": [
                {"node": s.node, "player": s.player, "action": s.action}
                if s.action is not None
                else {"node": s.node, "player": CHANCE, "probabilities": dict(s.probabilities)}
                for s in self.path
            ],
            "outcomes": dict(self.outcomes),
            "parameters": dict(self.values),
        }


def expected_levels(game: Game, choice: dict[int, int], probs: dict[int, list[float]], levels: list[list[float]]
                    ) -> list[np.ndarray]:
    """Each node's expected attribute levels under the given choices below it (one point)."""
    out: list[np.ndarray | None] = [None] * len(game.node_ids)
    outcome_row = {node: r for r, node in enumerate(game.outcomes)}
    for node in reversed(range(len(game.node_ids))):
        kids = game.children[node]
        if game.mover[node] == -2:
            out[node] = np.asarray(levels[outcome_row[node]], dtype=float)
        elif game.mover[node] == -1:
            out[node] = sum(p * out[k] for p, k in zip(probs[node], kids))
        else:
            out[node] = out[kids[choice[node]]]
    return out


def solve(scenario: Scenario, /, *, values: Mapping[str, float] | None = None) -> Solution:
    """The subgame-perfect equilibrium of ``scenario`` at its current values, or with some moved (``values``)."""
    full_information(scenario)
    game = game_of(scenario)
    env, _ = make_env(scenario, values)
    batch = backward_induction(game, env, 1, detail=True)
    V = batch.node_values[0, :, :, 0]  # (n_nodes, n_players)
    choice = {node: int(batch.choice[r, 0]) for r, node in enumerate(game.decisions)}
    probs = {node: [float(x) for x in batch.probs[r][:, 0]] for r, node in enumerate(game.chances)}
    levels = [[float(f(env)) for f in row] for row in game.levels]
    weights = np.array([[float(f(env)) * s for f, s in zip(row, game.senses)] for row in game.weights])
    exp_levels = expected_levels(game, choice, probs, levels)

    reach = np.zeros(len(game.node_ids))
    reach[0] = 1.0
    for node in range(len(game.node_ids)):
        kids = game.children[node]
        if game.mover[node] == -1:
            for p, k in zip(probs[node], kids):
                reach[k] = reach[node] * p
        elif game.mover[node] >= 0:
            reach[kids[choice[node]]] = reach[node]

    players = tuple(p.id for p in scenario.players)
    choices = []
    for node in game.decisions:
        spec: Decision = scenario.node(game.node_ids[node])
        i = game.mover[node]
        kids = game.children[node]
        vals = [float(V[k, i]) for k in kids]
        c = choice[node]
        others = [j for j in range(len(kids)) if j != c]
        runner = max(others, key=lambda j: (vals[j], -j)) if others else None
        margin = vals[c] - vals[runner] if runner is not None else None
        ties = tuple(spec.actions[j].id for j in others if abs(vals[j] - vals[c]) <= TIE_TOLERANCE)
        contributions = ()
        if runner is not None:
            diff = weights[i] * (exp_levels[kids[c]] - exp_levels[kids[runner]])
            contributions = tuple((a.id, float(d)) for a, d in zip(scenario.attributes, diff))
        choices.append(
            NodeChoice(
                node=spec.id, player=spec.player, action=spec.actions[c].id,
                values=tuple((a.id, v) for a, v in zip(spec.actions, vals)),
                payoffs=tuple((a.id, tuple(float(x) for x in V[k])) for a, k in zip(spec.actions, kids)),
                margin=margin, runner_up=spec.actions[runner].id if runner is not None else None, ties=ties,
                reach=float(reach[node]), contributions=contributions,
                explanation=explain_choice(scenario, node=spec, values=vals, chosen=c, runner_up=runner,
                                           ties=ties, contributions=contributions,
                                           weights=weights[i]),
            )
        )

    path: list[PathStep] = []
    stack = [0]
    while stack:
        node = stack.pop()
        nid = game.node_ids[node]
        kids = game.children[node]
        if game.mover[node] >= 0:
            spec = scenario.node(nid)
            path.append(PathStep(node=nid, player=spec.player, action=spec.actions[choice[node]].id))
            stack.append(kids[choice[node]])
        elif game.mover[node] == -1:
            spec = scenario.node(nid)
            path.append(PathStep(node=nid, player=CHANCE,
                                 probabilities=tuple((a.id, p) for a, p in zip(spec.actions, probs[node]))))
            stack.extend(k for p, k in reversed(list(zip(probs[node], kids))) if p > 0)

    return Solution(
        title=scenario.title,
        values=tuple((k, float(np.asarray(env[k]).reshape(-1)[0])) for k in scenario.values),
        players=players,
        payoffs=tuple((p, float(batch.root[i, 0])) for i, p in enumerate(players)),
        choices=tuple(choices),
        path=tuple(path),
        node_values=tuple((nid, tuple(float(x) for x in V[j])) for j, nid in enumerate(game.node_ids)),
        reach=tuple((nid, float(reach[j])) for j, nid in enumerate(game.node_ids)),
        outcomes=tuple((game.node_ids[j], float(reach[j])) for j in game.outcomes if reach[j] > 0),
        chance=tuple((game.node_ids[node], tuple((a.id, p) for a, p in zip(scenario.node(game.node_ids[node]).actions,
                                                                            probs[node])))
                     for node in game.chances),
    )

