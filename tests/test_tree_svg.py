"""The tree figure: every node drawn, the equilibrium marked by more than colour, nothing shown unrevealed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from model import solve
from model.text.tree_svg import STAR, tree_svg


def test_every_node_and_move_is_drawn_and_the_svg_is_well_formed(default_scenario):
    svg = tree_svg(default_scenario, solve(default_scenario))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    shapes = root.findall(f"{ns}rect") + root.findall(f"{ns}ellipse")
    assert len(shapes) == len(default_scenario.nodes)
    edges = root.findall(f"{ns}polyline")
    assert len(edges) == len(default_scenario.nodes) - 1
    assert root.get("role") == "img" and root.find(f"{ns}title") is not None


def test_equilibrium_play_is_starred_and_thick(default_scenario):
    svg = tree_svg(default_scenario, solve(default_scenario))
    assert svg.count(f"{STAR} ") >= 3  # three decisions on the equilibrium path
    thick = re.findall(r'<polyline [^>]*stroke-width="4"', svg)
    assert len(thick) == 3


def test_unrevealed_tree_shows_no_choice_value_or_highlight(default_scenario):
    svg = tree_svg(default_scenario, solve(default_scenario), reveal=False)
    assert STAR not in svg
    assert "prefers" not in svg and "margin" not in svg
    assert not re.search(r'<polyline [^>]*stroke-width="4"', svg) and 'stroke-dasharray="6 4"' not in svg
    assert not re.search(r"US -?\d\.\d\d", svg)


def test_a_partly_solved_tree_shows_only_the_solved_nodes_and_no_path(default_scenario):
    sol = solve(default_scenario)
    svg = tree_svg(default_scenario, sol, solved={"us_responds", "israel_keeps_pledge"}, current="israel_keeps_pledge")
    assert svg.count("prefers:") == 2 and STAR not in svg
    assert 'stroke="#D55E00" stroke-width="5"' in svg  # the node being solved is framed
