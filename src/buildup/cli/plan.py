"""``buildup plan``: a scenario file, or a one-line question, to a budget path."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from buildup.cli.common import DbOption, FormatOption, TableOption, finite, open_cli_store
from buildup.cli.render import note
from buildup.limits import MAX_MONEY, YEAR_MAX, YEAR_MIN
from buildup.serialize import dumps
from buildup.types import OutputFormat, PathShape
from buildup.units import amount_scale, column_scale, format_amount

if TYPE_CHECKING:
    from buildup import Outcome, TargetCheck

__all__ = ["plan"]


def plan(
    scenario_file: Path | None = typer.Argument(None, help="Scenario TOML (see examples/)."),
    country: str | None = typer.Option(None, "--country", help="Quick mode: the country."),
    target_share: float | None = typer.Option(
        None,
        "--target-share",
        help="Quick mode: target share of GDP, a fraction (0.02 = 2 %).",
    ),
    by: int | None = typer.Option(
        None, "--by", min=YEAR_MIN, max=YEAR_MAX, help="Quick mode: the target year."
    ),
    gdp_base_year: int | None = typer.Option(
        None,
        "--gdp-base-year",
        min=YEAR_MIN,
        max=YEAR_MAX,
        help="Measure against the GDP of this year (fixed denominator).",
    ),
    shape: PathShape = typer.Option(
        PathShape.GOAL_SEEK,
        "--shape",
        help="Quick mode: how the budget moves to the target (goal-seek: the smoothest real path "
        "within the ramp limit; the share shapes also start from a zero budget).",
    ),
    max_real_growth: float | None = typer.Option(
        None,
        "--max-real-growth",
        parser=finite(
            -1.0, 1.0, low_open=True, what="a yearly rate above -1, at most 1 (0.1 = 10 %)"
        ),
        help="Ramp limit: the most the budget may grow a year in real terms, a fraction "
        "(default 0.15, an assumption stated in the output).",
    ),
    baseline_year: int | None = typer.Option(
        None, "--baseline-year", min=YEAR_MIN, max=YEAR_MAX, help="Default: latest data."
    ),
    baseline_amount: float | None = typer.Option(
        None,
        "--baseline-amount",
        parser=finite(0.0, MAX_MONEY, low_open=True, what="a positive budget in local currency"),
        help="The baseline year's budget [local currency] (default: from the data).",
    ),
    definition: str | None = typer.Option(
        None,
        "--definition",
        help="Definition of the target: the country's presets — JPN: defense_related (default), "
        "national, national_incl_saco, sipri; other countries: sipri.",
    ),
    gdp_growth: str | None = typer.Option(
        None, "--gdp-growth", help='Nominal GDP growth after the data: a fraction or "last".'
    ),
    inflation: str | None = typer.Option(
        None, "--inflation", help='Inflation after the data: a fraction or "last".'
    ),
    explain: int | None = typer.Option(
        None, "--explain", min=YEAR_MIN, max=YEAR_MAX, help="Print the trace of one year."
    ),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write a chart: FILE.png or FILE.html."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    table: TableOption = None,
    db: DbOption = None,
) -> None:
    """Plan a budget path to dated targets, under each spending definition.

    Example:

    \b
    buildup plan --country KOR --target-share 0.035 --by 2035 --max-real-growth 0.08
    """
    import buildup

    quick_given = country is not None or target_share is not None or by is not None
    if scenario_file is not None and quick_given:
        raise buildup.InputError(
            "give a scenario file or the quick-mode options (--country, --target-share, "
            "--by), not both"
        )
    if scenario_file is None:
        missing = [
            flag
            for flag, value in (
                ("--country", country),
                ("--target-share", target_share),
                ("--by", by),
            )
            if value is None
        ]
        if missing:
            raise buildup.InputError(
                f"give a scenario file, or {', '.join(missing)} for a quick plan "
                "(e.g. --country JPN --target-share 0.02 --by 2027)"
            )
        quick = buildup.validate_options(
            buildup.QuickPlanOptions,
            country=country,
            target_share=target_share,
            by=by,
            gdp_base_year=gdp_base_year,
            shape=shape.value,
            max_real_growth=max_real_growth,
            baseline_year=baseline_year,
            baseline_amount=baseline_amount,
            definition=definition,
            gdp_growth=_rate(gdp_growth, "--gdp-growth"),
            inflation=_rate(inflation, "--inflation"),
        )
        with open_cli_store(db) as store:
            outcome = buildup.quick_plan(quick, store)
    else:
        spec = buildup.read_scenario(scenario_file)
        with open_cli_store(db) as store:
            outcome = buildup.plan(spec, store, buildup.PlanOptions(source=scenario_file.name))
    if chart is not None:
        buildup.plot_plan(outcome, chart)
    if explain is not None:
        _explain(outcome, explain, fmt)
        return
    _emit(outcome, fmt, table)
    if chart is not None:
        note(f"chart written to {chart}")


def _rate(value: str | None, option: str) -> float | str | None:
    if value is None or value == "last":
        return value
    from buildup import InputError

    try:
        rate = finite(-1.0, 1.0, low_open=True, what="a fraction above -1 such as 0.03, or last")(
            value
        )
    except ValueError as exc:
        raise InputError(f"{option}: {exc}") from None
    return rate


def _emit(outcome: Outcome, fmt: OutputFormat, table: str | None = None) -> None:
    from buildup.cli.render import emit_tables

    if emit_tables(_named_tables(outcome), fmt, table, "plan"):
        return
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(outcome) + "\n")
        return
    _tables(outcome)


def _named_tables(outcome: Outcome) -> dict[str, Any]:
    """Every table of a plan, by name, for CSV (one at a time) and ``--table``."""
    import pandas as pd

    targets = pd.DataFrame(
        [
            {
                "year": t.year,
                "definition": t.definition,
                "label": t.label,
                "target": t.target,
                "share_gdp": t.share_gdp,
                "amount_local": t.amount_local,
                "met": t.met,
                "round_to": t.round_to,
                "met_rounded": t.met_rounded,
                "required_budget_local": t.required_budget_local,
                "reachable": t.reachable,
                "earliest_year": t.earliest_year,
            }
            for t in outcome.targets
        ]
    )
    totals = pd.DataFrame(list(outcome.totals.rows()), columns=["total", "value"])
    return {
        "years": outcome.years,
        "by_definition": outcome.by_definition,
        "targets": targets,
        "totals": totals,
        "assumptions": pd.DataFrame({"assumption": list(outcome.assumptions)}),
    }


def _tables(outcome: Outcome) -> None:
    import pandas as pd

    from buildup.cli.render import emit_frame

    unit, scale = _unit(outcome)
    years = outcome.years
    table = pd.DataFrame(
        {
            "year": years["year"],
            "budget": years["budget_local"] / scale,
            _words(outcome.primary): years["spending_local"] / scale,
        }
    )
    for name in outcome.names:
        table[f"share {_words(name)}"] = outcome.definition_years(name)["share_gdp"].to_numpy()
    table["real growth"] = years["growth_real"]
    usd_scale, usd_unit = column_scale(years["spending_usd"], "US$")
    table[usd_unit] = years["spending_usd"] / usd_scale
    emit_frame(
        table,
        OutputFormat.TABLE,
        title=f"{outcome.scenario.name} — amounts in {unit}",
        caption=f"Primary definition: {outcome.label(outcome.primary)}. "
        f"Fiscal years: {outcome.fiscal_year}. `--explain YEAR` shows how any figure was made.",
    )
    rows = []
    for t in outcome.targets:
        detail = (
            ""
            if t.reachable
            else f"met in {t.earliest_year or 'none of 30 more years'} at the limits"
        )
        rows.append(
            {
                "target": t.label,
                "status": verdict(t),
                "share of GDP": t.share_gdp,
                f"amount ({unit})": t.amount_local / scale,
                f"budget for the strict target ({unit})": t.required_budget_local / scale,
                "note": detail,
            }
        )
    if rows:
        emit_frame(pd.DataFrame(rows), OutputFormat.TABLE, title="Targets")
    rows_of_totals = list(outcome.totals.rows())
    usd_scale, usd_unit = column_scale((v for k, v in rows_of_totals if k.endswith("_usd")), "US$")
    scales = {"local": (unit, scale), "usd": (usd_unit, usd_scale)}
    totals = [(_total_label(k, scales), _total_value(k, v, scales)) for k, v in rows_of_totals]
    emit_frame(
        pd.DataFrame(totals, columns=["total over the planned years", "value"]),
        OutputFormat.TABLE,
        title="Totals",
    )
    if outcome.assumptions:
        emit_frame(
            pd.DataFrame({"assumption": list(outcome.assumptions)}),
            OutputFormat.TABLE,
            title="Assumptions",
        )


def _words(name: str) -> str:
    """A definition's name as words, so that a narrow table wraps it between words."""
    return name.replace("_", " ")


