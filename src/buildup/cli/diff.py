"""``buildup diff A.toml B.toml``: the keys that differ and both plans side by side."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.serialize import dumps
from buildup.types import OutputFormat
from buildup.units import amount_scale

if TYPE_CHECKING:
    from buildup import ScenarioDiff

__all__ = ["diff"]


def diff(
    scenario_a: Path = typer.Argument(..., help="Scenario A (TOML; `extends` is followed)."),
    scenario_b: Path = typer.Argument(..., help="Scenario B, compared with A (B − A)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Compare two scenarios: the keys that differ, then both plans per year, definition and
    target, with B − A.

    Example:

    \b
    buildup diff examples/japan-dbp.toml examples/japan-accelerated.toml
    """
    from buildup import diff_scenarios, read_scenario

    a, b = read_scenario(scenario_a), read_scenario(scenario_b)
    with open_cli_store(db) as store:
        result = diff_scenarios(a, b, store, (scenario_a.name, scenario_b.name))
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(result) + "\n")
    elif fmt is OutputFormat.CSV:
        from buildup.cli.render import emit_frame

        emit_frame(result.years_frame(), fmt)
    else:
        _tables(result)


def _scale(result: ScenarioDiff) -> tuple[str, float]:
    values = [abs(v) for y in result.years for v in (y.spending_a, y.spending_b) if v is not None]
    peak = max(values, default=0.0)
    currency = result.a.currency if result.a.currency == result.b.currency else "LCU"
    scale, unit = amount_scale(peak, currency)
    return unit, scale


def _tables(result: ScenarioDiff) -> None:
    import pandas as pd

    from buildup.cli.render import emit_frame

    la, lb = result.a.label, result.b.label
    keys = pd.DataFrame(
        [
            {"key": k.key, la: _show(k.a), lb: _show(k.b), "change": str(k.change)}
            for k in result.keys
        ],
        columns=["key", la, lb, "change"],
    )
    emit_frame(
        keys,
        OutputFormat.TABLE,
        title=f"Keys that differ: {result.a.name} → {result.b.name}",
        caption="After `extends` and defaults; empty when the two scenarios are the same."
        if keys.empty
        else None,
    )
    unit, scale = _scale(result)
    frame = result.years_frame()
    years = pd.DataFrame(
        {
            "year": frame["year"],
            "definition": frame["definition"],
            f"share {la}": frame["share_gdp_a"],
            f"share {lb}": frame["share_gdp_b"],
            "share B − A": frame["share_gdp_diff"],
            f"spending {la} ({unit})": frame["spending_a"] / scale,
            f"spending {lb} ({unit})": frame["spending_b"] / scale,
            f"B − A ({unit})": frame["spending_diff"] / scale,
            f"growth {la} (share)": frame["growth_nominal_a"],
            f"growth {lb} (share)": frame["growth_nominal_b"],
        }
    )
    emit_frame(
        years,
        OutputFormat.TABLE,
        title="Per year and definition",
        caption="growth = nominal growth of the definition's spending on the year before. "
        "– = not in that plan.",
    )
    targets = pd.DataFrame(
        [
            {
                "year": t.year,
                "definition": t.definition,
                "kind": t.kind,
                f"target {la}": t.target_a,
                f"target {lb}": t.target_b,
                f"status {la}": t.status_a or "–",
                f"status {lb}": t.status_b or "–",
                f"shortfall {la}": t.shortfall_a,
                f"shortfall {lb}": t.shortfall_b,
            }
            for t in result.targets
        ]
    )
    if not targets.empty:
        emit_frame(
            targets,
            OutputFormat.TABLE,
            title="Targets",
            caption="shortfall: target minus achieved (share of GDP, or LCU for an amount); "
            "0 when met.",
        )


def _show(value: object) -> str:
    if value is None:
        return "–"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
