"""``buildup compare``: countries side by side on one metric, the cost of a target, counts."""

from __future__ import annotations

import math
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from buildup.cli.common import DbOption, FormatOption, TableOption, finite, open_cli_store
from buildup.cli.render import note
from buildup.limits import YEAR_MAX, YEAR_MIN
from buildup.serialize import dumps
from buildup.types import OutputFormat
from buildup.units import (
    METRIC_LABELS,
    amount_scale,
    column_scale,
    format_amount,
    format_metric_value,
)

if TYPE_CHECKING:
    import pandas as pd

    from buildup import Comparison, CostToTarget, Count, Group, MetricInfo

__all__ = ["compare"]

# From the one table of the metrics' labels (buildup.units), with this command's own flags.
_METRICS_HELP = (
    "; ".join(f"{m.value} ({label.about})" for m, label in METRIC_LABELS.items())
    + ". The window is --window; the group is --group, or the countries given."
)


def compare(
    countries: list[str] = typer.Argument(None, help="Countries (ISO3 codes or names)."),
    group: str | None = typer.Option(
        None, "--group", help="Add a group's members: NATO, G7, QUAD, US_INDO_PACIFIC_ALLIES, EU."
    ),
    groups_file: Path | None = typer.Option(
        None, "--groups-file", dir_okay=False, help="TOML file of your own groups (same format)."
    ),
    metric: str = typer.Option("share_gdp", "--metric", "-m", help=_METRICS_HELP),
    years: str | None = typer.Option(
        None, "--years", "-y", help="e.g. 2000:2024 (default: the last 25 years with data)."
    ),
    window: int = typer.Option(10, min=1, max=70, help="Years of real_growth's change."),
    target: str | None = typer.Option(
        None, "--target", help="Cost to target: nato-2 (with --by), nato-3.5 or nato-5."
    ),
    target_share: float | None = typer.Option(
        None,
        "--target-share",
        parser=finite(
            0.0, 1.0, low_open=True, what="a fraction above 0 and at most 1 (0.035 = 3.5 %)"
        ),
        help="Cost to target: a share of GDP, a fraction (0.035).",
    ),
    by: int | None = typer.Option(
        None, "--by", min=YEAR_MIN, max=YEAR_MAX, help="The target year (with --target-share)."
    ),
    max_real_growth: float | None = typer.Option(
        None,
        "--max-real-growth",
        parser=finite(
            -1.0, 1.0, low_open=True, what="a yearly rate above -1, at most 1 (0.15 = 15 %)"
        ),
        help="Cost to target: the ramp limit, real growth a year (default 0.15, as `plan`).",
    ),
    count_threshold: float | None = typer.Option(
        None,
        "--count-threshold",
        parser=finite(
            0.0, 1.0, low_open=True, what="a fraction above 0 and at most 1 (0.035 = 3.5 %)"
        ),
        help="Count members at or above this share (e.g. 0.02).",
    ),
    count_year: int | None = typer.Option(
        None,
        "--count-year",
        min=YEAR_MIN,
        max=YEAR_MAX,
        help="Year of the count (default: the last year compared).",
    ),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Show values the data cannot give as missing (–)."
    ),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write a chart: FILE.png or FILE.html."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    table: TableOption = None,
    db: DbOption = None,
) -> None:
    """Compare countries on a metric; with a target, what reaching it costs each of them.

    Tables and JSON carry every part; CSV carries the metric's tidy rows only.

    Example:

    \b
    buildup compare --group NATO --metric nato_share_gdp --count-threshold 0.02 --count-year 2024
    """
    import buildup

    codes = buildup.resolve_countries(countries or [])
    chosen = _group(group, groups_file)
    year_range = buildup.parse_year_range(years) if years is not None else None
    if count_year is not None and count_threshold is None:
        raise buildup.InputError(
            "--count-year does nothing without --count-threshold: give the share to count "
            "(e.g. --count-threshold 0.02)"
        )
    options = buildup.validate_options(
        buildup.CompareOptions,
        countries=tuple(codes),
        group=chosen,
        metric=metric,
        years=year_range,
        window=window,
        allow_missing=allow_missing,
        target=target,
        target_share=target_share,
        by=by,
        count_threshold=count_threshold,
        count_year=count_year,
        max_real_growth=max_real_growth,
    )
    with open_cli_store(db) as store:
        result = buildup.compare_allies(store, options)
    if chart is not None:
        buildup.plot_comparison(result.rows, result.metric, chart, costs=result.costs)
    _emit(fmt, result, table)
    if chart is not None:
        note(f"chart written to {chart}")


def _group(name: str | None, groups_file: Path | None) -> Group | None:
    from buildup import InputError, resolve_group

    if name is None:
        if groups_file is not None:
            raise InputError("--groups-file needs --group NAME: name the group to compare")
        return None
    return resolve_group(name, groups_file)


def _emit(fmt: OutputFormat, result: Comparison, table: str | None = None) -> None:
    import pandas as pd

    from buildup import cost_table
    from buildup.cli.render import emit_tables

    rows, info, costs = result.rows, result.metric, result.costs
    counts = None
    if result.counts is not None and result.league_table is not None:
        counts = (result.counts, result.league_table)
    tables: dict[str, pd.DataFrame] = {"rows": rows}
    if counts is not None:
        # The count is the headline of a count question: CSV writes it unless told otherwise.
        tables = {
            "counts": pd.DataFrame([_count_record(c) for c in counts[0]]),
            "league_table": counts[1],
            **tables,
        }
    if costs:
        tables["cost_to_target"] = cost_table(costs)
    if emit_tables(tables, fmt, table, "compare"):
        return
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(result) + "\n")
        return
    _tables(rows, info, costs, counts, list(result.note_lines))


