"""The specs: a plan's assumptions (the frozen scenario model, its TOML files, country
presets), tracking files (:mod:`~buildup.scenario.tracking`) and the portfolio's programme,
envelope and area-limit files (:mod:`~buildup.scenario.programmes`,
:mod:`~buildup.scenario.portfolio`)."""

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
