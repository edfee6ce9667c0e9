"""A comparison's chart: one metric over years per country, and the cost of a target as bars.

``plot_comparison(rows, info, path, costs=...)`` writes a PNG, or an HTML page holding the
chart as inline SVG with the values, the cost table, the notes and the sources. Share
metrics get NATO's 2 % and 3.5 % lines (and the target's, if another); missing values are
gaps in a line, never zeros.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.errors import InputError
from buildup.report.files import check_chart_path, save_figure, svg_body
from buildup.version import __version__

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from buildup.compare import CostToTarget, MetricInfo

__all__ = ["plot_comparison"]

NATO_LINES = ((0.02, "NATO 2 % guideline"), (0.035, "NATO 3.5 % core, by 2035"))
_DIRECT_LABELS = 10  # up to this many countries, lines are labelled at their ends
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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    lines = [part for line in _source_lines(info, costs) for part in textwrap.wrap(line, 190)]
    bottom = 0.02 + 0.021 * len(lines) * (
        7 / (10.5 if costs else 7)
    )  # room for the source lines, which layout ignores
    # Each legend column beyond two takes room from the plot: widen the figure instead.
    extra = max(0, _legend_columns(rows["iso3"].nunique()) - 2) * 0.9
    size = (12.0 + extra, 10.5 if costs else 7.0)
    figure = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=(0, bottom, 1, 1 - bottom)))
    FigureCanvasAgg(figure)
    if costs:
        top, low = figure.subplots(2, 1, height_ratios=(3, 2))
        _draw_lines(top, rows, info, costs)
        _draw_costs(low, costs)
    else:
        _draw_lines(figure.subplots(), rows, info, costs)
    figure.suptitle(heading, fontsize=15, weight="bold")
    figure.text(0.01, 0.01, "\n".join(lines), fontsize=8, color="0.3", va="bottom")
    return figure


def _draw_lines(
    ax: Axes, rows: pd.DataFrame, info: MetricInfo, costs: Sequence[CostToTarget]
) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    countries = list(dict.fromkeys(rows["iso3"]))
    palette = "tab10" if len(countries) <= 10 else "tab20"
    first, last = int(rows["year"].min()), int(rows["year"].max())
    scale, unit = _axis(info)
    ends: list[tuple[str, float, float, tuple[float, float, float, float]]] = []
    for i, iso3 in enumerate(countries):
        mine = rows[rows["iso3"] == iso3].set_index("year")["value"].astype(float)
        # a missing year is a gap in the line, not a segment across it and never a zero
        values = mine.reindex(range(int(mine.index.min()), int(mine.index.max()) + 1)) / scale
        colour = _colour(palette, i)
        ax.plot(values.index, values, color=colour, lw=2.2, marker="o", ms=3, label=iso3)
        known = values.dropna()
        if len(known):
            ends.append((iso3, float(known.index[-1]), float(known.iloc[-1]), colour))
    if len(countries) <= _DIRECT_LABELS:
        _label_ends(ax, ends)
    if info.name in ("share_gdp", "nato_share_gdp"):
        _draw_targets(ax, costs)
    if info.kind in ("growth", "points"):
        ax.axhline(0, color="0.3", lw=0.8)
    formatter = _formatter(info)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formatter(v)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_xlim(first - 0.5, last + (2.5 if len(countries) <= _DIRECT_LABELS else 0.5))
    if info.kind in ("share", "usd", "per_capita"):
        ax.set_ylim(bottom=0)
    ax.set_ylabel(unit)
    ax.set_axisbelow(True)  # grid lines under the target lines and the data
    ax.set_xlabel("year (SIPRI: calendar year; USA: US fiscal year)")
    ax.grid(axis="y", color="0.9")
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=_legend_font(len(countries)),
        frameon=False, ncol=_legend_columns(len(countries)),
    )  # fmt: skip


_LEGEND_ROWS = 34  # entries per legend column that fit beside a 7-inch-high plot


def _legend_columns(count: int) -> int:
    """Columns enough that the legend never outgrows the figure (174 countries: 6)."""
    return max(1, math.ceil(count / _LEGEND_ROWS)) if count > 16 else (2 if count > 8 else 1)


def _legend_font(count: int) -> float:
    return 9 if count <= _DIRECT_LABELS else (8 if count <= 60 else 6.5)


def _label_ends(
    ax: Axes, ends: list[tuple[str, float, float, tuple[float, float, float, float]]]
) -> None:
    """Name each line at its last point, nudging labels apart so that none overlap."""
    low, high = ax.get_ylim()
    gap = (high - low) * 0.035
    placed: list[float] = []
    for iso3, x, y, colour in sorted(ends, key=lambda end: end[2]):
        at = max(y, placed[-1] + gap) if placed else y
        placed.append(at)
        ax.annotate(
            iso3, (x, y), xytext=(x + 0.35, at), textcoords="data", va="center",
            color=colour, fontsize=10, weight="bold",
        )  # fmt: skip


def _draw_targets(ax: Axes, costs: Sequence[CostToTarget]) -> None:
    targets = dict(NATO_LINES)
    for cost in costs:
        targets.setdefault(cost.target.share_gdp, cost.target.label)
    top = max(ax.get_ylim()[1], max(targets) * 1.12)
    ax.set_ylim(0, top)
    styles = ("--", "-.", ":")
    for k, (share, label) in enumerate(sorted(targets.items())):
        # named in the legend, not on the plot, where a label would hide the data
        wrapped = "\n".join(textwrap.wrap(label, 28))
        ax.axhline(share, color="#c0392b", lw=1.2, ls=styles[k % 3], zorder=1.5, label=wrapped)


def _draw_costs(ax: Axes, costs: Sequence[CostToTarget]) -> None:
    from matplotlib.ticker import FuncFormatter

    names = [c.iso3 for c in costs]
    extra = [c.extra_total_usd / 1e9 for c in costs]
    colours = ["#9dbbd8" if c.already_met else "#33638d" for c in costs]
    bars = ax.bar(names, [0.0 if math.isnan(v) else v for v in extra], color=colours)
    for bar, cost, value in zip(bars, costs, extra, strict=True):
        ax.annotate(
            _bar_label(cost, value), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=9,
        )  # fmt: skip
    ax.set_ylim(0, max([v for v in extra if not math.isnan(v)] + [1.0]) * 1.25)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("US$ bn, current prices,\nsum over the planned years")
    target = costs[0].target
    spans = sorted({f"{c.baseline_year + 1}–{c.target.year}" for c in costs})
    bases = sorted({str(c.baseline_year) for c in costs})
    title = (
        f"Extra spending to reach {target.label}, {', '.join(spans)}, against holding each "
        f"country's {', '.join(bases)} share of GDP (bars: total; labels: required real growth)"
    )
    ax.set_title("\n".join(textwrap.wrap(title, 110)), fontsize=11)
    ax.set_axisbelow(True)
    ax.grid(axis="y", color="0.9")


def _bar_label(cost: CostToTarget, value: float) -> str:
    if cost.already_met:
        return f"already at {cost.baseline_share * 100:.2f} %\nno extra cost"
    if math.isnan(value):
        return "missing"
    growth = cost.required_real_growth
    return f"US$ {value:,.0f} bn\n{growth * 100:+.1f} %/yr real"


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


def _colour(palette: str, i: int) -> tuple[float, float, float, float]:
    from matplotlib import colormaps

    cmap = colormaps[palette]
    return tuple(float(c) for c in cmap(i % cmap.N))  # type: ignore[return-value]


def _source_lines(info: MetricInfo, costs: Sequence[CostToTarget]) -> list[str]:
    lines = [f"Sources: {'; '.join(info.sources)}."]
    if costs:
        editions: dict[str, str] = {}
        for cost in costs:
            editions |= dict(cost.editions)
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
