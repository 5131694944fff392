"""The game tree as a self-contained SVG: a tidy top-down layout computed here, no Graphviz needed.

Read left to right: each depth is a column; leaves are stacked in the order of the file and each
inner node is centred beside its children (a tree is wider in depth than in breadth far less often,
so this fits a projector's width). Equilibrium play is drawn thick, blue and starred (so
it never relies on colour alone); a choice a side would make if play got there is dashed; other
moves are thin and grey. With ``reveal=False`` no choice, value or highlight is drawn.
"""

from __future__ import annotations

import functools
import textwrap
from html import escape

from ..core.equilibrium import Solution
from .explanations import fmt
from ..core.scenario import Scenario

BOX_W = 168
COL_GAP = 132
GAP_Y = 14
LINE_H = 16
PAD = 8
FONT_SIZE = 13
FONT = "Helvetica, Arial, sans-serif"
ON_PATH = "#0072B2"
PREFERRED = "#444444"
OTHER = "#A0A0A0"
CURRENT = "#D55E00"
STAR = "\u2605"


def _lines(text: str, width: int = 23) -> list[str]:
    out = []
    for part in text.split("\n"):
        out += _wrap(part, width)
    return out


@functools.lru_cache(maxsize=4096)
def _wrap(part: str, width: int) -> tuple[str, ...]:
    """``textwrap.wrap``, remembered: the same labels are wrapped on every drawing of the tree, and wrapping
    was most of a drawing's time (the tree is drawn on every slider move)."""
    return tuple(textwrap.wrap(part, width)) or ("",)


def _box_text(scenario: Scenario, solution: Solution | None, node, reveal: bool, star: bool = True
              ) -> tuple[list[str], int]:
    """Text lines of a node and how many of the first lines are bold."""
    if node.kind == "decision":
        head = _lines(f"{scenario.player(node.player).name}: {node.label or node.id}")
        if not reveal or solution is None:
            return head, len(head)
        c = solution.choice(node.id)
        chosen = next(a.label for a in node.actions if a.id == c.action)
        margin = "tie" if c.ties else ("only option" if c.margin is None else f"margin {fmt(c.margin)}")
        mark = f"{STAR} " if c.on_path and star else ""
        return head + _lines(f"{mark}prefers: {chosen} ({margin})"), len(head)
    if node.kind == "chance":
        lines = _lines(f"Chance: {node.label or node.id}")
        return lines, len(lines)
    lines = _lines(node.label or node.id)
    if reveal and solution is not None:
        values = dict(solution.node_values)[node.id]
        lines += _lines(", ".join(f"{p.name} {fmt(v)}" for p, v in zip(scenario.players, values)))
    return lines, 0


