"""``buildup risk``: a plan under uncertainty — probabilities, quantiles, fan charts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from buildup.cli.common import DbOption, FormatOption, TableOption, finite, open_cli_store
from buildup.cli.render import note
from buildup.errors import InputError
from buildup.serialize import dumps
from buildup.types import OutputFormat, Variable

if TYPE_CHECKING:
    from buildup import PortfolioRiskOutcome, RiskOutcome, RobustPortfolio

__all__ = ["risk"]

DEFAULT_SEED = 20251028  # the Takaichi–Trump summit (buildup.engine.tasks.DEFAULT_SEED)


def risk(
    scenario_file: Path = typer.Argument(..., help="Scenario TOML (see examples/)."),
    draws: int = typer.Option(100_000, "--draws", help="Number of Monte Carlo draws."),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Seed (0 or more); the same seed, the same result."
    ),
    chunk: int | None = typer.Option(
        None,
        "--chunk",
        help="Draws per chunk (default: 262,144 in one process, an even share per worker "
        "on a cluster).",
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler tcp://HOST:PORT."
    ),
    cluster: str | None = typer.Option(None, "--cluster", help="Start a LocalCluster: local:N."),
    chart: Path | None = typer.Option(None, "--chart", help="Fan chart: FILE.png or FILE.html."),
    portfolio: Path | None = typer.Option(
        None, "--portfolio", help="Programmes CSV/TOML: also simulate the optimal portfolio."
    ),
    envelope: Path | None = typer.Option(
        None, "--envelope", help="Envelope CSV year,budget (default: the plan's budgets)."
    ),
    envelope_share: float = typer.Option(
        1.0,
        "--envelope-share",
        parser=finite(0.0, 1.0, low_open=True, what="a fraction above 0 and at most 1"),
        help="With the plan's budgets: the share open to programmes.",
    ),
    alpha: float | None = typer.Option(
        None,
        "--alpha",
        parser=finite(0.0, 1.0, what="a probability strictly between 0 and 1"),
        help="Also choose a portfolio that holds with this probability.",
    ),
    scenarios: int = typer.Option(
        500, "--scenarios", help="In-sample cost scenarios for --alpha (their expectation)."
    ),
    time_limit: float = typer.Option(
        30.0, "--time-limit", help="Seconds for the portfolio optimisation and the --alpha search."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    table: TableOption = None,
    db: DbOption = None,
) -> None:
    """Monte Carlo of a plan (and a portfolio): chances of meeting targets, fan charts.

    Example:

    \b
    buildup risk examples/japan-dbp.toml --draws 100000 --chart fan.png
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    import buildup

    if draws < 1:
        raise InputError(f"--draws {draws}: give a positive number of draws")
    if chunk is not None and chunk < 1:
        raise InputError(f"--chunk {chunk}: give a positive number of draws per chunk")
    if alpha is not None and portfolio is None:
        raise InputError("--alpha needs --portfolio (the programmes to choose from)")
    options = buildup.validate_options(
        buildup.RiskOptions,
        draws=draws,
        seed=seed,
        chunk=chunk,
        scheduler=scheduler,
        cluster=cluster,
        source=scenario_file.name,
    )
    section = (
        buildup.validate_options(
            buildup.PortfolioOptions,
            envelope_share=envelope_share,
            alpha=alpha,
            scenarios=scenarios,
            time_limit=time_limit,
        )
        if portfolio is not None
        else None
    )
    scenario = buildup.read_scenario(scenario_file)
    programmes = buildup.read_programmes(portfolio) if portfolio is not None else None
    budgets = buildup.read_envelope(envelope) if envelope is not None else None
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} draws"),
        TimeRemainingColumn(),
    )
    with (
        open_cli_store(db, release=True) as store,
        Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar,
    ):
        task = bar.add_task("Simulating", total=draws)
        report = buildup.stress_test(
            scenario,
            store,
            options,
            programmes=programmes,
            envelope=budgets,
            portfolio=section,
            progress=lambda done, total: bar.update(task, completed=done),
            describe=lambda text: bar.update(task, description=text),
        )
    outcome = report.plan
    if chart is not None:
        buildup.plot_fan(outcome, chart)
    import pandas as pd

    from buildup.cli.render import emit_tables

    tables = {
        "targets": pd.DataFrame(outcome.targets),
        "quantiles": pd.DataFrame(outcome.quantiles),
        "shortfall": pd.DataFrame(outcome.shortfall),
        "tornado": pd.DataFrame(outcome.tornado),
    }
    if emit_tables(tables, fmt, table, "risk"):
        pass
    elif fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(report) + "\n")
    else:
        print_risk(outcome)
        if report.portfolio is not None:
            print_portfolio(report.portfolio)
    if chart is not None:
        note(f"chart written to {chart}")


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
    fan = pd.DataFrame(outcome.quantiles_of(Variable.SHARE_GDP, outcome.plan.primary))
    emit_frame(fan, OutputFormat.TABLE, title=f"Share of GDP, {outcome.plan.primary}: quantiles")
    if outcome.tornado:
        emit_frame(
            pd.DataFrame(outcome.tornado),
            OutputFormat.TABLE,
            title="Which driver moves the first target most (each driver alone)",
        )


