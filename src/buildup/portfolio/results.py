"""What a portfolio solve returns: a status, the selection, spending by year and area, the
committed tail and the binding years. Frozen dataclasses; money in full currency units."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from buildup.portfolio.arrays import Formulation
from buildup.serialize import internal

__all__ = [
    "AreaSpend",
    "AreaYears",
    "BindingYear",
    "Portfolio",
    "Selection",
    "Status",
    "YearAmount",
    "YearResult",
    "portfolio_from_quantities",
]

BINDING_TOLERANCE = 1e-7  # a year binds if its shadow price × envelope > this × objective


class Status(StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"  # proved optimal (gap 0 within HiGHS's tolerances)
    FEASIBLE = "feasible with gap"  # stopped at the requested relative gap
    INFEASIBLE = "infeasible"  # no portfolio meets the constraints (see ``explanation``)
    TIME_LIMIT = "time limit"  # stopped by the time limit (best portfolio found, if any)


@dataclass(frozen=True)
class Selection:
    """A chosen programme: ``quantity`` units started in ``start_year``; ``cost`` is the full
    cost [currency units], within and after the horizon; ``value`` [value points]."""

    id: str
    name: str
    area: str
    start_year: int
    quantity: int
    cost: float
    value: float


@dataclass(frozen=True)
class YearResult:
    """One envelope year: ``spend`` against ``envelope`` [currency units]; ``shadow_price``
    [value points per currency unit] from the LP with the choices fixed; ``binding`` when
    that price is positive (one more unit of money that year would buy more value)."""

    year: int
    envelope: float
    spend: float
    slack: float
    shadow_price: float
    binding: bool


@dataclass(frozen=True)
class AreaSpend:
    """What a capability area spends within the envelope years [currency units]."""

    area: str
    spend: float


@dataclass(frozen=True)
class AreaYears:
    """A capability area's outlays in each envelope year, in order [currency units]."""

    area: str
    spend: tuple[float, ...]


@dataclass(frozen=True)
class YearAmount:
    """An amount in one year [currency units]."""

    year: int
    amount: float


@dataclass(frozen=True)
class BindingYear:
    """A year whose envelope limits the value, and its shadow price [value points per unit]."""

    year: int
    shadow_price: float


@dataclass(frozen=True)
class Portfolio:
    """A solve's result. ``gap`` = (bound − objective) / objective [fraction];
    ``spend_by_area`` and ``spend_by_year_area`` are within the envelope years;
    ``tail_after_horizon`` is what the selection still pays after them (``tail_by_year``,
    the years with a payment)."""

    __json_extra__ = (("spend_by_year", "spend_by_years"), ("binding_years", "bindings"))

    status: Status
    objective: float
    bound: float
    gap: float
    selected: tuple[Selection, ...]
    years: tuple[YearResult, ...]
    spend_by_area: tuple[AreaSpend, ...]
    spend_by_year_area: tuple[AreaYears, ...] = field(metadata=internal())
    tail_after_horizon: float
    tail_by_year: tuple[YearAmount, ...]
    currency: str = ""
    explanation: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def has_solution(self) -> bool:
        """Whether a portfolio was found (an empty one counts)."""
        return not math.isnan(self.objective)

    @property
    def spend_by_year(self) -> dict[int, float]:
        """Outlays by envelope year [currency units]."""
        return {y.year: y.spend for y in self.years}

    @property
    def binding_years(self) -> tuple[YearResult, ...]:
        """The years whose envelope limits the value."""
        return tuple(y for y in self.years if y.binding)

    @property
    def spend_by_years(self) -> tuple[YearAmount, ...]:
        """Outlays by envelope year [currency units]."""
        return tuple(YearAmount(y.year, y.spend) for y in self.years)

    @property
    def bindings(self) -> tuple[BindingYear, ...]:
        """The binding years with their shadow prices."""
        return tuple(BindingYear(y.year, y.shadow_price) for y in self.binding_years)