def tree_svg(scenario: Scenario, solution: Solution | None = None, *, reveal: bool = True,
             title: str = "Game tree", solved: set[str] | frozenset[str] | None = None, current: str | None = None
             ) -> str:
    """The tree of ``scenario`` as SVG text, annotated with ``solution`` unless ``reveal`` is False.

    For a step-by-step walk: with ``solved`` only those nodes are annotated (and no path is
    highlighted, since it is not known yet), and ``current`` gets a thick orange frame.
    """
    reveal = reveal and solution is not None
    stepping = solved is not None
    nodes = {n.id: n for n in scenario.nodes}
    kids = {n.id: [a.next for a in getattr(n, "actions", ())] for n in scenario.nodes}
    depth, order = {scenario.root: 0}, []
    stack = [scenario.root]
    while stack:  # preorder
        nid = stack.pop()
        order.append(nid)
        for k in reversed(kids[nid]):
            depth[k] = depth[nid] + 1
            stack.append(k)
    # while stepping, equilibrium play is not known yet: no stars
    text = {nid: _box_text(scenario, solution, nodes[nid], reveal and (not stepping or nid in solved),
                           star=not stepping) for nid in order}
    if stepping and reveal:  # a solved chance node shows its expected values
        values = dict(solution.node_values)
        for nid in order:
            if nodes[nid].kind == "chance" and nid in solved:
                lines, bold = text[nid]
                text[nid] = (lines + _lines("expected: " + ", ".join(
                    f"{p.name} {fmt(v)}" for p, v in zip(scenario.players, values[nid]))), bold)
    height = {nid: PAD * 2 + LINE_H * len(text[nid][0]) for nid in order}
    n_depth = max(depth.values()) + 1

    y: dict[str, float] = {}  # vertical centre of each box
    next_leaf = [0.0]

    def place(nid: str) -> float:
        if not kids[nid]:
            y[nid] = next_leaf[0] + height[nid] / 2
            next_leaf[0] += height[nid] + GAP_Y
        else:
            ys = [place(k) for k in kids[nid]]
            y[nid] = (ys[0] + ys[-1]) / 2
        return y[nid]

    place(scenario.root)
    shift = max(0.0, max(height[n] / 2 - y[n] for n in order))  # an inner box may poke above the first leaf
    width = n_depth * BOX_W + (n_depth - 1) * COL_GAP + 2 * PAD
    total_h = max(y[n] + height[n] / 2 for n in order) + shift + 2 * PAD
    reach = dict(solution.reach) if reveal and not stepping else {}
    chosen = {c.node: c.action for c in solution.choices
              if not stepping or c.node in solved} if reveal else {}

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {total_h:.0f}" width="100%" '
        f'style="max-width: {width * 1.25:.0f}px" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        "<desc>Read from left to right. Decision nodes are rounded boxes, chance nodes are ellipses and outcomes "
        "are plain boxes. "
        + ("Equilibrium play is drawn with thick blue lines and marked with a star; dashed lines show what a side "
           "would choose if play got there." if reveal else "No choices are shown.") + "</desc>",
    ]

    def left(nid: str) -> float:
        return PAD + depth[nid] * (BOX_W + COL_GAP)

    def mid(nid: str) -> float:
        return PAD + shift + y[nid]

    # edges first, then boxes, then edge labels on top
    labels: list[str] = []
    for nid in order:
        node = nodes[nid]
        for a in getattr(node, "actions", ()):
            x1, y1 = left(nid) + BOX_W, mid(nid)
            x2, y2 = left(a.next), mid(a.next)
            label = a.label
            style = f'stroke="{OTHER}" stroke-width="1.3"'
            weight = ""
            if node.kind == "chance" and reveal:
                label += f" ({fmt(solution.probabilities(nid)[a.id])})"
                if reach.get(a.next, 0) > 0:
                    style = f'stroke="{ON_PATH}" stroke-width="3"'
            elif reveal and chosen.get(nid) == a.id:
                if reach.get(a.next, 0) > 0:
                    style = f'stroke="{ON_PATH}" stroke-width="4"'
                    label, weight = f"{STAR} {label}", ' font-weight="bold"'
                else:
                    style = f'stroke="{PREFERRED}" stroke-width="2" stroke-dasharray="6 4"'
            xm = x1 + 14
            out.append(f'<polyline points="{x1:.1f},{y1:.1f} {xm:.1f},{y1:.1f} {xm:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
                       f'fill="none" {style}/>')
            lines = _lines(label, 17)
            for k, line in enumerate(lines):
                ly = y2 - 5 - (len(lines) - 1 - k) * (LINE_H - 2)
                labels.append(f'<text x="{xm + 5:.1f}" y="{ly:.1f}" font-size="{FONT_SIZE - 1}"{weight} '
                              f'paint-order="stroke" stroke="white" stroke-width="4">{escape(line)}</text>')
    for nid in order:
        node = nodes[nid]
        on = reveal and reach.get(nid, 0) > 0
        stroke = f'stroke="{ON_PATH}" stroke-width="3"' if on else 'stroke="#555555" stroke-width="1.2"'
        if nid == current:
            stroke = f'stroke="{CURRENT}" stroke-width="5"'
        h = height[nid]
        bx, by = left(nid), mid(nid) - h / 2
        if node.kind == "decision":
            out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{BOX_W}" height="{h}" rx="9" fill="#F2F2F2" {stroke}/>')
        elif node.kind == "chance":
            out.append(f'<ellipse cx="{bx + BOX_W / 2:.1f}" cy="{mid(nid):.1f}" rx="{BOX_W / 2}" ry="{h / 2 + 3}" '
                       f'fill="white" stroke-dasharray="5 3" {stroke}/>')
        else:
            out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{BOX_W}" height="{h}" fill="white" {stroke}/>')
        lines, bold = text[nid]
        for k, line in enumerate(lines):
            weight = ' font-weight="bold"' if k < bold or (on and line.startswith(STAR)) else ""
            out.append(f'<text x="{bx + BOX_W / 2:.1f}" y="{by + PAD + (k + 0.8) * LINE_H:.1f}" text-anchor="middle"'
                       f'{weight}>{escape(line)}</text>')
    out += labels
    out.append("</svg>")
    return "\n".join(out)
