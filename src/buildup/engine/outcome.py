"""The result of a plan: yearly table, totals, target checks, provenance and the trace."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine.provenance import Provenance
    from buildup.scenario import Scenario

__all__ = ["DefinitionLine", "Outcome", "TargetCheck", "TraceEntry"]


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
    kind: str
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
class DefinitionLine:
    """A definition over the table's years: spending = ``a * budget + b`` [LCU], over
    ``denominator`` [LCU], which is a fixed GDP if ``fixed``."""

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
    definitions: Mapping[str, str]
    years: pd.DataFrame
    totals: Mapping[str, float]
    targets: tuple[TargetCheck, ...]
    provenance: Provenance
    trace: tuple[TraceEntry, ...]
    history: pd.DataFrame
    assumptions: tuple[str, ...]
    lines: Mapping[str, DefinitionLine]

    def explain(self, year: int) -> tuple[TraceEntry, ...]:
        """The trace entries of one year."""
        return tuple(t for t in self.trace if t.year == year)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: ``years``, ``totals``, ``targets``, ``provenance``."""
        defs = list(self.definitions)
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
            "definitions": dict(self.definitions),
            "years": records,
            "totals": {k: _num(v) for k, v in self.totals.items()},
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
