"""``buildup optimize``: choose programmes and start years under yearly envelopes."""

from __future__ import annotations

import contextlib
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from buildup.cli.common import DbOption, FormatOption, TableOption, finite, open_cli_store
from buildup.cli.render import note
from buildup.errors import InputError
from buildup.serialize import dumps
from buildup.types import OutputFormat
from buildup.units import amount_scale

if TYPE_CHECKING:
    from collections.abc import Iterator

    from buildup import Analysis, Envelope

__all__ = ["optimize"]


def optimize(
    programmes: Path = typer.Option(
        ...,
        "--programmes",
        help="Programmes table: CSV (see examples/japan-programmes.csv) or TOML.",
    ),
    envelope: Path | None = typer.Option(
        None, "--envelope", help="Yearly envelopes: CSV with columns year,budget."
    ),
    plan: Path | None = typer.Option(
        None, "--plan", help="A plan scenario (TOML): its planned years' budgets are the envelopes."
    ),
    envelope_share: float = typer.Option(
        1.0,
        "--envelope-share",
        parser=finite(0.0, 1.0, low_open=True, what="a fraction above 0 and at most 1"),
        help="With --plan: the fraction of each budget the programmes compete for (0–1).",
    ),
    area_limits: Path | None = typer.Option(
        None, "--area-limits", help="Area limits: CSV with columns area,min_share,max_share."
    ),
    weights: str | None = typer.Option(
        None,
        "--weights",
        help="Strategy weights of the value_<mission> columns, e.g. deterrence=0.6,resilience=0.4.",
    ),
    gap: float = typer.Option(
        1e-4,
        "--gap",
        parser=finite(0.0, 1.0, what="a relative gap from 0 to 1 (1e-4 = 0.01 %)"),
        help="Relative MIP gap at which to stop; 0 proves optimality.",
    ),
    time_limit: float | None = typer.Option(
        None,
        "--time-limit",
        parser=finite(0.0, 7 * 86_400.0, low_open=True, what="seconds above 0, at most a week"),
        help="Seconds the solver may run (each Pareto point too; default 300); it then returns "
        "the best portfolio found with its gap.",
    ),
    pareto: bool = typer.Option(
        False, "--pareto", help="Also trace value against envelope scale, 70 %–130 %."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="With --pareto: solve the points on a Dask scheduler."
    ),
    cluster: str | None = typer.Option(
        None, "--cluster", help="With --pareto: solve the points on a LocalCluster (local:N)."
    ),
    currency: str = typer.Option(
        "",
        "--currency",
        help="With --envelope: the ISO code of the amounts (e.g. JPY), for display.",
    ),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write a chart: FILE.png or FILE.html."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    table: TableOption = None,
    db: DbOption = None,
) -> None:
    """Choose programmes, quantities and start years for the most value within the envelopes.

    Example:

    \b
    buildup optimize --programmes examples/japan-programmes.csv \\
      --envelope examples/japan-envelope.csv --currency JPY
    """
    import buildup

    if (envelope is None) == (plan is None):
        raise InputError("give the envelopes with --envelope FILE or --plan SCENARIO.toml (one)")
    if plan is None and envelope_share != 1.0:
        raise InputError("--envelope-share applies to --plan only; scale the CSV instead")
    catalogue = buildup.read_programmes(programmes)
    options = buildup.validate_options(
        buildup.OptimiseOptions,
        envelope_share=envelope_share,
        gap=gap,
        time_limit=time_limit,
        pareto=pareto,
        cluster=cluster,
        scheduler=scheduler,
        weights=buildup.parse_weights(weights) if weights is not None else None,
        area_limits=buildup.read_area_limits(area_limits) if area_limits else None,
    )
    if plan is not None:
        spec = buildup.read_scenario(plan)
        with (
            open_cli_store(db, release=True) as store,
            _solving(len(catalogue.programmes), options.time_limit, pareto),
        ):
            chosen = buildup.optimise(
                catalogue,
                options,
                plan_spec=spec,
                store=store,
                source=programmes.name,
                plan_source=plan.name,
            )
    else:
        assert envelope is not None
        budgets = buildup.read_envelope(envelope, currency=currency.upper())
        with _solving(len(catalogue.programmes), options.time_limit, pareto):
            chosen = buildup.optimise(catalogue, options, envelope=budgets, source=programmes.name)
    analysis, budgets = chosen.analysis, chosen.envelope
    if chart is not None:
        editions = ", ".join(f"{k} {v}" for k, v in chosen.provenance.dataset_editions.items())
        source = f"programmes {programmes.name}; envelopes {budgets.source or 'not stated'}"
        buildup.plot_portfolio(analysis, chart, source + (f"; data {editions}" if editions else ""))
    from buildup.cli.render import emit_tables

    if emit_tables(_named_tables(analysis), fmt, table, "optimize"):
        pass
    elif fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(chosen) + "\n")
    else:
        print_analysis(analysis, budgets)
    if chart is not None:
        note(f"chart written to {chart}")


