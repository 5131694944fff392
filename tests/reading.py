"""Reading what a person reads off the page: each side's card, the headline, the tree figure.

The parsers work from the markup alone (HTML of ``ui.cards``, SVG of ``model.text.tree_svg``) and
know nothing of how it was built: the tree's nodes are found by geometry (an edge starts at its
parent's right edge and ends at its child's left edge) and named by walking from the root and
matching each edge's label to an action of the scenario.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
STAR = "\u2605"
BLUE = "#0072B2"  # the documented colour of equilibrium play (README, the figure's <desc>)


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def squash(s: str) -> str:
    """A text without any whitespace, to compare wrapped figure text with the label it came from."""
    return "".join(s.split())


# ---------------------------------------------------------------------------------- the cards


@dataclass
class CardNode:
    """One decision on a side's card, as shown."""

    question: str  # the node's label
    off_path: bool  # the "(off the equilibrium path ...)" note is there
    starred: bool  # the chosen action is marked with a star
    choice: str  # the chosen action's label, as shown in large type
    options: list[tuple[str, str]]  # (label, value as shown), in order
    bold: list[str]  # labels of the options in bold
    why: str


def cards(markdown: str) -> dict[str, list[CardNode]]:
    """Player name -> the decisions on its card, from one or more cards' HTML."""
    root = ET.fromstring(f"<root>{markdown}</root>")
    out: dict[str, list[CardNode]] = {}
    for card in root.iter("div"):
        if card.get("class") != "co-card":
            continue
        name = _text(card.find("h3"))
        nodes: list[CardNode] = []
        for div in card.findall("div"):
            cls = div.get("class")
            if cls == "co-node":
                off = div.find("span[@class='co-off']")
                question = " ".join((div.text or "").split())
                nodes.append(CardNode(question=question, off_path=off is not None, starred=False, choice="",
                                      options=[], bold=[], why=""))
            elif cls == "co-choice":
                shown = _text(div)
                nodes[-1].starred = shown.startswith(STAR)
                nodes[-1].choice = shown.removeprefix(STAR).strip()
            elif cls == "co-options":
                parts = [p.strip() for p in _text(div).split("\u00b7")]
                nodes[-1].options = [tuple(p.rsplit(": ", 1)) for p in parts]
                nodes[-1].bold = [_text(b).rsplit(": ", 1)[0] for b in div.iter("b")]
            elif cls == "co-why":
                nodes[-1].why = _text(div)
        out[name] = nodes
    return out


def headline(markdown: str) -> tuple[str, dict[str, str]]:
    """The equilibrium play sentence and each player's expected utility as shown (name -> text)."""
    root = ET.fromstring(f"<root>{markdown}</root>")
    (path,) = [d for d in root.iter("div") if d.get("class") == "co-path"]
    utilities = {}
    for metric in root.iter("span"):
        if metric.get("class") == "co-metric":
            label = _text(metric.find("span"))
            utilities[label.removesuffix(": expected utility")] = (metric.find("span").tail or "").strip()
    return _text(path), utilities