def _count_record(count: Count) -> dict[str, Any]:
    record = asdict(count)  # a table row: lists as space-separated text
    for key, value in record.items():
        if isinstance(value, list | tuple):
            record[key] = " ".join(map(str, value))
    return record


def _tables(
    rows: pd.DataFrame,
    info: MetricInfo,
    costs: tuple[CostToTarget, ...],
    counts: tuple[tuple[Count, ...], pd.DataFrame] | None,
    notes: list[str],
) -> None:
    from buildup.cli.render import emit_frame

    if counts is not None:
        _count_tables(*counts)
    estimated = sorted({int(y) for y in rows.loc[rows["source"].str.contains("estimate"), "year"]})
    flagged = f" Publisher's estimates in {', '.join(map(str, estimated))}." if estimated else ""
    scale, unit = _scale(rows, info)
    emit_frame(
        _wide(rows, info, scale),
        OutputFormat.TABLE,
        title=f"{info.label} — {unit}",
        caption=f"Sources: {'; '.join(info.sources)}. – = missing (never zero).{flagged}",
    )
    if costs:
        emit_frame(
            _cost_rows(costs),
            OutputFormat.TABLE,
            title=f"Cost to target: {costs[0].target.label}",
            caption="Spending as SIPRI counts it, over the IMF's GDP (a baseline share can "
            "differ a little from SIPRI's, which uses its own GDP). Extra = plan (goal-seek, the "
            "same path as `buildup plan --country … --definition sipri`, within its ramp limit) − "
            "current path (the baseline share held), summed over the planned years; US$ at the "
            "last observed exchange rate, held; real growth is a yearly average. "
            + " ".join(f"{n}." for n in notes if "missing" not in n),
        )
    missing = [n for n in notes if "missing" in n]
    for text in missing:
        note(f"note: {text}")


def _wide(rows: pd.DataFrame, info: MetricInfo, scale: float) -> pd.DataFrame:
    """Values in the metric's unit, the longer of years and countries down the table."""
    countries = list(dict.fromkeys(rows["iso3"]))
    text = rows.assign(
        text=[format_metric_value(float(v), info.kind, scale) for v in rows["value"]]
    )
    if len(countries) > rows["year"].nunique():
        wide = text.pivot(index="iso3", columns="year", values="text").reindex(countries)
        wide.columns = [str(c) for c in wide.columns]
    else:
        wide = text.pivot(index="year", columns="iso3", values="text")[countries]
    # a year a country is not compared in (before it joined the group) is blank, not missing
    return wide.fillna("").reset_index()


def _scale(rows: pd.DataFrame, info: MetricInfo) -> tuple[float, str]:
    """The divisor of the table's cells and their unit (shares are shown as percentages)."""
    if info.kind != "usd":
        return 1.0, info.shown_unit()
    scale, word = column_scale(float(v) for v in rows["value"])
    return scale, info.shown_unit(word)


def _cost_rows(costs: tuple[CostToTarget, ...]) -> pd.DataFrame:
    import pandas as pd

    def growth(value: float, cost: CostToTarget) -> str:
        if not math.isnan(value):
            return f"{value * 100:.2f} %"
        return "– (already met)" if cost.already_met else "– (no rate from zero)"

    usd_scale, usd_unit = column_scale(
        [v for c in costs for v in (c.extra_total_usd, c.extra_target_year_usd)], "US$"
    )

    def local(c: CostToTarget) -> str:
        scale, word = amount_scale(c.extra_total_local)  # each row in its own currency
        return f"{c.currency} {format_amount(c.extra_total_local, scale, 1)} {word}".strip()

    return pd.DataFrame(
        [
            {
                "country": c.iso3,
                "baseline": f"{c.baseline_share * 100:.2f} % ({c.baseline_year})",
                "target": f"{c.target.share_gdp * 100:g} % by {c.target.year}",
                "extra, total (local currency)": local(c),
                f"extra, total ({usd_unit})": format_amount(c.extra_total_usd, usd_scale, 1),
                f"extra in {c.target.year} ({usd_unit})": format_amount(
                    c.extra_target_year_usd, usd_scale, 1
                ),
                "required real growth/yr": growth(c.required_real_growth, c),
                "current path real growth/yr": growth(c.current_real_growth, c),
                "target met": "yes" if c.target_met else "no",
            }
            for c in costs
        ]
    )


def _count_tables(counts: tuple[Count, ...], league: pd.DataFrame) -> None:
    import pandas as pd

    from buildup.cli.render import emit_frame

    first = counts[0]
    table = pd.DataFrame(
        [
            {
                "source": f"{c.source.upper()} ({c.dataset}, edition {c.edition})",
                "rule": c.rule,
                "count": c.count,
                "members": c.members,
                "with data": c.with_data,
                "at or above": ", ".join(c.at_or_above),
                "without data": ", ".join(c.without_data) or "–",
            }
            for c in counts
        ]
    )
    emit_frame(
        table,
        OutputFormat.TABLE,
        title=f"Members of {first.group} at or above {first.threshold_share * 100:g} % of GDP "
        f"in {first.year}",
    )
    emit_frame(
        league.rename(
            columns={
                "rank_sipri": "SIPRI rank",
                "share_gdp_sipri": "SIPRI share",
                "rank_nato": "NATO rank",
                "share_gdp_nato": "NATO share",
            }
        ),
        OutputFormat.TABLE,
        title=f"League table {first.year}",
        caption="Ranks on shares rounded half up to one decimal of a percent; ties share the "
        "lowest rank (1, 2, 2, 4); members without a value have no rank.",
    )
