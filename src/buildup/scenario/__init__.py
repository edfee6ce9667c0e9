"""Scenarios: the frozen model of a plan's assumptions, its TOML files, country presets."""

from __future__ import annotations

from buildup.scenario.load import (
    CountryPreset,
    load_preset,
    read_scenario,
    read_scenario_document,
    scenario_from_dict,
    scenario_from_document,
    scenario_hash,
)
from buildup.scenario.model import (
    AfterRule,
    Component,
    Definition,
    PathShape,
    Scenario,
    Target,
)

__all__ = [
    "AfterRule",
    "Component",
    "CountryPreset",
    "Definition",
    "PathShape",
    "Scenario",
    "Target",
    "load_preset",
    "read_scenario",
    "read_scenario_document",
    "scenario_from_dict",
    "scenario_from_document",
    "scenario_hash",
]
