"""The comparison chart definition: one line per country on one metric, with target lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from buildup.report.figure import (
    Chart,
    Dash,
    Mark,
    Panel,
    Series,
    clean_values,
)
from buildup.report.plan_figure import PALETTE
from buildup.units import column_scale

if TYPE_CHECKING:
    import pandas as pd

    from buildup.compare import CostToTarget, MetricInfo

__all__ = ["NATO_LINES", "compare_chart", "cost_chart"]

# NATO's guideline and its 2025 core target, drawn on every share-of-GDP comparison.
NATO_LINES = ((0.02, "NATO 2 % guideline"), (0.035, "NATO 3.5 % core, by 2035"))
_TARGET = "#b22222"
_DASHES: tuple[Dash, ...] = ("solid", "dash", "dot")


def _panel(info: MetricInfo, rows: pd.DataFrame) -> Panel:
    title = info.shown_unit(axis=True)
    if info.kind in ("share", "points", "growth"):
        return Panel(title, "share")
    if info.kind == "usd":
        scale, word = column_scale(float(v) for v in rows["value"])
        return Panel(title, "amount", scale=scale, scale_word=word, currency="US$")
    return Panel(title, "number")


def compare_chart(
    rows: pd.DataFrame, info: MetricInfo, costs: Sequence[CostToTarget] = ()
) -> Chart:
    """Lines by country (tidy ``rows``: iso3, year, value), the target of ``costs`` as a line."""
    series = []
    for i, (iso3, unsorted) in enumerate(rows.groupby("iso3", sort=False)):
        group = unsorted.sort_values("year")
        series.append(
            Series(
                str(iso3),
                tuple(int(y) for y in group["year"]),
                clean_values(group["value"]),
                colour=PALETTE[i % len(PALETTE)],
                dash=_DASHES[i // len(PALETTE) % len(_DASHES)],  # many countries: colour × dash
                width=2.0,
            )
        )
    marks: tuple[Mark, ...] = ()
    if info.name in ("share_gdp", "nato_share_gdp"):
        lines = dict(NATO_LINES)
        for cost in costs[:1]:
            lines.setdefault(cost.target.share_gdp, f"target: {cost.target.label}")
        marks = tuple(Mark(share, label, colour=_TARGET) for share, label in sorted(lines.items()))
    return Chart(
        key=f"compare-{info.name}",
        title=info.label,
        subtitle=", ".join(dict.fromkeys(str(c) for c in rows["iso3"])),
        x_title="year",
        panels=(_panel(info, rows),),
        series=tuple(series),
        marks=marks,
        source="Sources: " + "; ".join(info.sources) + ". A gap is a missing value, never a zero.",
    )


def cost_chart(costs: Sequence[CostToTarget]) -> Chart | None:
    """Per country: the extra spending to reach the target against holding today's share
    [US$, current prices, summed over the planned years], and the real growth a year it needs."""
    if not costs:
        return None
    target = costs[0].target
    names = tuple(c.iso3 for c in costs)
    extra = clean_values(0.0 if c.already_met else c.extra_total_usd for c in costs)
    growth = clean_values(None if c.already_met else c.required_real_growth for c in costs)
    scale, word = column_scale(extra)
    spans = ", ".join(sorted({f"{c.baseline_year + 1}–{c.target.year}" for c in costs}))
    met = [c.iso3 for c in costs if c.already_met]
    return Chart(
        key="cost-to-target",
        title=f"Extra spending to reach {target.label}, {spans}",
        subtitle="against holding each country's baseline share of GDP"
        + (f"; already there: {', '.join(met)}" if met else ""),
        x_title="country",
        panels=(
            Panel(
                "extra spending, total",
                "amount",
                scale=scale,
                scale_word=word,
                currency="US$",
                weight=2.0,
            ),
            Panel("required real growth a year", "share"),
        ),
        series=(
            Series("extra spending (US$, current prices)", names, extra, kind="bar"),
            Series(
                "required real growth a year",
                names,
                growth,
                kind="bar",
                panel=1,
                colour="#d1730a",
            ),
        ),
        source="Cost to target: buildup's planner (goal-seek, SIPRI's definition).",
        categorical_x=True,
    )
