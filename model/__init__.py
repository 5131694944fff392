"""The conditional-offer simulator's game model: scenarios, solver and analyses (never the UI).

>>> from model import load_scenario, solve
>>> scenario = load_scenario("scenarios/default.toml")
>>> [step.action for step in solve(scenario).path]
['conditional', 'accept', 'comply']
>>> [step.action for step in solve(scenario, p_detect=0.3).path]
['unconditional', 'operate']
"""

from .files.efg import to_efg
from .core.equilibrium import NodeChoice, PathStep, Solution, solve
from .errors import ScenarioError
from .core.scenario import Scenario
from .files.scenario_format import json_schema
from .files.scenario_io import dumps_scenario, load_scenario, loads_scenario, save_scenario
from .analyses.thresholds import Threshold, thresholds

__all__ = [
    "NodeChoice", "PathStep", "Scenario", "ScenarioError", "Solution", "Threshold",
    "dumps_scenario", "json_schema", "load_scenario", "loads_scenario", "save_scenario", "solve",
    "thresholds", "to_efg",
]
