"""Chart definitions for tracking: plan against budgets and outlays; the variance by cause."""

from __future__ import annotations

from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Panel, Series, clean_values
from buildup.report.plan_figure import source_line
from buildup.units import column_scale

if TYPE_CHECKING:
    from buildup.engine.track import TrackOutcome

__all__ = ["tracking_chart", "variance_chart"]


def tracking_chart(outcome: TrackOutcome) -> Chart:
    """The plan, the revised plan and the executed budgets by year [local currency]."""
    years = outcome.years
    x = tuple(int(y) for y in years["year"])
    columns = (
        ("plan", "plan", "#9dbbd8", "bar"),
        ("executed", "executed (initial + supplementary budgets)", "#1f5f99", "bar"),
        ("revised_plan", "revised plan", "#d1730a", "line"),
        ("outlays", "modelled outlays from contracts", "#8a5a00", "line"),
        ("committed_as_of", f"already committed by FY{outcome.as_of}", "#8b0000", "line"),
    )
    series = []
    values: list[float | None] = []
    for column, label, colour, kind in columns:
        if column not in years:
            continue
        y = clean_values(years[column])
        if all(v is None for v in y):
            continue
        values += list(y)
        series.append(Series(label, x, y, kind=kind, colour=colour))  # type: ignore[arg-type]
    scale, word = column_scale(values)
    return Chart(
        key="tracking",
        title=f"{outcome.spec.name}: plan and outturn",
        subtitle=f"as of {outcome.as_of}; {outcome.execution.share_used:.1%} of the envelope used",
        x_title="fiscal year",
        panels=(
            Panel("budget", "amount", scale=scale, scale_word=word, currency=outcome.currency),
        ),
        series=tuple(series),
        source=source_line(outcome.provenance),
    )


def variance_chart(outcome: TrackOutcome) -> Chart | None:
    """Outturn minus plan to the as-of year, split by cause [local currency] (None before any
    actuals)."""
    if outcome.variance is None:
        return None
    totals = dict(outcome.variance.totals())
    causes = [c for c in totals if c != "total"] + ["total"]
    values = clean_values(totals[c] for c in causes)
    scale, word = column_scale(values)
    return Chart(
        key="variance",
        title=f"Outturn minus plan to FY{outcome.as_of}, by cause",
        x_title="cause",
        panels=(
            Panel("difference", "amount", scale=scale, scale_word=word, currency=outcome.currency),
        ),
        series=(
            Series(
                "outturn minus plan",
                tuple(c.replace("_", " ") for c in causes),
                values,
                kind="bar",
                colour="#2f5d8c",
            ),
        ),
        source=source_line(outcome.provenance),
        categorical_x=True,
    )
