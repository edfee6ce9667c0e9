"""The result of a plan: yearly table, totals, target checks, provenance and the trace."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.types import TargetKind

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine.provenance import Provenance
    from buildup.scenario import Scenario

__all__ = [
    "DefinitionLabel",
    "DefinitionLine",
    "Outcome",
    "PlanTotals",
    "TargetCheck",
    "TargetKind",
    "TraceEntry",
]


@dataclass(frozen=True)
class TraceEntry:
    """How one output value of one year was produced: steps and the data rows behind it."""

    year: int
    variable: str
    value: float | None
    steps: tuple[str, ...]
    sources: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class TargetCheck:
    """A target against the plan: met or not, and if out of reach, when it would be met.

    ``share_gdp`` is the definition's share in the target year [fraction]; ``met`` is the
    strict comparison of it (or the amount) with the target: 1.96 % does not meet 2 %.
    ``met_rounded`` (only with ``round_to``) compares the share rounded half up to that step,
    as a government publishes it (1.96 % → 2.0 % at one decimal); it is shown beside ``met``,
    never instead of it.
    """

    year: int
    definition: str
    kind: TargetKind
    target: float
    share_gdp: float
    amount_local: float
    met: bool
    round_to: float | None
    required_budget_local: float
    reachable: bool
    earliest_year: int | None
    label: str
    met_rounded: bool | None = None


@dataclass(frozen=True)
class DefinitionLabel:
    """A definition shown in the plan: its name and the label it is shown with."""

    name: str
    label: str


@dataclass(frozen=True)
class PlanTotals:
    """Sums over the planned years [LCU; US$] and the average yearly growth of the budget to
    the last target [fraction]; real amounts are at ``real_base_year`` prices. Sums are NaN
    where a year has no value (a definition not counted then)."""

    cumulative_budget_local: float
    cumulative_spending_local: float
    cumulative_spending_real_local: float
    cumulative_spending_usd: float
    required_growth_nominal: float
    required_growth_real: float
    real_base_year: int
    cumulative_fx_lost_local: float | None = None  # only with a foreign share and planning rate

    def rows(self) -> tuple[tuple[str, float | int | None], ...]:
        """(name, value) of each total, in order; the fx loss only where it was computed."""
        return tuple(
            (f.name, getattr(self, f.name))
            for f in fields(self)
            if not (f.name == "cumulative_fx_lost_local" and self.cumulative_fx_lost_local is None)
        )


@dataclass(frozen=True)
class DefinitionLine:
    """A definition over the table's years: spending = ``a * budget + b`` [LCU], over
    ``denominator`` [LCU], which is a fixed GDP if ``fixed``."""

    name: str
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    denominator: NDArray[np.float64]
    fixed: bool


@dataclass(frozen=True)
class Outcome:
    """Everything a plan produced; ``years`` is tidy, one row per year from the baseline."""

    scenario: Scenario
    iso3: str
    currency: str
    fiscal_year: str
    primary: str
    definitions: tuple[DefinitionLabel, ...]
    years: pd.DataFrame
    totals: PlanTotals
    targets: tuple[TargetCheck, ...]
    provenance: Provenance
    trace: tuple[TraceEntry, ...]
    history: pd.DataFrame
    assumptions: tuple[str, ...]
    lines: tuple[DefinitionLine, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The definitions shown, in order (the primary among them)."""
        return tuple(d.name for d in self.definitions)

    def label(self, name: str) -> str:
        """The label of a definition (its name if it is not shown)."""
        return next((d.label for d in self.definitions if d.name == name), name)

    def line(self, name: str) -> DefinitionLine:
        """The spending line of a definition shown."""
        for line in self.lines:
            if line.name == name:
                return line
        raise KeyError(name)

    def explain(self, year: int) -> tuple[TraceEntry, ...]:
        """The trace entries of one year."""
        return tuple(t for t in self.trace if t.year == year)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: ``years``, ``totals``, ``targets``, ``provenance``."""
        defs = self.names
        records = []
        for row in self.years.to_dict("records"):
            records.append(
                {
                    "year": int(row["year"]),
                    "budget_local": _num(row["budget_local"]),
                    "spending_local": _num(row["spending_local"]),
                    "spending_real_local": _num(row["spending_real_local"]),
                    "spending_usd": _num(row["spending_usd"]),
                    "gdp_local": _num(row["gdp_local"]),
                    "denominator_local": _num(row["denominator_local"]),
                    "share_gdp": {d: _num(row[f"share_gdp_{d}"]) for d in defs},
                    "spending_by_definition": {d: _num(row[f"spending_local_{d}"]) for d in defs},
                    "growth_nominal": _num(row["growth_nominal"]),
                    "growth_real": _num(row["growth_real"]),
                    "planned": bool(row["planned"]),
                }
            )
        return {
            "scenario": self.scenario.name,
            "country": self.iso3,
            "currency": self.currency,
            "fiscal_year": self.fiscal_year,
            "primary_definition": self.primary,
            "definitions": {d.name: d.label for d in self.definitions},
            "years": records,
            "totals": dict(self.totals.rows()),
            "targets": [
                {
                    "year": t.year,
                    "definition": t.definition,
                    "kind": t.kind,
                    "target": t.target,
                    "share_gdp": _num(t.share_gdp),
                    "amount_local": _num(t.amount_local),
                    "met": t.met,
                    "round_to": t.round_to,
                    "met_rounded": t.met_rounded,
                    "required_budget_local": _num(t.required_budget_local),
                    "reachable": t.reachable,
                    "earliest_year": t.earliest_year,
                    "label": t.label,
                }
                for t in self.targets
            ],
            "assumptions": list(self.assumptions),
            "provenance": self.provenance.to_dict(),
        }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