def markup_text(markup: str) -> str:
    """Every character of text in a piece of markup, hidden or not (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


# ------------------------------------------------------------------------------------ the tree


@dataclass
class Box:
    kind: str  # "decision" (rounded rect), "chance" (ellipse) or "outcome" (plain rect)
    left: float
    right: float
    top: float
    bottom: float
    mid: float
    stroke: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Edge:
    parent: Box
    child: Box
    stroke: str
    width: float
    dashed: bool
    xm: float
    y2: float
    lines: list[str] = field(default_factory=list)
    bold: bool = False

    @property
    def label(self) -> str:
        return " ".join(self.lines)

    @property
    def starred(self) -> bool:
        return self.label.startswith(STAR)


@dataclass
class Tree:
    """The figure read back: boxes and edges by node id and (node id, action id)."""

    boxes: dict[str, Box]
    edges: dict[tuple[str, str], Edge]
    stray: list[str]  # text elements that belong to no box and no edge


def _near(a: float, b: float) -> bool:
    return abs(a - b) < 0.11


def tree(svg: str, scenario_doc_nodes: dict[str, dict], root_id: str) -> Tree:
    """Read a tree figure. ``scenario_doc_nodes``: node id -> {"kind", "actions"/"branches", ...} as in
    the raw scenario document (tests/raw.py), used only to name what the geometry finds."""
    root = ET.fromstring(svg)
    boxes: list[Box] = []
    for el in root:
        tag = el.tag.removeprefix(SVG)
        if tag == "rect":
            x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
            kind = "decision" if el.get("rx") else "outcome"
            boxes.append(Box(kind, x, x + w, y, y + h, y + h / 2, el.get("stroke")))
        elif tag == "ellipse":
            cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
            boxes.append(Box("chance", cx - rx, cx + rx, cy - ry, cy + ry, cy, el.get("stroke")))
    edges: list[Edge] = []
    for el in root.iter(f"{SVG}polyline"):
        pts = [tuple(float(v) for v in p.split(",")) for p in el.get("points").split()]
        (x1, y1), (xm, _), _, (x2, y2) = pts
        (parent,) = [b for b in boxes if _near(b.right, x1) and _near(b.mid, y1)]
        (child,) = [b for b in boxes if _near(b.left, x2) and _near(b.mid, y2)]
        edges.append(Edge(parent, child, el.get("stroke"), float(el.get("stroke-width")),
                          el.get("stroke-dasharray") is not None, xm, y2))
    stray = []
    for el in root.iter(f"{SVG}text"):
        x, y, words = float(el.get("x")), float(el.get("y")), "".join(el.itertext())
        inside = [b for b in boxes if el.get("text-anchor") == "middle" and _near((b.left + b.right) / 2, x)
                  and b.top <= y <= b.bottom]
        if inside:
            inside[0].lines.append(words)
            continue
        # an edge label: just right of the edge's vertical stroke, stacked upwards from its end
        below = [e for e in edges if _near(e.xm + 5, x) and e.y2 >= y]
        if below:
            e = min(below, key=lambda e: e.y2)
            e.lines.append(words)
            e.bold = e.bold or el.get("font-weight") == "bold"
            continue
        stray.append(words)

    # name the boxes: from the leftmost (the root), follow each edge by its label
    (first,) = [b for b in boxes if b.left == min(c.left for c in boxes)]
    named: dict[str, Box] = {}
    by_action: dict[tuple[str, str], Edge] = {}
    stack = [(root_id, first)]
    while stack:
        nid, box = stack.pop()
        named[nid] = box
        node = scenario_doc_nodes[nid]
        options = node.get("actions") or node.get("branches") or []
        for e in [e for e in edges if e.parent is box]:
            label = squash(e.label.removeprefix(STAR))
            (a,) = [a for a in options if label == squash(a["label"])
                    or (node["kind"] == "chance" and re.fullmatch(re.escape(squash(a["label"])) + r"\([^)]*\)", label))]
            by_action[(nid, a["id"])] = e
            stack.append((a["next"], e.child))
    assert len(named) == len(boxes) and len(by_action) == len(edges), "every box and edge is named"
    return Tree(boxes=named, edges=by_action, stray=stray)


def check_tree(svg: str, doc: dict, sol) -> None:
    """Each decision box names the solver's choice and is starred exactly when it is on equilibrium
    play; the starred (thick blue) edges are exactly the solver's path; off-path choices are dashed."""
    figure = tree(svg, doc["nodes"], doc["root"])
    assert not figure.stray, figure.stray
    on_path = {(s.node, s.action) for s in sol.path if s.action is not None}
    names = {pid: p["name"] for pid, p in doc["players"].items()}
    for nid, node in doc["nodes"].items():
        if node["kind"] != "decision":
            continue
        c = sol.choice(nid)
        chosen = next(a["label"] for a in node["actions"] if a["id"] == c.action)
        head = f"{names[node['player']]}: {node.get('label') or nid}"
        box = squash(figure.boxes[nid].text)
        assert box.startswith(squash(head)), (nid, figure.boxes[nid].text)
        shown = box.removeprefix(squash(head))
        star = STAR if (nid, c.action) in on_path else ""
        assert re.fullmatch(re.escape(squash(f"{star}prefers: {chosen}")) + r"\(.*\)", shown), (
            f"{nid}: the box says {figure.boxes[nid].text!r}; the solver chooses {chosen!r}"
            f"{' on the equilibrium path' if star else ''}")
    starred = {k for k, e in figure.edges.items() if e.starred}
    assert starred == on_path, f"stars on {sorted(starred)}; equilibrium play is {sorted(on_path)}"
    thick_blue = {k for k, e in figure.edges.items() if e.stroke == BLUE and e.width >= 4}
    assert thick_blue == on_path
    dashed = {k for k, e in figure.edges.items() if e.dashed}
    assert dashed == {(c.node, c.action) for c in sol.choices if not c.on_path}
    boxes_starred = {nid for nid, b in figure.boxes.items() if STAR in b.text}
    assert boxes_starred == {node for node, _ in on_path}