def _percent(share: float, decimals: int = 2) -> str:
    return f"{share * 100:.{decimals}f} %"


def verdict(t: TargetCheck) -> str:
    """Strict and rounded side by side: never a bare "met" that is a rounding in disguise.

    >>> from buildup.engine import TargetCheck
    >>> t = TargetCheck(2027, "d", "share_gdp", 0.02, 0.0196, 1.0, False, 0.001, 1.0, True,
    ...                 2027, "x", True)
    >>> verdict(t)
    '1.96 %: below 2 %; 2.0 % at 1 decimal, the stated rounding'
    """
    goal = f"{t.target * 100:g} %"
    if t.kind != "share_gdp":
        status = "met" if t.met else "missed"
    elif math.isnan(t.share_gdp):
        status = "no value"
    else:
        status = f"{_percent(t.share_gdp)}: " + (
            f"at or above {goal}" if t.met else f"below {goal}"
        )
    if not t.met and not t.reachable:
        status = f"OUT OF REACH: {status}"
    if t.round_to is not None and t.kind == "share_gdp" and not math.isnan(t.share_gdp):
        decimals = max(0, round(-math.log10(t.round_to * 100)))
        shown = _percent(round(t.share_gdp * 100 + 1e-9, decimals) / 100, decimals)
        rounded = "" if t.met_rounded else f", below {goal} even so"
        if t.met_rounded != t.met or not t.met:
            status += f"; {shown} at {decimals} decimal, the stated rounding{rounded}"
    return status


