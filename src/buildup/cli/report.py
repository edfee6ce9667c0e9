"""``buildup report``: a scenario to one self-contained HTML report (and a PDF)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from buildup.cli.common import DbOption, open_cli_store

__all__ = ["report"]

DEFAULT_SEED = 20251028  # the risk command's documented default


def report(
    scenario_file: Path = typer.Argument(..., help="Scenario TOML (see examples/)."),
    output: Path = typer.Option(..., "--output", "-o", help="The report: FILE.html."),
    pdf: Path | None = typer.Option(
        None, "--pdf", help="Also print it to FILE.pdf (headless Chromium)."
    ),
    draws: int = typer.Option(
        0, "--draws", min=0, help="Add a risk section from this many Monte Carlo draws (0: none)."
    ),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the risk section."),
    db: DbOption = None,
) -> None:
    """Write a report: question, answer, chart, tables, assumptions, method, sources.

    Example: buildup report examples/japan-dbp.toml -o out/report.html --pdf out/report.pdf
    """
    import buildup
    from buildup.report.document import (
        check_report_path,
        describe,
        print_pdf,
        render_plan_report,
        write_report,
    )

    check_report_path(output, ".html")
    if pdf is not None:
        check_report_path(pdf, ".pdf")
    scenario = buildup.read_scenario(scenario_file)
    with open_cli_store(db, release=True) as store:
        if draws:
            options = buildup.RiskOptions(draws=draws, seed=seed, source=scenario_file.name)
            risk = buildup.plan_risk(scenario, store, options)
            outcome = risk.plan
        else:
            risk = None
            outcome = buildup.plan(scenario, store, buildup.PlanOptions(source=scenario_file.name))
    write_report(render_plan_report(outcome, risk), output)
    sys.stdout.write(f"report written to {describe(output)}\n")
    if pdf is not None:
        print_pdf(output, pdf)
        sys.stdout.write(f"PDF written to {describe(pdf)}\n")
