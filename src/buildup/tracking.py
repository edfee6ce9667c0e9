"""Tracking a programme against its plan: execution, contracts to outlays, variance.

Pure functions over yearly arrays [currency units]; the engine reads the data and the plan.

Variance decomposition (sequential substitution, in this order; each step changes one
thing, so the parts add up to the total gap exactly, year by year)::

    P0  the original plan                                   (nominal, plan's assumptions)
    P1  the plan as revised                                 policy    = P1 - P0
    P2  P1 with its domestic part at actual prices          price     = P2 - P1
    P3  P2 with its foreign part at actual exchange rates   exchange  = P3 - P2
    A   appropriated (initial + supplementary)              quantity + schedule = A - P3
    E   executed                                            underspend = E - A

``P3`` is what the revised plan's volume costs at actual prices and rates; ``A - P3`` is the
volume bought above (or below) it. That volume gap over the years with actuals, ``Q``, is
spread over those years in proportion to ``P3`` (the quantity part); what remains of each
year's ``A - P3`` is timing — the schedule part, which sums to zero over those years (slip
between years, not a change in volume). With no inflation against the plan, no exchange-rate
change and full execution, price, exchange and underspend are zero in every year and the
schedule part totals zero.

>>> import numpy as np
>>> v = decompose_variance(plan=np.array([100.0, 100.0]), revised=np.array([100.0, 110.0]),
...     appropriated=np.array([90.0, 130.0]), executed=np.array([90.0, 125.0]),
...     plan_price=np.array([1.0, 1.0]), actual_price=np.array([1.0, 1.0]),
...     plan_rate=np.array([100.0, 100.0]), actual_rate=np.array([100.0, 100.0]),
...     foreign_share=0.0)
>>> {k: v.part(k).total for k in ("policy", "quantity", "schedule", "underspend")}
{'policy': 10.0, 'quantity': 10.0, 'schedule': 0.0, 'underspend': -5.0}
>>> v.grand_total
15.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from buildup.money import reprice

__all__ = [
    "VARIANCE_PARTS",
    "CategoryOutlays",
    "Execution",
    "Outlays",
    "Variance",
    "VarianceCause",
    "VariancePart",
    "decompose_variance",
    "outlays_from_contracts",
    "summarize_execution",
]

Array = NDArray[np.float64]


class VarianceCause(StrEnum):
    """A cause of the gap between plan and outturn, in the order of the substitution."""

    POLICY = "policy"
    PRICE = "price"
    EXCHANGE_RATE = "exchange_rate"
    QUANTITY = "quantity"
    SCHEDULE = "schedule"
    UNDERSPEND = "underspend"


VARIANCE_PARTS = tuple(VarianceCause)


@dataclass(frozen=True)
class Execution:
    """How much of an envelope is used [currency units] and what the rest requires.

    ``projected_total`` continues the latest year's amount ("the current pace") through the
    remaining years; ``required_run_rate`` is the remaining amount spread evenly over them.
    """

    envelope: float
    used: float
    remaining: float
    share_used: float
    years_done: int
    years_left: int
    required_run_rate: float
    latest_amount: float
    projected_total: float
    projected_gap: float


def summarize_execution(envelope: float, actual: Array) -> Execution:
    """Execution of ``envelope`` by yearly actuals over the plan's years (NaN = not yet)."""
    done = ~np.isnan(actual)
    if done.any() and not done[: int(np.nonzero(done)[0][-1]) + 1].all():
        raise ValueError("actuals must cover the plan's first years without gaps")
    years_done = int(done.sum())
    years_left = len(actual) - years_done
    used = float(actual[done].sum())
    remaining = envelope - used
    latest = float(actual[done][-1]) if years_done else 0.0
    projected = used + latest * years_left
    return Execution(
        envelope=envelope,
        used=used,
        remaining=remaining,
        share_used=used / envelope if envelope else float("nan"),
        years_done=years_done,
        years_left=years_left,
        required_run_rate=remaining / years_left if years_left else float("nan"),
        latest_amount=latest,
        projected_total=projected,
        projected_gap=projected - envelope,
    )