def _total_label(key: str, scales: dict[str, tuple[str, float]]) -> str:
    if key.startswith("required_growth"):
        return key.replace("_", " ") + " (a year, baseline to last target)"
    if key.endswith("_usd"):
        return key.replace("_", " ").replace(" usd", f" ({scales['usd'][0]})")
    if key.endswith("_local"):
        return key.replace("_", " ").replace(" local", f" ({scales['local'][0]})")
    return key.replace("_", " ")


def _total_value(key: str, value: float | None, scales: dict[str, tuple[str, float]]) -> str:
    if value is None or math.isnan(value):
        return "– (a year is missing)"
    if key.startswith("required_growth"):
        return f"{value:.2%}"
    if key.endswith("_usd"):
        return format_amount(value, scales["usd"][1], 1)
    if key.endswith("_local"):
        return format_amount(value, scales["local"][1])
    return f"{value:g}"


def _unit(outcome: Outcome) -> tuple[str, float]:
    peak = float(outcome.years["spending_local"].abs().max())
    scale, unit = amount_scale(peak, outcome.currency)
    return unit, scale


def _explain(outcome: Outcome, year: int, fmt: OutputFormat) -> None:
    import pandas as pd

    from buildup import InputError
    from buildup.cli.render import emit_frame

    entries = outcome.explain(year)
    if not entries:
        years = outcome.years["year"].tolist()
        raise InputError(
            f"--explain {year}: not a year of the plan; choose one of {years[0]}–{years[-1]}"
        )
    records = [e.record() for e in entries]
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(records) + "\n")
        return
    emit_frame(pd.DataFrame(records), fmt, title=f"How each figure of {year} was made")
