"""The portfolio chart: spending by year against the envelopes, stacked by capability area,
with the binding years marked and the committed tail after the horizon; and the Pareto front
of value against envelope scale when it was computed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.units import amount_scale

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from buildup.portfolio import Analysis

__all__ = ["plot_portfolio"]


def plot_portfolio(analysis: Analysis, path: Path, source: str = "") -> Path:
    """Draw a portfolio analysis into ``path`` (.png, or .html with the chart as inline SVG).

    ``source`` names the programmes and envelopes (files, publishers, editions) for the
    chart's source line. The file is written atomically: a failure leaves no half-written
    file at ``path``.
    """
    path = check_chart_path(path)
    return save_figure(_figure(analysis, source), path, simple_page("Capability portfolio"))


def _unit(analysis: Analysis) -> tuple[float, str]:
    peak = max((y.envelope for y in analysis.portfolio.years), default=0.0)
    currency = analysis.portfolio.currency or "currency units"
    return amount_scale(peak, currency, headroom=10)


def _figure(analysis: Analysis, source: str = "") -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = Figure(figsize=(13, 6.5), layout=ConstrainedLayoutEngine(rect=(0, 0.05, 1, 0.95)))
    FigureCanvasAgg(figure)
    if analysis.pareto:
        left, right = figure.subplots(1, 2, width_ratios=(3, 2))
        _draw_pareto(right, analysis)
    else:
        left = figure.subplots(1, 1)
    scale, unit = _unit(analysis)
    _draw_years(left, analysis, scale, unit)
    result = analysis.portfolio
    figure.suptitle(
        f"Capability portfolio — {len(result.selected)} programmes, value "
        f"{result.objective:,.1f} value points ({result.status})",
        fontsize=14,
        weight="bold",
    )
    gain = analysis.gain_over_greedy
    greedy = "" if np.isnan(gain) else f"; {gain:+.1%} over the greedy value-per-cost ranking"
    figure.text(
        0.01,
        0.01,
        f"Relative gap {result.gap:.1e}{greedy}. Committed tail after the horizon: "
        f"{result.tail_after_horizon / scale:,.2f} {unit}. Binding years: shadow price > 0 "
        "in the LP with the choices fixed. Value: the catalogue's value points."
        + (f"\nSource: {source}" if source else ""),
        fontsize=8,
        color="0.3",
    )
    return figure


def _draw_years(ax: Axes, analysis: Analysis, scale: float, unit: str) -> None:
    result = analysis.portfolio
    years = np.array([y.year for y in result.years])
    tail_years = np.array(sorted(result.tail_by_year), dtype=int)
    bottom = np.zeros(len(years))
    for i, (area, spend) in enumerate(result.spend_by_year_area.items()):
        values = np.array(spend) / scale
        if values.any():
            ax.bar(years, values, bottom=bottom, color=f"C{i}", label=area, width=0.7)
            bottom += values
    if len(tail_years):
        tail = np.array([result.tail_by_year[int(y)] for y in tail_years]) / scale
        ax.bar(
            tail_years, tail, color="0.85", hatch="//", edgecolor="0.5", width=0.7,
            label="committed tail (after the horizon)",
        )  # fmt: skip
    envelope = np.array([y.envelope for y in result.years]) / scale
    ax.step(years, envelope, where="mid", color="black", lw=2, label="envelope")
    binding = result.binding_years
    if binding:
        # One legend entry, not a label per year: adjacent years' labels overlapped.
        ax.plot(
            [y.year for y in binding], [y.envelope / scale for y in binding], "v",
            color="#c0392b", ms=8, label="binding year (shadow price > 0)",
        )  # fmt: skip
    ax.set_ylabel(unit)
    ax.set_xlabel("fiscal year")
    ax.set_title("Outlays by year, stacked by capability area")
    ax.set_xticks(np.concatenate([years, tail_years]).astype(int))
    ax.tick_params(axis="x", rotation=45)
    ax.grid(axis="y", color="0.9")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))


def _draw_pareto(ax: Axes, analysis: Analysis) -> None:
    points = analysis.pareto
    scales = [p.scale for p in points]
    ax.plot(scales, [p.objective for p in points], marker="o", lw=2, label="optimum")
    ax.plot(
        scales, [p.greedy for p in points], marker="s", ls="--", color="0.4",
        label="greedy value per cost",
    )  # fmt: skip
    ax.axvline(1.0, color="0.7", lw=0.8, ls=":")
    ax.set_xlabel("envelope scale (every year × factor)")
    ax.set_ylabel("value [value points]")
    ax.set_title("Pareto front: value against envelope")
    ax.grid(color="0.9")
    ax.legend(fontsize=8, frameon=False)
