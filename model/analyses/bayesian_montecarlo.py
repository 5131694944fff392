"""With private types, ``montecarlo``: the parameters drawn as ``monte_carlo`` draws them, every draw's perfect
Bayesian equilibria solved in one batched call (``bayesian_sweep``), and the share of the draws holding each set
of equilibria with its 95% Wilson interval, and what decides whether the most common set holds.

Drawn by default: every parameter with a range that the game uses, except the parameters a type sets (their
sliders are not used, so drawing them would change nothing while seeming to) and the prior's parameters: the
prior is held at its current value unless it is asked for (``parameters``; ``--draw-prior`` on the command line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..core.game import ONE
from ..core.pbe_batch import bayesian_game
from ..core.result import csv_text
from ..core.scenario import Scenario, check_values
from ..text.explanations import NOTE
from . import Option, Typed
from .bayesian_region import prior_parameters
from .bayesian_sweep import SOLUTION, EquilibriumSet, bayesian_sweep, held_lines, set_json
from .montecarlo import (Shares, _importance, draw_rows, heading, importance_json, importance_lines, on_draws, ranked,
                         share_table, used_parameters)

METHOD = ("seeded random draws, every draw's pure-strategy perfect Bayesian equilibria in one batched call; "
          "95% Wilson intervals")


@dataclass(frozen=True)
class BayesianMonteCarlo(Shares):
    """Shares of each set of perfect Bayesian equilibria over ``draws`` draws (``sets`` sorted by share, largest
    first; each set's equilibria as at its first draw)."""

    informed: str
    sets: tuple[EquilibriumSet, ...]
    held: tuple[tuple[str, float], ...] = ()  # the prior's parameters not drawn, at the values used
    solution: str = SOLUTION
    method: str = METHOD

    def to_json(self) -> dict:
        return {
            "solution": self.solution, "informed": self.informed, **self.draws_json(),
            "sets": [{**set_json(s, c, self.draws), "ci_low": lo, "ci_high": hi}
                     for s, c, lo, hi in zip(self.sets, self.counts, self.ci_low, self.ci_high)],
            **self.shares_json(), "importance": importance_json(self.importance), "method": self.method,
        }

    def to_csv(self, out: TextIO | None = None) -> str | None:
        """One row per set, most common first: its name, its equilibria in words, its count, share and interval."""
        return csv_text(["set", "equilibria", "count", "share", "ci_low", "ci_high"],
                        zip((s.words for s in self.sets), (" | ".join(s.lines) for s in self.sets), self.counts,
                            self.shares, self.ci_low, self.ci_high), out)

    def to_text(self, scenario: Scenario) -> str:
        out = [scenario.title, NOTE, "", heading(scenario, self),
               f"Each draw solved for its {SOLUTION} ({scenario.player_name(self.informed)}'s type is private).",
               *held_lines(scenario, self.parameters, self.held)[1:], ""]
        below = [[s.words, *(" " * 40 + line for line in s.lines)] for s in self.sets]
        out += share_table(f"Sets of {SOLUTION}", "set of equilibria", self, below)
        out += importance_lines(scenario, self.importance, what="the most common set of equilibria holds",
                                same="every draw holds the same set" if len(self.sets) == 1 else "")
        out.append(f"Method: {self.method}.")
        return "\n".join(out)


def drawn_by_default(scenario: Scenario) -> tuple[str, ...]:
    """What is drawn unless asked otherwise: every parameter the game uses, but neither a type's nor the prior's."""
    left_out = set(bayesian_game(scenario).typed) | set(prior_parameters(scenario))
    return tuple(p for p in used_parameters(scenario) if p not in left_out)


def bayesian_monte_carlo(scenario: Scenario, /, *, draws: int = 100_000, seed: int = 0, mode: str = "uniform",
                         spread: float = 0.1, concentration: float | None = None,
                         parameters: Sequence[str] | None = None,
                         values: Mapping[str, float] | None = None) -> BayesianMonteCarlo:
    """Draw ``draws`` points of ``parameters`` (by default ``drawn_by_default``), solve every draw's perfect Bayesian
    equilibria in one call and give each set's share with its 95% Wilson interval."""
    now = {**scenario.values, **check_values(scenario, values or {})}
    names = tuple(parameters) if parameters is not None else drawn_by_default(scenario)
    rows = draw_rows(scenario, names=names, now=now, draws=draws, seed=seed, mode=mode, spread=spread,
                     concentration=concentration)
    result = bayesian_sweep(scenario, values={k: v for k, v in now.items() if k not in names},
                            rows=(names + (ONE,), rows), validate=False)
    counts, order, cis = ranked(result.set_index, len(result.sets))
    return BayesianMonteCarlo(
        draws=draws, seed=seed, mode=mode, spread=spread, concentration=concentration, parameters=names,
        informed=result.informed, sets=tuple(result.sets[k] for k in order), held=result.held,
        counts=tuple(int(counts[k]) for k in order), ci_low=tuple(c[0] for c in cis), ci_high=tuple(c[1] for c in cis),
        importance=_importance(rows, names, result.set_index == order[0]))


def _not_drawn(scenario: Scenario, options: Mapping[str, object]) -> tuple[str, ...]:
    """The command line leaves out the parameters a type sets, and the prior's unless ``--draw-prior``."""
    prior = () if options.get("draw_prior") else prior_parameters(scenario)
    return (*bayesian_game(scenario).typed, *prior)


TYPED = Typed(
    command="montecarlo", run=on_draws(bayesian_monte_carlo, leave_out=_not_drawn,
                                       why="; the types set some; the prior is held unless --draw-prior"),
    help="with private types, the share of the draws where each set of perfect Bayesian equilibria holds",
    options=(Option("--draw-prior", dict(action="store_true", help="with private types: draw the prior's parameters "
                                                                   "too (by default the prior is held)")),),
)