@dataclass(frozen=True)
class Outlays:
    """Yearly outlays from contracts, and what is committed as of each contract year.

    ``signed`` is the contracts signed per contract year (all categories).

    ``years`` runs from the first contract year to the last year a payment can fall in;
    ``committed[a][t]`` is what contracts signed up to year ``years[a]`` pay in ``years[t]``.
    """

    years: NDArray[np.int64]
    signed: Array
    by_category: tuple[CategoryOutlays, ...]
    total: Array
    committed: Array


@dataclass(frozen=True)
class CategoryOutlays:
    """One contract category's outlays per year of :attr:`Outlays.years` [currency units]."""

    category: str
    paid: Array


def outlays_from_contracts(
    first_year: int, contracts: Mapping[str, Array], profiles: Mapping[str, Array]
) -> Outlays:
    """Pay each year's new contracts by their category's profile (fractions summing to 1)."""
    length = max(len(c) for c in contracts.values())
    longest = max(len(profiles[name]) for name in contracts)
    horizon = length + longest - 1
    years = np.arange(first_year, first_year + horizon, dtype=np.int64)
    by_category: list[CategoryOutlays] = []
    committed = np.zeros((length, horizon))
    for name, signed in contracts.items():
        profile = profiles[name]
        paid = np.zeros(horizon)
        flows = np.convolve(signed, profile)
        paid[: len(flows)] = flows[:horizon]
        by_category.append(CategoryOutlays(name, paid))
        padded = np.zeros(horizon)
        for year_index, amount in enumerate(signed):
            padded[:] = 0.0
            padded[year_index : year_index + len(profile)] = amount * profile
            committed[year_index:] += padded
    total = np.sum([c.paid for c in by_category], axis=0)
    signed_total = np.zeros(length)
    for signed in contracts.values():
        signed_total[: len(signed)] += signed
    return Outlays(years, signed_total, tuple(by_category), total, committed)


@dataclass(frozen=True)
class VariancePart:
    """One cause's part of the gap: per year and summed [currency units]."""

    cause: VarianceCause
    values: Array
    total: float


@dataclass(frozen=True)
class Variance:
    """The gap ``executed - plan`` per year (``total``), split into one part per cause, in
    the order of :data:`VARIANCE_PARTS`."""

    parts: tuple[VariancePart, ...]
    total: Array

    @property
    def grand_total(self) -> float:
        """The gap summed over the years [currency units]; the parts' totals add up to it."""
        return float(self.total.sum())

    def part(self, cause: str) -> VariancePart:
        """The part of one cause (``"price"``, ``VarianceCause.PRICE``)."""
        for part in self.parts:
            if part.cause == cause:
                return part
        raise KeyError(cause)

    def totals(self) -> tuple[tuple[str, float], ...]:
        """(cause, total) of each part, then ("total", the grand total)."""
        return (*((str(p.cause), p.total) for p in self.parts), ("total", self.grand_total))


def decompose_variance(
    *,
    plan: Array,
    revised: Array,
    appropriated: Array,
    executed: Array,
    plan_price: Array,
    actual_price: Array,
    plan_rate: Array,
    actual_rate: Array,
    foreign_share: float,
) -> Variance:
    """Split plan-to-outturn gaps by sequential substitution (see the module docstring).

    Prices are indices (any base, the same for both); rates are local currency per US$.
    Years without actuals must be left out by the caller.
    """
    domestic = 1.0 - foreign_share
    at_prices = revised * (domestic * reprice(actual_price, plan_price, 1.0) + foreign_share)
    at_rates = at_prices + revised * foreign_share * (actual_rate / plan_rate - 1.0)
    gap = appropriated - at_rates
    weights = at_rates / at_rates.sum() if at_rates.sum() else np.full(len(gap), 1.0 / len(gap))
    quantity = gap.sum() * weights
    parts = {
        VarianceCause.POLICY: revised - plan,
        VarianceCause.PRICE: at_prices - revised,
        VarianceCause.EXCHANGE_RATE: at_rates - at_prices,
        VarianceCause.QUANTITY: quantity,
        VarianceCause.SCHEDULE: gap - quantity,
        VarianceCause.UNDERSPEND: executed - appropriated,
    }
    total = executed - plan
    return Variance(
        tuple(VariancePart(cause, parts[cause], float(parts[cause].sum())) for cause in parts),
        total,
    )
