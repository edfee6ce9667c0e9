"""Fan charts of a plan's Monte Carlo: the share of GDP and spending, with targets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildup.report.files import check_chart_path, save_figure, simple_page
from buildup.units import amount_scale

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from buildup.engine.risk import RiskOutcome

__all__ = ["plot_fan"]


def plot_fan(outcome: RiskOutcome, path: Path) -> Path:
    """Draw the fan chart into ``path`` (.png, or .html with the chart as inline SVG)."""
    path = check_chart_path(path)
    return save_figure(_figure(outcome), path, simple_page(outcome.plan.scenario.name))


def _rows(outcome: RiskOutcome, variable: str) -> list[dict[str, Any]]:
    return [q for q in outcome.quantiles if q["variable"] == variable]


def _figure(outcome: RiskOutcome) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = Figure(figsize=(12, 8), layout=ConstrainedLayoutEngine(rect=(0, 0.06, 1, 0.94)))
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    primary = outcome.plan.primary
    _fan(top, _rows(outcome, f"share_gdp:{primary}"), 100.0, "share of GDP (%)")
    _targets(top, outcome)
    scale, unit = _scale(_rows(outcome, "spending_local"))
    _fan(bottom, _rows(outcome, "spending_local"), 1.0 / scale, f"{outcome.plan.currency} {unit}")
    bottom.set_xlabel("fiscal year")
    top.set_title(f"{outcome.plan.definitions[primary]}: share of GDP", fontsize=11)
    bottom.set_title("Spending under the primary definition", fontsize=11)
    figure.suptitle(outcome.plan.scenario.name, fontsize=14, weight="bold")
    cov = outcome.parameters["covariance_log_changes"]["source"]
    execution = outcome.parameters["execution_error"]["source"]
    figure.text(
        0.01,
        0.01,
        f"{outcome.draws:,} draws, seed {outcome.seed}. Bands: 5–95 % and 25–75 %; line: median. "
        f"Macro shocks: {cov}.\nExecution error: {execution}. Data: "
        + ", ".join(f"{k} {v}" for k, v in _editions(outcome).items()),
        fontsize=7.5,
        color="0.3",
        va="bottom",
    )
    return figure


def _editions(outcome: RiskOutcome) -> dict[str, str]:
    editions = outcome.plan.provenance.get("dataset_editions", {})
    return {str(k): str(v) for k, v in dict(editions).items()}


def _scale(rows: list[dict[str, Any]]) -> tuple[float, str]:
    values = [r["p95"] for r in rows if r["p95"] is not None and r["p95"] == r["p95"]]
    peak = max(values, default=0.0)
    return amount_scale(peak)


def _fan(ax: Axes, rows: list[dict[str, Any]], factor: float, label: str) -> None:
    from matplotlib.ticker import MaxNLocator

    rows = [r for r in rows if r["p50"] is not None and r["p50"] == r["p50"]]
    years = [r["year"] for r in rows]

    def col(key: str) -> list[float]:
        return [r[key] * factor for r in rows]

    ax.fill_between(years, col("p5"), col("p95"), color="#2f5d8c", alpha=0.18, label="5–95 %")
    ax.fill_between(years, col("p25"), col("p75"), color="#2f5d8c", alpha=0.35, label="25–75 %")
    ax.plot(years, col("p50"), color="#1b365d", linewidth=2, label="median")
    ax.set_ylabel(label)
    ax.grid(color="0.9")
    ax.legend(fontsize=8, loc="upper left")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _targets(ax: Axes, outcome: RiskOutcome) -> None:
    """Each target as a dotted line with its chances in the legend (never over the title)."""
    for target in outcome.targets:
        if target["definition"] != outcome.plan.primary:
            continue
        level = target["share_gdp"] * 100
        chances = f"P(met) {target['probability_met']:.0%} strictly"
        if target.get("probability_met_rounded") is not None:
            chances += f", {target['probability_met_rounded']:.0%} at the stated rounding"
        ax.axhline(
            level,
            color="#b22222",
            linestyle=":",
            linewidth=1,
            label=f"target {level:g} % in {target['year']}: {chances}",
        )
        ax.plot([target["year"]], [level], marker="D", color="#b22222")
    ax.legend(fontsize=8, loc="upper left")