def check_hidden_tree(svg: str, doc: dict) -> None:
    """The unrevealed figure shows the tree and nothing of the answer: every text is a node's own
    label or an action's own label, no star, no value, every edge drawn alike."""
    figure = tree(svg, doc["nodes"], doc["root"])
    assert not figure.stray, f"text outside the tree's boxes and edges: {figure.stray}"
    names = {pid: p["name"] for pid, p in doc["players"].items()}
    for nid, node in doc["nodes"].items():
        label = node.get("label") or nid
        expected = {"decision": f"{names.get(node.get('player'))}: {label}", "chance": f"Chance: {label}",
                    "outcome": label}[node["kind"]]
        assert squash(figure.boxes[nid].text) == squash(expected), (nid, figure.boxes[nid].text)
        for m in node.get("actions") or node.get("branches") or []:
            edge = figure.edges[(nid, m["id"])]
            assert squash(edge.label) == squash(m["label"]), (nid, edge.label)
            assert not edge.bold and not edge.dashed and edge.stroke != BLUE, (nid, m["id"])
    assert len({(e.stroke, e.width, e.dashed) for e in figure.edges.values()}) == 1, "edges drawn alike"
    assert len({b.stroke for b in figure.boxes.values()}) == 1, "boxes drawn alike"


def check_hidden_typed_tree(svg: str, doc: dict) -> None:
    """The unrevealed tree of a game with private types (``bayesian_tree_svg``) shows the tree and nothing of
    the answer: every text is a piece of a box's own words (chance's type draw, "Name (Type): label" at the
    informed player's nodes, "Name: label" at the others', an outcome's label) or of an edge's label (a type's,
    an action's), with no number, no star and no "chooses"; every edge is drawn alike, and so is every box."""
    root = ET.fromstring(svg)
    names = {pid: p["name"] for pid, p in doc["players"].items()}
    u = doc["uncertainty"]
    types = [t["label"] for t in u["types"].values()]
    allowed = [f"Chance: {u.get('label') or 'the type of ' + names[u['player']]}", *types]
    for nid, node in doc["nodes"].items():
        label = node.get("label") or nid
        if node["kind"] == "decision":
            whos = [f"{names[node['player']]} ({t})" for t in types] if node["player"] == u["player"] else \
                [names[node["player"]]]
            allowed += [f"{who}: {label}" for who in whos] + [a["label"] for a in node["actions"]]
        elif node["kind"] == "chance":
            allowed += [f"Chance: {label}"] + [b["label"] for b in node["branches"]]
        else:
            allowed.append(label)
    allowed = [squash(x) for x in allowed]
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
    assert texts, "the figure has text"
    for words in texts:
        assert STAR not in words and "choose" not in words, words
        assert any(squash(words) in x for x in allowed), f"text that is no label's: {words!r}"
    edges = {(el.get("stroke"), el.get("stroke-width"), el.get("stroke-dasharray"))
             for el in root.iter(f"{SVG}polyline") if el.get("stroke") != "#D55E00"}  # not the information sets
    assert len(edges) == 1, f"edges drawn alike: {edges}"
    assert len({el.get("stroke") + el.get("stroke-width") for tag in ("rect", "ellipse")
                for el in root.iter(f"{SVG}{tag}")}) == 1, "boxes drawn alike"


