"""The result of a plan: yearly table, totals, target checks, provenance and the trace."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.engine.provenance import Provenance
from buildup.serialize import internal, renamed, table, via
from buildup.types import TargetKind

if TYPE_CHECKING:
    import pandas as pd

    from buildup.scenario import Scenario

__all__ = [
    "DefinitionLabel",
    "DefinitionLine",
    "Outcome",
    "PlanTotals",
    "SourceRef",
    "TargetCheck",
    "TargetKind",
    "TraceEntry",
]


@dataclass(frozen=True)
class SourceRef:
    """What a traced figure rests on: a data row (``dataset``, ``edition``, ``iso3``,
    ``year`` and the publisher's ``source_id``), an ``assumption``, or a ``source`` text."""

    dataset: str | None = None
    edition: str | None = None
    iso3: str | None = None
    year: int | None = None
    source_id: str | None = None
    assumption: str | None = None
    source: str | None = None

    @classmethod
    def of(cls, ref: Mapping[str, Any]) -> SourceRef:
        """A reference from the mapping the readers build (keys as the fields)."""
        year = ref.get("year")
        return cls(**{k: str(v) for k, v in ref.items() if k != "year" and v is not None},
                   year=None if year is None else int(year))  # fmt: skip

    def items(self) -> tuple[tuple[str, str | int], ...]:
        """(name, value) of each part given, in the fields' order."""
        return tuple((f.name, v) for f in fields(self) if (v := getattr(self, f.name)) is not None)


@dataclass(frozen=True)
class TraceEntry:
    """How one output value of one year was produced: steps and the data rows behind it.

    ``variable`` names the quantity (``share_gdp``, ``spending_local``…); ``definition`` is
    the definition it is counted under and ``component`` the budget component it is, when
    it is one of several (both None for a figure of the whole plan, e.g. ``gdp_local``).
    """

    year: int
    variable: str
    value: float | None
    steps: tuple[str, ...]
    sources: tuple[SourceRef, ...] = ()
    definition: str | None = None
    component: str | None = None

    @property
    def key(self) -> str:
        """The figure's name in a step's words and in a link: ``share_gdp:sipri``,
        ``component:coast_guard_pko``, ``gdp_local``."""
        if self.component is not None:
            return f"component:{self.component}"
        return self.variable if self.definition is None else f"{self.variable}:{self.definition}"

    def record(self) -> dict[str, Any]:
        """A flat row of the explanation (steps and sources joined by "; "), as
        ``plan --explain YEAR`` and the API's explain route write it."""
        return {
            "year": self.year,
            "variable": self.variable,
            "definition": self.definition,
            "component": self.component,
            "value": self.value,
            "how": "; ".join(self.steps),
            "sources": "; ".join(
                json.dumps(dict(s.items()), ensure_ascii=False) for s in self.sources
            ),
        }


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
class PlanYear:
    """One year of a plan (the primary definition's spending and share) [LCU; US$; fractions;
    the price index is 1 in the real base year]; ``planned`` is false in the baseline year."""

    year: int
    planned: bool
    budget_local: float
    spending_local: float
    spending_real_local: float
    spending_usd: float
    gdp_local: float
    denominator_local: float
    share_gdp: float
    growth_nominal: float
    growth_real: float
    price_index: float
    fx_local_per_usd: float
    fx_lost_local: float | None  # only with a foreign share and a planning rate


@dataclass(frozen=True)
class DefinitionYear:
    """One definition in one year: its spending [LCU] over its denominator [LCU]; ``basis``
    says whether a year is the published figure or estimated (a definition with a published
    series only)."""

    year: int
    definition: str
    spending_local: float
    share_gdp: float
    denominator_local: float
    basis: str | None


@dataclass(frozen=True)
class Outcome:
    """Everything a plan produced. ``years`` has one row per year from the baseline (the
    primary definition's figures, :class:`PlanYear`); ``by_definition`` one row per year and
    definition shown (:class:`DefinitionYear`)."""

    scenario: Scenario = field(metadata=via("name", str, key="scenario"))
    iso3: str = field(metadata=renamed("country"))
    currency: str
    fiscal_year: str
    primary: str = field(metadata=renamed("primary_definition"))
    definitions: tuple[DefinitionLabel, ...]
    years: pd.DataFrame = field(metadata=table(PlanYear))
    by_definition: pd.DataFrame = field(metadata=table(DefinitionYear))
    totals: PlanTotals
    targets: tuple[TargetCheck, ...]
    provenance: Provenance
    trace: tuple[TraceEntry, ...] = field(metadata=internal())
    history: pd.DataFrame = field(metadata=internal())
    assumptions: tuple[str, ...]
    lines: tuple[DefinitionLine, ...] = field(metadata=internal())

    @property
    def names(self) -> tuple[str, ...]:
        """The definitions shown, in order (the primary among them)."""
        return tuple(d.name for d in self.definitions)

    def label(self, name: str) -> str:
        """The label of a definition (its name if it is not shown)."""
        return next((d.label for d in self.definitions if d.name == name), name)

    def definition_years(self, name: str) -> pd.DataFrame:
        """One definition's rows of ``by_definition`` (year, spending_local, share_gdp,
        denominator_local, basis), one per row of ``years``, in the same order."""
        rows = self.by_definition[self.by_definition["definition"] == name]
        if rows.empty:
            raise KeyError(name)
        return rows.reset_index(drop=True)

    def line(self, name: str) -> DefinitionLine:
        """The spending line of a definition shown."""
        for line in self.lines:
            if line.name == name:
                return line
        raise KeyError(name)

    def explain(self, year: int) -> tuple[TraceEntry, ...]:
        """The trace entries of one year."""
        return tuple(t for t in self.trace if t.year == year)
