"""A :class:`~buildup.report.figure.Chart` drawn by matplotlib: the CLI's static charts.

The same chart definition that the web pages draw with Plotly, so a PNG from the CLI and the
chart on a page show the same series, marks and source line.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Panel, Series

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw_chart"]

_LINESTYLE = {"solid": "-", "dash": "--", "dot": ":"}


def draw_chart(chart: Chart, size: tuple[float, float] = (12, 9)) -> Figure:
    """Draw ``chart`` on a new matplotlib figure (Agg canvas; nothing shown on screen)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    source = "\n".join(textwrap.fill(line, 190) for line in chart.source.split("\n") if line)
    lines = source.count("\n") + 1 if source else 0
    bottom = min(0.02 + 0.018 * lines, 0.2)  # room for the source line, which layout ignores
    figure = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=(0, bottom, 1, 1 - bottom)))
    FigureCanvasAgg(figure)
    weights = [p.weight for p in chart.panels]
    axes = figure.subplots(len(chart.panels), 1, sharex=True, height_ratios=weights, squeeze=False)
    for i, panel in enumerate(chart.panels):
        ax = axes[i][0]
        _draw_panel(ax, chart, i, panel)
        if i == len(chart.panels) - 1:
            ax.set_xlabel(chart.x_title)
    figure.suptitle(chart.title, fontsize=15, weight="bold")
    if source:
        figure.text(0.01, 0.01, source, fontsize=8, color="0.3", va="bottom")
    return figure


def _draw_panel(ax: Axes, chart: Chart, index: int, panel: Panel) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if chart.shade is not None:
        ax.axvspan(chart.shade[0] - 0.5, chart.shade[1] + 0.5, color="#f1f1f1", zorder=0)
        if index == 0:
            where = ax.get_xaxis_transform()
            ax.text(chart.shade[0] - 0.4, 0.02, chart.shade_label, transform=where, fontsize=9,
                    color="0.4")  # fmt: skip
    members = [s for s in chart.series if s.panel == index]
    for series in members:
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
        ax.set_ylabel("share of GDP")
    elif panel.unit == "amount":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_ylabel(f"{panel.title} ({panel.unit_label})" if panel.unit_label else panel.title)
    else:
        ax.set_ylabel(panel.title)
    if not chart.categorical_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(axis="y", color="0.9")
    if any(s.legend for s in members):
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


def _value(panel: Panel, value: float | None) -> float:
    if value is None:
        return math.nan
    if panel.unit == "share":
        return value * 100
    if panel.unit == "amount":
        return value / panel.scale
    return value


def _draw_series(ax: Axes, series: Series, panel: Panel) -> None:
    label = "\n".join(textwrap.wrap(series.name, 34)) if series.legend else "_nolegend_"
    y = [_value(panel, v) for v in series.y]
    if series.kind == "bar":
        ax.bar(series.x, y, width=0.8, color=series.colour, label=label)
    elif series.kind == "band":
        low = [_value(panel, v) for v in series.low]
        high = [_value(panel, v) for v in series.high]
        ax.fill_between(series.x, low, high, color=series.colour, lw=0, label=label)
    else:
        marker = "o" if series.kind == "line" else "D"
        ls = "none" if series.kind == "markers" else _LINESTYLE[series.dash]
        ms = 3 if series.width < 2 else 4
        ax.plot(series.x, y, color=series.colour, lw=series.width, ls=ls, marker=marker, ms=ms,
                label=label)  # fmt: skip
