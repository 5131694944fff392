"""Hypothesis builders for random scenarios (trees with chance, parameters in weights, levels and probabilities)."""

from __future__ import annotations

import copy

from hypothesis import assume
from hypothesis import strategies as st

from model.files.validation import build_scenario

LEVELS = [-1.0, -0.5, 0.0, 0.25, 0.5, 1.0]


@st.composite
def scenario_docs(draw, *, max_depth: int = 3, exprs: bool = True):
    n_players = draw(st.integers(1, 3))
    n_attrs = draw(st.integers(1, 3))
    players = [f"p{i}" for i in range(n_players)]
    attrs = [f"a{k}" for k in range(n_attrs)]
    params = {}
    for p in players:
        for a in attrs:
            params[f"w_{p}_{a}"] = {"label": f"weight {p} {a}", "default": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
                                    "min": 0.0, "max": 1.0, "step": 0.05}
    params["x"] = {"label": "level x", "default": draw(st.sampled_from([0.0, 0.5, 1.0])), "min": -1.0, "max": 1.0,
                   "step": 0.05}
    params["q"] = {"label": "prob q", "default": draw(st.sampled_from([0.0, 0.3, 0.5, 1.0])), "min": 0.0, "max": 1.0,
                   "step": 0.05}
    level_choices = LEVELS + (["x", "1 - x", "0.5 * x", "max(x, 0)"] if exprs else [])
    nodes = {}
    counter = [0]

    def new_id(prefix):
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def build(depth):
        kind = "outcome" if depth >= max_depth else draw(st.sampled_from(["decision", "decision", "chance", "outcome"]))
        nid = new_id("n")
        if kind == "outcome":
            nodes[nid] = {"kind": "outcome", "levels": {a: draw(st.sampled_from(level_choices)) for a in attrs}}
        elif kind == "decision":
            m = draw(st.integers(1, 3))
            nodes[nid] = {"kind": "decision", "player": draw(st.sampled_from(players)), "actions": []}
            for j in range(m):
                nodes[nid]["actions"].append({"id": f"a{j}", "label": f"action {j}", "next": build(depth + 1)})
        else:
            probs = draw(st.sampled_from([("q", "1 - q"), (0.5, 0.5), (0.25, 0.75), ("q * q", "1 - q * q")]
                                         if exprs else [(0.5, 0.5), (0.25, 0.75), (1.0, 0.0)]))
            nodes[nid] = {"kind": "chance", "branches": [
                {"id": f"b{j}", "label": f"branch {j}", "probability": pr, "next": build(depth + 1)}
                for j, pr in enumerate(probs)]}
        return nid

    nodes_root = {}
    root = new_id("n")
    m = draw(st.integers(2, 3))
    nodes_root[root] = {"kind": "decision", "player": players[0], "actions": []}
    nodes.update(nodes_root)
    for j in range(m):
        nodes[root]["actions"].append({"id": f"a{j}", "label": f"action {j}", "next": build(1)})
    return {
        "schema_version": 1, "title": "random", "root": root,
        "players": {p: {"name": p.upper(), "weights": {a: f"w_{p}_{a}" for a in attrs}} for p in players},
        "attributes": {a: {"label": a, "better": draw(st.sampled_from(["higher", "lower"]))} for a in attrs},
        "parameters": params,
        "nodes": nodes,
    }


def scenarios(**kw):
    return scenario_docs(**kw).map(build_scenario)


def scenario_pairs(**kw):
    """``(document, scenario)``: the raw document (for references that must not use ``model``'s
    reading of it, tests/raw.py) and the scenario built from a copy of it."""
    return scenario_docs(**kw).map(lambda doc: (doc, build_scenario(copy.deepcopy(doc))))


@st.composite
def two_type_scenarios(draw, *, max_depth: int = 3, max_profiles: int = 2000):
    """A random scenario (``scenario_docs`` without expressions, two players or more) in which one player's weight
    is set by two types drawn by chance (prior 0.25, 0.5 or 0.75); a game with more than ``max_profiles`` pure
    strategy profiles (the informed player's nodes counted once per type) is discarded."""
    doc = copy.deepcopy(draw(scenario_docs(max_depth=max_depth, exprs=False)))
    assume(len(doc["players"]) >= 2)
    informed = draw(st.sampled_from(sorted(doc["players"])))
    weight = draw(st.sampled_from(sorted(doc["players"][informed]["weights"].values())))
    a, b = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=2, max_size=2, unique=True))
    first = draw(st.sampled_from([0.25, 0.5, 0.75]))
    doc["uncertainty"] = {"player": informed, "types": {
        "t1": {"label": "T1", "prior": first, "values": {weight: a}},
        "t2": {"label": "T2", "prior": 1 - first, "values": {weight: b}}}}
    scenario = build_scenario(doc)
    profiles = 1
    for n in scenario.nodes:
        if n.kind == "decision":
            profiles *= len(n.actions) ** (2 if n.player == informed else 1)
    assume(profiles <= max_profiles)
    return scenario
