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
from buildup.units import amount_scale, column_scale, format_amount, format_metric_value
from buildup.version import __version__

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from buildup.compare import CostToTarget, MetricInfo

__all__ = ["cost_rows", "plot_comparison"]

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


def _scale(rows: pd.DataFrame, info: MetricInfo) -> tuple[float, str]:
    """The divisor of the values in the table and their unit (amounts in one scale)."""
    if info.kind != "usd":
        return 1.0, info.shown_unit()
    scale, word = column_scale(float(v) for v in rows["value"])
    return scale, info.shown_unit(word)


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
        f"\n<h2>Values ({e(_scale(rows, info)[1])})</h2>\n{_values_table(rows, info)}\n",
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
    scale, _ = _scale(rows, info)
    head = "".join(f"<th>{e(str(c))}</th>" for c in ["year", *wide.columns])
    body = []
    for year, values in wide.iterrows():
        cells = [str(year)] + [format_metric_value(float(v), info.kind, scale) for v in values]
        body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def cost_rows(costs: Sequence[CostToTarget]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The cost-to-target table as text: its headings and one row of cells per country.

    US$ amounts share one scale (:func:`buildup.units.column_scale`); a local-currency amount
    is in its own currency's scale, named in the cell. Used by the HTML report and the web page.
    """
    usd_scale, usd_unit = column_scale(
        [v for c in costs for v in (c.extra_total_usd, c.extra_target_year_usd)], "US$"
    )
    year = costs[0].target.year if costs else ""
    head: tuple[str, ...] = (
        "country",
        "baseline share",
        "target",
        "extra, total (local currency)",
        f"extra, total ({usd_unit})",
        f"extra in {year} ({usd_unit})",
        "required real growth a year",
        "target met",
    )
    rows: list[tuple[str, ...]] = []
    for c in costs:
        growth = c.required_real_growth
        local_scale, local_word = amount_scale(c.extra_total_local)  # its own currency
        local = f"{c.currency} {format_amount(c.extra_total_local, local_scale, 1)} {local_word}"
        rows.append(
            (
                c.iso3,
                f"{_percent(c.baseline_share)} ({c.baseline_year})",
                f"{_percent(c.target.share_gdp)} by {c.target.year}",
                local.strip(),
                format_amount(c.extra_total_usd, usd_scale, 1),
                format_amount(c.extra_target_year_usd, usd_scale, 1),
                "– (already met)" if math.isnan(growth) else f"{growth * 100:.2f} %",
                "yes" if c.target_met else "no",
            )
        )
    return head, rows


def _cost_table(costs: Sequence[CostToTarget]) -> str:
    e = html.escape
    head, rows = cost_rows(costs)
    body = "".join("<tr>" + "".join(f"<td>{e(x)}</td>" for x in r) + "</tr>" for r in rows)
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
