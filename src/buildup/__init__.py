"""buildup: plan, track and stress-test national defence-spending build-ups.

The public surface is small and loaded lazily, so that ``import buildup`` stays cheap:

>>> import buildup
>>> buildup.resolve_country("Korea, South")
'KOR'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from buildup.compare import (
        compare_cost_to_target,
        compare_countries,
        compare_overview,
        count_at_or_above,
        resolve_group,
    )
    from buildup.data.catalogue import get_dataset, load_bundled, load_catalogue
    from buildup.data.countries import resolve_country
    from buildup.engine import Outcome, run
    from buildup.engine.risk import simulate_plan
    from buildup.engine.track import track
    from buildup.errors import (
        BuildupError,
        ConflictError,
        DataError,
        ImportValidationError,
        InputError,
        NotFoundError,
        ScenarioError,
        SolverError,
        StoreError,
        UnknownCountryError,
    )
    from buildup.portfolio import solve_portfolio
    from buildup.report import plot_comparison, plot_plan
    from buildup.scenario import Scenario, read_scenario
    from buildup.scenario.tracking import read_tracking
    from buildup.store import DatasetStore, DuckDBStore, MemoryStore, Store, build_store, open_store
    from buildup.types import YearRange, parse_year_range

__all__ = [
    "BuildupError",
    "ConflictError",
    "DataError",
    "DatasetStore",
    "DuckDBStore",
    "ImportValidationError",
    "InputError",
    "MemoryStore",
    "NotFoundError",
    "Outcome",
    "Scenario",
    "ScenarioError",
    "SolverError",
    "Store",
    "StoreError",
    "UnknownCountryError",
    "YearRange",
    "__version__",
    "build_store",
    "compare_cost_to_target",
    "compare_countries",
    "compare_overview",
    "count_at_or_above",
    "get_dataset",
    "load_bundled",
    "load_catalogue",
    "open_store",
    "parse_year_range",
    "plot_comparison",
    "plot_plan",
    "read_scenario",
    "read_tracking",
    "resolve_country",
    "resolve_group",
    "run",
    "simulate_plan",
    "solve_portfolio",
    "track",
]

_LAZY = {
    "simulate_plan": "buildup.engine.risk",
    "track": "buildup.engine.track",
    "read_tracking": "buildup.scenario.tracking",
    "solve_portfolio": "buildup.portfolio",
    "Outcome": "buildup.engine",
    "run": "buildup.engine",
    "plot_plan": "buildup.report",
    "plot_comparison": "buildup.report",
    "Scenario": "buildup.scenario",
    "read_scenario": "buildup.scenario",
    "compare_overview": "buildup.compare",
    "compare_countries": "buildup.compare",
    "compare_cost_to_target": "buildup.compare",
    "count_at_or_above": "buildup.compare",
    "resolve_group": "buildup.compare",
    "get_dataset": "buildup.data.catalogue",
    "load_bundled": "buildup.data.catalogue",
    "load_catalogue": "buildup.data.catalogue",
    "resolve_country": "buildup.data.countries",
    "BuildupError": "buildup.errors",
    "ConflictError": "buildup.errors",
    "NotFoundError": "buildup.errors",
    "SolverError": "buildup.errors",
    "DatasetStore": "buildup.store",
    "DuckDBStore": "buildup.store",
    "MemoryStore": "buildup.store",
    "build_store": "buildup.store",
    "DataError": "buildup.errors",
    "ImportValidationError": "buildup.errors",
    "InputError": "buildup.errors",
    "ScenarioError": "buildup.errors",
    "StoreError": "buildup.errors",
    "UnknownCountryError": "buildup.errors",
    "Store": "buildup.store",
    "open_store": "buildup.store",
    "YearRange": "buildup.types",
    "parse_year_range": "buildup.types",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'buildup' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
