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


def stop_or_go(n: int):
    """A chain of ``n`` two-action decisions by Ann: at each she stops (0.5 money at the first, 0 later) or goes
    on; going to the end is worth w (her weight on fun, now 0.8), so she stops at once exactly when w < 0.5."""
    nodes = {}
    for i in range(n):
        nodes[f"n{i}"] = choose("ann", ("stop", f"o{i}"), ("go", f"n{i + 1}" if i < n - 1 else "o_end"))
        nodes[f"o{i}"] = end(money=0.5 if i == 0 else 0.0)
    nodes["o_end"] = end(fun=1)
    return scenario(players={"ann": ("Ann", {"money": 1.0, "fun": "w"})},
                    attributes={"money": ("Money", "higher"), "fun": ("Fun", "higher")},
                    parameters={"w": param(0.8)}, root="n0", nodes=nodes)
