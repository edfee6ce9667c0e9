"""The explanation of a plan: the assumptions it rests on and a trace entry per figure.

Each output value of each year gets a :class:`~buildup.engine.outcome.TraceEntry`: how it
was produced (the steps) and the data rows behind it (dataset, edition, country, year) or
the assumption and its source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from buildup.engine.outcome import SourceRef, TraceEntry

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine.plan import _Context
    from buildup.scenario import Scenario
    from buildup.trajectory import PathResult

__all__ = ["build_trace", "list_assumptions"]


def list_assumptions(
    scenario: Scenario, ctx: _Context, fiscal_year: str, primary: str
) -> tuple[str, ...]:
    out = []
    if fiscal_year != "calendar":
        out.append(
            f"{ctx.iso3} budgets are by fiscal year ({fiscal_year} start); GDP, prices and "
            "exchange "
            "rates are by calendar year and used for the fiscal year of the same number"
        )
    labels = sorted(
        {
            h
            for h in (*ctx.gdp.how, *ctx.prices.how, *ctx.fx.how)
            if "assumption" in h or "continued" in h or "given" in h
        }
    )
    out.extend(labels)
    for name, text in ctx.denominator_how.items():
        if text.startswith("fixed") or name == primary:
            out.append(f"denominator of {name}: {text}")
    out.extend(ctx.notes)
    for name, figures in ctx.published.items():
        shown = sorted(int(ctx.years[k]) for k in figures)
        ref = next(iter(figures.values())).ref
        out.append(
            f"{name}: as published by {ref['dataset']} (edition {ref['edition']}) for "
            f"{', '.join(map(str, shown))}, over the source's own GDP; estimated for the other "
            "years"
        )
    for component in ctx.ledger.components.values():
        flagged = {
            s for s in component.status[: ctx.stop + 1] if s in ("interpolated", "held", "missing")
        }
        for status in sorted(flagged):
            yrs = [
                int(y)
                for y, s in zip(ctx.years, component.status, strict=False)
                if s == status and y <= ctx.years[ctx.stop]
            ]
            out.append(f"component {component.name}: {status} in {', '.join(map(str, yrs))}")
    out.extend(scenario.notes)
    return tuple(out)


def build_trace(
    ctx: _Context,
    path: PathResult,
    frame: pd.DataFrame,
    by_definition: pd.DataFrame,
    shown: list[str],
    primary: str,
    baseline_ref: dict[str, Any],
) -> tuple[TraceEntry, ...]:
    entries: list[TraceEntry] = []
    spending: dict[str, list[float]] = {}
    share: dict[str, list[float]] = {}
    for name, rows in by_definition.groupby("definition", sort=False):
        spending[str(name)] = rows["spending_local"].astype(float).tolist()
        share[str(name)] = rows["share_gdp"].astype(float).tolist()
    for i, year in enumerate(frame["year"].tolist()):
        row = frame.iloc[i]
        budget_sources = (SourceRef.of(baseline_ref),) if i == 0 else ()
        entries.append(
            TraceEntry(
                year, "budget_local", float(row["budget_local"]), (path.methods[i],), budget_sources
            )
        )
        for variable, series in (
            ("gdp_local", ctx.gdp),
            ("price_index", ctx.prices),
            ("fx_local_per_usd", ctx.fx),
        ):
            entries.append(
                TraceEntry(
                    year, variable, float(series.values[i]), (series.how[i],), _refs(series.refs[i])
                )
            )
        for component in ctx.ledger.components.values():
            if component.name == "budget":
                continue
            value = float(component.line.a[i] * row["budget_local"] + component.line.b[i])
            entries.append(
                TraceEntry(
                    year,
                    "spending_local",
                    value,
                    (f"{component.label or component.name}: {component.status[i]}",),
                    (SourceRef(source=component.sources[i]),) if component.sources[i] else (),
                    component=component.name,
                )
            )
        for name in shown:
            figure = ctx.published.get(name, {}).get(i)
            if figure is not None:
                source = f"published by {figure.ref['dataset']} ({figure.ref['edition']})"
                entries.append(
                    TraceEntry(
                        year,
                        "spending_local",
                        spending[name][i],
                        (f"{source}, not estimated",),
                        (SourceRef.of(figure.ref),),
                        definition=name,
                    )
                )
                entries.append(
                    TraceEntry(
                        year,
                        "share_gdp",
                        share[name][i],
                        (
                            f"{source}: spending_local:{name} / the source's own GDP "
                            f"{figure.gdp_local:,.0f} (spending / published share)",
                        ),
                        (SourceRef.of(figure.ref),),
                        definition=name,
                    )
                )
                continue
            parts = " + ".join(ctx.ledger.definitions[name].components)
            estimated = " (estimated: the source has not published this year)" * (
                name in ctx.published or ctx.ledger.definitions[name].published is not None
            )
            entries.append(
                TraceEntry(
                    year,
                    "spending_local",
                    spending[name][i],
                    (f"sum of {parts}{estimated}",),
                    definition=name,
                )
            )
            entries.append(
                TraceEntry(
                    year,
                    "share_gdp",
                    share[name][i],
                    (f"spending_local:{name} / {ctx.denominator_how[name]}",),
                    definition=name,
                )
            )
        entries.append(
            TraceEntry(
                year,
                "spending_real_local",
                float(row["spending_real_local"]),
                (f"spending_local:{primary} × price index of the base year / that of {year}",),
            )
        )
        entries.append(
            TraceEntry(
                year,
                "spending_usd",
                float(row["spending_usd"]),
                (f"spending_local:{primary} / fx_local_per_usd",),
            )
        )
    return tuple(entries)


def _refs(ref: Any) -> tuple[SourceRef, ...]:
    return (SourceRef.of(ref),) if ref else ()
