"""Small scenarios built in code for the behaviour tests (attributes with a sense, weights that may
be parameters, labelled nodes, an optional [uncertainty] section)."""

from __future__ import annotations

from model.files.validation import build_scenario


def param(default: float, lo: float = 0.0, hi: float = 1.0, step: float = 0.01, label: str | None = None) -> dict:
    return {"label": label or "a parameter", "default": default, "min": lo, "max": hi, "step": step}


def choose(player: str, *actions: tuple[str, str], label: str | None = None) -> dict:
    """A decision node; each action is ``(id, next)`` and its label is the id capitalised."""
    node = {"kind": "decision", "player": player,
            "actions": [{"id": a, "label": a.replace("_", " ").capitalize(), "next": nxt} for a, nxt in actions]}
    if label:
        node["label"] = label
    return node


def draw(*branches: tuple[str, object, str], label: str | None = None) -> dict:
    node = {"kind": "chance", "branches": [{"id": b, "label": b.capitalize(), "probability": p, "next": nxt}
                                           for b, p, nxt in branches]}
    if label:
        node["label"] = label
    return node


def end(**levels) -> dict:
    return {"kind": "outcome", "levels": dict(levels)}


def scenario(*, players: dict, attributes: dict, nodes: dict, root: str, parameters: dict | None = None,
             uncertainty: dict | None = None, bargaining: dict | None = None, title: str = "a small game"):
    """``players``: id -> (name, {attribute: weight}); ``attributes``: id -> (label, "higher"/"lower").
    A weight or a level left out is 0. ``bargaining``: the scenario file's [bargaining] section."""
    players = {p: (name, {a: weights.get(a, 0.0) for a in attributes}) for p, (name, weights) in players.items()}
    nodes = {nid: ({**n, "levels": {a: n["levels"].get(a, 0.0) for a in attributes}} if n["kind"] == "outcome" else n)
             for nid, n in nodes.items()}
    doc = {
        "schema_version": 1, "title": title, "root": root,
        "players": {p: {"name": name, "weights": weights} for p, (name, weights) in players.items()},
        "attributes": {a: {"label": label, "better": better} for a, (label, better) in attributes.items()},
        "parameters": parameters or {},
        "nodes": nodes,
    }
    if uncertainty is not None:
        doc["uncertainty"] = uncertainty
    if bargaining is not None:
        doc["bargaining"] = bargaining
    return build_scenario(doc)
