"""``buildup sweep``: every country × target — the planner's path, extra cost, P(met)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.serialize import dumps
from buildup.types import OutputFormat
from buildup.units import column_scale, format_amount

__all__ = ["sweep"]

DEFAULT_SEED = 20251028


def sweep(
    countries: str = typer.Option(
        ..., "--countries", help="all (every country with data), or ISO3 codes: JPN,KOR,DEU."
    ),
    targets: str = typer.Option(
        "0.02,0.035,0.05", "--targets", help="Target shares of GDP, comma-separated fractions."
    ),
    by: int = typer.Option(..., "--by", help="Target year."),
    draws: int = typer.Option(100_000, "--draws", help="Monte Carlo draws per country × target."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed; the same seed, the same result."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler tcp://HOST:PORT."
    ),
    cluster: str | None = typer.Option(None, "--cluster", help="Start a LocalCluster: local:N."),
    chart: Path | None = typer.Option(None, "--chart", help="Chart: FILE.png or FILE.html."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Every country × target: the planner's path, the extra cost and the chance of meeting it.

    Example:

    \b
    buildup sweep --countries JPN,KOR,AUS --targets 0.02,0.035 --by 2035 --draws 20000
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    import buildup
    from buildup.errors import InputError
    from buildup.report.files import check_chart_path

    if scheduler is not None and cluster is not None:
        raise InputError("give --scheduler or --cluster, not both")
    shares = _shares(targets)
    if chart is not None:
        check_chart_path(chart)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} plans"),
        TimeRemainingColumn(),
    )
    with open_cli_store(db, release=True) as store:
        every = countries.strip().lower() == "all"
        chosen, left_out = buildup.sweep_countries(store) if every else (_codes(countries), [])
        with (
            buildup.dask_client(scheduler, cluster) as client,
            Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar,
        ):
            task = bar.add_task("Sweeping", total=len(chosen) * len(shares))
            result = buildup.run_sweep(
                store, chosen, shares, by, draws=draws, seed=seed, client=client,
                store_url=None if db is None else str(db),
                progress=lambda done, total: bar.update(task, completed=done),
                left_out=left_out,
            )  # fmt: skip
    if chart is not None:
        from buildup.report.sweep_charts import plot_sweep

        plot_sweep(result, chart)
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(result) + "\n")
    else:
        _print(result, fmt)
    if result.skipped:
        sys.stderr.write(
            f"{len(result.skipped)} countries not planned"
            + (" (listed with their reasons in the table)" if fmt is OutputFormat.TABLE else
               " (their reasons: 'skipped' in --format json)")
            + ": " + ", ".join(s.iso3 for s in result.skipped) + "\n"
        )  # fmt: skip
    if chart is not None:
        sys.stderr.write(f"chart written to {chart}\n")


def _shares(text: str) -> list[float]:
    from buildup.errors import InputError

    shares = []
    for part in text.split(","):
        try:
            share = float(part)
        except ValueError:
            raise InputError(
                f"--targets {text!r}: {part!r} is not a number; write 0.02,0.035"
            ) from None
        if not 0 < share <= 1:
            hint = f"; write {share / 100:g} for {share:g} %" if 1 < share <= 100 else ""
            raise InputError(f"--targets: {share:g} is not a fraction between 0 and 1{hint}")
        shares.append(share)
    return sorted(set(shares))


def _codes(text: str) -> list[str]:
    import buildup

    return buildup.resolve_countries([c.strip() for c in text.split(",") if c.strip()])


def _print(result: object, fmt: OutputFormat) -> None:
    import pandas as pd

    import buildup
    from buildup.cli.render import emit_frame

    assert isinstance(result, buildup.SweepResult)
    scale, unit = column_scale((r.extra_total_usd for r in result.rows), "US$")
    frame = pd.DataFrame(
        [
            {
                "country": r.iso3 + ("" if r.path_shape == "goal-seek" else " *"),
                "target": f"{r.target_share * 100:g} %",
                "baseline": f"{r.baseline_share * 100:.2f} % ({r.baseline_year})",
                f"planned {r.target_year}": f"{r.share_in_target_year * 100:.2f} %",
                f"extra {unit}": format_amount(r.extra_total_usd, scale, 1),
                "real growth/yr": None
                if r.required_real_growth != r.required_real_growth
                else f"{r.required_real_growth * 100:.1f} %",
                "P(met)": f"{r.probability_met * 100:.1f} %",
                "± s.e.": f"{r.standard_error * 100:.2f}",
            }
            for r in result.rows
        ]
    )
    if fmt is OutputFormat.CSV:
        emit_frame(result.table(), fmt)
        return
    emit_frame(
        frame,
        OutputFormat.TABLE,
        title=f"Every country × target by {result.by}: the planner's path, extra cost, P(met)",
        caption=f"{result.draws:,} draws per plan, seed {result.seed}, {result.workers} "
        "worker(s); extra = plan − holding the baseline share, SIPRI definition, IMF GDP; "
        "P(met): strict (share ≥ target), ± one Monte Carlo standard error in points"
        + ("; * path rising linearly in share of GDP (baseline budget zero)."
           if any(r.path_shape != "goal-seek" for r in result.rows) else "."),
    )  # fmt: skip
    if result.skipped:
        emit_frame(
            pd.DataFrame([{"country": s.iso3, "reason": s.reason} for s in result.skipped]),
            OutputFormat.TABLE,
            title=f"Not planned: {len(result.skipped)} countries",
        )