def column_values(f: Formulation, q_col: NDArray[np.int64]) -> NDArray[np.float64]:
    """Value of each column's quantity [value points], with the value curves applied."""
    value = f.unit_value[f.prog] * q_col
    for i, slopes, intercepts in f.returns:
        cols = slice(int(f.first_col[i]), int(f.first_col[i] + f.n_cols[i]))
        q = q_col[cols]
        curve = np.min(intercepts[None, :] + slopes[None, :] * q[:, None], axis=1)
        value[cols] = np.where(q > 0, curve, 0.0)
    return np.asarray(value, dtype=np.float64)


def portfolio_from_quantities(
    f: Formulation,
    q_col: NDArray[np.int64],
    *,
    status: Status,
    objective: float | None = None,
    bound: float = math.nan,
    gap: float = math.nan,
    duals: NDArray[np.float64] | None = None,
    explanation: str = "",
    seconds: float = 0.0,
    notes: tuple[str, ...] = (),
) -> Portfolio:
    """Assemble a :class:`Portfolio` from column quantities (``None`` objective: computed)."""
    scale = f.money_scale
    programmes = f.problem.catalogue.programmes
    values = column_values(f, q_col)
    chosen = np.nonzero(q_col > 0)[0]
    selected = tuple(
        Selection(
            id=f.ids[f.prog[k]],
            name=programmes[f.prog[k]].name,
            area=programmes[f.prog[k]].area,
            start_year=int(f.start[k]),
            quantity=int(q_col[k]),
            cost=float(programmes[f.prog[k]].unit_cost * q_col[k]),
            value=float(values[k]),
        )
        for k in chosen
    )
    horizon = len(f.years)
    spend = f.outlay @ q_col.astype(float) * scale
    duals = np.zeros(horizon) if duals is None else duals
    total = float(values.sum()) if objective is None else objective
    threshold = BINDING_TOLERANCE * max(abs(total), 1.0) if not math.isnan(total) else math.inf
    years = tuple(
        YearResult(
            year=int(f.years[t]),
            envelope=float(f.envelope[t] * scale),
            spend=float(spend[t]),
            slack=float(f.envelope[t] * scale - spend[t]),
            shadow_price=float(duals[t] / scale),
            binding=bool(duals[t] * f.envelope[t] > threshold),
        )
        for t in range(horizon)
    )
    area_col = f.area_of[f.prog]
    by_year_area = {
        area: tuple(float(v) for v in (f.outlay[:horizon] @ np.where(area_col == a, q_col, 0.0)))
        for a, area in enumerate(f.areas)
    }
    by_year_area = {a: tuple(v * scale for v in vs) for a, vs in by_year_area.items()}
    tail = {int(f.years[0]) + t: float(spend[t]) for t in range(horizon, len(spend))}
    return Portfolio(
        status=status,
        objective=total,
        bound=bound,
        gap=gap,
        selected=selected,
        years=years,
        spend_by_area=tuple(AreaSpend(a, float(sum(v))) for a, v in by_year_area.items()),
        spend_by_year_area=tuple(AreaYears(a, v) for a, v in by_year_area.items()),
        tail_after_horizon=float(sum(tail.values())),
        tail_by_year=tuple(YearAmount(y, v) for y, v in tail.items() if v > 0),
        currency=f.problem.envelope.currency,
        explanation=explanation,
        seconds=seconds,
        notes=notes,
    )


def empty_portfolio(
    f: Formulation, status: Status, explanation: str = "", seconds: float = 0.0
) -> Portfolio:
    """A result without a portfolio (infeasible, or no solution within the time limit)."""
    found = portfolio_from_quantities(
        f, np.zeros(f.n_columns, dtype=np.int64), status=status, explanation=explanation,
        seconds=seconds, objective=math.nan,
    )  # fmt: skip
    return found
