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
# the presets without private types: the ones the solvers of full information answer for
FULL_INFORMATION = [p for p in SCENARIOS if load_scenario(p).uncertainty is None]
# the Gambit conformance corpus ships with the workspace, beside the project (GAMBIT_CORPUS points
# elsewhere, e.g. from a git worktree that has no ../shared beside it)
GAMBIT_CORPUS = Path(os.environ.get("GAMBIT_CORPUS") or ROOT.parent / "shared" / "games" / "gambit")
CORPUS = sorted(GAMBIT_CORPUS.glob("*.efg")) if GAMBIT_CORPUS.is_dir() else []
CORPUS_REASON = f"the Gambit conformance corpus {GAMBIT_CORPUS} is not here (it ships only with the workspace)"


@pytest.fixture(scope="module")
def server():
    """A ``streamlit run`` of the app for one browser test module (those modules call ``require_browser``)."""
    from .servers import streamlit_server
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium for one browser test module."""
    from .servers import browser
    with browser() as b:
        yield b


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
    return build_scenario(payoff_doc(players, root, nodes, parameters=parameters, title=title))


def payoff_doc(players: dict[str, str], root: str, nodes: dict, *, parameters: dict | None = None,
               title: str = "test game") -> dict:
    """The raw document of ``payoff_game`` (for the references that read documents, tests/raw.py)."""
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
    return doc


def decision(player: str, *actions: tuple[str, str]) -> dict:
    return {"kind": "decision", "player": player,
            "actions": [{"id": a, "label": a.replace("_", " "), "next": nxt} for a, nxt in actions]}


def chance(*branches: tuple[str, object, str]) -> dict:
    return {"kind": "chance",
            "branches": [{"id": b, "label": b, "probability": p, "next": nxt} for b, p, nxt in branches]}


def outcome(*pay) -> dict:
    return {"kind": "outcome", "pay": list(pay)}


def moved_points(scenario, n: int = 2) -> list[dict[str, float]]:
    """Up to ``n`` slider positions away from the scenario's values (one slider moved, on its step
    grid), each just past a flip of equilibrium play, so a check there sees a different answer."""
    from model import solve, thresholds

    now = [(s.node, s.action) for s in solve(scenario).path]
    out, used = [], set()
    for t in thresholds(scenario).nearest(scenario):
        p = scenario.parameter(t.parameter)
        if not t.path_changes or p.id in used:
            continue
        toward = 1 if t.value >= p.default else -1
        x = round(round(t.value / p.step) * p.step + toward * p.step, 10)
        x = min(p.max, max(p.min, x))
        if [(s.node, s.action) for s in solve(scenario, values={p.id: x}).path] != now:
            out.append({p.id: x})
            used.add(p.id)
        if len(out) == n:
            break
    return out


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--shuffle", type=int, default=None, metavar="SEED",
                     help="run the collected tests in a random order (seeded): every test must pass in any order")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    seed = config.getoption("--shuffle")
    if seed is not None:
        import random

        random.Random(seed).shuffle(items)
