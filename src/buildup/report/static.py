"""A :class:`~buildup.report.figure.Chart` drawn by matplotlib: the CLI's static charts.

The same chart definition that the web pages draw with Plotly, so a PNG from the CLI and the
chart on a page show the same series, marks and source line.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Panel, Series

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = ["draw_chart", "draw_charts"]

_LINESTYLE = {"solid": "-", "dash": "--", "dot": ":"}


def draw_chart(chart: Chart, size: tuple[float, float] = (12, 9)) -> Figure:
    """Draw ``chart`` on a new matplotlib figure (Agg canvas; nothing shown on screen)."""
    return draw_charts((chart,), size)


def draw_charts(
    charts: Sequence[Chart],
    size: tuple[float, float] = (12, 9),
    *,
    ratios: Sequence[float] | None = None,
    title: str = "",
    source: str = "",
) -> Figure:
    """Draw ``charts`` side by side on one figure (each with its panels, title and legend).

    ``title`` and ``source`` belong to the whole figure (a single chart's own are used when
    not given); ``ratios`` are the charts' relative widths.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    single = len(charts) == 1
    heading = title or (charts[0].title if single else "")
    shared = source or (charts[0].source if single else "")
    text = "\n".join(textwrap.fill(line, 190) for line in shared.split("\n") if line)
    lines = text.count("\n") + 1 if text else 0
    bottom = min(0.02 + 0.018 * lines * 9 / size[1], 0.25)  # room for the source lines
    figure = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=(0, bottom, 1, 1 - bottom)))
    FigureCanvasAgg(figure)
    if single:
        _draw_into(figure, charts[0], with_title=False)
    else:
        parts = figure.subfigures(1, len(charts), width_ratios=ratios, squeeze=False)[0]
        for part, chart in zip(parts, charts, strict=True):
            _draw_into(part, chart, with_title=chart.title != heading)  # never said twice
    if heading:  # about eight bold characters an inch at this size
        wrapped = "\n".join(textwrap.wrap(heading, int(size[0] * 8)))
        figure.suptitle(wrapped, fontsize=15, weight="bold")
    if text:
        figure.text(0.01, 0.01, text, fontsize=8, color="0.3", va="bottom")
    return figure


def _draw_into(place: Figure | SubFigure, chart: Chart, *, with_title: bool) -> None:
    weights = [p.weight for p in chart.panels]
    axes = place.subplots(len(chart.panels), 1, sharex=True, height_ratios=weights, squeeze=False)
    for i, panel in enumerate(chart.panels):
        ax = axes[i][0]
        _draw_panel(ax, chart, i, panel)
        if i == len(chart.panels) - 1:
            ax.set_xlabel(chart.x_title)
    if with_title:
        place.suptitle("\n".join(textwrap.wrap(chart.title, 60)), fontsize=11, weight="bold")


