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
from dataclasses import dataclass
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

def _chosen(label: str, on_path: bool) -> tuple[str, str, str]:
    """A chosen action's edge: on the path thick and starred, off it dashed (style, label, font weight)."""
    if on_path:
        return f'stroke="{ON_PATH}" stroke-width="4"', f"{STAR} {label}", ' font-weight="bold"'
    return f'stroke="{PREFERRED}" stroke-width="2" stroke-dasharray="6 4"', label, ""


def _edge(out: list[str], labels: list[str], ends: tuple[float, float, float, float], label: str, style: str,
          weight: str) -> None:
    """An elbow from a box's right side to a child's left side, its action label above the last stretch."""
    x1, y1, x2, y2 = ends
    xm = x1 + 14
    out.append(f'<polyline points="{x1:.1f},{y1:.1f} {xm:.1f},{y1:.1f} {xm:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
               f'fill="none" {style}/>')
    lines = _lines(label, 17)
    for k, line in enumerate(lines):
        ly = y2 - 5 - (len(lines) - 1 - k) * (LINE_H - 2)
        labels.append(f'<text x="{xm + 5:.1f}" y="{ly:.1f}" font-size="{FONT_SIZE - 1}"{weight} '
                      f'paint-order="stroke" stroke="white" stroke-width="4">{escape(line)}</text>')



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


def _preorder(root: str, kids: dict[str, list[str]]) -> tuple[list[str], dict[str, int]]:
    """The nodes in preorder (parents before children, children in their listed order) and each one's depth."""
    depth, order, stack = {root: 0}, [], [root]
    while stack:
        v = stack.pop()
        order.append(v)
        for k in reversed(kids[v]):
            depth[k] = depth[v] + 1
            stack.append(k)
    return order, depth


@dataclass(frozen=True)
class _Layout:
    """Where each box goes: leaves stacked top to bottom in preorder, a parent centred on its first and last
    child, one column per depth."""

    depth: dict[str, int]
    y: dict[str, float]  # vertical centre of each box, before ``shift``
    shift: float  # an inner box may poke above the first leaf
    width: float
    height: float

    def left(self, v: str) -> float:
        return PAD + self.depth[v] * (BOX_W + COL_GAP)

    def mid(self, v: str) -> float:
        return PAD + self.shift + self.y[v]


def _layout(root: str, kids: dict[str, list[str]], order: list[str], depth: dict[str, int],
            heights: dict[str, float]) -> _Layout:
    y: dict[str, float] = {}
    next_leaf = [0.0]

    def place(v: str) -> float:
        if not kids[v]:
            y[v] = next_leaf[0] + heights[v] / 2
            next_leaf[0] += heights[v] + GAP_Y
        else:
            ys = [place(k) for k in kids[v]]
            y[v] = (ys[0] + ys[-1]) / 2
        return y[v]

    place(root)
    shift = max(0.0, max(heights[v] / 2 - y[v] for v in order))
    n_depth = max(depth.values()) + 1
    return _Layout(depth=depth, y=y, shift=shift, width=n_depth * BOX_W + (n_depth - 1) * COL_GAP + 2 * PAD,
                   height=max(y[v] + heights[v] / 2 for v in order) + shift + 2 * PAD)


def _box(out: list[str], kind: str, bx: float, by: float, h: float, stroke: str, text: tuple[list[str], int],
         on: bool, data: str = "") -> None:
    """One node's box (a rounded box for a decision, an ellipse for chance, a plain box for an outcome) and its
    lines; the first ``bold`` lines and, on the path, a starred line are bold."""
    if kind == "decision":
        out.append(f'<rect{data} x="{bx:.1f}" y="{by:.1f}" width="{BOX_W}" height="{h}" rx="9" fill="#F2F2F2" {stroke}/>')
    elif kind == "chance":
        out.append(f'<ellipse{data} cx="{bx + BOX_W / 2:.1f}" cy="{by + h / 2:.1f}" rx="{BOX_W / 2}" ry="{h / 2 + 3}" '
                   f'fill="white" stroke-dasharray="5 3" {stroke}/>')
    else:
        out.append(f'<rect{data} x="{bx:.1f}" y="{by:.1f}" width="{BOX_W}" height="{h}" fill="white" {stroke}/>')
    lines, bold = text
    for k, line in enumerate(lines):
        weight = ' font-weight="bold"' if k < bold or (on and line.startswith(STAR)) else ""
        out.append(f'<text x="{bx + BOX_W / 2:.1f}" y="{by + PAD + (k + 0.8) * LINE_H:.1f}" text-anchor="middle"'
                   f'{weight}>{escape(line)}</text>')


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
    order, depth = _preorder(scenario.root, kids)
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
    lay = _layout(scenario.root, kids, order, depth, height)
    width, total_h, left, mid = lay.width, lay.height, lay.left, lay.mid
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
                style, label, weight = _chosen(label, reach.get(a.next, 0) > 0)
            _edge(out, labels, (x1, y1, x2, y2), label, style, weight)
    for nid in order:
        node = nodes[nid]
        on = reveal and reach.get(nid, 0) > 0
        stroke = f'stroke="{ON_PATH}" stroke-width="3"' if on else 'stroke="#555555" stroke-width="1.2"'
        if nid == current:
            stroke = f'stroke="{CURRENT}" stroke-width="5"'
        h = height[nid]
        _box(out, node.kind, left(nid), mid(nid) - h / 2, h, stroke, text[nid], on)
    out += labels
    out.append("</svg>")
    return "\n".join(out)


