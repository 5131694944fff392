"""The tree of a game with private types (``bayesian_tree_svg``), read back from the SVG's geometry: chance's
type draw first, each type's copy of the tree, a dashed line joining exactly the nodes of each information set,
and the equilibrium's play marked exactly where the solver puts it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from model import bayesian_tree_svg, load_scenario, perfect_bayesian

from .conftest import ROOT

NS = "{http://www.w3.org/2000/svg}"
PRESETS = ["screening", "beer_quiche"]


def boxes(root) -> dict[str, tuple[float, float, float, float]]:
    """Every drawn node: data-node -> (left, top, right, bottom)."""
    out = {}
    for r in root.iter(f"{NS}rect"):
        x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
        out[r.get("data-node")] = (x, y, x + w, y + h)
    for e in root.iter(f"{NS}ellipse"):
        cx, cy, rx, ry = (float(e.get(k)) for k in ("cx", "cy", "rx", "ry"))
        out[e.get("data-node")] = (cx - rx, cy - ry, cx + rx, cy + ry)
    return out


def touched(point: tuple[float, float], drawn) -> list[str]:
    """The nodes whose box has ``point`` on its left edge."""
    x, y = point
    return [n for n, (l, t, r, b) in drawn.items() if abs(x - l) < 0.5 and t <= y <= b]


@pytest.mark.parametrize("name", PRESETS)
def test_each_dashed_line_joins_exactly_the_nodes_of_one_information_set(name):
    s = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    root = ET.fromstring(bayesian_tree_svg(s, perfect_bayesian(s), 0))
    drawn = boxes(root)
    types = [t.id for t in s.uncertainty.types]
    assert len(drawn) == 1 + len(types) * len(s.nodes)  # chance's type draw, then one copy of the tree per type
    uninformed = [n.id for n in s.nodes if n.kind == "decision" and n.player != s.uncertainty.player]
    expected = {h: {f"{t}/{h}" for t in types} for h in uninformed}
    found = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class") != "infoset":
            continue
        (line,) = g.findall(f"{NS}polyline")
        assert line.get("stroke-dasharray")  # dashed
        (x0, y0), (x1, y1) = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        ticks = g.findall(f"{NS}line")
        ends = [(float(t.get("x2")), float(t.get("y2"))) for t in ticks]
        members = set()
        for tick, end in zip(ticks, ends):
            assert float(tick.get("x1")) == pytest.approx(x0)  # each tick leaves the dashed line
            hit = touched(end, drawn)
            assert len(hit) == 1, (end, hit)
            members |= set(hit)
        assert (min(y0, y1), max(y0, y1)) == pytest.approx((min(y for _, y in ends), max(y for _, y in ends)))
        found[g.get("data-infoset")] = members
    assert found == expected


@pytest.mark.parametrize("name", PRESETS)
def test_the_marked_play_is_each_types_equilibrium_play(name):
    """Thick edges end exactly at the nodes that each type's play in the solver's equilibrium moves to."""
    s = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    r = perfect_bayesian(s)
    for k, eq in enumerate(r.equilibria):
        root = ET.fromstring(bayesian_tree_svg(s, r, k))
        drawn = boxes(root)
        ends = set()
        for line in root.iter(f"{NS}polyline"):
            if line.get("stroke-width") == "4":
                x, y = map(float, line.get("points").split()[-1].split(","))
                (hit,) = touched((x, y), drawn)
                ends.add(hit)
        nxt = {(n.id, a.id): a.next for n in s.nodes for a in getattr(n, "actions", ())}
        assert ends == {f"{t.id}/{nxt[step]}" for t in eq.types for step in t.play}