# ------------------------------------------------------------------------- Predict & reveal, revealed


@dataclass
class Scored:
    """One question after the reveal, as shown."""

    question: str
    off: str  # the note "off the equilibrium path ..." ("" when there is none)
    predicted: str | None  # the label shown as predicted (None: "(none)")
    model: str  # the model's answer as written
    verdict: str
    why: str


def scored(markdown: str) -> list[Scored]:
    """The results of Predict & reveal, in order, from the page's Markdown."""
    out = []
    pattern = r'<div class="co-result">(.*?)</div><div class="co-result-why">(.*?)</div>'
    for head, why in re.findall(pattern, markdown, flags=re.S):
        question = markup_text(re.search(r"<b>(.*?)</b>", head).group(1))
        off = re.search(r'<span class="co-off">\((.*?): if play got here\)</span>', head)
        parts = markup_text(head.split("<br>", 1)[1]).split(" \u00b7 ")
        guess = parts[0].removeprefix("Predicted: ")
        out.append(Scored(question=question, off=off.group(1) if off else "",
                          predicted=None if guess == "(none)" else guess.strip("\u201c\u201d"),
                          model=parts[1].removeprefix("The model: "), verdict=" \u00b7 ".join(parts[2:]).strip(),
                          why=markup_text(why)))
    return out


def equilibria_named(words: str) -> list[int]:
    """"equilibrium 2" -> [2]; "equilibria 1, 2 and 3" -> [1, 2, 3]."""
    return [int(k) for k in re.findall(r"\d+", words)]


def model_answers(model: str, n: int) -> dict[int, str]:
    """The model's answer as written, read back as equilibrium number -> action label (1 to ``n``):
    "“A”", "“A” (in every equilibrium)" or "“A” in equilibrium 1, “B” in equilibria 2 and 3"."""
    found = re.findall(r"\u201c([^\u201d]*)\u201d(?: in (equilibri(?:um|a) [0-9, and]+?))?(?:, |$| \()", model)
    out: dict[int, str] = {}
    for label, which in found:
        for k in (equilibria_named(which) if which else range(1, n + 1)):
            assert k not in out, f"equilibrium {k} named twice in {model!r}"
            out[k] = label
    return out


# -- a scenario with private types: the equilibrium cards ------------------------------------------------


def typed_play(scenario, play) -> str:
    """A type's play as the page writes it, rebuilt from the scenario's labels: "US: Limited → Israel: Reject"."""
    return " \u2192 ".join(f"{scenario.player(scenario.node(n).player).name}: "
                            + next(a.label for a in scenario.node(n).actions if a.id == a_id) for n, a_id in play)


def check_equilibrium_cards(text: str, markdowns: list[str], scenario, result, prior_text) -> list[str]:
    """Each equilibrium's card as a person reads it, against ``result`` (a ``PerfectBayesian``): the titles
    "Equilibrium k: kind" in order, and in each card every type's prior and play and every uninformed choice.
    ``prior_text`` formats a prior as the page does. Returns the cards' Markdown."""
    titles = re.findall(r"\*\*Equilibrium (\d+): ([a-z ]+?)(?: \(|\*\*)", text)
    assert [(int(k), kind) for k, kind in titles] == [(k, e.kind) for k, e in enumerate(result.equilibria, start=1)]
    cards = [m for m in markdowns if m.startswith("- **")]
    assert len(cards) == len(result.equilibria)
    for card, e in zip(cards, result.equilibria):
        for t in e.types:
            assert f"**{t.label}** (prior {prior_text(t.prior)}): {typed_play(scenario, t.play)}; utility" in card
        for nid, aid in e.strategy:
            label = next(a.label for a in scenario.node(nid).actions if a.id == aid)
            assert f"\u201c{scenario.node(nid).label}\u201d: **{label}**" in card
    return cards
