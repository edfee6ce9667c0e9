"""Chart definitions for tracking and the portfolio: plan against outturn; spending against
the envelope; the Pareto front of value against the envelope's scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from buildup.report.figure import Chart, Panel, Series, amount_scale, clean_values
from buildup.report.plan_figure import source_line

if TYPE_CHECKING:
    from buildup.engine.track import TrackOutcome

__all__ = ["envelope_chart", "pareto_chart", "tracking_chart"]


def tracking_chart(outcome: TrackOutcome) -> Chart:
    """The plan, the revised plan and the executed budgets by year [local currency]."""
    years = outcome.years
    x = tuple(int(y) for y in years["year"])
    columns = (
        ("plan", "plan", "#9dbbd8", "bar"),
        ("executed", "executed", "#1f5f99", "bar"),
        ("revised_plan", "revised plan", "#d1730a", "line"),
    )
    series = []
    values: list[float | None] = []
    for column, label, colour, kind in columns:
        if column not in years:
            continue
        y = clean_values(years[column])
        values += list(y)
        series.append(Series(label, x, y, kind=kind, colour=colour))  # type: ignore[arg-type]
    scale, word = amount_scale(values)
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


def envelope_chart(years: Sequence[Mapping[str, Any]], currency: str, title: str) -> Chart:
    """Each year's envelope and the portfolio's spending; binding years marked."""
    x = tuple(int(r["year"]) for r in years)
    envelope = clean_values(r["envelope"] for r in years)
    spend = clean_values(r["spend"] for r in years)
    binding = [r for r in years if r.get("binding")]
    scale, word = amount_scale([*envelope, *spend])
    series = [
        Series("spending of the chosen programmes", x, spend, kind="bar", colour="#1f5f99"),
        Series("envelope", x, envelope, colour="#b22222", width=2.4),
    ]
    if binding:
        series.append(
            Series(
                "binding year",
                tuple(int(r["year"]) for r in binding),
                clean_values(r["envelope"] for r in binding),
                kind="markers",
                colour="#b22222",
            )
        )
    return Chart(
        key="portfolio",
        title=title,
        subtitle="spending against each year's envelope; a binding year has no slack",
        x_title="fiscal year",
        panels=(Panel("spending", "amount", scale=scale, scale_word=word, currency=currency),),
        series=tuple(series),
        source="Programme costs and values: the programmes file; envelope: the envelope file.",
    )


def pareto_chart(points: Sequence[Mapping[str, Any]], title: str) -> Chart | None:
    """Value against the envelope's scale (1 = the envelope as given)."""
    rows = [p for p in points if p.get("objective") is not None]
    if not rows:
        return None
    x = tuple(f"{float(p['scale']):.0%}" for p in rows)
    return Chart(
        key="pareto",
        title=title,
        subtitle="the best value found at each scale of every year's envelope",
        x_title="envelope scale",
        panels=(Panel("value", "number"),),
        series=(
            Series("optimal portfolio", x, clean_values(p["objective"] for p in rows), kind="line"),
            Series(
                "greedy ranking",
                x,
                clean_values(p.get("greedy") for p in rows),
                colour="#8a8a8a",
                dash="dash",
            ),
        ),
        marks=(),
        source="Mixed-integer programme solved with HiGHS; greedy: by value per cost.",
        categorical_x=True,
    )
