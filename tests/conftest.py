"""Shared fixtures: the shipped scenarios, small scenario builders and the Gambit corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from model import load_scenario
from model.files.validation import build_scenario

ROOT = Path(__file__).resolve().parent.parent


def skip_unless_required(flag: str, reason: str) -> None:
    """Skip the calling module (printing ``reason``), or fail it when the environment sets ``flag``=1:
    ``.ci/run`` sets the flags, so there a missing dependency is an error, never a silent skip."""
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason}, but {flag}=1", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((ROOT / "scenarios").glob("*.json"))
GAMBIT_CORPUS = ROOT.parent / "shared" / "games" / "gambit"


@pytest.fixture(autouse=True)
def no_class_store_in_the_repo(monkeypatch, tmp_path_factory):
    """No test writes the live class's store into the project's data/ folder: by default it goes to a
    temporary folder (a test that needs its own sets it again)."""
    if "CONDITIONAL_OFFER_DATA_DIR" not in os.environ:
        monkeypatch.setenv("CONDITIONAL_OFFER_DATA_DIR", str(tmp_path_factory.getbasetemp() / "class-store"))


@pytest.fixture(scope="session")
def default_scenario():
    return load_scenario(ROOT / "scenarios" / "default.toml")


def payoff_game(players: dict[str, str], root: str, nodes: dict, *, parameters: dict | None = None,
                title: str = "test game"):
    """A scenario whose attributes are one payoff per player, each player weighing only its own.

    Outcome nodes are given as ``{"kind": "outcome", "pay": [x1, x2, ...]}`` (numbers or expressions).
    """
    attrs = {f"pay_{p}": {"label": f"Payoff to {name}"} for p, name in players.items()}
    doc_nodes = {}
    for nid, node in nodes.items():
        node = dict(node)
        if node["kind"] == "outcome":
            pay = node.pop("pay")
            node["levels"] = {f"pay_{p}": v for p, v in zip(players, pay)}
        doc_nodes[nid] = node
    doc = {
        "schema_version": 1,
        "title": title,
        "root": root,
        "players": {
            p: {"name": name, "weights": {f"pay_{q}": (1.0 if q == p else 0.0) for q in players}}
            for p, name in players.items()
        },
        "attributes": attrs,
        "parameters": parameters or {},
        "nodes": doc_nodes,
    }
    return build_scenario(doc)


def decision(player: str, *actions: tuple[str, str]) -> dict:
    return {"kind": "decision", "player": player,
            "actions": [{"id": a, "label": a.replace("_", " "), "next": nxt} for a, nxt in actions]}


def chance(*branches: tuple[str, object, str]) -> dict:
    return {"kind": "chance",
            "branches": [{"id": b, "label": b, "probability": p, "next": nxt} for b, p, nxt in branches]}


def outcome(*pay) -> dict:
    return {"kind": "outcome", "pay": list(pay)}
