"""The CLI's portfolio chart: the shared definitions of :mod:`buildup.report.portfolio_figure`
(spending by year and capability area against the envelopes, the Pareto front when it was
computed) drawn by matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.report.portfolio_figure import pareto_chart, portfolio_chart
from buildup.report.static import draw_charts

if TYPE_CHECKING:
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


def _figure(analysis: Analysis, source: str = "") -> Figure:
    chart = portfolio_chart(analysis, source)
    front = pareto_chart(analysis)
    if front is None:
        return draw_charts((chart,), (13, 6.5))
    return draw_charts(
        (chart, front), (15, 7), ratios=(3, 2), title=chart.title, source=chart.source
    )
