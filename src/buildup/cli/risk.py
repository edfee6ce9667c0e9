"""``buildup risk``: a plan under uncertainty — probabilities, quantiles, fan charts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup.engine.risk import RiskOutcome

__all__ = ["risk"]

DEFAULT_SEED = 20251028  # the Takaichi–Trump summit, a fixed and documented default


def risk(
    scenario_file: Path = typer.Argument(..., help="Scenario TOML (see examples/)."),
    draws: int = typer.Option(100_000, "--draws", help="Number of Monte Carlo draws."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed; the same seed, the same result."),
    chunk: int = typer.Option(262_144, "--chunk", help="Draws per chunk (memory bound)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler tcp://HOST:PORT."
    ),
    cluster: str | None = typer.Option(None, "--cluster", help="Start a LocalCluster: local:N."),
    chart: Path | None = typer.Option(None, "--chart", help="Fan chart: FILE.png or FILE.html."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Monte Carlo of a plan: the chance of meeting each target, and fan charts."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from buildup.engine.risk import simulate_plan
    from buildup.errors import InputError
    from buildup.risk.cluster import dask_client
    from buildup.scenario import read_scenario

    if scheduler is not None and cluster is not None:
        raise InputError("give --scheduler or --cluster, not both")
    if draws < 1:
        raise InputError(f"--draws {draws}: give a positive number of draws")
    if chunk < 1:
        raise InputError(f"--chunk {chunk}: give a positive number of draws per chunk")
    scenario = read_scenario(scenario_file)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} draws"),
        TimeRemainingColumn(),
    )
    with (
        open_cli_store(db) as store,
        dask_client(scheduler, cluster) as client,
        Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar,
    ):
        task = bar.add_task("Simulating", total=draws)
        outcome = simulate_plan(
            scenario,
            store,
            draws=draws,
            seed=seed,
            origin=scenario_file.name,
            chunk_draws=chunk,
            client=client,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    if chart is not None:
        from buildup.report import plot_fan

        plot_fan(outcome, chart)
    if fmt is OutputFormat.JSON:
        sys.stdout.write(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1) + "\n")
    elif fmt is OutputFormat.CSV:
        import pandas as pd

        from buildup.cli.render import emit_frame

        emit_frame(pd.DataFrame(outcome.quantiles), fmt)
    else:
        print_risk(outcome)
    if chart is not None:
        sys.stderr.write(f"chart written to {chart}\n")


def print_risk(outcome: RiskOutcome) -> None:
    """Tables: targets with probabilities, the primary share's fan, the tornado."""
    import pandas as pd

    from buildup.cli.render import emit_frame

    targets = pd.DataFrame(outcome.targets)
    emit_frame(
        targets,
        OutputFormat.TABLE,
        title=f"{outcome.plan.scenario.name}: chance of meeting each target",
        caption=f"{outcome.draws:,} draws, seed {outcome.seed}; "
        "standard_error is the Monte Carlo error.",
    )
    primary = f"share_gdp:{outcome.plan.primary}"
    fan = pd.DataFrame([q for q in outcome.quantiles if q["variable"] == primary])
    emit_frame(fan, OutputFormat.TABLE, title=f"Share of GDP, {outcome.plan.primary}: quantiles")
    if outcome.tornado:
        emit_frame(
            pd.DataFrame(outcome.tornado),
            OutputFormat.TABLE,
            title="Which driver moves the first target most (each driver alone)",
        )