def print_portfolio(section: PortfolioRiskOutcome) -> None:
    """Tables: breach probabilities by year, value, and the robust choice."""
    import pandas as pd

    from buildup.cli.render import emit_frame

    risk = section.risk
    breach = pd.DataFrame(risk.breach, columns=["year", "probability", "standard_error"])
    if not breach.empty:
        breach["probability"] = breach["probability"].map(lambda p: f"{p:.1%}")
        breach["standard_error"] = breach["standard_error"].map(lambda p: f"{p:.2%}")
    emit_frame(
        breach,
        OutputFormat.TABLE,
        title="Portfolio: chance that outlays exceed the budget, by year",
        caption=f"Any year: {risk.any_breach:.1%}. Expected value "
        f"delivered {risk.expected_value:.4g} of {risk.planned_value:.4g} planned.",
    )
    emit_frame(pd.DataFrame(risk.tornado), OutputFormat.TABLE, title="Portfolio drivers alone")
    if str(section.portfolio.status) == "time limit":
        sys.stderr.write(
            "note: the portfolio optimisation stopped at its time limit with a gap of "
            f"{section.portfolio.gap:.1e} (raise it with --time-limit)\n"
        )
    if section.robust is not None:
        print_robust(section.robust)


def print_robust(robust: RobustPortfolio) -> None:
    """The robust portfolio: verdict, figures rounded and labelled, calibration steps."""
    import pandas as pd

    from buildup.cli.render import emit_frame

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.1%}"

    def points(value: float | None) -> str:
        return "–" if value is None else f"{value:,.1f}"

    rows = [("status", str(robust.status)), ("asked: P(holds) at least", pct(robust.alpha))]
    validation = robust.validation
    if validation is not None:
        level = robust.in_sample_level
        rows += [
            (
                "P(holds), independent validation sample",
                f"{pct(validation.probability_holds)} (95 % CI "
                f"{pct(validation.ci95_low)}–{pct(validation.ci95_high)}, "
                f"{validation.draws:,} draws)",
            ),
            ("value of the robust portfolio [value points]", points(robust.value)),
            (
                "value of the deterministic optimum [value points]",
                points(robust.deterministic_value),
            ),
            (
                "price of robustness [value points]",
                f"{points(robust.price_of_robustness)} ({pct(robust.price_of_robustness_share)} "
                "of the deterministic value)",
            ),
            (
                "in-sample level (expected outlays ÷ expected budget)",
                "–" if level is None else f"{level:.3f}",
            ),
            ("programmes chosen", str(len(robust.selected))),
        ]
    limit = "–" if robust.time_limit_s is None else f"{robust.time_limit_s:g}"
    rows.append(("search time [s]", f"{robust.seconds:.1f} of {limit}"))
    if robust.stopped_by:
        rows.append(
            ("stopped by", robust.stopped_by.replace("the time_limit option", "--time-limit"))
        )
    emit_frame(
        pd.DataFrame(rows, columns=["robust portfolio", ""]),
        OutputFormat.TABLE,
        title=f"Robust portfolio at α = {robust.alpha:g}",
        caption=robust.message.replace("the time_limit option", "--time-limit"),
    )
    steps = pd.DataFrame(
        [
            {
                "in-sample level": "–"
                if step.in_sample_level is None
                else f"{step.in_sample_level:.3f}",
                "value [value points]": points(step.value),
                "draws": f"{step.draws:,}",
                "P(holds)": pct(step.probability_holds),
                "95 % CI": f"{pct(step.ci95_low)}–{pct(step.ci95_high)}",
                "passes": "yes" if step.passes else "no",
            }
            for step in robust.calibration
        ]
    )
    if not steps.empty:
        emit_frame(
            steps,
            OutputFormat.TABLE,
            title="Calibration steps (calibration sample; level blank: the deterministic optimum)",
        )
