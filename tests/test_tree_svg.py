"""The tree figure: every node drawn, the equilibrium marked by more than colour and exactly where the
solver puts it (read back from the SVG), nothing shown unrevealed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from model import load_scenario, solve
from model.text.tree_svg import STAR, tree_svg

from . import raw, reading
from .conftest import FULL_INFORMATION, moved_points


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


# -- what a reader takes from the figure: read back from the SVG, compared with the solver -----------

CASES = [(path, {}) for path in FULL_INFORMATION] + [(path, point) for path in FULL_INFORMATION
                                               for point in moved_points(load_scenario(path))]


@pytest.mark.parametrize("path, point", CASES, ids=lambda x: getattr(x, "stem", None) or
                         ",".join(f"{k}={v:g}" for k, v in x.items()) or "defaults")
def test_the_figure_stars_exactly_the_solvers_equilibrium_choices(path, point):
    scenario = load_scenario(path)
    sol = solve(scenario, values=point)
    reading.check_tree(tree_svg(scenario, sol), raw.read(path), sol)
