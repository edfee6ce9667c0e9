"""What reaching a target share of GDP by a year costs each country, against its current path.

For each country the planner solves the same question as ``buildup plan --country ISO3
--target-share S --by Y --definition sipri`` (:func:`buildup.engine.quick.plan_question`):
the smoothest real path (goal-seek) within the planner's ramp limit (15 %/yr real unless
given), from the baseline year (the latest year of the country's budget data: Japan's
national budget, else SIPRI) to the target, with spending counted as SIPRI counts it (for
Japan SIPRI's published figures where it has them, else an estimate of SIPRI's count) against
GDP of the same year, and GDP and prices continued at their last growth after the IMF's
forecasts. The current path holds the baseline year's share of GDP:
``current = baseline share × GDP`` each year. Extra spending is plan minus current path, per
year and in total over the planned years, in local currency and in US$ (at the exchange rate
the plan uses: the last observed one, held). A country already at or above the target has
zero extra cost: holding its share keeps it there. Shares are SIPRI-counted spending over the
IMF's GDP, so a baseline share can differ a little from SIPRI's published one (SIPRI's GDP).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from buildup.engine.provenance import EditionRef
from buildup.errors import InputError, located
from buildup.serialize import internal, table

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine import Outcome
    from buildup.engine.quick import QuickPlan
    from buildup.store import DatasetStore

__all__ = [
    "TARGET_PRESETS",
    "CostToTarget",
    "TargetSpec",
    "against_current_path",
    "compare_cost_to_target",
    "cost_table",
    "resolve_target",
    "target_question",
]

DEFINITION = "sipri"
NATO_5_NOTE = (
    "NATO's 5 % (The Hague, 2025) is 3.5 % core defence plus up to 1.5 % of related spending "
    "(resilience, infrastructure); buildup models the 1.5 % as part of the same spending share "
    "under SIPRI's definition, an assumption"
)


@dataclass(frozen=True)
class TargetSpec:
    """A target share of GDP [fraction] to reach by ``year``."""

    share_gdp: float
    year: int
    label: str
    note: str = ""


# name -> (share, year or None when the target has no date, label, note)
TARGET_PRESETS: Mapping[str, tuple[float, int | None, str, str]] = {
    "nato-2": (0.02, None, "NATO 2 % guideline", ""),
    "nato-3.5": (0.035, 2035, "NATO 3.5 % core defence by 2035 (The Hague, 2025)", ""),
    "nato-5": (0.05, 2035, "NATO 5 % total by 2035 (3.5 % core + 1.5 % related)", NATO_5_NOTE),
}


@dataclass(frozen=True)
class CostYear:
    """One year of a path to a target against the current path [local currency, current
    prices; US$; fractions of GDP]."""

    year: int
    plan_local: float
    current_local: float
    extra_local: float
    plan_usd: float
    current_usd: float
    extra_usd: float
    plan_share: float
    current_share: float


@dataclass(frozen=True)
class CostToTarget:
    """One country's path to a target against its current path.

    ``years`` holds, from the baseline year to the target year, the rows of
    :class:`CostYear`. Totals sum the planned years (after the baseline). Growth rates are
    yearly averages in real terms (the country's GDP deflator) from baseline to target.
    """

    __json_extra__ = ("target_share", "target_year", "target_label")

    iso3: str
    currency: str
    definition: str
    target: TargetSpec = field(metadata=internal())
    baseline_year: int
    baseline_share: float
    already_met: bool
    target_met: bool
    years: pd.DataFrame = field(metadata=table(CostYear))
    extra_total_local: float
    extra_total_usd: float
    extra_target_year_usd: float
    required_real_growth: float
    current_real_growth: float
    editions: tuple[EditionRef, ...]
    notes: tuple[str, ...]

    @property
    def target_share(self) -> float:
        """The target's share of GDP [fraction]."""
        return self.target.share_gdp

    @property
    def target_year(self) -> int:
        """The year the target is to be met by."""
        return self.target.year

    @property
    def target_label(self) -> str:
        """The target's label."""
        return self.target.label


def resolve_target(
    preset: str | None = None, share_gdp: float | None = None, by: int | None = None
) -> TargetSpec:
    """A target from a preset (``nato-2``, ``nato-3.5``, ``nato-5``) or a share and a year.

    ``by`` sets the year of ``nato-2`` (which has none) and overrides a preset's year.
    """
    if preset is not None and share_gdp is not None:
        raise InputError(
            what="target",
            given=preset,
            problem="a target preset and a target share were both given",
            fix="give one of {option:target} and {option:target_share}",
        )
    if preset is not None:
        if preset not in TARGET_PRESETS:
            raise InputError(
                what="target",
                given=preset,
                problem="unknown target",
                expected=f"one of {', '.join(TARGET_PRESETS)}",
                fix="or a share and a year ({option:target_share} 0.035 {option:by} 2035)",
            )
        share, year, label, note = TARGET_PRESETS[preset]
        year = by if by is not None else year
        if year is None:
            raise InputError(
                what="target",
                given=preset,
                problem="the target has no date",
                fix="give its year ({option:by} 2030)",
            )
        return TargetSpec(share, year, f"{label}, by {year}" if by is not None else label, note)
    if share_gdp is None or by is None:
        raise InputError(
            what="target_share" if share_gdp is None else "by",
            problem="a target needs a share of GDP and a year",
            fix="give {option:target_share} S and {option:by} YEAR (or {option:target} nato-3.5)",
        )
    if not 0 < share_gdp <= 1:
        hint = f"write {share_gdp / 100:g} for {share_gdp:g} %" if 1 < share_gdp <= 100 else None
        raise InputError(
            what="target_share",
            given=share_gdp,
            problem="not a fraction between 0 and 1",
            fix=hint,
        )
    return TargetSpec(share_gdp, by, f"{share_gdp * 100:g} % of GDP by {by}")


def compare_cost_to_target(
    store: DatasetStore,
    countries: Sequence[str],
    target: TargetSpec,
    baseline_year: int | None = None,
    max_real_growth: float | None = None,
) -> tuple[CostToTarget, ...]:
    """For each country (ISO3), the cost of reaching ``target`` against its current path.

    The path is the planner's for the same question (:func:`buildup.engine.quick.plan_question`
    with ``definition = "sipri"``): the same baseline rule, ramp limit and GDP continuation as
    ``buildup plan --country``. ``baseline_year`` defaults, per country, to the latest year of
    its budget data before the target; ``max_real_growth`` to the planner's stated default.
    """
    return tuple(_cost(store, iso3, target, baseline_year, max_real_growth) for iso3 in countries)


def cost_table(costs: Sequence[CostToTarget]) -> pd.DataFrame:
    """One row per country: baseline and target shares, extra spending, growth rates."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "iso3": c.iso3,
                "baseline_year": c.baseline_year,
                "baseline_share": c.baseline_share,
                "target_share": c.target.share_gdp,
                "target_year": c.target.year,
                "already_met": c.already_met,
                "currency": c.currency,
                "extra_total_local": c.extra_total_local,
                "extra_total_usd": c.extra_total_usd,
                "extra_target_year_usd": c.extra_target_year_usd,
                "required_real_growth": c.required_real_growth,
                "current_real_growth": c.current_real_growth,
            }
            for c in costs
        ]
    )


def _cost(
    store: DatasetStore,
    iso3: str,
    target: TargetSpec,
    baseline_year: int | None,
    max_real_growth: float | None,
) -> CostToTarget:
    from buildup.engine.plan import run
    from buildup.engine.quick import quick_scenario

    question = target_question(store, iso3, target, baseline_year, max_real_growth)
    with located(f"cost to target for {iso3}"):  # a question that is no valid scenario
        scenario = quick_scenario(store, question)
    outcome = run(scenario, store, quick=True)
    return against_current_path(outcome, target)


def target_question(
    store: DatasetStore,
    iso3: str,
    target: TargetSpec,
    baseline_year: int | None = None,
    max_real_growth: float | None = None,
) -> QuickPlan:
    """The planner's question for one country and target: goal-seek under SIPRI's definition,
    or a path rising linearly in share of GDP where the baseline budget is zero."""
    from buildup.engine.quick import QuickPlan, baseline_budget

    shape = "goal-seek"
    if baseline_year is None and baseline_budget(store, iso3, target.year)[1] == 0:
        # No growth rate lifts zero (Iceland has no armed forces): the path rises linearly in
        # share of GDP instead, as `plan --shape linear-share` does, and the note says so.
        shape = "linear-share"
    return QuickPlan(
        country=iso3,
        target_share=target.share_gdp,
        by=target.year,
        definition=DEFINITION,
        baseline_year=baseline_year,
        max_real_growth=max_real_growth,
        shape=shape,
    )


def against_current_path(outcome: Outcome, target: TargetSpec) -> CostToTarget:
    import pandas as pd

    years = outcome.years
    share0 = float(years["share_gdp"].iloc[0])
    already = share0 >= target.share_gdp
    usd_per_local = years["spending_usd"] / years["spending_local"]
    current = share0 * years["denominator_local"]
    plan = current if already else years["spending_local"]
    table = pd.DataFrame(
        {
            "year": years["year"].astype(int),
            "plan_local": plan,
            "current_local": current,
            "extra_local": plan - current,
            "plan_usd": plan * usd_per_local,
            "current_usd": current * usd_per_local,
            "extra_usd": (plan - current) * usd_per_local,
            "plan_share": plan / years["denominator_local"],
            "current_share": current / years["denominator_local"],
        }
    )
    planned = table.iloc[1:]
    real = years["spending_real_local"] / years["spending_local"]  # deflator ratio per year
    met = outcome.targets[0].met or already
    return CostToTarget(
        iso3=outcome.iso3,
        currency=outcome.currency,
        definition=outcome.primary,
        target=target,
        baseline_year=int(years["year"].iloc[0]),
        baseline_share=share0,
        already_met=already,
        target_met=met,
        years=table,
        extra_total_local=float(planned["extra_local"].sum(skipna=False)),
        extra_total_usd=float(planned["extra_usd"].sum(skipna=False)),
        extra_target_year_usd=float(table["extra_usd"].iloc[-1]),
        required_real_growth=math.nan if already else _growth(plan * real),
        current_real_growth=_growth(current * real),
        editions=outcome.provenance.editions,
        notes=_notes(outcome, target, already, share0),
    )


def _growth(real: pd.Series) -> float:
    from buildup.money import average_growth

    return average_growth(float(real.iloc[0]), float(real.iloc[-1]), len(real) - 1)


def _notes(outcome: Outcome, target: TargetSpec, already: bool, share0: float) -> tuple[str, ...]:
    first = int(outcome.years["year"].iloc[0])
    notes = []
    if already:
        notes.append(
            f"{outcome.iso3} is already at {share0 * 100:.2f} % in {first}, at or above "
            f"{target.share_gdp * 100:g} %: holding its share costs nothing extra"
        )
    elif not outcome.targets[0].met:
        check = outcome.targets[0]
        limit = outcome.scenario.path.max_real_growth
        within = f" within {limit:.0%} real growth a year" if limit is not None else ""
        when = (
            f"at that limit it is met in {check.earliest_year}"
            if check.earliest_year
            else "not met in the 30 years after either"
        )
        notes.append(
            f"{outcome.iso3}: {target.share_gdp * 100:g} % by {target.year} is out of reach"
            f"{within}; {when}; the costs shown are those of the path at the limit "
            "(a quick plan of the country gives the same path)"
        )
    if outcome.scenario.path.shape.value == "linear-share":
        notes.append(
            f"{outcome.iso3} spends nothing in {first}: a growth rate cannot start from zero, so "
            "its path rises linearly in share of GDP (the plan's linear-share shape)"
        )
    if target.note:
        notes.append(target.note)
    return tuple(notes)