# -- a game with private types: chance's type draw first, each type's copy of the tree ------------------

INFOSET = "#D55E00"


def bayesian_tree_svg(scenario: Scenario, result=None, equilibrium=0, *, reveal: bool = True,
                      title: str = "Game tree with the type drawn first") -> str:
    """The tree of a scenario with ``[uncertainty]``: chance draws the informed player's type first, then each
    type plays its own copy of the tree. The nodes of an information set (an uninformed player's node, one per
    type: it cannot tell them apart) are joined by a dashed vermillion line, with a tick into each of them.

    ``result`` (a ``PerfectBayesian``) annotates the tree: the priors, each outcome's utilities for that type,
    and with ``equilibrium`` (an index into ``result.equilibria``, or a ``BayesianEquilibrium``) that play: thick, blue and
    starred where play reaches, dashed where a side would choose if play got there. Node ids in the picture
    are ``type/node`` (``data-node``); each information set is a ``<g class="infoset">`` naming its nodes.
    """
    u = scenario.uncertainty
    nodes = {n.id: n for n in scenario.nodes}
    types = list(u.types)
    informed = u.player
    priors = {t: p for t, _, p in result.types} if result is not None else {}
    if not reveal or result is None or equilibrium is None:
        eq = None
    elif isinstance(equilibrium, int):
        eq = result.equilibria[equilibrium] if 0 <= equilibrium < len(result.equilibria) else None
    else:  # a BayesianEquilibrium itself (say, a candidate that is not one)
        eq = equilibrium
    plays = {t.id: t for t in eq.types} if eq is not None else {}
    outcome_values = {t: dict(v) for t, v in result.outcome_values} if reveal and result is not None else {}
    ROOT = "type"

    def vid(t: str, nid: str) -> str:
        return f"{t}/{nid}"

    kids: dict[str, list[str]] = {ROOT: [vid(t.id, scenario.root) for t in types]}
    edge_label: dict[tuple[str, str], str] = {}
    spec: dict[str, tuple[str, object]] = {ROOT: ("", None)}
    for t in types:
        p = priors.get(t.id)
        edge_label[(ROOT, vid(t.id, scenario.root))] = t.label + (f" ({fmt(p)})" if p is not None else "")
        for n in scenario.nodes:
            v = vid(t.id, n.id)
            spec[v] = (t.id, n)
            kids[v] = [vid(t.id, a.next) for a in getattr(n, "actions", ())]
            for a in getattr(n, "actions", ()):
                edge_label[(v, vid(t.id, a.next))] = a.label
    type_label = {t.id: t.label for t in types}

    def chosen(v: str) -> str | None:
        t, n = spec[v]
        if eq is None or n is None or n.kind != "decision":
            return None
        return dict(plays[t].choices).get(n.id) if n.player == informed else dict(eq.strategy).get(n.id)

    def reached(v: str) -> bool:
        if eq is None:
            return False
        if v == ROOT:
            return True
        t, n = spec[v]
        return n.id in plays[t].reached

    def box(v: str) -> tuple[list[str], int]:
        if v == ROOT:
            lines = _lines(f"Chance: {u.label or 'the type of ' + scenario.player(informed).name}")
            return lines, len(lines)
        t, n = spec[v]
        if n.kind == "decision":
            who = scenario.player(n.player).name
            if n.player == informed:
                who += f" ({type_label[t]})"
            head = _lines(f"{who}: {n.label or n.id}")
            c = chosen(v)
            if c is None:
                return head, len(head)
            label = next(a.label for a in n.actions if a.id == c)
            verb = f"{STAR} chooses" if reached(v) else "would choose"
            return head + _lines(f"{verb}: {label}"), len(head)
        if n.kind == "chance":
            lines = _lines(f"Chance: {n.label or n.id}")
            return lines, len(lines)
        lines = _lines(n.label or n.id)
        if t in outcome_values:
            vals = outcome_values[t][n.id]
            lines += _lines(", ".join(f"{p.name} {fmt(x)}" for p, x in zip(scenario.players, vals)))
        return lines, 0

    order, depth = _preorder(ROOT, kids)
    text = {v: box(v) for v in order}
    height = {v: PAD * 2 + LINE_H * len(text[v][0]) for v in order}
    lay = _layout(ROOT, kids, order, depth, height)
    width, total_h, left, mid = lay.width, lay.height, lay.left, lay.mid

    uninformed = [n.id for n in scenario.nodes if n.kind == "decision" and n.player != informed]
    desc = ("Read from left to right. Chance first draws the type of " + scenario.player(informed).name
            + "; each type then plays its own copy of the tree. A dashed vermillion line joins the nodes of each "
            "information set: the side that moves there does not know which of them it is at. ")
    if eq is not None:
        which = f"equilibrium {equilibrium + 1}" if isinstance(equilibrium, int) else "a candidate"
        desc += (f"Marked: {which} ({eq.kind}); its play is drawn with thick blue lines and a "
                 "star, a dashed grey line shows what a side would choose if play got there.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {total_h:.0f}" width="100%" '
        f'style="max-width: {width * 1.25:.0f}px" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>", f"<desc>{escape(desc)}</desc>",
    ]
    labels: list[str] = []
    for v in order:
        for k in kids[v]:
            x1, y1, x2, y2 = left(v) + BOX_W, mid(v), left(k), mid(k)
            label, weight = edge_label[(v, k)], ""
            style = f'stroke="{OTHER}" stroke-width="1.3"'
            kind = "chance" if v == ROOT else spec[v][1].kind
            if eq is not None and kind == "chance" and reached(k):
                style = f'stroke="{ON_PATH}" stroke-width="3"'
            elif eq is not None and kind == "decision" and kids[v][[a.id for a in spec[v][1].actions].index(
                    chosen(v))] == k:
                style, label, weight = _chosen(label, reached(k))
            _edge(out, labels, (x1, y1, x2, y2), label, style, weight)
    for v in order:
        on = reached(v)
        stroke = f'stroke="{ON_PATH}" stroke-width="3"' if on else 'stroke="#555555" stroke-width="1.2"'
        h = height[v]
        _box(out, "chance" if v == ROOT else spec[v][1].kind, left(v), mid(v) - h / 2, h, stroke, text[v], on,
             data=f' data-node="{escape(v)}"')
    # information sets: one dashed line per set, in the gap left of its column (sets of one column side by side)
    per_column: dict[int, int] = {}
    for h_id in uninformed:
        members = [vid(t.id, h_id) for t in types]
        col = depth[members[0]]
        k = per_column.get(col, 0)
        per_column[col] = k + 1
        x = left(members[0]) - 10 - 12 * k
        ys = [mid(m) - height[m] / 2 + 9 for m in members]
        who = scenario.player(nodes[h_id].player).name
        parts = [f'<g class="infoset" data-infoset="{escape(h_id)}" data-nodes="{escape(" ".join(members))}">',
                 f"<title>{escape(f'Information set of {who}: it does not know which of these nodes it is at')}</title>",
                 f'<polyline points="{x:.1f},{min(ys):.1f} {x:.1f},{max(ys):.1f}" fill="none" stroke="{INFOSET}" '
                 f'stroke-width="2.5" stroke-dasharray="7 5"/>']
        for m, ym in zip(members, ys):
            parts.append(f'<line x1="{x:.1f}" y1="{ym:.1f}" x2="{left(m):.1f}" y2="{ym:.1f}" stroke="{INFOSET}" '
                         f'stroke-width="2.5"/><circle cx="{left(m):.1f}" cy="{ym:.1f}" r="3.5" fill="{INFOSET}"/>')
        parts.append("</g>")
        out += parts
    out += labels
    out.append("</svg>")
    return "\n".join(out)
