"""Claims: every sentence the tool states as a fact of a scenario or a lesson, checked by the model.

A claim (``[[claims]]`` in a scenario file, ``[[steps.claims]]`` in a lesson) is a ``kind`` with
ids and numbers (declared in ``model.files.claim_format``), optionally evaluated with sliders moved
(``at``). Margins must be at least ``min_margin`` (0.02) so a lesson never rests on a near-tie; stated
numbers must match within ``tolerance`` (0.005). Kinds:

- ``path``: equilibrium play is ``expect`` (the decisions, in order), ``contains`` a run of moves,
  or ``excludes`` moves; with ``parameter`` and ``over = [a, b]``, at 41 points from a to b.
- ``choice``: the mover at ``node`` prefers ``action`` (on the path or off it).
- ``reasons``: that choice's margin has positive terms from the ``favour`` attributes and negative
  ones from the ``against`` attributes; the ``favour`` terms together outweigh the ``against`` terms,
  and the largest positive term is among the ``favour`` ones.
- ``compare``: ``player``'s value of ``left`` ``op`` its value of ``right``; terms are
  ``equilibrium``, ``outcome:ID``, ``node:ID`` (the subgame's value) and ``action:NODE:ACTION``.
- ``threshold``: the flip of ``node`` from ``below`` to ``above`` at ``value`` of ``parameter`` is
  reported, inside the middle 80% of its range.
- ``monitoring``: at the keep/break ``node``, with G = v(break, not confirmed) - v(keep) and
  L = v(break, not confirmed) - v(confirmed, then the best reply), the pledge is kept exactly when
  p x L > G, and G / L is the reported flip of ``parameter`` (p) at ``value``.
- ``range``: the bargaining range over ``parameter`` has ``least`` and ``most``, or is ``empty``
  with ``gap``.
- ``differs``: this scenario is scenario ``from`` with exactly ``values`` moved.
- ``payoff``: the utilities at ``outcome``; ``nash``: the number of pure Nash equilibria, how many
  are subgame perfect, and the non-credible moves the others rest on.
- ``bayesian``: with private types, the number of pure-strategy perfect Bayesian equilibria is ``count``
  and one of them is labelled ``label`` (pooling, separating) and has the uninformed moves ``strategy``.
- ``switch``: the uninformed equilibrium choice at ``node`` is ``below`` just below ``value`` of ``parameter``
  and ``above`` just above it, and the equilibrium set changes there.
- ``story``: the sentence it ``says`` states no fact of the model (the story, a disclaimer); ``why``.

``coverage`` checks that every sentence of a description is backed by passing claims (or is a
``story``) and that every number written in it is one its claims produce, to the digits written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.equilibrium import Solution, solve
from ..core.result import Result
from ..core.scenario import Chance, Claim, Scenario
from ..errors import ScenarioError
from ..files.scenario_io import load_scenario
from ..text.explanations import NOTE
from . import Command
from .bargaining_range import bargaining_range
from .normal_form import normal_form
from .thresholds import thresholds

Load = Callable[[str], Scenario]
MIN_MARGIN = 0.02
TOLERANCE = 0.005
INSIDE = 0.10  # a stated threshold lies at least this share of the range from either end
METHOD = "each claim checked against the solved model; description sentences matched to the claims that back them"
OPS = {">": lambda a, b: a > b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b}


@dataclass(frozen=True)
class Checked:
    """One claim against the model: whether it holds, what the model gives, and the numbers it produced."""

    claim: Claim
    holds: bool
    detail: str
    numbers: tuple[float, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A description sentence, the claims that back it, and the numbers in it no claim produced."""

    text: str
    backed_by: int
    story: bool
    holds: bool
    unmatched: tuple[str, ...]


