"""What a plan page and a plan report show, as plain rows: the figures and their labels.

Figures are the engine's; here they are only picked, labelled and formatted. Each cell
carries the year and variable of its trace entry, so an interface can open its explanation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from buildup.report.numbers import format_percent, format_share
from buildup.units import column_scale, format_amount

if TYPE_CHECKING:
    from collections.abc import Mapping

    from buildup.engine import Outcome
    from buildup.engine.provenance import Provenance

__all__ = ["Cell", "PlanView", "SourceEntry", "Table", "TargetRow", "plan_view", "sources_of"]


@dataclass(frozen=True)
class Cell:
    """A shown figure: its text, and the trace entry behind it (year, variable)."""

    text: str
    year: int | None = None
    variable: str | None = None


@dataclass(frozen=True)
class Table:
    """A table of figures: caption, header, rows of (planned year?, cells)."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[bool, tuple[Cell, ...]], ...]


@dataclass(frozen=True)
class TargetRow:
    label: str
    year: int
    definition: str
    target: str
    reached: str
    strict: bool
    rounded: bool | None  # None when the target has no rounding rule
    round_to: str
    required: str
    earliest: str


@dataclass(frozen=True)
class SourceEntry:
    name: str
    title: str
    publisher: str
    edition: str
    edition_label: str
    address: str
    licence: str


@dataclass(frozen=True)
class PlanView:
    title: str
    country: str
    currency: str
    unit: str
    question: str
    answer: str
    year_label: str
    tables: tuple[Table, ...]
    targets: tuple[TargetRow, ...]
    totals: tuple[tuple[str, str], ...]
    assumptions: tuple[str, ...]
    method: tuple[str, ...]
    sources: tuple[SourceEntry, ...]
    provenance: tuple[tuple[str, str], ...]


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def sources_of(editions: Mapping[str, str]) -> tuple[SourceEntry, ...]:
    """The catalogue entries of every dataset (name → edition) a run used."""
    from buildup.data.catalogue import load_catalogue

    catalogue = load_catalogue()
    out = []
    for name, edition in editions.items():
        entry = catalogue.get(name)
        if entry is None:
            out.append(SourceEntry(name, name, "", str(edition), "", "", ""))
            continue
        label = entry.edition_label if str(edition) == entry.edition else "imported edition"
        out.append(
            SourceEntry(name, entry.title, entry.publisher, str(edition), label, entry.address,
                        entry.licence)
        )  # fmt: skip
    return tuple(out)


def _year_word(outcome: Outcome) -> str:
    return "FY" if outcome.fiscal_year != "calendar" else ""


def plan_view(outcome: Outcome) -> PlanView:
    """The rows, targets, totals, assumptions, method and sources of a plan."""
    years = outcome.years
    fy = _year_word(outcome)
    scale, word = column_scale([_num(v) for v in years["budget_local"]])
    unit = f"{outcome.currency} {word}".strip()
    names = list(outcome.names)
    spending_head = ["year", f"budget ({unit})"] + [outcome.label(n) for n in names]
    share_head = ["year"] + [outcome.label(n) for n in names] + ["real growth of the total"]
    spending_rows, share_rows = [], []
    own = {n: outcome.definition_years(n) for n in names}
    for i, row in enumerate(years.to_dict("records")):
        year = int(row["year"])
        first = Cell(f"{fy}{year}")
        budget = Cell(format_amount(_num(row["budget_local"]), scale), year, "budget_local")
        amounts = [
            Cell(
                format_amount(_num(own[n]["spending_local"].iloc[i]), scale),
                year,
                f"spending_local:{n}",
            )
            for n in names
        ]
        shares = [
            Cell(format_percent(_num(own[n]["share_gdp"].iloc[i])), year, f"share_gdp:{n}")
            for n in names
        ]
        growth = Cell(format_percent(_num(row["growth_real"]), 1), year, "growth_real")
        planned = bool(row["planned"])
        spending_rows.append((planned, (first, budget, *amounts)))
        share_rows.append((planned, (first, *shares, growth)))
    tables = (
        Table(f"Spending by definition ({unit})", tuple(spending_head), tuple(spending_rows)),
        Table("Share of GDP by definition", tuple(share_head), tuple(share_rows)),
    )
    targets = tuple(_target_row(outcome, t, scale, unit) for t in outcome.targets)
    totals = _totals(outcome, scale, unit)
    return PlanView(
        title=outcome.scenario.name,
        country=outcome.iso3,
        currency=outcome.currency,
        unit=unit,
        question=_question(outcome),
        answer=_answer(outcome, scale, unit),
        year_label="fiscal year" if fy else "year",
        tables=tables,
        targets=targets,
        totals=totals,
        assumptions=tuple(outcome.assumptions),
        method=_method(outcome),
        sources=sources_of(outcome.provenance.dataset_editions),
        provenance=tuple((k, _flat(v)) for k, v in provenance_items(outcome.provenance)),
    )


