"""The conditional-offer simulator's game model: scenarios, solver and analyses (never the UI).

The public API, in four layers: ``core`` (the scenario, the compiled game, backward induction),
``files`` (formats, reading and writing), ``analyses`` (one module per analysis, each
``name(scenario, /, *, values=None, ...)`` returning a frozen result with ``to_json()``), and
``text`` (explanations, the handout, the tree drawing).

>>> from model import load_scenario, solve
>>> scenario = load_scenario("scenarios/default.toml")
>>> [step.action for step in solve(scenario).path]
['conditional', 'accept', 'keep']
>>> [step.action for step in solve(scenario, values={"p_detect": 0.2}).path]
['no_offer', 'operate']
"""

from .analyses.compare import Comparison, compare
from .analyses.bargaining_range import BargainingRange, bargaining_range
from .analyses.bayesian_montecarlo import BayesianMonteCarlo, bayesian_monte_carlo
from .analyses.bayesian_normal_form import BayesianNormalForm, bayesian_normal_form
from .analyses.bayesian_region import BayesianRegionMap, bayesian_region_map, prior_parameters, prior_switches
from .analyses.bayesian_sweep import BayesianSweep, bayesian_sweep
from .analyses.bayesian_thresholds import BayesianThresholds, bayesian_thresholds
from .analyses.claims import ClaimReport, check_claim, check_claims
from .analyses.figures import render
from .analyses.montecarlo import MAX_DRAWS, MonteCarlo, monte_carlo
from .analyses.normal_form import NormalForm, PureEquilibrium, normal_form
from .analyses.one_way import OneWay, one_way
from .analyses.region_map import RegionMap, region_map
from .analyses.screening import Screening, offer_switches, screen
from .analyses.steps import Step, StepByStep, backward_induction_steps
from .analyses.sweep import Grid, Sweep, option_values, sweep
from .analyses.thresholds import Threshold, Thresholds, thresholds
from .analyses.tornado import Tornado, TornadoBar, tornado
from .analyses.what_it_takes import WhatItTakes, plays, what_it_takes
from .core.equilibrium import NodeChoice, PathStep, Solution, solve
from .core.belief_values import belief_option_values
from .core.perfect_bayesian import (BayesianEquilibrium, PerfectBayesian, candidates, perfect_bayesian, play_words, prob,
                                    type_option_values, type_sentences)
from .core.plays import Path
from .core.scenario import Decision, Parameter, Scenario, parameter_groups
from .errors import ScenarioError
from .files.efg import to_efg
from .files.formats import FORMATS, Format, allowed, format_of
from .files.lesson import Figure, Lesson, LessonStep, load_lesson
from .files.scenario_format import json_schema
from .files.scenario_io import dumps_scenario, load_scenario, loads_scenario, safe_save_path, save_scenario, write_atomic
from .text.explanations import NOTE, describe_changes, describe_path, describe_play, describe_threshold, fmt
from .text.report import handout_html, handout_markdown
from .text.tree_svg import bayesian_tree_svg, tree_svg

__all__ = [
    "FORMATS", "MAX_DRAWS", "NOTE", "BargainingRange", "ClaimReport", "Comparison", "Decision", "Figure", "Lesson",
    "LessonStep", "PureEquilibrium", "bargaining_range", "check_claim", "check_claims", "load_lesson", "render", "Format", "Grid", "MonteCarlo", "NodeChoice", "NormalForm", "OneWay",
    "Parameter", "Path", "PathStep", "RegionMap", "Scenario", "ScenarioError", "Screening", "Solution", "Step",
    "StepByStep", "Sweep", "Threshold", "Thresholds", "Tornado", "TornadoBar", "WhatItTakes", "allowed",
    "backward_induction_steps", "compare", "describe_changes", "describe_path", "describe_play", "describe_threshold",
    "dumps_scenario", "fmt", "format_of", "handout_html", "handout_markdown", "json_schema", "load_scenario",
    "loads_scenario", "monte_carlo", "normal_form", "offer_switches", "one_way", "option_values", "parameter_groups",
    "plays", "region_map", "safe_save_path", "save_scenario", "screen", "solve", "sweep", "thresholds", "tornado",
    "to_efg", "tree_svg", "what_it_takes", "write_atomic",
    "BayesianEquilibrium", "BayesianRegionMap", "BayesianThresholds", "PerfectBayesian", "bayesian_region_map", "play_words", "prob", "type_option_values", "type_sentences",
    "belief_option_values",
    "bayesian_thresholds", "bayesian_tree_svg", "candidates", "perfect_bayesian", "prior_parameters", "prior_switches",
    "BayesianMonteCarlo", "BayesianNormalForm", "BayesianSweep", "bayesian_monte_carlo", "bayesian_normal_form",
    "bayesian_sweep",
]
