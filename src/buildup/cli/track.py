"""``buildup track``: a programme's execution, committed outlays and variance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from buildup.cli.common import DbOption, FormatOption, TableOption, open_cli_store
from buildup.cli.render import note
from buildup.serialize import dumps
from buildup.types import OutputFormat
from buildup.units import amount_scale

if TYPE_CHECKING:
    from buildup import TrackOutcome

__all__ = ["track"]


def track(
    plan_file: Path = typer.Argument(..., help="Tracking file (TOML): the plan and its actuals."),
    actuals: Path | None = typer.Option(
        None, "--actuals", help="CSV of actuals: fiscal_year,kind,amount[,area,source]."
    ),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write a chart: FILE.png or FILE.html."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    table: TableOption = None,
    db: DbOption = None,
) -> None:
    """Track a programme against its plan: execution, contracts to outlays, variance.

    Example:

    \b
    buildup track examples/japan-dbp-tracking.toml --chart tracking.png
    """
    import buildup

    spec = buildup.read_tracking(plan_file)
    extra = buildup.read_actuals_csv(actuals, spec) if actuals is not None else ()
    options = buildup.TrackOptions(source=plan_file.name, actuals=tuple(extra))
    with open_cli_store(db) as store:
        outcome = buildup.track(spec, store, options)
    if chart is not None:
        buildup.plot_tracking(outcome, chart)
    import pandas as pd

    from buildup.cli.render import emit_tables

    tables = {
        "years": outcome.years,
        "execution": pd.DataFrame([outcome.execution]),
        "areas": outcome.areas,
        "checks": pd.DataFrame(list(outcome.checks)),
    }
    if emit_tables(tables, fmt, table, "track"):
        pass
    elif fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(outcome) + "\n")
    else:
        print_tracking(outcome)
    if chart is not None:
        note(f"chart written to {chart}")


def _scale(outcome: TrackOutcome) -> tuple[str, float]:
    peak = float(outcome.execution.envelope)
    scale, unit = amount_scale(peak, outcome.currency)
    return unit, scale


def print_tracking(outcome: TrackOutcome) -> None:
    """The tracking tables: execution, years, variance, checks, notes."""
    import pandas as pd

    from buildup.cli.render import emit_frame

    unit, scale = _scale(outcome)
    e, r = outcome.execution, outcome.execution_real
    rows = [
        ("envelope", e.envelope / scale, r.envelope / scale),
        (f"used to FY{outcome.as_of}", e.used / scale, r.used / scale),
        ("remaining", e.remaining / scale, r.remaining / scale),
        ("share used", e.share_used, r.share_used),
        (
            f"required run-rate over {e.years_left} year(s) left",
            e.required_run_rate / scale,
            r.required_run_rate / scale,
        ),
        (
            "projected total at the latest year's pace",
            e.projected_total / scale,
            r.projected_total / scale,
        ),
        ("projected gap to the envelope", e.projected_gap / scale, r.projected_gap / scale),
    ]
    base = outcome.spec.plan.price_base_year or outcome.spec.plan.first_year - 1
    frame = pd.DataFrame(rows, columns=["execution", f"nominal ({unit})", f"real, FY{base} prices"])
    emit_frame(
        frame,
        OutputFormat.TABLE,
        title=outcome.spec.name,
        caption=f"Used at the plan's exchange rates: {outcome.used_at_plan_rates / scale:,.3f} "
        f"{unit} of purchasing power for {e.used / scale:,.3f} spent.",
    )
    columns = ["year", "plan", "appropriated", "contracts", "outlays", "committed_as_of"]
    years = outcome.years[[c for c in columns if c in outcome.years.columns]].copy()
    for c in years.columns[1:]:
        years[c] = years[c] / scale
    emit_frame(
        years,
        OutputFormat.TABLE,
        title=f"By fiscal year ({unit})",
        caption=f"committed_as_of: payments due under contracts signed by FY{outcome.as_of}.",
    )
    if outcome.variance is not None:
        parts = [(k, v / scale) for k, v in outcome.variance.totals()]
        emit_frame(
            pd.DataFrame(parts, columns=["variance part", unit]),
            OutputFormat.TABLE,
            title=f"Outturn minus plan to FY{outcome.as_of}, by cause",
            caption="Sequential substitution: policy, price, exchange rate, quantity and "
            "schedule (timing, nets to zero), underspend. The parts add up to the total.",
        )
    if outcome.checks:
        checks = pd.DataFrame(outcome.checks)
        checks["modelled"] = checks["modelled"] / scale
        checks["published"] = checks["published"] / scale
        emit_frame(checks, OutputFormat.TABLE, title=f"Checks against published figures ({unit})")
    if outcome.notes:
        emit_frame(pd.DataFrame({"note": list(outcome.notes)}), OutputFormat.TABLE, title="Notes")
