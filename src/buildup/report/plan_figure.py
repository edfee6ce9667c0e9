"""The plan's chart definition: shares of GDP with history and targets; the budget below.

Used by the CLI (PNG through :mod:`buildup.report.static`), the web pages and the reports
(Plotly through :func:`buildup.report.figure.to_plotly`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from buildup.report.figure import Chart, Mark, Panel, Series, clean_values
from buildup.report.numbers import format_target
from buildup.units import column_scale

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine import Outcome
    from buildup.engine.provenance import Provenance

__all__ = ["HISTORY_YEARS", "plan_chart", "source_line"]

HISTORY_YEARS = 15  # published history shown before the baseline [years]
PALETTE = ("#1f5f99", "#d1730a", "#2a8a4a", "#8e3b9e", "#b8860b", "#5a6b7b", "#c0392b")
MET, MISSED = "#1a7f37", "#c0392b"


def plan_chart(outcome: Outcome) -> Chart:
    """The chart of ``outcome``: every definition's share (baseline solid, plan dashed) with
    SIPRI's published history and the targets; the budget bars and the primary total."""
    years = outcome.years
    all_years = tuple(int(y) for y in years["year"])
    planned = [bool(p) for p in years["planned"]]
    start = all_years[0] - HISTORY_YEARS
    history = outcome.history[outcome.history["year"] >= start]
    series: list[Series] = []
    for name, rows in history.groupby("series", sort=False):
        x, y = _gapped(rows, "share_gdp")
        series.append(Series(str(name), x, y, colour="#8a8a8a", width=1.2, group=str(name)))
    known = sum(1 for p in planned if not p)
    join = max(known - 1, 0)  # the dashed plan joins the last known year
    for i, (name, label) in enumerate((d.name, d.label) for d in outcome.definitions):
        colour = PALETTE[i % len(PALETTE)]
        width = 3.0 if name == outcome.primary else 1.6
        share = clean_values(outcome.definition_years(name)["share_gdp"])
        if known:
            series.append(
                Series(label, all_years[:known], share[:known], colour=colour, width=width,
                       group=name, legend=False)
            )  # fmt: skip
        series.append(
            Series(f"{label} (plan)" if known else label, all_years[join:], share[join:],
                   colour=colour, width=width, dash="dash", group=name)
        )  # fmt: skip
    budget = clean_values(years["budget_local"])
    total = clean_values(years["spending_local"])
    amounts = [*budget, *total, *clean_values(history["amount_local"])]
    scale, word = column_scale(amounts)
    base = [y for y, p in zip(all_years, planned, strict=True) if not p]
    plan = [y for y, p in zip(all_years, planned, strict=True) if p]
    by_year = dict(zip(all_years, budget, strict=True))
    if base:
        series.append(
            Series("budget, baseline", tuple(base), tuple(by_year[y] for y in base),
                   kind="bar", panel=1, colour="#33638d")
        )  # fmt: skip
    if plan:
        series.append(
            Series("budget, planned", tuple(plan), tuple(by_year[y] for y in plan),
                   kind="bar", panel=1, colour="#9dbbd8")
        )  # fmt: skip
    primary = outcome.label(outcome.primary)
    series.append(Series(f"total: {primary}", all_years, total, panel=1, colour=PALETTE[0]))
    for name, rows in history.groupby("series", sort=False):
        x, y = _gapped(rows, "amount_local")
        series.append(
            Series(str(name), x, y, panel=1, colour="#8a8a8a", width=1.2, group=str(name),
                   legend=False)
        )  # fmt: skip
    marks = []
    for target in outcome.targets:
        if target.kind != "share_gdp":
            continue
        verdict = "met" if target.met else "missed"
        rounded = getattr(target, "met_rounded", None)
        if rounded is not None and rounded != target.met and target.round_to is not None:
            # strict first; the rounded check beside it, as the government states it
            word = "met" if rounded else "missed"
            verdict += f" ({word} rounded to {format_target(target.round_to)})"
        marks.append(
            Mark(target.target, f"target {format_target(target.target)} ({target.definition}) in "
                 f"{target.year} — {verdict}", colour=MET if target.met else MISSED, x=target.year)
        )  # fmt: skip
    fiscal = outcome.fiscal_year != "calendar"
    place = outcome.iso3
    if outcome.scenario.country.upper() != outcome.iso3:
        place = f"{outcome.scenario.country} ({outcome.iso3})"
    return Chart(
        key="plan",
        title=f"{outcome.scenario.name} — {place}",
        subtitle="Share of GDP by definition, and the budget",
        x_title=f"{'fiscal year' if fiscal else 'year'} (plan); history by calendar year",
        panels=(
            Panel("share of GDP", "share", weight=3.0),
            Panel(
                "budget and total",
                "amount",
                scale=scale,
                scale_word=word,
                currency=outcome.currency,
                weight=2.0,
            ),
        ),
        series=tuple(series),
        marks=tuple(marks),
        shade=(min(plan), max(plan)) if plan else None,
        source=source_line(outcome.provenance, outcome.fiscal_year),
    )


def _gapped(rows: pd.DataFrame, column: str) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
    """The column by year with a missing year as a gap (None), not a segment across it."""
    values = rows.set_index("year")[column]
    first, last = int(values.index.min()), int(values.index.max())
    values = values.reindex(range(first, last + 1))
    return tuple(range(first, last + 1)), clean_values(values)


def source_line(provenance: Provenance, fiscal_year: str = "calendar") -> str:
    """``Sources: publisher, title (edition …); …`` and the run's version and scenario hash."""
    from buildup.data.catalogue import load_catalogue

    catalogue = load_catalogue()
    editions = provenance.dataset_editions
    named = []
    for name, edition in editions.items():
        entry = catalogue.get(name)
        if entry is None:
            named.append(f"{name} (edition {edition})")
            continue
        first = re.split(r"[,;]| and secondary| with ", entry.publisher)[0].strip()
        short = re.search(r"\(([^()]+)\)$", first)
        publisher = short.group(1) if short else first
        title = entry.title.split(":")[0]
        named.append(f"{publisher}, {title} (edition {edition})")
    named = list(dict.fromkeys(named))
    lines = [f"Sources: {'; '.join(named)}." if named else "Sources: not recorded."]
    notes = []
    if fiscal_year != "calendar":
        notes.append(f"Fiscal years ({fiscal_year.capitalize()} start)")
    version = provenance.package_version
    if version:
        notes.append(f"buildup {version}, scenario {(provenance.spec_hash or '')[:12]}")
    if notes:
        lines.append(". ".join(notes) + ".")
    return "\n".join(lines)
