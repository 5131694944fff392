"""``python -m model``: solve, check, analyse and convert scenarios from the command line.

Bad input of any kind exits with status 2 and one line on stderr starting with ``error:``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .equilibrium import Solution, solve
from .errors import ScenarioError
from .explanations import fmt
from .scenario import CHANCE, Scenario, check_values
from .scenario_io import dumps_scenario, load_scenario, write_atomic
from .thresholds import Threshold, thresholds

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "default.toml"
NOTE = "Every number is an illustrative assumption for teaching, not a fact or an estimate."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise ScenarioError(f"{message} (see {self.prog} --help)")


def _overrides(pairs: Sequence[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ScenarioError(f"--set {pair!r} must look like NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def _load(path: str, sets: Sequence[str] | None = None) -> Scenario:
    scenario = load_scenario(path)
    values = _overrides(sets)
    if values:
        try:
            scenario = scenario.with_values(check_values(scenario, values))
        except ScenarioError as err:
            raise err.at(file="--set") from None
    return scenario


def _label(scenario: Scenario, node: str, action: str) -> str:
    spec = scenario.node(node)
    return next(a.label for a in spec.actions if a.id == action)


def format_solution(scenario: Scenario, sol: Solution) -> str:
    """The short human report of ``solve``."""
    names = {p.id: p.name for p in scenario.players}
    out = [scenario.title, NOTE, "", "Equilibrium play (subgame-perfect, by backward induction):"]
    for k, step in enumerate(sol.path, start=1):
        spec = scenario.node(step.node)
        if step.player == CHANCE:
            odds = ", ".join(f"{a.label} {fmt(p)}" for a, (_, p) in zip(spec.actions, step.probabilities))
            out.append(f"  {k}. Chance ({spec.label or spec.id}): {odds}")
        else:
            out.append(f"  {k}. {names[step.player]}: {_label(scenario, step.node, step.action)}")
    out.append("Expected utility: " + ", ".join(f"{names[p]} {fmt(v)}" for p, v in sol.payoffs))
    out += ["", "Every decision, on and off the equilibrium path (* = on the path):"]
    for c in sol.choices:
        spec = scenario.node(c.node)
        mark = "*" if c.on_path else " "
        margin = "" if c.margin is None else f", margin {fmt(c.margin)}"
        out.append(f"{mark} {spec.label or spec.id} [{c.node}]: {names[c.player]} chooses "
                   f"\u201c{_label(scenario, c.node, c.action)}\u201d{margin}")
        out.append("      " + " | ".join(f"{_label(scenario, c.node, a)} {fmt(v)}" for a, v in c.values))
        out.append("      " + c.explanation)
    ties = sol.ties
    out.append("")
    out.append("Ties: " + ("none." if not ties else "; ".join(
        f"{c.node} ({', '.join([c.action, *c.ties])})" for c in ties)))
    out.append(f"Tie rule: {sol.tie_rule}")
    return "\n".join(out)


def describe_threshold(scenario: Scenario, t: Threshold) -> str:
    names = {p.id: p.name for p in scenario.players}
    spec = scenario.node(t.node)
    path = "; the equilibrium path changes" if t.path_changes else ""
    return (f"at {t.value:.4g}: {names[t.player]} at \u201c{spec.label or spec.id}\u201d prefers "
            f"\u201c{_label(scenario, t.node, t.below)}\u201d below and \u201c{_label(scenario, t.node, t.above)}\u201d "
            f"above{path}")


def format_thresholds(scenario: Scenario, found: Sequence[Threshold]) -> str:
    out = [scenario.title, NOTE, "", "Flip thresholds: where a preferred action changes inside a parameter's range",
           "(other parameters at their current values)."]
    for p in scenario.parameters:
        mine = [t for t in found if t.parameter == p.id]
        unit = f" {p.unit}" if p.unit else ""
        out.append(f"\n{p.id} \u2014 {p.label} (now {p.default:g}{unit}, range {p.min:g} to {p.max:g})")
        if not mine:
            out.append("  no choice changes anywhere in the range")
        out += ["  " + describe_threshold(scenario, t) for t in mine]
    return "\n".join(out)


def cmd_solve(args) -> str:
    scenario = _load(args.path, args.set)
    sol = solve(scenario)
    return json.dumps(sol.to_json(), indent=2) if args.json else format_solution(scenario, sol)


def cmd_validate(args) -> str:
    scenario = _load(args.path)
    n_dec = sum(1 for n in scenario.nodes if n.kind == "decision")
    n_out = sum(1 for n in scenario.nodes if n.kind == "outcome")
    return (f"ok: {args.path}: {len(scenario.players)} players, {len(scenario.attributes)} attributes, "
            f"{len(scenario.parameters)} parameters, {n_dec} decision nodes, {n_out} outcomes")


def cmd_thresholds(args) -> str:
    scenario = _load(args.path, args.set)
    found = thresholds(scenario)
    if args.json:
        return json.dumps({"thresholds": [t.to_json() for t in found]}, indent=2)
    return format_thresholds(scenario, found)


def cmd_export(args) -> str | None:
    scenario = _load(args.path, args.set)
    if args.to == "efg":
        from .efg import to_efg

        text = to_efg(scenario)
    else:
        text = dumps_scenario(scenario, fmt=f".{args.to}")
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() != f".{args.to}":
            raise ScenarioError(f"the output name must end in .{args.to}", file=str(out))
        write_atomic(out, text)
        return f"wrote {out}"
    return text.rstrip("\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="The conditional-offer simulator's model. " + NOTE)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = True

    def add(name: str, fn: Callable, help_: str, *, sets: bool = True, json_: bool = True):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("path", metavar="PATH", help="a scenario (.toml or .json) or a Gambit game (.efg)")
        if sets:
            p.add_argument("--set", action="append", metavar="NAME=VALUE", help="move a parameter (repeatable)")
        if json_:
            p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(fn=fn)
        return p

    add("solve", cmd_solve, "the subgame-perfect equilibrium: every choice, its value and why")
    add("validate", cmd_validate, "check a scenario file and say what is wrong", sets=False, json_=False)
    add("thresholds", cmd_thresholds, "where each parameter flips a preferred action")
    p = add("export", cmd_export, "write the scenario (at its current values) as efg, toml or json", json_=False)
    p.add_argument("--to", required=True, choices=("efg", "toml", "json"))
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (default: print)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        text = args.fn(args)
        if text:
            print(text)
        return 0
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback in the terminal
        print(f"error: unexpected failure ({type(err).__name__}: {err}); please report it", file=sys.stderr)
        return 1
