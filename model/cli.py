"""``python -m model``: solve, check, analyse and convert scenarios from the command line.

Bad input of any kind exits with status 2 and one line on stderr starting with ``error:``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .core.equilibrium import Solution, solve
from .errors import ScenarioError
from .text.explanations import describe_play, describe_threshold, fmt
from .core.game import ONE, compile_game
from .analyses.montecarlo import monte_carlo
from .core.scenario import CHANCE, Scenario, check_values
from .files.formats import suffixes
from .files.scenario_io import dumps_scenario, load_scenario, write_atomic
from .analyses.sweep import sweep_game
from .analyses.thresholds import Threshold, thresholds

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
    text = dumps_scenario(scenario, fmt=f".{args.to}")
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() != f".{args.to}":
            raise ScenarioError(f"the output name must end in .{args.to}", file=str(out))
        write_atomic(out, text)
        return f"wrote {out}"
    return text.rstrip("\n")


# ----------------------------------------------------------------------------- sweep and Monte Carlo

MAX_SWEEP_POINTS = 10_000_000
MAX_JSON_POINTS = 100_000  # above this, --json gives the summary only (no per-point arrays)
MAX_CSV_ROWS = 1_000_000
CSV_CHUNK = 50_000


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _pct(share: float) -> str:
    """A share as a percentage: one decimal, or two significant digits when below 0.1%."""
    if 0 < share < 0.001:
        return f"{100 * share:.2g}%"
    return f"{100 * share:.1f}%"


def _play(scenario: Scenario, path) -> str:
    return describe_play(scenario, path) if path else "(no decision is reached)"


def _uncertainty_note(scenario: Scenario) -> list[str]:
    if scenario.uncertainty is None:
        return []
    return ["Note: this scenario's [uncertainty] section (types of "
            f"{scenario.player_name(scenario.uncertainty.player)}) is not used here: every point is solved with "
            "complete information, at the parameters' values."]


def _paths_json(paths) -> list[list[dict[str, str]]]:
    return [[{"node": node, "action": action} for node, action in path] for path in paths]


def parse_vary(spec: str) -> tuple[str, float, float, int]:
    """``NAME=LO:HI:N`` -> (name, lo, hi, n); LO <= HI finite numbers, N a whole number >= 2."""
    name, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or not name.strip() or len(parts) != 3:
        raise ScenarioError(f"--vary {spec!r} must look like NAME=LO:HI:N (for example p_detect=0:1:101)")
    name = name.strip()
    try:
        lo, hi = float(parts[0]), float(parts[1])
    except ValueError:
        raise ScenarioError(f"--vary {spec!r}: LO and HI must be numbers") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ScenarioError(f"--vary {spec!r}: LO and HI must be finite numbers")
    if lo > hi:
        raise ScenarioError(f"--vary {spec!r}: LO {lo:g} is above HI {hi:g}")
    text = parts[2].strip()
    if not (text.isascii() and text.isdigit()):
        raise ScenarioError(f"--vary {spec!r}: N must be a whole number of at least 2, got {text!r}")
    n = int(text)
    if n < 2:
        raise ScenarioError(f"--vary {spec!r}: N must be at least 2, got {n}")
    return name, lo, hi, n


def sweep_grid(scenario: Scenario, specs: Sequence[str], *, fixed: Sequence[str] = ()):
    """The cartesian product of the ``--vary`` grids as ``(names + (ONE,), block)``, one row per varied
    parameter (the last one varies fastest) and a final row of ones; the grids are checked first."""
    grids = []
    for spec in specs:
        name, lo, hi, n = parse_vary(spec)
        try:
            p = scenario.parameter(name)
        except ScenarioError as err:
            raise err.at(file="--vary") from None
        if any(g[0] == name for g in grids):
            raise ScenarioError(f"{name!r} is varied twice", file="--vary")
        if name in fixed:
            raise ScenarioError(f"{name!r} is both varied (--vary) and held fixed (--set); pick one", file="--vary")
        if not (p.min <= lo and hi <= p.max):
            raise ScenarioError(f"{lo:g} to {hi:g} is outside the range; allowed: {p.min:g} to {p.max:g}",
                                file="--vary", field=f"parameters.{name}")
        grids.append((name, lo, hi, n))
    total = math.prod(g[3] for g in grids)
    if total > MAX_SWEEP_POINTS:
        sizes = f" ({' x '.join(str(g[3]) for g in grids)})" if len(grids) > 1 else ""
        raise ScenarioError(f"the grid has {total:,} points{sizes}; at most {MAX_SWEEP_POINTS:,} are allowed",
                            file="--vary")
    shape = tuple(g[3] for g in grids)
    block = np.empty((len(grids) + 1, total))
    for j, (_, lo, hi, n) in enumerate(grids):
        axis = [1] * len(grids)
        axis[j] = n
        block[j].reshape(shape)[...] = np.linspace(lo, hi, n).reshape(axis)
    block[-1] = 1.0
    return tuple(g[0] for g in grids) + (ONE,), block, grids


def cmd_sweep(args) -> str | None:
    scenario = _load(args.path, args.set)
    names, block, grids = sweep_grid(scenario, args.vary, fixed=tuple(_overrides(args.set)))
    n = block.shape[1]
    if args.csv and n > MAX_CSV_ROWS:
        raise ScenarioError(f"the grid has {n:,} points; --csv writes at most {MAX_CSV_ROWS:,} rows "
                            "(use --json for the summary, or a coarser grid)", file="--vary")
    try:
        result = sweep_game(compile_game(scenario), rows=(names, block))
    except ScenarioError as err:
        raise err.at(file="--vary") from None
    counts = np.bincount(result.path, minlength=len(result.paths))
    varied = names[:-1]
    if args.json:
        data = {
            "parameters": list(varied),
            "grid": {name: {"lo": lo, "hi": hi, "n": k} for name, lo, hi, k in grids},
            "n_points": n,
            "players": list(result.players),
            "paths": _paths_json(result.paths),
            "counts": counts.tolist(),
        }
        if n <= MAX_JSON_POINTS:
            data["points"] = {name: block[j].tolist() for j, name in enumerate(varied)}
            data["path"] = result.path.tolist()
            data["utility"] = {p: result.root[i].tolist() for i, p in enumerate(result.players)}
        return json.dumps(data, indent=2 if n <= 1000 else None)  # one line when it lists many points
    if args.csv:
        out = sys.stdout
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*varied, "path", *(f"utility_{p}" for p in result.players)])
        for lo in range(0, n, CSV_CHUNK):
            hi = min(n, lo + CSV_CHUNK)
            cols = [block[j, lo:hi].tolist() for j in range(len(varied))]
            cols.append(result.path[lo:hi].tolist())
            cols += [row.tolist() for row in result.root[:, lo:hi]]
            writer.writerows(zip(*cols))
        return None
    names_of = {p.id: p.name for p in scenario.players}
    out = [scenario.title, NOTE, "",
           f"Sweep: {n:,} points" + (f" ({' x '.join(str(k) for *_, k in grids)})" if len(grids) > 1 else "")
           + ", one batched solve:"]
    for name, lo, hi, k in grids:
        out.append(f"  {name} from {lo:g} to {hi:g} ({k} values)")
    out.append("Every other parameter at its current value.")
    out += _uncertainty_note(scenario)
    out += ["", f"Equilibrium paths ({len(result.paths)} distinct; [index] as in --json and --csv):"]
    for k in np.argsort(-counts, kind="stable").tolist():
        out.append(f"  [{k}] {_pct(counts[k] / n):>6} ({int(counts[k]):,} points)  {_play(scenario, result.paths[k])}")
    mean = ", ".join(f"{names_of[p]} {fmt(float(result.root[i].mean()))}" for i, p in enumerate(result.players))
    out.append(f"Mean equilibrium utility over the grid: {mean}")
    return "\n".join(out)


def _montecarlo_args(args, scenario: Scenario, fixed: Sequence[str]) -> dict:
    if args.seed < 0:
        raise ScenarioError(f"--seed must be a whole number of at least 0; got {args.seed}")
    if args.spread is not None and args.mode != "spread":
        raise ScenarioError("--spread applies only with --mode spread")
    spread = 0.1 if args.spread is None else args.spread
    if not math.isfinite(spread):
        raise ScenarioError(f"--spread must be between 0 and 1 (a share of each range); got {spread}")
    if args.dirichlet is not None and not (math.isfinite(args.dirichlet) and args.dirichlet > 0):
        raise ScenarioError(f"--dirichlet must be a positive finite number; got {args.dirichlet}")
    names = tuple(p.id for p in scenario.parameters if p.max > p.min and p.id not in fixed)
    if not names:
        raise ScenarioError("nothing to draw: no parameter with a range is left free (--set holds a parameter fixed)")
    return dict(draws=args.draws, seed=args.seed, mode=args.mode, spread=spread, concentration=args.dirichlet,
                parameters=names)


def cmd_montecarlo(args) -> str | None:
    scenario = _load(args.path, args.set)
    options = _montecarlo_args(args, scenario, tuple(_overrides(args.set)))
    try:
        mc = monte_carlo(scenario, **options)
    except ScenarioError as err:
        option = {"draws": "--draws", "spread": "--spread", "mode": "--mode", "concentration": "--dirichlet"}
        if err.field in option:
            raise ScenarioError(err.message, file=option[err.field]) from None
        raise
    words = [_play(scenario, path) for path in mc.paths]
    if args.json:
        return json.dumps({
            "draws": mc.draws, "seed": mc.seed, "mode": mc.mode, "spread": mc.spread,
            "concentration": mc.concentration, "parameters": list(mc.parameters), "players": list(mc.players),
            "paths": _paths_json(mc.paths), "paths_in_words": words, "counts": list(mc.counts),
            "shares": list(mc.shares), "ci_low": list(mc.ci_low), "ci_high": list(mc.ci_high),
            "mean_utility": dict(zip(mc.players, mc.mean_utility)),
            "importance": [{"parameter": i.parameter, "correlation": _finite(i.correlation),
                            "first_order": _finite(i.first_order)} for i in mc.importance],
        }, indent=2)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["path", "count", "share", "ci_low", "ci_high"])
        writer.writerows(zip(words, mc.counts, mc.shares, mc.ci_low, mc.ci_high))
        return None
    names_of = {p.id: p.name for p in scenario.players}
    how = {"uniform": "uniform over each range",
           "spread": f"within \u00b1{mc.spread:g} of each range around the current value"}[mc.mode]
    if mc.concentration is not None:
        how += f"; each side's weights from a Dirichlet around its current weights (concentration {mc.concentration:g})"
    n_held = len(scenario.parameters) - len(mc.parameters)
    held = ("none held fixed" if not n_held else "1 held at its current value" if n_held == 1
            else f"{n_held} held at their current values")
    out = [scenario.title, NOTE, "",
           f"Monte Carlo: {mc.draws:,} draws (seed {mc.seed}) of {len(mc.parameters)} parameters, {how}; "
           f"{held}.", *_uncertainty_note(scenario),
           "", "Equilibrium outcomes (share of draws, 95% Wilson interval):",
           f"  {'share':>6}  {'95% interval':<17} {'draws':>10}  equilibrium play"]
    for w, c, s, lo, hi in zip(words, mc.counts, mc.shares, mc.ci_low, mc.ci_high):
        interval = f"{_pct(lo)} \u2013 {_pct(hi)}"
        out.append(f"  {_pct(s):>6}  {interval:<17} {c:>10,}  {w}")
    out.append("Mean equilibrium utility: "
               + ", ".join(f"{names_of[p]} {fmt(u)}" for p, u in zip(mc.players, mc.mean_utility)))
    top = [i for i in mc.importance if i.first_order > 0][:5]
    out += ["", "What decides whether the most common outcome occurs (share of its variance explained by the "
                "parameter alone; correlation):"]
    if not top:
        out.append("  nothing: every draw ends the same way" if len(mc.paths) == 1 else "  no single parameter")
    for i in top:
        label = scenario.parameter(i.parameter).label
        out.append(f"  {i.parameter:<24} {i.first_order:5.2f}  corr {i.correlation:+.2f}  {label}")
    return "\n".join(out)


def format_normal_form(scenario: Scenario, nf) -> str:
    names = {p.id: p.name for p in scenario.players}
    out = [scenario.title, NOTE, "", "Strategic (normal) form, reduced: each side's strategies"]
    for i, p in enumerate(nf.players):
        out.append(f"\n{names[p]} ({len(nf.labels[i])} strategies):")
        out += [f"  {names[p][0]}{k + 1}. {label}" for k, label in enumerate(nf.labels[i])]
    out.append(f"\nPure Nash equilibria: {len(nf.equilibria)}; subgame perfect: "
               f"{sum(e.subgame_perfect for e in nf.equilibria)}")
    for e in nf.equilibria:
        who = ", ".join(f"{names[p][0]}{k + 1}" for p, k in zip(nf.players, e.profile))
        pays = ", ".join(f"{names[p]} {fmt(v)}" for p, v in zip(nf.players, e.payoffs))
        tag = "subgame perfect" if e.subgame_perfect else "NOT subgame perfect"
        out.append(f"  ({who}): {pays} \u2014 {tag}")
        out += [f"      {t.sentence}" for t in e.threats]
    out.append(f"\nMixed equilibria: {nf.mixed_note}")
    return "\n".join(out)


def cmd_nash(args) -> str:
    from .analyses.normal_form import normal_form

    scenario = _load(args.path, args.set)
    nf = normal_form(scenario)
    return json.dumps(nf.to_json(), indent=2) if args.json else format_normal_form(scenario, nf)


def cmd_report(args) -> str:
    from .text.report import handout_html, handout_markdown

    scenario = _load(args.path, args.set)
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix == ".html":
        write_atomic(out, handout_html(scenario))
        return f"wrote {out}"
    if suffix == ".md":
        figure = f"{out.stem}-tree.svg"
        text, files = handout_markdown(scenario, figure=figure)
        for name, data in files.items():
            write_atomic(out.parent / name, data.decode("utf-8"))
        write_atomic(out, text)
        return f"wrote {out} and {out.parent / figure}"
    raise ScenarioError("the handout must end in .html or .md", file=str(out))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="The conditional-offer simulator's model. " + NOTE)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = True

    def add(name: str, fn: Callable, help_: str, *, sets: bool = True, json_: bool = True,
            set_help: str = "move a parameter (repeatable)"):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("path", metavar="PATH", help="a scenario (.toml or .json) or a Gambit game (.efg)")
        if sets:
            p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
        if json_:
            p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(fn=fn)
        return p

    add("solve", cmd_solve, "the subgame-perfect equilibrium: every choice, its value and why")
    add("validate", cmd_validate, "check a scenario file and say what is wrong", sets=False, json_=False)
    add("thresholds", cmd_thresholds, "where each parameter flips a preferred action")
    p = add("export", cmd_export, "write the scenario (at its current values) as efg, toml or json", json_=False)
    p.add_argument("--to", required=True, choices=tuple(s.lstrip(".") for s in suffixes()))
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (default: print)")

    def formats(p):
        group = p.add_mutually_exclusive_group()
        group.add_argument("--json", action="store_true", help="print one JSON object")
        group.add_argument("--csv", action="store_true", help="print CSV")

    p = add("sweep", cmd_sweep, "solve a grid of parameter values in one batched call; count the equilibrium paths",
            json_=False, set_help="move a parameter that is not varied (repeatable)")
    p.add_argument("--vary", action="append", required=True, metavar="NAME=LO:HI:N",
                   help="an even grid of N >= 2 values from LO to HI (repeatable: the grids multiply, "
                        f"at most {MAX_SWEEP_POINTS:,} points); --json lists every point up to "
                        f"{MAX_JSON_POINTS:,} points, --csv writes one row per point (at most {MAX_CSV_ROWS:,})")
    formats(p)
    p = add("montecarlo", cmd_montecarlo, "draw the parameters at random, solve every draw, report outcome shares",
            json_=False, set_help="hold a parameter at VALUE: it is not drawn (repeatable)")
    p.add_argument("--draws", type=int, default=100_000, metavar="N", help="number of draws (default 100,000)")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="random seed (default 0): the same seed, the same draws")
    p.add_argument("--mode", choices=("uniform", "spread"), default="uniform",
                   help="uniform over each range (default), or spread: around each current value")
    p.add_argument("--spread", type=float, metavar="X",
                   help="with --mode spread: half-width as a share of each range (default 0.1)")
    p.add_argument("--dirichlet", type=float, metavar="K",
                   help="draw each side's weights from a Dirichlet around its current weights (concentration K)")
    p.epilog = "Every parameter with a range is drawn, except those held with --set."
    formats(p)
    add("nash", cmd_nash, "the strategic form: every pure Nash equilibrium, whether it is subgame perfect, and the "
        "non-credible threats the others rest on")
    p = add("report", cmd_report, "a one-page handout (HTML, or Markdown with the tree as an SVG file)", json_=False)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.html or OUT.md")
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