@dataclass(frozen=True)
class ClaimReport(Result):
    title: str
    checked: tuple[Checked, ...]
    sentences: tuple[Sentence, ...]
    method: str = METHOD

    @property
    def holds(self) -> bool:
        return all(c.holds for c in self.checked) and all(s.holds for s in self.sentences)

    def to_json(self) -> dict:
        return {"title": self.title, "holds": self.holds, "method": self.method,
                "claims": [{"kind": c.claim.kind, "says": list(c.claim.says), "holds": c.holds, "detail": c.detail}
                           for c in self.checked],
                "sentences": [{"text": s.text, "backed_by": s.backed_by, "story": s.story, "holds": s.holds,
                               "numbers_not_produced": list(s.unmatched)} for s in self.sentences]}

    def to_text(self, scenario: Scenario) -> str:
        out = [self.title, NOTE, "", f"Claims: {sum(c.holds for c in self.checked)} of {len(self.checked)} hold."]
        for c in self.checked:
            says = f" \u2014 backs \u201c{c.claim.says[0]}\u2026\u201d" if c.claim.says else ""
            out.append(f"  {'ok  ' if c.holds else 'FAIL'} [{c.claim.kind}] {c.detail}{says}")
        if self.sentences:
            out += ["", "The description, sentence by sentence:"]
            for s in self.sentences:
                why = ("states no fact of the model" if s.story else f"backed by {s.backed_by} claim(s)"
                       + (f"; numbers no claim produces: {', '.join(s.unmatched)}" if s.unmatched else ""))
                shown = s.text if len(s.text) <= 90 else s.text[:89] + "\u2026"
                out.append(f"  {'ok  ' if s.holds else 'FAIL'} {shown} ({why})")
        return "\n".join(out)


# -- the kinds --------------------------------------------------------------------------------------


def _moves(sol: Solution) -> list[str]:
    return [f"{s.node}:{s.action}" for s in sol.path if s.action is not None]


def _value(scenario: Scenario, sol: Solution, player: str, term: str) -> float:
    i = list(sol.players).index(player)
    values = dict(sol.node_values)
    if term == "equilibrium":
        return dict(sol.payoffs)[player]
    kind, _, rest = term.partition(":")
    if kind in ("outcome", "node"):
        return values[rest][i]
    node, _, action = rest.partition(":")
    return values[next(a.next for a in scenario.node(node).actions if a.id == action)][i]


def _run(part: list[str], whole: list[str]) -> bool:
    return any(whole[k:k + len(part)] == part for k in range(len(whole) - len(part) + 1))


