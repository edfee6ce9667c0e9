"""The tracking chart: plan against appropriations and modelled outlays, and the variance."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.units import amount_scale

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from buildup.engine.track import TrackOutcome

__all__ = ["plot_tracking"]


def plot_tracking(outcome: TrackOutcome, path: Path) -> Path:
    """Draw a tracking outcome into ``path`` (.png, or .html with the chart as inline SVG)."""
    path = check_chart_path(path)
    return save_figure(_figure(outcome), path, simple_page(outcome.spec.name))


def _unit(outcome: TrackOutcome) -> tuple[float, str]:
    return amount_scale(outcome.execution.envelope, outcome.currency)


def _figure(outcome: TrackOutcome) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = Figure(figsize=(12, 8.5), layout=ConstrainedLayoutEngine(rect=(0, 0.05, 1, 0.95)))
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(1, 2, width_ratios=(3, 2))
    scale, unit = _unit(outcome)
    _draw_years(top, outcome, scale, unit)
    _draw_variance(bottom, outcome, scale, unit)
    figure.suptitle(outcome.spec.name, fontsize=14, weight="bold")
    e = outcome.execution
    editions = ", ".join(f"{k} {v}" for k, v in outcome.provenance["dataset_editions"].items())
    figure.text(
        0.01,
        0.01,
        f"Used {e.share_used:.1%} of the {e.envelope / scale:,.1f} {unit} envelope by "
        f"FY{outcome.as_of}; {e.remaining / scale:,.2f} left. Data: {editions}. "
        "Plan, contracts and assumptions: see the tracking file.",
        fontsize=8,
        color="0.3",
    )
    return figure


def _draw_years(ax: Axes, outcome: TrackOutcome, scale: float, unit: str) -> None:
    frame = outcome.years
    years = frame["year"].to_numpy()
    width = 0.4
    ax.bar(years - width / 2, frame["plan"] / scale, width, color="#c7d3e3", label="plan")
    ax.bar(
        years + width / 2,
        frame["appropriated"] / scale,
        width,
        color="#2f5d8c",
        label="appropriated (initial + supplementary)",
    )
    if "outlays" in frame:
        ax.plot(
            years,
            frame["outlays"] / scale,
            color="#d2691e",
            marker="o",
            label="modelled outlays from contracts",
        )
        ax.plot(
            years,
            frame["committed_as_of"] / scale,
            color="#8b0000",
            linestyle="--",
            marker="s",
            label=f"already committed by FY{outcome.as_of}",
        )
    ax.set_ylabel(unit)
    ax.set_xlabel("fiscal year")
    ax.set_title("Plan, budgets and outlays")
    ax.grid(axis="y", color="0.9")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2)


def _draw_variance(ax: Axes, outcome: TrackOutcome, scale: float, unit: str) -> None:
    if outcome.variance is None:
        ax.text(0.5, 0.5, "no actuals yet", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    totals = outcome.variance.totals
    names = [n for n in totals if n != "total"] + ["total"]
    values = np.array([totals[n] for n in names]) / scale
    colors = ["#2e8b57" if v >= 0 else "#b22222" for v in values]
    colors[-1] = "#333333"
    ax.barh(names, values, color=colors)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.margins(x=0.25)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:+.2f}", va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.set_xlabel(unit)
    ax.set_title(f"Outturn minus plan to FY{outcome.as_of}, by cause")
    ax.grid(axis="x", color="0.9")
