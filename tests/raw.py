"""A second reading of scenario documents, for reference checks: it shares no code with ``model``.

It reads the raw document (the parsed TOML or JSON, or the dict a test builds) and restates what
the file format says a scenario means, with Python's own arithmetic:

- a parameter's value is its ``default`` unless moved;
- a level, weight or probability is a number or an arithmetic expression of parameters
  (``+ - * /``, parentheses, ``min``, ``max``), evaluated here by Python's ``eval`` with nothing
  in scope but the parameter values, ``min`` and ``max``;
- an attribute's sense is +1 when ``better = "higher"`` (the default) and -1 when ``"lower"``;
- player i's utility at an outcome is ``sum_k weight_ik * sense_k * level_k``;
- at a decision node the mover takes the action worth the most to it, a tie (within 1e-9) going
  to the action listed first; at a chance node every player gets the expected value.

Nothing here imports ``model``: a bug in the model's scenario classes, expression evaluator,
utility formula or solver cannot leak into the reference.
"""

from __future__ import annotations

import json
import re
import tomllib
from fractions import Fraction
from pathlib import Path

TIE = 1e-9  # the tie tolerance of the tool's documented tie rule, restated on purpose
_ARITHMETIC = re.compile(r"^[\sA-Za-z0-9_.+\-*/(),eE]*$")


def read(path: str | Path) -> dict:
    """The raw document of a ``.toml`` or ``.json`` scenario file."""
    path = Path(path)
    if path.suffix == ".json":
        return json.loads(path.read_text())
    return tomllib.loads(path.read_text())


def values(doc: dict, moved: dict | None = None) -> dict[str, float]:
    """Every parameter's value: its default, or the moved value."""
    out = {pid: float(p["default"]) for pid, p in doc.get("parameters", {}).items()}
    for k, v in (moved or {}).items():
        assert k in out, f"unknown parameter {k!r}"
        out[k] = float(v)
    return out


def evaluate(expr, env: dict[str, float]) -> float:
    """A number, or an expression of parameters evaluated with Python's arithmetic."""
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return float(expr)
    assert isinstance(expr, str) and _ARITHMETIC.match(expr), f"not plain arithmetic: {expr!r}"
    return float(eval(expr, {"__builtins__": {}, "min": min, "max": max}, dict(env)))  # noqa: S307


def sense(doc: dict, attribute: str) -> float:
    """+1 when more of the attribute is better, -1 when less is (from the document's ``better``)."""
    better = doc["attributes"][attribute].get("better", "higher")
    assert better in ("higher", "lower"), better
    return 1.0 if better == "higher" else -1.0


def players(doc: dict) -> list[str]:
    return list(doc["players"])


def weight(doc: dict, player: str, attribute: str, env: dict[str, float]) -> float:
    return evaluate(doc["players"][player]["weights"][attribute], env)


def utility(doc: dict, outcome: str, env: dict[str, float]) -> list[float]:
    """Every player's utility at an outcome node, in the document's player order."""
    levels = doc["nodes"][outcome]["levels"]
    return [sum(weight(doc, p, a, env) * sense(doc, a) * evaluate(levels[a], env) for a in doc["attributes"])
            for p in players(doc)]


def moves(node: dict) -> list[dict]:
    """A decision's actions or a chance node's branches, in the order of the file."""
    return node["branches"] if node["kind"] == "chance" else node["actions"]


def backward_induction(doc: dict, moved: dict | None = None) -> dict[str, tuple[list[float], str | None]]:
    """Node id -> (every player's value there, the chosen action id at a decision node, else None)."""
    env = values(doc, moved)
    order = players(doc)
    out: dict[str, tuple[list[float], str | None]] = {}

    def visit(nid: str) -> list[float]:
        node = doc["nodes"][nid]
        if node["kind"] == "outcome":
            out[nid] = (utility(doc, nid, env), None)
        elif node["kind"] == "chance":
            total = [0.0] * len(order)
            for b in node["branches"]:
                u = visit(b["next"])
                p = evaluate(b["probability"], env)
                total = [t + p * x for t, x in zip(total, u)]
            out[nid] = (total, None)
        else:
            i = order.index(node["player"])
            kids = [visit(a["next"]) for a in node["actions"]]
            best = max(k[i] for k in kids)
            c = next(j for j, k in enumerate(kids) if k[i] >= best - TIE)
            out[nid] = (kids[c], node["actions"][c]["id"])
        return out[nid][0]

    visit(doc["root"])
    return out


def play_value(doc: dict, choice: dict[str, str], moved: dict | None = None) -> list[float]:
    """Every player's expected utility when play follows ``choice`` (node id -> action id) from the root."""
    env = values(doc, moved)

    def walk(nid: str) -> list[float]:
        node = doc["nodes"][nid]
        if node["kind"] == "outcome":
            return utility(doc, nid, env)
        if node["kind"] == "chance":
            parts = [[evaluate(b["probability"], env) * x for x in walk(b["next"])] for b in node["branches"]]
            return [sum(x) for x in zip(*parts)]
        action = next(a for a in node["actions"] if a["id"] == choice[nid])
        return walk(action["next"])

    return walk(doc["root"])


# ---------------------------------------------------------------------------------- Gambit .efg


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _payoff(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def efg(doc: dict, moved: dict | None = None) -> str:
    """The game at its parameter values as Gambit ``.efg`` text (format: Gambit's documentation of
    the extensive-form file): one information set per player node, labelled with the node's id;
    chance probabilities as exact fractions summing to 1; payoffs from ``utility`` above."""
    env = values(doc, moved)
    order = players(doc)
    lines = [f"EFG 2 R {_q(doc['title'])} {{ {' '.join(_q(doc['players'][p]['name']) for p in order)} }}",
             _q("written by tests/raw.py from the raw scenario document"), ""]
    infosets: dict[str, int] = {}
    n_outcomes = 0

    def emit(nid: str) -> None:
        nonlocal n_outcomes
        node = doc["nodes"][nid]
        label = node.get("label") or nid
        if node["kind"] == "outcome":
            n_outcomes += 1
            pays = ", ".join(_payoff(u) for u in utility(doc, nid, env))
            lines.append(f"t {_q(label)} {n_outcomes} {_q(nid)} {{ {pays} }}")
            return
        if node["kind"] == "chance":
            infosets["chance"] = infosets.get("chance", 0) + 1
            probs = [Fraction(evaluate(b["probability"], env)).limit_denominator(10**9) for b in node["branches"]]
            probs[-1] = 1 - sum(probs[:-1])
            branches = " ".join(f"{_q(b['label'])} {p}" for b, p in zip(node["branches"], probs))
            lines.append(f"c {_q(label)} {infosets['chance']} {_q(nid)} {{ {branches} }} 0")
        else:
            infosets[node["player"]] = infosets.get(node["player"], 0) + 1
            actions = " ".join(_q(a["label"]) for a in node["actions"])
            lines.append(f"p {_q(label)} {order.index(node['player']) + 1} {infosets[node['player']]} {_q(nid)} "
                         f"{{ {actions} }} 0")
        for m in moves(node):
            emit(m["next"])

    emit(doc["root"])
    return "\n".join(lines) + "\n"
