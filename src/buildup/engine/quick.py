"""A one-line question — country, target share, year — as a plan: one rule for every command.

``buildup plan --country …`` and ``buildup compare … --target-share`` ask the same question, so
both build their scenario here and get the same path: the same baseline (the latest year of
the country's budget series — the national budget where the data has one, e.g. Japan's
initial budgets, else SIPRI — before the target year), the same ramp limit
(:data:`DEFAULT_MAX_REAL_GROWTH` unless given) and the same continuation of GDP and prices
after the IMF's forecasts (the last forecast growth, unless given). Every default is stated in
the outcome's assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from buildup.data.countries import resolve_country
from buildup.engine.inputs import budget_history
from buildup.engine.plan import default_baseline_year, run
from buildup.scenario import Scenario, load_preset, scenario_from_dict

if TYPE_CHECKING:
    from buildup.engine.outcome import Outcome
    from buildup.store import DatasetStore

__all__ = [
    "DEFAULT_MAX_REAL_GROWTH",
    "QuickPlan",
    "baseline_budget",
    "plan_question",
    "quick_scenario",
]

# Analyst's assumption, not a published figure: the ramp limit of the shipped 3.5 % examples
# (a budget grows at most 15 % a year in real terms), stated wherever it is used.
DEFAULT_MAX_REAL_GROWTH = 0.15


@dataclass(frozen=True)
class QuickPlan:
    """A target share of GDP [fraction] by a year, with the plan's options (None: default)."""

    country: str
    target_share: float
    by: int
    definition: str | None = None
    gdp_base_year: int | None = None
    shape: str = "goal-seek"
    max_real_growth: float | None = None
    baseline_year: int | None = None
    baseline_amount: float | None = None
    gdp_growth: float | str | None = None
    inflation: float | str | None = None


def quick_scenario(store: DatasetStore, question: QuickPlan) -> Scenario:
    """The scenario of a one-line question, with every default filled in and noted.

    An invalid question raises a :class:`~buildup.errors.ScenarioError` naming the scenario's
    key (``targets[0].share_gdp``) and no source: the caller knows where the question came
    from and attaches it (:func:`~buildup.errors.located`)."""
    baseline = question.baseline_year or default_baseline_year(store, question.country, question.by)
    limit = question.max_real_growth
    notes = []
    if limit is None and question.shape == "goal-seek":
        limit = DEFAULT_MAX_REAL_GROWTH
        notes.append(
            f"ramp limit: at most {DEFAULT_MAX_REAL_GROWTH:.0%} real growth a year (buildup's "
            "default, an assumption; the max_real_growth option sets another)"
        )
    notes.append(
        f"baseline: {baseline}, the latest year of the country's budget data before "
        f"{question.by}" + (" (given)" if question.baseline_year else "")
    )
    baseline_spec: dict[str, Any] = {"year": baseline}
    if question.baseline_amount is not None:
        baseline_spec |= {"amount": question.baseline_amount, "source": "given (baseline_amount)"}
    data: dict[str, Any] = {
        "name": f"{question.country}: {question.target_share * 100:g} % of GDP by {question.by}",
        "country": question.country,
        "baseline": baseline_spec,
        "targets": [
            {
                "year": question.by,
                "share_gdp": question.target_share,
                "definition": question.definition,
            }
        ],
        "path": {"shape": question.shape, "max_real_growth": limit},
        "notes": notes,
    }
    if question.gdp_growth is not None:
        data["gdp"] = {"growth_after_data": question.gdp_growth}
    if question.inflation is not None:
        data["prices"] = {"inflation_after_data": question.inflation}
    if question.gdp_base_year is not None:
        data["denominator"] = {"year": question.gdp_base_year}
    if question.definition is not None:
        data["definition"] = question.definition
    return scenario_from_dict(data)


def baseline_budget(store: DatasetStore, country: str, before: int) -> tuple[int, float]:
    """The default baseline year of a question and the budget the data gives for it [LCU]."""
    year = default_baseline_year(store, country, before)
    iso3 = resolve_country(country)
    actuals = budget_history(store, iso3, load_preset(iso3).budget_history)
    return year, actuals[year][0]


def plan_question(store: DatasetStore, question: QuickPlan) -> Outcome:
    """Plan a one-line question: :func:`quick_scenario` run by the planner."""
    return run(quick_scenario(store, question), store, quick=True)