def provenance_items(provenance: Provenance) -> tuple[tuple[str, Any], ...]:
    """The provenance's document, key by key, without the empty entries."""
    from buildup.serialize import to_jsonable

    document = to_jsonable(provenance)
    return tuple((k, v) for k, v in document.items() if v not in (None, {}, []))


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _target_row(outcome: Outcome, t: Any, scale: float, unit: str) -> TargetRow:
    fy = _year_word(outcome)
    if t.kind == "share_gdp":
        target, reached = format_share(t.target), format_percent(_num(t.share_gdp))
        strict = _num(t.share_gdp) is not None and t.share_gdp >= t.target
    else:
        target = f"{format_amount(t.target, scale)} {unit}"
        reached = f"{format_amount(_num(t.amount_local), scale)} {unit}"
        strict = _num(t.amount_local) is not None and t.amount_local >= t.target
    return TargetRow(
        label=t.label,
        year=t.year,
        definition=outcome.label(t.definition),
        target=target,
        reached=reached,
        strict=bool(strict),
        rounded=t.met_rounded,
        round_to=format_share(t.round_to) if t.round_to is not None else "",
        required=f"{format_amount(_num(t.required_budget_local), scale)} {unit}",
        earliest=("" if t.reachable or t.earliest_year is None else f"{fy}{t.earliest_year}"),
    )


def _totals(outcome: Outcome, scale: float, unit: str) -> tuple[tuple[str, str], ...]:
    labels = {
        "cumulative_budget_local": ("budget over the plan's years", "amount"),
        "cumulative_spending_local": ("total under the primary definition", "amount"),
        "cumulative_spending_real_local": ("the same at constant prices", "amount"),
        "required_growth_nominal": ("average nominal growth needed a year", "share"),
        "required_growth_real": ("average real growth needed a year", "share"),
    }
    out = []
    for key, (label, kind) in labels.items():
        value = _num(getattr(outcome.totals, key))
        if value is None:
            continue
        text = (
            f"{format_amount(value, scale)} {unit}"
            if kind == "amount"
            else format_percent(value, 1)
        )
        out.append((label, text))
    return tuple(out)


def _question(outcome: Outcome) -> str:
    fy = _year_word(outcome)
    if not outcome.targets:
        return (
            f"What does the budget path of {outcome.iso3} in “{outcome.scenario.name}” add up to?"
        )
    parts = []
    for t in outcome.targets:
        goal = format_share(t.target) + " of GDP" if t.kind == "share_gdp" else "its amount target"
        parts.append(f"{goal} by {fy}{t.year} ({outcome.label(t.definition)})")
    return f"Does {outcome.iso3}'s budget path reach " + "; ".join(parts) + "?"


def _answer(outcome: Outcome, scale: float, unit: str) -> str:
    fy = _year_word(outcome)
    sentences = []
    for t in outcome.targets:
        row = _target_row(outcome, t, scale, unit)
        if row.rounded is not None:
            verdict = "met" if row.rounded else "missed"
            verdict += f" when rounded to {row.round_to} as stated"
            verdict += ", and met strictly" if row.strict else ", though strictly it falls short"
        else:
            verdict = "met" if row.strict else "missed"
        sentence = (
            f"In {fy}{t.year} the plan reaches {row.reached} against a target of {row.target}: "
            f"{verdict}"
        )
        if not t.reachable and row.earliest:
            sentence += f"; within the ramp limits it would be reached in {row.earliest}"
        sentences.append(sentence + ".")
    total = _num(outcome.totals.cumulative_budget_local)
    planned = outcome.years[outcome.years["planned"]]["year"]
    if total is not None and len(planned):
        sentences.append(
            f"The budget totals {format_amount(total, scale)} {unit} over "
            f"{fy}{int(planned.iloc[0])}–{fy}{int(planned.iloc[-1])}."
        )
    return " ".join(sentences) or "The scenario sets no target."


def _method(outcome: Outcome) -> tuple[str, ...]:
    shape = str(outcome.scenario.path.shape)
    notes = [
        f"Path: the budget of each planned year follows the scenario's “{shape}” rule"
        + (
            " (the amounts given in the scenario)."
            if shape == "given"
            else ", solved year by year within the ramp limits so that every target is met "
            "where it can be."
        ),
        "Definitions: each definition counts the budget plus the components it includes, year "
        "by year, from the country's ledger of components; the table shows every definition "
        "side by side.",
        "Shares: a definition's spending divided by its denominator: GDP of the same year, or "
        "a fixed base-year GDP where the definition (or the scenario) says so.",
        "GDP, prices and exchange rates come from the datasets named under Sources; after the "
        "data they are continued by the assumptions listed above.",
        "Target check: a target is met strictly when the share (or amount) is at least the "
        "target; where a rounding rule is given it is also checked after rounding, as the "
        "government states it.",
        "Every figure is traced: its steps and data rows are in the engine's trace "
        "(for any year: the plan's explain option, or a click on the figure in the web pages).",
    ]
    if outcome.fiscal_year != "calendar":
        notes.append(
            f"Fiscal years start in {outcome.fiscal_year.capitalize()}; calendar-year data are "
            "used for the fiscal year of the same number."
        )
    return tuple(notes)
