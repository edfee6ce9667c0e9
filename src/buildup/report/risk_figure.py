"""The risk chart definitions: the fan chart of a plan's Monte Carlo, and its tornado."""

from __future__ import annotations

from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Mark, Panel, Series, clean_values
from buildup.report.plan_figure import source_line
from buildup.types import Variable
from buildup.units import column_scale

if TYPE_CHECKING:
    from buildup.engine.risk import QuantileRow, RiskOutcome, TargetRisk

__all__ = ["fan_chart", "tornado_chart"]

_BAND_OUTER, _BAND_INNER, _MEDIAN = "#2f5d8c2e", "#2f5d8c59", "#1b365d"


def _rows(outcome: RiskOutcome, variable: Variable) -> list[QuantileRow]:
    rows = outcome.quantiles_of(variable, outcome.plan.primary)
    return [q for q in rows if clean_values([q.p50]) != (None,)]


def _band(
    rows: list[QuantileRow], panel: int, low: str, high: str, name: str, colour: str
) -> Series:
    years = tuple(r.year for r in rows)
    return Series(
        name, years, (), kind="band", panel=panel, colour=colour,
        low=clean_values(getattr(r, low) for r in rows),
        high=clean_values(getattr(r, high) for r in rows),
    )  # fmt: skip


def fan_chart(outcome: RiskOutcome) -> Chart:
    """The primary definition's share of GDP and spending: 5–95 % and 25–75 % bands, median,
    with each target's probability of being met."""
    plan = outcome.plan
    primary = plan.primary
    series: list[Series] = []
    for panel, variable in ((0, Variable.SHARE_GDP), (1, Variable.SPENDING_LOCAL)):
        rows = _rows(outcome, variable)
        if not rows:
            continue
        series.append(_band(rows, panel, "p5", "p95", "5–95 %", _BAND_OUTER))
        series.append(_band(rows, panel, "p25", "p75", "25–75 %", _BAND_INNER))
        series.append(
            Series("median", tuple(r.year for r in rows),
                   clean_values(r.p50 for r in rows), panel=panel, colour=_MEDIAN,
                   legend=panel == 0, group="median")
        )  # fmt: skip
    spending = _rows(outcome, Variable.SPENDING_LOCAL)
    scale, word = column_scale(r.p95 for r in spending)
    marks = tuple(
        Mark(
            t.share_gdp,
            f"target {t.share_gdp * 100:.3g} % in {t.year}: {_chances(t)}",
            colour="#b22222",
            x=t.year,
        )
        for t in outcome.targets
        if t.definition == primary
    )
    cov = outcome.parameters.covariance_log_changes.source
    execution = outcome.parameters.execution_error.source
    source = (
        f"{outcome.draws:,} draws, seed {outcome.seed}. Bands: 5–95 % and 25–75 %; line: median. "
        f"Macro shocks: {cov}. Execution error: {execution}.\n"
        + source_line(plan.provenance, plan.fiscal_year)
    )
    fiscal = plan.fiscal_year != "calendar"
    return Chart(
        key="fan",
        title=f"{plan.scenario.name}: the range of outcomes",
        subtitle=f"{plan.label(primary)}; spending under it below",
        x_title="fiscal year" if fiscal else "year",
        panels=(
            Panel("share of GDP", "share", weight=3.0),
            Panel(
                "spending",
                "amount",
                scale=scale,
                scale_word=word,
                currency=plan.currency,
                weight=2.0,
            ),
        ),
        series=tuple(series),
        marks=marks,
        source=source,
    )


def _chances(target: TargetRisk) -> str:
    """P(met) strictly, and at the stated rounding when the target has one."""
    text = f"P(met) {target.probability_met:.0%} strictly"
    if target.probability_met_rounded is not None:
        text += f", {target.probability_met_rounded:.0%} at the stated rounding"
    return text


def tornado_chart(outcome: RiskOutcome) -> Chart | None:
    """Each driver alone: the first target's probability of being met (None without targets)."""
    rows = outcome.tornado
    if not rows:
        return None
    names = tuple(r.driver for r in rows)
    values = clean_values(r.probability_met for r in rows)
    return Chart(
        key="tornado",
        title=f"{outcome.plan.scenario.name}: which uncertainty matters",
        subtitle="Probability of meeting the first target with one driver varying alone",
        x_title="driver",
        panels=(Panel("probability of meeting the target", "number"),),
        series=(Series("P(met), this driver alone", names, values, kind="bar"),),
        source=source_line(outcome.plan.provenance, outcome.plan.fiscal_year),
        categorical_x=True,
    )
