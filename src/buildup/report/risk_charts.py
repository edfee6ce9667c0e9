"""The CLI's fan chart: :func:`buildup.report.risk_figure.fan_chart` drawn by matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.report.risk_figure import fan_chart
from buildup.report.static import draw_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from buildup.engine.risk import RiskOutcome

__all__ = ["plot_fan"]


def plot_fan(outcome: RiskOutcome, path: Path) -> Path:
    """Draw the fan chart into ``path`` (.png, or .html with the chart as inline SVG)."""
    path = check_chart_path(path)
    return save_figure(_figure(outcome), path, simple_page(outcome.plan.scenario.name))


def _figure(outcome: RiskOutcome) -> Figure:
    return draw_chart(fan_chart(outcome), (12, 8.5))