def _draw_panel(ax: Axes, chart: Chart, index: int, panel: Panel) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if chart.shade is not None:
        ax.axvspan(chart.shade[0] - 0.5, chart.shade[1] + 0.5, color="#f1f1f1", zorder=0)
        if index == 0:
            where = ax.get_xaxis_transform()
            ax.text(chart.shade[0] - 0.4, 0.02, chart.shade_label, transform=where, fontsize=9,
                    color="0.4")  # fmt: skip
    members = [s for s in chart.series if s.panel == index]
    bars = [s for s in members if s.kind == "bar"]
    stacked: dict[object, float] = {}  # x → top of the bars so far (a stacked chart)
    for series in members:
        if series.kind == "bar":
            _draw_bars(ax, series, panel, bars.index(series), len(bars), chart, stacked)
        else:
            _draw_series(ax, series, panel)
    marks = [m for m in chart.marks if m.panel == index]
    for k, mark in enumerate(marks):
        y = _value(panel, mark.y)
        ax.axhline(y, color=mark.colour, lw=0.8, ls=":")
        if mark.x is not None:
            ax.plot(mark.x, y, marker="_", ms=24, mew=3, color=mark.colour)
        ax.annotate(
            mark.label, (0.01, y), xycoords=("axes fraction", "data"), xytext=(0, 6 + 14 * k),
            textcoords="offset points", ha="left", color=mark.colour, fontsize=9, weight="bold",
        )  # fmt: skip
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, 0), high * (1.08 + 0.04 * len(marks)))  # headroom for the labels
    if panel.unit == "share":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.4g} %"))
        ax.set_ylabel(panel.title)
    elif panel.unit == "amount":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_ylabel(f"{panel.title} ({panel.unit_label})" if panel.unit_label else panel.title)
    else:
        ax.set_ylabel(panel.title)
    if not chart.categorical_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    else:
        names = {str(x) for s in members for x in s.x}
        if sum(len(n) for n in names) > 40:  # long labels side by side would run together
            ax.tick_params(axis="x", labelrotation=35)
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("right")
    ax.grid(axis="y", color="0.9")
    entries = sum(1 for s in members if s.legend)
    if entries:
        # a long legend (every country of a group) in columns that fit beside the plot
        columns = max(1, math.ceil(entries / 34)) if entries > 16 else 1
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8 if entries <= 60 else 6.5,
                  frameon=False, ncol=columns)  # fmt: skip


def _value(panel: Panel, value: float | None) -> float:
    if value is None:
        return math.nan
    if panel.unit == "share":
        return value * 100
    if panel.unit == "amount":
        return value / panel.scale
    return value


def _label(series: Series) -> str:
    return "\n".join(textwrap.wrap(series.name, 34)) if series.legend else "_nolegend_"


def _draw_bars(
    ax: Axes,
    series: Series,
    panel: Panel,
    position: int,
    count: int,
    chart: Chart,
    stacked: dict[object, float],
) -> None:
    """Bars side by side (one slot per bar series), or on top of each other if stacked, as
    Plotly's ``barmode`` draws them; a missing value is no bar, never a zero."""
    y = [_value(panel, v) for v in series.y]
    if chart.stacked:
        bottoms = [stacked.get(x, 0.0) for x in series.x]
        for x, v in zip(series.x, y, strict=True):
            if not math.isnan(v):
                stacked[x] = stacked.get(x, 0.0) + v
        ax.bar(series.x, y, width=0.7, bottom=bottoms, color=series.colour, label=_label(series))
        return
    width = 0.8 / count
    if count == 1:
        ax.bar(series.x, y, width=0.8, color=series.colour, label=_label(series))
        return
    shift = (position - (count - 1) / 2) * width
    if chart.categorical_x:  # slots by label, in the order the chart's series give them
        names = list(dict.fromkeys(x for s in chart.series if s.panel == series.panel for x in s.x))
        ax.bar([names.index(x) + shift for x in series.x], y, width=width, color=series.colour,
               label=_label(series))  # fmt: skip
        ax.set_xticks(range(len(names)), [str(n) for n in names])
        return
    ax.bar([float(x) + shift for x in series.x], y, width=width, color=series.colour,
           label=_label(series))  # fmt: skip


def _draw_series(ax: Axes, series: Series, panel: Panel) -> None:
    label = _label(series)
    y = [_value(panel, v) for v in series.y]
    if series.kind == "band":
        low = [_value(panel, v) for v in series.low]
        high = [_value(panel, v) for v in series.high]
        ax.fill_between(series.x, low, high, color=series.colour, lw=0, label=label)
    else:
        marker = "o" if series.kind == "line" else "D"
        ls = "none" if series.kind == "markers" else _LINESTYLE[series.dash]
        ms = 3 if series.width < 2 else 4
        ax.plot(series.x, y, color=series.colour, lw=series.width, ls=ls, marker=marker, ms=ms,
                label=label)  # fmt: skip
