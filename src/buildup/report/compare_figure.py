"""The comparison chart definition: one line per country on one metric, with target lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Mark, Panel, Series, amount_scale, clean_values
from buildup.report.plan_figure import PALETTE

if TYPE_CHECKING:
    import pandas as pd

    from buildup.compare import CostToTarget, MetricInfo

__all__ = ["compare_chart"]


def _panel(info: MetricInfo, rows: pd.DataFrame) -> Panel:
    if info.kind in ("share", "points"):
        title = "share of the group's total" if info.name == "share_of_group" else "share of GDP"
        return Panel(title, "share")
    if info.kind == "growth":
        return Panel(f"real change over {info.window} years", "share")
    if info.kind == "usd":
        scale, word = amount_scale(float(v) for v in rows["value"])
        base = f" at {info.base_year} prices" if info.base_year else ", current"
        return Panel(f"US${base}", "amount", scale=scale, scale_word=word, currency="US$")
    return Panel(info.unit, "number")


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
                width=2.0,
            )
        )
    marks: tuple[Mark, ...] = ()
    if costs and info.kind == "share" and info.name != "share_of_group":
        target = costs[0].target
        marks = (Mark(target.share_gdp, f"target: {target.label}", colour="#b22222"),)
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
