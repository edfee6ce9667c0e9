"""buildup: plan, track and stress-test national defence-spending build-ups.

The public surface is small and loaded lazily, so that ``import buildup`` stays cheap:

>>> import buildup
>>> buildup.resolve_country("Korea, South")
'KOR'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from buildup.version import __version__

if TYPE_CHECKING:
    from buildup.compare import (
        JAPAN_AND_PARTNERS,
        CompareOptions,
        Comparison,
        CostToTarget,
        Count,
        Group,
        MetricInfo,
        compare_allies,
        compare_cost_to_target,
        compare_countries,
        compare_overview,
        cost_table,
        count_at_or_above,
        resolve_group,
    )
    from buildup.compare.sweep import SweepResult, countries_with_data, sweep_countries
    from buildup.compare.sweep import sweep as run_sweep
    from buildup.config import resolve_db_path
    from buildup.data.catalogue import get_dataset, load_bundled, load_catalogue, load_footnotes
    from buildup.data.countries import resolve_countries, resolve_country
    from buildup.data.edition import ImportedEdition
    from buildup.data.sipri_workbook import read_sipri_workbook
    from buildup.data.tidy import read_tidy_csv
    from buildup.data.worldbank import read_worldbank_csv
    from buildup.engine import Outcome, run
    from buildup.engine.datasets import describe_dataset, list_datasets
    from buildup.engine.diff import ScenarioDiff, diff_scenarios
    from buildup.engine.optimize import Optimisation
    from buildup.engine.outcome import TargetCheck
    from buildup.engine.provenance import Provenance
    from buildup.engine.risk import RiskOutcome, simulate_plan
    from buildup.engine.risk_portfolio import PortfolioRiskOutcome, RiskReport, RobustPortfolio
    from buildup.engine.tasks import (
        OptimiseOptions,
        PlanOptions,
        PortfolioOptions,
        QuickPlanOptions,
        RiskOptions,
        TrackOptions,
        optimise,
        plan,
        plan_risk,
        portfolio_risk,
        quick_plan,
        stress_test,
        track,
        validate_options,
    )
    from buildup.engine.track import TrackOutcome
    from buildup.errors import (
        ERROR_TABLE,
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
        exit_code,
        http_status,
    )
    from buildup.pledges import (
        Evaluation,
        Extraction,
        evaluate_items,
        extract_document,
        extract_pledges,
        parse_date,
        read_document,
        read_items,
    )
    from buildup.pledges.check import PledgeCheck, check_pledges
    from buildup.pledges.ledger import build_history, save_pledges
    from buildup.pledges.record import show_value as show_pledge_value
    from buildup.pledges.text import MAX_BYTES as MAX_ARTICLE_BYTES
    from buildup.portfolio import Analysis, Portfolio, solve_portfolio
    from buildup.report import plot_comparison, plot_fan, plot_plan, plot_portfolio, plot_tracking
    from buildup.report.schemas import OUTCOME_KINDS, outcome_schema
    from buildup.risk.cluster import dask_client
    from buildup.scenario import PathShape, Scenario, read_scenario, read_scenario_document
    from buildup.scenario.portfolio import Catalogue, Envelope
    from buildup.scenario.programmes import (
        parse_weights,
        read_area_limits,
        read_envelope,
        read_programmes,
    )
    from buildup.scenario.tracking import read_actuals_csv, read_tracking
    from buildup.serialize import dumps as to_json
    from buildup.serialize import to_jsonable
    from buildup.store import (
        DatasetStore,
        DuckDBStore,
        MemoryStore,
        Store,
        StoreInfo,
        build_store,
        is_stale,
        open_store,
        pledge_ledger,
    )
    from buildup.types import OutputFormat, YearRange, parse_year_range

__all__ = [
    "ERROR_TABLE",
    "JAPAN_AND_PARTNERS",
    "MAX_ARTICLE_BYTES",
    "OUTCOME_KINDS",
    "Analysis",
    "BuildupError",
    "Catalogue",
    "CompareOptions",
    "Comparison",
    "ConflictError",
    "CostToTarget",
    "Count",
    "DataError",
    "DatasetStore",
    "DuckDBStore",
    "Envelope",
    "Evaluation",
    "Extraction",
    "Group",
    "ImportValidationError",
    "ImportedEdition",
    "InputError",
    "MemoryStore",
    "MetricInfo",
    "NotFoundError",
    "Optimisation",
    "OptimiseOptions",
    "Outcome",
    "OutputFormat",
    "PathShape",
    "PlanOptions",
    "PledgeCheck",
    "Portfolio",
    "PortfolioOptions",
    "PortfolioRiskOutcome",
    "Provenance",
    "QuickPlanOptions",
    "RiskOptions",
    "RiskOutcome",
    "RiskReport",
    "RobustPortfolio",
    "Scenario",
    "ScenarioDiff",
    "ScenarioError",
    "SolverError",
    "Store",
    "StoreError",
    "StoreInfo",
    "SweepResult",
    "TargetCheck",
    "TrackOptions",
    "TrackOutcome",
    "UnknownCountryError",
    "YearRange",
    "__version__",
    "build_history",
    "build_store",
    "check_pledges",
    "compare_allies",
    "compare_cost_to_target",
    "compare_countries",
    "compare_overview",
    "cost_table",
    "count_at_or_above",
    "countries_with_data",
    "dask_client",
    "describe_dataset",
    "diff_scenarios",
    "evaluate_items",
    "exit_code",
    "extract_document",
    "extract_pledges",
    "get_dataset",
    "http_status",
    "is_stale",
    "list_datasets",
    "load_bundled",
    "load_catalogue",
    "load_footnotes",
    "open_store",
    "optimise",
    "outcome_schema",
    "parse_date",
    "parse_weights",
    "parse_year_range",
    "plan",
    "plan_risk",
    "pledge_ledger",
    "plot_comparison",
    "plot_fan",
    "plot_plan",
    "plot_portfolio",
    "plot_tracking",
    "portfolio_risk",
    "quick_plan",
    "read_actuals_csv",
    "read_area_limits",
    "read_document",
    "read_envelope",
    "read_items",
    "read_programmes",
    "read_scenario",
    "read_scenario_document",
    "read_sipri_workbook",
    "read_tidy_csv",
    "read_tracking",
    "read_worldbank_csv",
    "resolve_countries",
    "resolve_country",
    "resolve_db_path",
    "resolve_group",
    "run",
    "run_sweep",
    "save_pledges",
    "show_pledge_value",
    "simulate_plan",
    "solve_portfolio",
    "stress_test",
    "sweep_countries",
    "to_json",
    "to_jsonable",
    "track",
    "validate_options",
]

_LAZY = {
    "outcome_schema": "buildup.report.schemas",
    "to_jsonable": "buildup.serialize",
    "to_json": "buildup.serialize:dumps",
    "OUTCOME_KINDS": "buildup.report.schemas",
    "SweepResult": "buildup.compare.sweep",
    "countries_with_data": "buildup.compare.sweep",
    "sweep_countries": "buildup.compare.sweep",
    "run_sweep": "buildup.compare.sweep:sweep",
    "dask_client": "buildup.risk.cluster",
    "TargetCheck": "buildup.engine.outcome",
    "save_pledges": "buildup.pledges.ledger",
    "show_pledge_value": "buildup.pledges.record:show_value",
    "build_history": "buildup.pledges.ledger",
    "pledge_ledger": "buildup.store",
    "read_actuals_csv": "buildup.scenario.tracking",
    "read_programmes": "buildup.scenario.programmes",
    "read_envelope": "buildup.scenario.programmes",
    "read_area_limits": "buildup.scenario.programmes",
    "parse_weights": "buildup.scenario.programmes",
    "Analysis": "buildup.portfolio",
    "Envelope": "buildup.scenario.portfolio",
    "Catalogue": "buildup.scenario.portfolio",
    "Portfolio": "buildup.portfolio",
    "resolve_countries": "buildup.data.countries",
    "load_footnotes": "buildup.data.catalogue",
    "ImportedEdition": "buildup.data.edition",
    "read_sipri_workbook": "buildup.data.sipri_workbook",
    "read_worldbank_csv": "buildup.data.worldbank",
    "read_tidy_csv": "buildup.data.tidy",
    "resolve_db_path": "buildup.config",
    "JAPAN_AND_PARTNERS": "buildup.compare",
    "CostToTarget": "buildup.compare",
    "Count": "buildup.compare",
    "Group": "buildup.compare",
    "MetricInfo": "buildup.compare",
    "plot_fan": "buildup.report",
    "plot_tracking": "buildup.report",
    "plot_portfolio": "buildup.report",
    "diff_scenarios": "buildup.engine.diff",
    "describe_dataset": "buildup.engine.datasets",
    "list_datasets": "buildup.engine.datasets",
    "ScenarioDiff": "buildup.engine.diff",
    "Evaluation": "buildup.pledges",
    "Extraction": "buildup.pledges",
    "parse_date": "buildup.pledges",
    "extract_document": "buildup.pledges",
    "read_document": "buildup.pledges",
    "extract_pledges": "buildup.pledges",
    "read_items": "buildup.pledges",
    "evaluate_items": "buildup.pledges",
    "PledgeCheck": "buildup.pledges.check",
    "check_pledges": "buildup.pledges.check",
    "MAX_ARTICLE_BYTES": "buildup.pledges.text:MAX_BYTES",
    "ERROR_TABLE": "buildup.errors",
    "exit_code": "buildup.errors",
    "http_status": "buildup.errors",
    "StoreInfo": "buildup.store",
    "is_stale": "buildup.store",
    "OutputFormat": "buildup.types",
    "Optimisation": "buildup.engine.optimize",
    "OptimiseOptions": "buildup.engine.tasks",
    "PlanOptions": "buildup.engine.tasks",
    "PortfolioOptions": "buildup.engine.tasks",
    "PortfolioRiskOutcome": "buildup.engine.risk_portfolio",
    "QuickPlanOptions": "buildup.engine.tasks",
    "RiskOptions": "buildup.engine.tasks",
    "RiskReport": "buildup.engine.risk_portfolio",
    "RobustPortfolio": "buildup.engine.risk_portfolio",
    "TrackOptions": "buildup.engine.tasks",
    "optimise": "buildup.engine.tasks",
    "plan": "buildup.engine.tasks",
    "plan_risk": "buildup.engine.tasks",
    "portfolio_risk": "buildup.engine.tasks",
    "quick_plan": "buildup.engine.tasks",
    "stress_test": "buildup.engine.tasks",
    "validate_options": "buildup.engine.tasks",
    "TrackOutcome": "buildup.engine.track",
    "RiskOutcome": "buildup.engine.risk",
    "CompareOptions": "buildup.compare",
    "Comparison": "buildup.compare",
    "compare_allies": "buildup.compare",
    "Provenance": "buildup.engine.provenance",
    "track": "buildup.engine.tasks",
    "simulate_plan": "buildup.engine.risk",
    "read_tracking": "buildup.scenario.tracking",
    "solve_portfolio": "buildup.portfolio",
    "Outcome": "buildup.engine",
    "run": "buildup.engine",
    "plot_plan": "buildup.report",
    "plot_comparison": "buildup.report",
    "PathShape": "buildup.scenario",
    "Scenario": "buildup.scenario",
    "read_scenario": "buildup.scenario",
    "read_scenario_document": "buildup.scenario",
    "compare_overview": "buildup.compare",
    "compare_countries": "buildup.compare",
    "compare_cost_to_target": "buildup.compare",
    "cost_table": "buildup.compare",
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
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'buildup' has no attribute {name!r}")
    module, _, attribute = where.partition(":")  # "module:attr" when the names differ
    return getattr(importlib.import_module(module), attribute or name)


def __dir__() -> list[str]:
    return sorted(__all__)
