"""The CLI's tracking chart: the shared definitions of :mod:`buildup.report.track_figure`
(plan against budgets and modelled outlays; the variance by cause) drawn by matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.report.static import draw_charts
from buildup.report.track_figure import tracking_chart, variance_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from buildup.engine.track import TrackOutcome

__all__ = ["plot_tracking"]


def plot_tracking(outcome: TrackOutcome, path: Path) -> Path:
    """Draw a tracking outcome into ``path`` (.png, or .html with the chart as inline SVG)."""
    path = check_chart_path(path)
    return save_figure(_figure(outcome), path, simple_page(outcome.spec.name))


def _figure(outcome: TrackOutcome) -> Figure:
    chart = tracking_chart(outcome)
    variance = variance_chart(outcome)
    charts = (chart,) if variance is None else (chart, variance)
    return draw_charts(
        charts, (14, 7.5), ratios=(3, 2)[: len(charts)], title=chart.title, source=chart.source
    )
