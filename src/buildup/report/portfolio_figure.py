"""The portfolio chart definitions: each year's spending by capability area against its
envelope (binding years marked, the committed tail after the horizon), and the Pareto front
of value against the envelope's scale."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Panel, Series, clean_values
from buildup.report.plan_figure import PALETTE
from buildup.units import column_scale

if TYPE_CHECKING:
    from buildup.portfolio import Analysis

__all__ = ["pareto_chart", "portfolio_chart"]

_TAIL, _ENVELOPE, _BINDING = "#c8c8c8", "#222222", "#c0392b"


def portfolio_chart(analysis: Analysis, source: str = "") -> Chart:
    """Spending of the chosen programmes per year, stacked by capability area, against each
    year's envelope [currency units]; ``source`` names the programme and envelope files."""
    result = analysis.portfolio
    years = tuple(y.year for y in result.years)
    tail = {t.year: t.amount for t in result.tail_by_year}
    tail_years = tuple(sorted(tail))
    x = years + tuple(y for y in tail_years if y not in years)
    series: list[Series] = []
    for i, (area, spend) in enumerate((a.area, a.spend) for a in result.spend_by_year_area):
        values = clean_values(spend)
        if not any(v for v in values):
            continue
        padded = values + (None,) * (len(x) - len(values))
        series.append(Series(str(area), x, padded, kind="bar", colour=PALETTE[i % len(PALETTE)]))
    if tail_years:
        series.append(
            Series(
                "committed tail (after the horizon)",
                x,
                tuple(tail.get(y) if y not in years else None for y in x),
                kind="bar",
                colour=_TAIL,
            )
        )
    envelope = clean_values(y.envelope for y in result.years)
    series.append(Series("envelope", years, envelope, colour=_ENVELOPE, width=2.4))
    binding = result.binding_years
    if binding:
        series.append(
            Series(
                "binding year (shadow price > 0)",
                tuple(y.year for y in binding),
                clean_values(y.envelope for y in binding),
                kind="markers",
                colour=_BINDING,
            )
        )
    scale, word = column_scale([*envelope, *(v for s in series for v in s.y if s.kind == "bar")])
    gain = analysis.gain_over_greedy
    greedy = "" if math.isnan(gain) else f"; {gain:+.1%} over the greedy value-per-cost ranking"
    unit = " ".join(w for w in (result.currency, word) if w) or "currency units"
    notes = (
        f"Relative gap {result.gap:.1e}{greedy}. Committed tail after the horizon: "
        f"{result.tail_after_horizon / scale:,.2f} {unit}. Binding years: shadow price > 0 in "
        "the LP with the choices fixed. Value: the catalogue's value points."
    )
    return Chart(
        key="portfolio",
        title=(
            f"Capability portfolio — {len(result.selected)} programmes, value "
            f"{result.objective:,.1f} value points ({result.status})"
        ),
        subtitle="each year's spending by capability area against its envelope",
        x_title="fiscal year",
        panels=(
            Panel(
                "spending", "amount", scale=scale, scale_word=word, currency=result.currency or ""
            ),
        ),
        series=tuple(series),
        source=notes + (f"\nSource: {source}" if source else ""),
        stacked=True,
    )


def pareto_chart(analysis: Analysis) -> Chart | None:
    """Value against the envelope's scale (1 = the envelope as given); None if not computed."""
    points = [p for p in analysis.pareto if not math.isnan(p.objective)]
    if not points:
        return None
    x = tuple(f"{p.scale:.0%}" for p in points)
    return Chart(
        key="pareto",
        title="Pareto front: value against the envelope",
        subtitle="the best value found at each scale of every year's envelope",
        x_title="envelope scale (every year × factor)",
        panels=(Panel("value [value points]", "number"),),
        series=(
            Series("optimum", x, clean_values(p.objective for p in points)),
            Series(
                "greedy value per cost",
                x,
                clean_values(p.greedy for p in points),
                colour="#8a8a8a",
                dash="dash",
            ),
        ),
        source="Mixed-integer programme solved with HiGHS; greedy: by value per cost.",
        categorical_x=True,
    )
