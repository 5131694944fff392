"""The command line's own sub-commands, which read and write files rather than analyse: solve (the
equilibrium itself), validate, export and report. Each is a ``Command`` like the analyses'."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..analyses import Command, Option
from ..core.equilibrium import solve
from ..core.perfect_bayesian import perfect_bayesian
from ..core.scenario import Scenario
from ..errors import ScenarioError
from ..files.formats import suffixes
from ..files.scenario_io import dumps_scenario, write_atomic
from ..text.report import handout_html, handout_markdown


def _solve(scenario: Scenario, options: Mapping[str, object]):
    if scenario.uncertainty is not None:
        return perfect_bayesian(scenario)
    return solve(scenario)


def _validate(scenario: Scenario, options: Mapping[str, object]) -> str:
    n_dec = sum(1 for n in scenario.nodes if n.kind == "decision")
    n_out = sum(1 for n in scenario.nodes if n.kind == "outcome")
    return (f"ok: {options['path']}: {len(scenario.players)} players, {len(scenario.attributes)} attributes, "
            f"{len(scenario.parameters)} parameters, {n_dec} decision nodes, {n_out} outcomes")


def _export(scenario: Scenario, options: Mapping[str, object]) -> str:
    text = dumps_scenario(scenario, fmt=f".{options['to']}")
    if options["output"]:
        out = Path(options["output"])
        if out.suffix.lower() != f".{options['to']}":
            raise ScenarioError(f"the output name must end in .{options['to']}", file=str(out))
        write_atomic(out, text)
        return f"wrote {out}"
    return text.rstrip("\n")


def _report(scenario: Scenario, options: Mapping[str, object]) -> str:
    out = Path(options["output"])
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


COMMANDS = (
    Command(name="solve", order=10, run=_solve,
            help="the equilibrium: subgame-perfect (every choice, its value and why), or with private types "
                 "every pure-strategy perfect Bayesian equilibrium and its beliefs"),
    Command(name="validate", order=15, run=_validate, outputs=("message",), set_help="",
            help="check a scenario file and say what is wrong"),
    Command(name="export", order=25, run=_export, outputs=("message",),
            help="write the scenario (at its current values) in another format",
            options=(Option("--to", dict(required=True, choices=tuple(s.lstrip(".") for s in suffixes()))),
                     Option("--output", dict(metavar="OUT", help="file to write (default: print)")))),
    Command(name="report", order=45, run=_report, outputs=("message",),
            help="a one-page handout (HTML, or Markdown with the tree as an SVG file)",
            options=(Option("--output", dict(required=True, metavar="OUT", help="OUT.html or OUT.md")),)),
)
