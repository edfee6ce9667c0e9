"""The sweep's chart: for every country × target, the extra cost against the chance of
meeting the target, one colour per target; a PNG, or HTML with the table beneath."""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, svg_body
from buildup.units import column_scale, format_amount

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from buildup.compare.sweep import SweepResult

__all__ = ["plot_sweep"]

_COLOURS = ("#1b6ca8", "#e07b00", "#b2182b", "#4d9221", "#762a83")


def plot_sweep(result: SweepResult, path: Path) -> Path:
    """Draw the sweep into ``path`` (.png or .html), atomically."""
    path = check_chart_path(path)
    return save_figure(_figure(result), path, lambda svg: _page(result, svg))


def _figure(result: SweepResult) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 6.5))
    ax = figure.add_subplot()
    for i, share in enumerate(result.targets):
        rows = [r for r in result.rows if r.target_share == share]
        # A log axis over costs from millions to trillions: one fixed unit (billions) reads
        # across its decades; the column scale of the table would push most points to the floor.
        x = [max(r.extra_total_usd / 1e9, 0.01) for r in rows]
        y = [r.probability_met * 100 for r in rows]
        colour = _COLOURS[i % len(_COLOURS)]
        ax.scatter(x, y, s=18, color=colour, alpha=0.75, label=f"{share * 100:g} % of GDP")
        for r, xi, yi in zip(rows, x, y, strict=True):
            if r.extra_total_usd >= _label_threshold(result):
                ax.annotate(r.iso3, (xi, yi), fontsize=7, xytext=(3, 2), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel(
        "extra spending over holding the baseline share, total to the target year [US$ bn]"
    )
    ax.set_ylabel("chance of meeting the target [%]")
    ax.set_ylim(-2, 102)
    ax.grid(alpha=0.3)
    ax.legend(title=f"target by {result.by}", loc="lower left", fontsize=8)
    ax.set_title(
        f"{len({r.iso3 for r in result.rows})} countries: cost and chance of each target "
        f"by {result.by}",
        fontsize=11,
    )
    figure.text(
        0.01,
        0.01,
        "buildup sweep: the planner's goal-seek path (linear in share of GDP from a zero "
        f"baseline; SIPRI definition, IMF GDP), {result.draws:,} Monte Carlo draws per plan, "
        f"seed {result.seed}. Countries already at the target cost nothing extra (plotted at "
        "US$ 0.01 bn).",
        fontsize=7,
    )
    figure.subplots_adjust(bottom=0.14)
    return figure


def _label_threshold(result: SweepResult) -> float:
    costs = sorted((r.extra_total_usd for r in result.rows), reverse=True)
    return costs[min(len(costs) - 1, 14)] if costs else math.inf  # the 15 largest


def _page(result: SweepResult, svg: str) -> str:
    e = html.escape
    title = f"Every country × target by {result.by}"
    scale, unit = column_scale((r.extra_total_usd for r in result.rows), "US$")
    head = (
        "<tr><th>country</th><th>target</th><th>baseline share</th><th>planned share in "
        f"{result.by}</th><th>extra {unit}</th><th>real growth a year</th><th>P(met)</th></tr>"
    )
    body = "".join(
        f"<tr><td>{e(r.iso3)}</td><td>{r.target_share * 100:g} %</td>"
        f"<td>{r.baseline_share * 100:.2f} % ({r.baseline_year})</td>"
        f"<td>{r.share_in_target_year * 100:.2f} %</td>"
        f"<td>{format_amount(r.extra_total_usd, scale, 1)}</td>"
        f"<td>{_pct(r.required_real_growth)}</td><td>{r.probability_met * 100:.1f} %</td></tr>"
        for r in result.rows
    )
    skipped = "".join(f"<li>{e(s.iso3)}: {e(s.reason)}</li>" for s in result.skipped)
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:90%}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>"
        f"<h1>{e(title)}</h1>{svg_body(svg)}<table>{head}{body}</table>"
        + (f"<h2>Not planned</h2><ul>{skipped}</ul>" if skipped else "")
        + "</body></html>\n"
    )


def _pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value * 100:.1f} %"
