"""A comparison's chart: one metric over years per country, and the cost of a target as bars.

``plot_comparison(rows, info, path, costs=...)`` writes a PNG, or an HTML page holding the
chart as inline SVG with the values, the cost table, the notes and the sources. Share
metrics get NATO's 2 % and 3.5 % lines (and the target's, if another); missing values are
gaps in a line, never zeros.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.errors import InputError
from buildup.report.compare_figure import compare_chart, cost_chart
from buildup.report.files import check_chart_path, save_figure, svg_body
from buildup.report.static import draw_charts
from buildup.version import __version__

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from buildup.compare import CostToTarget, MetricInfo

__all__ = ["plot_comparison"]

_SOURCE_NAMES = {
    "milex": "SIPRI Military Expenditure Database",
    "gdp": "IMF WEO GDP",
    "prices": "IMF WEO prices",
    "fx": "World Bank WDI exchange rates",
    "japan_budget": "Japan MOD/MOF budgets",
}
_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
    "svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}"
)


def plot_comparison(
    rows: pd.DataFrame,
    info: MetricInfo,
    path: Path,
    *,
    costs: Sequence[CostToTarget] = (),
    title: str | None = None,
) -> Path:
    """Draw ``rows`` (from :func:`buildup.compare.compare_countries`) into ``path``.

    ``info`` (from :func:`buildup.compare.resolve_metric`) gives the label, unit and sources;
    ``costs`` adds bars of the extra spending to a target. ``path`` ends in ``.png`` or
    ``.html``; the file is written atomically.
    """
    path = check_chart_path(path)
    if rows.empty:
        raise InputError("nothing to chart: the comparison has no rows")
    heading = title or _title(rows, info)
    figure = _figure(rows, info, costs, heading)
    return save_figure(figure, path, lambda svg: _page(rows, info, costs, heading, svg))


def _title(rows: pd.DataFrame, info: MetricInfo) -> str:
    first, last = int(rows["year"].min()), int(rows["year"].max())
    span = str(first) if first == last else f"{first}–{last}"
    return f"{info.label}, {span}"


def _figure(
    rows: pd.DataFrame, info: MetricInfo, costs: Sequence[CostToTarget], heading: str
) -> Figure:
    chart = replace(compare_chart(rows, info, costs), title=heading)
    bars = cost_chart(costs)
    source = "\n".join(_source_lines(info, costs))
    # Each legend column beyond two takes room from the plot: widen the figure instead.
    countries = rows["iso3"].nunique()
    columns = max(1, math.ceil(countries / 34)) if countries > 16 else 1
    width = 12.0 + max(0, columns - 1) * 1.2
    if bars is None:
        return draw_charts((chart,), (width, 7.5), title=heading, source=source)
    return draw_charts((chart, bars), (width + 5, 8), ratios=(3, 2), title=heading, source=source)


def _axis(info: MetricInfo) -> tuple[float, str]:
    """The divisor of the values and the axis label with its unit."""
    if info.kind == "usd":
        base = f"constant {info.base_year} prices" if info.base_year else "current prices"
        return 1e9, f"US$ bn, {base}"
    if info.kind == "per_capita":
        return 1.0, "US$ per person, current prices"
    if info.kind == "points":
        return 1.0, "SIPRI minus NATO, percentage points of GDP"
    if info.kind == "growth":
        return 1.0, f"real change over {info.window} years (constant {info.base_year} US$)"
    if info.name == "share_of_group":
        return 1.0, f"share of {info.group or 'the group'}'s total (current US$)"
    return 1.0, "share of GDP"


def _formatter(info: MetricInfo) -> _Format:
    if info.kind in ("share", "growth"):
        return _Format("percent")
    if info.kind == "points":
        return _Format("points")
    return _Format("number")


class _Format:
    """Tick and cell text for a metric's values: percent, percentage points or a number."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value: float) -> str:
        if self.kind == "percent":
            return _percent(value)
        if self.kind == "points":
            return f"{value * 100:+.2f} pp" if value else "0"
        return f"{value:,.0f}"


def _percent(share: float) -> str:
    """A fraction as a percentage with up to two decimals: 0.035 → "3.5 %"."""
    text = f"{share * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _source_lines(info: MetricInfo, costs: Sequence[CostToTarget]) -> list[str]:
    lines = [f"Sources: {'; '.join(info.sources)}."]
    if costs:
        editions: dict[str, str] = {}
        for cost in costs:
            editions |= {e.dataset: e.edition for e in cost.editions}
        named = ", ".join(
            f"{_SOURCE_NAMES.get(name, name)} ({edition})" for name, edition in editions.items()
        )
        lines.append(
            f"Cost to target: buildup's planner (goal-seek, SIPRI's definition) on {named}; GDP "
            "and prices continue at their last growth after the IMF forecasts, exchange rates "
            "are held at the last observed year."
        )
        if costs[0].target.note:
            lines.append(f"Note: {costs[0].target.note}.")
    lines.append(f"Missing values are gaps, not zeros. buildup {__version__}.")
    return lines


def _page(
    rows: pd.DataFrame,
    info: MetricInfo,
    costs: Sequence[CostToTarget],
    heading: str,
    svg: str,
) -> str:
    e = html.escape
    notes = dict.fromkeys(n for c in costs for n in c.notes)
    parts = [
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(heading)}'
        f"</title><style>{_CSS}</style></head><body>\n<h1>{e(heading)}</h1>\n",
        svg_body(svg),
        f"\n<h2>Values ({e(_axis(info)[1])})</h2>\n{_values_table(rows, info)}\n",
    ]
    if costs:
        parts.append(f"<h2>Cost to target</h2>\n{_cost_table(costs)}\n")
        if notes:
            parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>\n")
    lines = "".join(f"<li>{e(line)}</li>" for line in _source_lines(info, costs))
    parts.append(f"<h2>Sources</h2><ul>{lines}</ul>\n</body></html>\n")
    return "".join(parts)


def _values_table(rows: pd.DataFrame, info: MetricInfo) -> str:
    e = html.escape
    wide = rows.pivot(index="year", columns="iso3", values="value")
    wide = wide[list(dict.fromkeys(rows["iso3"]))]
    scale, _ = _axis(info)
    formatter = _formatter(info)
    head = "".join(f"<th>{e(str(c))}</th>" for c in ["year", *wide.columns])
    body = []
    for year, values in wide.iterrows():
        cells = [str(year)] + [
            "–" if math.isnan(float(v)) else formatter(float(v) / scale) for v in values
        ]
        body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cost_table(costs: Sequence[CostToTarget]) -> str:
    e = html.escape
    head = [
        "country",
        "baseline share",
        "target",
        "extra, total (local currency bn)",
        "extra, total (US$ bn)",
        "required real growth a year",
    ]
    body = []
    for c in costs:
        growth = c.required_real_growth
        cells = [
            c.iso3,
            f"{_percent(c.baseline_share)} ({c.baseline_year})",
            f"{_percent(c.target.share_gdp)} by {c.target.year}",
            f"{c.currency} {c.extra_total_local / 1e9:,.1f}",
            f"{c.extra_total_usd / 1e9:,.1f}",
            "– (already met)" if math.isnan(growth) else f"{growth * 100:.2f} %",
        ]
        body.append("<tr>" + "".join(f"<td>{e(x)}</td>" for x in cells) + "</tr>")
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