def _path(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    def holds(sol: Solution) -> bool:
        m = _moves(sol)
        return ((c.option("expect") is None or m == list(c.option("expect")))
                and (c.option("contains") is None or _run(list(c.option("contains")), m))
                and not any(x in m for x in c.option("excludes") or ()))

    if c.option("over") is not None:
        lo, hi = c.option("over")
        grid = np.linspace(lo, hi, 41)
        bad = [x for x in grid if not holds(solve(s, values={**at, c.option("parameter"): float(x)}))]
        return Checked(c, not bad, f"{c.option('parameter')} from {lo:g} to {hi:g}: "
                       + ("holds at all 41 points" if not bad else f"fails at {', '.join(f'{x:.3g}' for x in bad[:4])}"),
                       (lo, hi, *at.values()))
    sol = solve(s, values=at)
    named = [x.split(":")[0] for x in list(c.option("expect") or ()) + list(c.option("contains") or ())]
    margin = float(c.option("min_margin", MIN_MARGIN))
    thin = [n for n in named if (sol.choice(n).margin is None or sol.choice(n).margin < margin)]
    ok = holds(sol) and not thin
    return Checked(c, ok, f"play {' -> '.join(_moves(sol))}" + (f"; near-tie at {', '.join(thin)}" if thin else ""),
                   (*at.values(), *dict(sol.payoffs).values(), *(sol.choice(n).margin or 0.0 for n in named)))


def _choice(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    ch = solve(s, values=at).choice(c.option("node"))
    ok = ch.action == c.option("action") and ch.margin is not None and ch.margin >= c.option("min_margin", MIN_MARGIN)
    values = ", ".join(f"{a} {v:.3f}" for a, v in ch.values)
    return Checked(c, ok, f"at {c.option('node')} the mover prefers {ch.action} ({values})",
                   (*at.values(), *(v for _, v in ch.values), ch.margin or 0.0))


def _reasons(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    ch = solve(s, values=at).choice(c.option("node"))
    terms = dict(ch.contributions)
    favour, against = list(c.option("favour") or ()), list(c.option("against") or ())
    gains = [a for a, v in terms.items() if v > 1e-9]
    # Signs are not enough: "A and B outweigh C" must be true in the numbers, and the largest gain
    # must be among those named, so a sentence never credits a choice to its minor reasons.
    ok = (ch.action == c.option("action") and all(terms.get(a, 0) > 1e-9 for a in favour)
          and all(terms.get(a, 0) < -1e-9 for a in against)
          and sum(terms.get(a, 0) for a in favour) > -sum(terms.get(a, 0) for a in against) + 1e-9
          and (not favour or not gains or max(gains, key=lambda a: terms[a]) in favour))
    shown = ", ".join(f"{a} {v:+.3f}" for a, v in terms.items() if abs(v) > 1e-12)
    return Checked(c, ok, f"{ch.action} over {ch.runner_up} at {c.option('node')}: {shown}",
                   (*at.values(), *(abs(v) for v in terms.values())))


def _compare(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    sol = solve(s, values=at)
    left, right = (_value(s, sol, c.option("player"), c.option(k)) for k in ("left", "right"))
    ok = OPS[c.option("op")](left, right) and abs(left - right) >= c.option("min_margin", MIN_MARGIN)
    return Checked(c, ok, f"{c.option('player')}: {c.option('left')} {left:.3f} {c.option('op')} "
                          f"{c.option('right')} {right:.3f}", (*at.values(), left, right, abs(left - right)))


def _flips(s: Scenario, parameter: str, node: str, below: str, above: str, at: dict) -> list[float]:
    return [t.value for t in thresholds(s, values=at, parameters=[parameter])
            if t.node == node and t.below == below and t.above == above]


def _threshold(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    p = s.parameter(c.option("parameter"))
    found = _flips(s, p.id, c.option("node"), c.option("below"), c.option("above"), at)
    near = [x for x in found if abs(x - c.option("value")) <= c.option("tolerance", TOLERANCE)]
    inside = bool(near) and INSIDE <= (near[0] - p.min) / (p.max - p.min) <= 1 - INSIDE
    return Checked(c, inside, f"{c.option('node')} flips from {c.option('below')} to {c.option('above')} at "
                              f"{p.id} = {', '.join(f'{x:.4g}' for x in found) or 'nowhere'}", (*found, *at.values()))


def _monitoring(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    sol = solve(s, values=at)
    node = s.node(c.option("node"))
    i = list(sol.players).index(node.player)
    values = dict(sol.node_values)
    keep = next(a.next for a in node.actions if a.id == c.option("keep"))
    chance = s.node(next(a.next for a in node.actions if a.id == c.option("break")))
    if not isinstance(chance, Chance):
        raise ScenarioError("breaking must lead to a chance node (is the breach confirmed?)", field="break")
    confirmed = next((a for a in chance.actions if a.probability.source.strip() == c.option("parameter")), None)
    if confirmed is None:
        raise ScenarioError(f"no branch after {c.option('break')!r} has probability {c.option('parameter')!r}",
                            field="parameter")
    other = next(a for a in chance.actions if a.id != confirmed.id)
    p = sol.probabilities(chance.id)[confirmed.id]
    gain = values[other.next][i] - values[keep][i]
    loss = values[other.next][i] - values[confirmed.next][i]
    ratio = gain / loss if loss > 0 else math.inf
    keeps = sol.choice(node.id).action == c.option("keep")
    flips = _flips(s, c.option("parameter"), node.id, c.option("break"), c.option("keep"), at)
    ok = (keeps == (p * loss > gain) and abs(ratio - c.option("value")) <= c.option("tolerance", TOLERANCE)
          and any(abs(x - ratio) < 1e-6 for x in flips) and abs(p * loss - gain) >= c.option("min_margin", MIN_MARGIN))
    return Checked(c, ok, f"gain from breaking {gain:.3f}, loss from a confirmed breach {loss:.3f}: p x loss = "
                          f"{p:g} x {loss:.3f} {'>' if p * loss > gain else '<'} gain; kept: {keeps}; the pledge is "
                          f"kept above {ratio:.4g}", (p, ratio, gain, loss, p * loss, *at.values()))


def _range(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    r = bargaining_range(s, values=at, parameter=c.option("parameter"))
    tol = c.option("tolerance", TOLERANCE)
    ok = r.empty == bool(c.option("empty", False)) and r.chord_error < 1e-9
    for name in ("least", "most", "gap"):
        want, got = c.option(name), getattr(r, name)
        if want is not None:
            ok = ok and got is not None and abs(got - want) <= tol
    return Checked(c, ok, r.sentence(s), tuple(x for x in (r.least, r.most, r.gap) if x is not None) + tuple(at.values()))


def _differs(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    base = load(c.option("from"))
    meta = lambda sc: [(p.id, p.label, p.min, p.max, p.step) for p in sc.parameters]  # noqa: E731
    same = (base.players, base.attributes, base.nodes, base.root, meta(base)) == (s.players, s.attributes, s.nodes,
                                                                                  s.root, meta(s))
    moved = {k: v for k, v in s.values.items() if v != base.values[k]}
    ok = same and moved == dict(c.option("values"))
    return Checked(c, ok, f"the tree and sliders of {c.option('from')!r}{'' if same else ' (they differ)'}, with "
                          + (", ".join(f"{k} {base.values[k]:g} -> {v:g}" for k, v in moved.items()) or "nothing moved"),
                   (*moved.values(), *(base.values[k] for k in moved)))


def _payoff(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    """Each named player's utility at the outcome; with private types, the same for every type."""
    tol, want = c.option("tolerance", 1e-9), c.option("values")
    if s.uncertainty is not None:
        from ..core.perfect_bayesian import perfect_bayesian
        r = perfect_bayesian(s, values=at)
        index = {p: i for i, p in enumerate(r.players)}
        per_type = [dict(v)[c.option("outcome")] for _, v in r.outcome_values]
        got = {p: per_type[0][index[p]] for p in want}
        ok = all(abs(u[index[p]] - v) <= tol for u in per_type for p, v in want.items())
        return Checked(c, ok, f"utilities at {c.option('outcome')} (every type): {got}", tuple(got.values()))
    sol = solve(s, values=at)
    got = {p: _value(s, sol, p, f"outcome:{c.option('outcome')}") for p in want}
    ok = all(abs(got[p] - v) <= tol for p, v in want.items())
    return Checked(c, ok, f"utilities at {c.option('outcome')}: {got}", tuple(got.values()))


def _nash(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    nf = normal_form(s, values=at)
    spe = sum(e.subgame_perfect for e in nf.equilibria)
    threats = sorted({f"{t.node}:{t.action}" for e in nf.equilibria for t in e.threats})
    ok = (len(nf.equilibria) == c.option("pure") and spe == c.option("subgame_perfect")
          and (c.option("non_credible") is None or threats == sorted(c.option("non_credible"))))
    return Checked(c, ok, f"{len(nf.equilibria)} pure Nash equilibria, {spe} subgame perfect; non-credible: "
                          f"{', '.join(threats) or 'none'}", (len(nf.equilibria), spe))


def _story(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    return Checked(c, True, f"states no fact of the model: {c.option('why')}")


def _bayesian(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    from ..core.perfect_bayesian import perfect_bayesian
    r = perfect_bayesian(s, values=at)
    moves = [tuple(m.split(":", 1)) for m in c.option("strategy") or ()]
    replies = [tuple(m.split(":")) for m in c.option("replies") or ()]  # (type, node, action): a type's choice
    fits = [e for e in r.equilibria if (c.option("label") is None or e.kind == c.option("label"))
            and all(m in e.strategy for m in moves) and set(replies) <= {(t.id, *m) for t in e.types for m in t.choices}
            and (c.option("intuitive") is None or e.intuitive == c.option("intuitive"))]
    # ``count = 0``: no pure-strategy equilibrium at all; otherwise some equilibrium fits the named options
    holds = len(r.equilibria) == c.option("count") and (bool(fits) or c.option("count") == 0)
    return Checked(c, holds, f"{len(r.equilibria)} perfect Bayesian equilibria: "
                             + "; ".join(f"{e.kind} ({', '.join(f'{n}:{a}' for n, a in e.strategy)}"
                                         + "".join(f", {t.id}:{n}:{a}" for t in e.types for n, a in t.choices)
                                         + ("" if e.intuitive is None else
                                            f"; {'survives' if e.intuitive else 'fails'} the intuitive criterion")
                                         + ")" for e in r.equilibria), (float(len(r.equilibria)), *at.values()))


def _switch(s: Scenario, c: Claim, at: dict, load: Load) -> Checked:
    from ..core.perfect_bayesian import perfect_bayesian
    from .bayesian_thresholds import bayesian_thresholds
    p = s.parameter(c.option("parameter"))
    node, value, tol = c.option("node"), c.option("value"), c.option("tolerance", TOLERANCE)
    found = [f.value for f in bayesian_thresholds(s, values=at, parameters=(p.id,)).flips]
    near = [x for x in found if abs(x - value) <= tol]

    def only(x: float, action: str) -> bool:
        eqs = perfect_bayesian(s, values={**at, p.id: x}).equilibria
        return bool(eqs) and all(dict(e.strategy)[node] == action for e in eqs)

    holds = bool(near) and only(max(p.min, near[0] - tol), c.option("below")) and \
        only(min(p.max, near[0] + tol), c.option("above"))
    return Checked(c, holds, f"the equilibrium choice at {node} switches from {c.option('below')} to "
                             f"{c.option('above')} at {p.id} = {', '.join(f'{x:.4g}' for x in near) or 'nowhere'} "
                             f"(the equilibrium set changes at {', '.join(f'{x:.4g}' for x in found) or 'no value'})",
                   (*found, *at.values()))


KINDS = {"bayesian": _bayesian, "switch": _switch, "path": _path, "choice": _choice, "reasons": _reasons, "compare": _compare, "threshold": _threshold,
         "monitoring": _monitoring, "range": _range, "differs": _differs, "payoff": _payoff, "nash": _nash,
         "story": _story}


def check_claim(scenario: Scenario, claim: Claim, *, load: Load) -> Checked:
    """Whether ``claim`` holds for ``scenario`` (``load`` opens another scenario by id, for ``differs``)."""
    return KINDS[claim.kind](scenario, claim, dict(claim.option("at") or {}), load)


# -- descriptions ----------------------------------------------------------------------------------

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


def sentences(text: str) -> list[str]:
    return [x.strip() for x in SENTENCE.split(text) if x.strip()]


def _produced(token: str, numbers: Sequence[float]) -> bool:
    x = float(token)
    digits = len(token.split(".")[1]) if "." in token else 0
    return any(abs(abs(y) - abs(x)) <= 0.5 * 10 ** -digits + 1e-9 for y in numbers)


def coverage(text: str, checked: Sequence[Checked]) -> tuple[Sentence, ...]:
    """Each sentence of ``text``: the claims that back it (by ``says``), whether all hold, and the
    numbers written in it that none of them produced (years such as 2024 are dates, not figures)."""
    found = sentences(text)
    backing: list[list[Checked]] = [[] for _ in found]
    for c in checked:
        for start in c.claim.says:
            hits = [k for k, x in enumerate(found) if x.startswith(start)]
            if len(hits) != 1:
                raise ScenarioError(f"says {start!r} matches {len(hits)} sentences of the text; it must match one",
                                    field="claims")
            backing[hits[0]].append(c)
    out = []
    for sentence, claims in zip(found, backing):
        story = any(c.claim.kind == "story" for c in claims)
        numbers = [x for c in claims for x in c.numbers]
        tokens = [t for t in NUMBER.findall(sentence) if not (t.isdigit() and 1900 <= int(t) <= 2100)]
        unmatched = () if story else tuple(t for t in tokens if not _produced(t, numbers))
        out.append(Sentence(text=sentence, backed_by=len(claims), story=story,
                            holds=bool(claims) and all(c.holds for c in claims) and not unmatched, unmatched=unmatched))
    return tuple(out)


def check_claims(scenario: Scenario, /, *, values: Mapping[str, float] | None = None,
                 load: Load | None = None) -> ClaimReport:
    """Every claim of ``scenario`` checked, and its description covered sentence by sentence."""
    here = scenario.with_values(values)

    def refuse(name: str) -> Scenario:
        raise ScenarioError(f"cannot open scenario {name!r} here", field="from")

    checked = tuple(check_claim(here, c, load=load or refuse) for c in scenario.claims)
    return ClaimReport(title=scenario.title, checked=checked,
                       sentences=coverage(scenario.description, checked) if scenario.claims else ())


def _command(scenario: Scenario, options: Mapping[str, object]) -> ClaimReport:
    folder = Path(str(options["path"])).parent
    return check_claims(scenario, load=lambda name: load_scenario(folder / f"{name}.toml"))


COMMAND = Command(name="claims", order=17, run=_command,
                  help="check every claim the scenario states about the model, and its description sentence by "
                       "sentence")