@contextlib.contextmanager
def _solving(n: int, time_limit: float | None, pareto: bool) -> Iterator[None]:
    """A status line on stderr while the solver runs: what is solved, the time so far, the
    limit (a long solve shows that it is working and when it will stop)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    points = " and the Pareto front" if pareto else ""
    limit = f"; each solve stops after {time_limit:g} s (--time-limit)" if time_limit else ""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        bar.add_task(f"Solving the portfolio ({n:,} programmes{points}){limit}", total=None)
        yield


def _unit(analysis: Analysis) -> tuple[str, float]:
    peak = max((y.envelope for y in analysis.portfolio.years), default=0.0)
    currency = analysis.portfolio.currency or "currency units"
    scale, unit = amount_scale(peak, currency, headroom=10)
    return unit, scale


def _named_tables(analysis: Analysis) -> dict[str, Any]:
    """The portfolio's tables in full units, by name, for CSV and ``--table``."""
    import pandas as pd

    result = analysis.portfolio
    years = pd.DataFrame(
        [
            {
                "year": y.year,
                "envelope": y.envelope,
                "spend": y.spend,
                "slack": y.slack,
                "shadow_price_value_per_unit": y.shadow_price,
                "binding": y.binding,
            }
            for y in result.years
        ]
    )
    areas = pd.DataFrame(result.spend_by_area, columns=["area", "spend"])
    summary = pd.DataFrame(
        [
            {
                "status": str(result.status),
                "value": result.objective,
                "bound": result.bound,
                "gap": result.gap,
                "greedy_value": analysis.greedy.objective,
                "binding_years": " ".join(str(y.year) for y in result.binding_years),
                "tail_after_horizon": result.tail_after_horizon,
            }
        ]
    )
    return {
        "selection": _selection_frame(analysis, 1.0),
        "years": years,
        "areas": areas,
        "summary": summary,
    }


def _selection_frame(analysis: Analysis, scale: float) -> Any:
    import pandas as pd

    rows = [
        {
            "id": s.id,
            "name": s.name,
            "area": s.area,
            "start_year": s.start_year,
            "quantity": s.quantity,
            "cost": s.cost / scale,
            "value": s.value,
        }
        for s in analysis.portfolio.selected
    ]
    columns = ["id", "name", "area", "start_year", "quantity", "cost", "value"]
    return pd.DataFrame(rows, columns=columns)


def print_analysis(analysis: Analysis, envelope: Envelope) -> None:
    """The tables: summary, selection, years, areas, Pareto front."""
    import pandas as pd

    from buildup.cli.render import emit_frame

    table = OutputFormat.TABLE
    result, greedy = analysis.portfolio, analysis.greedy
    unit, scale = _unit(analysis)
    gain = analysis.gain_over_greedy
    summary = [
        ("status", str(result.status)),
        ("value (objective)", f"{result.objective:,.2f}"),
        ("bound", f"{result.bound:,.2f}"),
        ("relative gap", f"{result.gap:.2e}"),
        ("greedy value-per-cost baseline", _maybe(greedy.objective, "{:,.2f}")),
        ("gain over the greedy baseline", _maybe(gain, "{:+.2%}")),
        (f"committed tail after FY{envelope.years[-1]} ({unit})",
         f"{result.tail_after_horizon / scale:,.3f}"),
        ("envelopes from", envelope.source or "not stated"),
        ("solve time", f"{result.seconds:.2f} s"),
    ]  # fmt: skip
    emit_frame(pd.DataFrame(summary, columns=["portfolio", ""]), table, title="Portfolio")
    emit_frame(
        _selection_frame(analysis, scale).rename(columns={"cost": f"cost ({unit})"}),
        table,
        title=f"Chosen programmes ({len(result.selected)})",
        caption="cost: the full cost of the quantity, paid by the payment profile from the "
        "start year (part of it after the horizon).",
    )
    years = pd.DataFrame(
        [
            {
                "year": y.year,
                f"envelope ({unit})": y.envelope / scale,
                f"spend ({unit})": y.spend / scale,
                f"slack ({unit})": y.slack / scale,
                f"shadow price (value per {unit})": y.shadow_price * scale,
                "binding": y.binding,
            }
            for y in result.years
        ]
    )
    binding = ", ".join(f"FY{y.year}" for y in result.binding_years) or "none"
    emit_frame(
        years,
        table,
        title=f"Spending by fiscal year — binding: {binding}",
        caption="shadow price: the value one more unit of money that year would buy, from "
        "the LP with the chosen programmes and start years fixed.",
    )
    areas = pd.DataFrame(
        [(a.area, a.spend / scale) for a in result.spend_by_area],
        columns=["area", f"spend within the horizon ({unit})"],
    )
    total = float(sum(a.spend for a in result.spend_by_area))
    areas["share of spending"] = areas.iloc[:, 1] * scale / total if total else math.nan
    emit_frame(areas, table, title="Spending by capability area")
    if result.notes:
        emit_frame(pd.DataFrame({"note": list(result.notes)}), table, title="Notes")
    if analysis.pareto:
        front = pd.DataFrame(
            [
                {
                    "envelope scale": p.scale,
                    f"envelopes ({unit})": p.envelope_total / scale,
                    "value": p.objective,
                    "greedy value": p.greedy,
                    "gap": p.gap,
                    "status": str(p.status),
                }
                for p in analysis.pareto
            ]
        )
        emit_frame(front, table, title="Pareto front: value against envelope scale")


def _maybe(value: float, pattern: str) -> str:
    return "–" if math.isnan(value) else pattern.format(value)
