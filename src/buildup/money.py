"""Units of money: nominal and real local currency, US dollars, constant US dollars.

Every conversion between currencies and price bases happens here, on arrays, one year per
element. Conventions:

- ``*_local`` is nominal local currency of the year [LCU]; ``*_real_local`` is local
  currency at the prices of a stated base year, via a price index (GDP deflator or CPI).
- ``rate_local_per_usd`` is the market exchange rate [LCU per US$], an annual average.
- ``*_usd`` is current US dollars; ``*_usd_constant`` is US dollars at the prices of a base
  year: the local real value converted at the base year's exchange rate (SIPRI's method).

>>> import numpy as np
>>> to_real(np.array([110.0]), np.array([110.0]), 100.0).tolist()
[100.0]
>>> to_usd(np.array([151.0]), np.array([151.0])).tolist()
[1.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import NDArray

from buildup.errors import InputError

__all__ = [
    "FxExposure",
    "average_growth",
    "from_real",
    "from_usd",
    "fx_exposure",
    "index_from_inflation",
    "rebase_index",
    "reprice",
    "to_constant_usd",
    "to_real",
    "to_usd",
    "year_on_year",
]

Array = NDArray[np.float64]


def to_real(nominal_local: Array, price_index: Array, base_index: float) -> Array:
    """Nominal amounts [LCU] to prices of the base year [LCU of the base year].

    ``price_index`` holds the index for each amount's year, ``base_index`` the index in the
    base year (the index need not be 100 there).
    """
    return nominal_local * (base_index / price_index)


def rebase_index(index: Array, base_position: int) -> Array:
    """A price index rebased to 1 in one year (the element at ``base_position``).

    >>> rebase_index(np.array([90.0, 100.0, 110.0]), 1).tolist()
    [0.9, 1.0, 1.1]
    """
    rebased: Array = index / index[base_position]
    return rebased


def index_from_inflation(inflation: float, years: NDArray[np.int64], base_year: int) -> Array:
    """The price index of a constant ``inflation`` [fraction a year], 1 in ``base_year``.

    >>> index_from_inflation(0.1, np.array([2022, 2023, 2024]), 2022).round(6).tolist()
    [1.0, 1.1, 1.21]
    """
    index: Array = (1 + inflation) ** (years - base_year).astype(float)
    return index


@overload
def reprice(amount: float, from_index: float, to_index: float) -> float: ...
@overload
def reprice(amount: Array, from_index: Array | float, to_index: Array | float) -> Array: ...
def reprice(
    amount: Array | float, from_index: Array | float, to_index: Array | float
) -> Array | float:
    """An amount at the prices of one index value, at those of another: ``amount × to_index /
    from_index`` (``to_index = 1`` deflates to the index's base; an index repriced to 1 of
    another is the price relative of the two). Same units as ``amount``; the indices share a
    base.

    >>> reprice(100.0, 1.0, 1.25), reprice(125.0, 1.25, 1.0)
    (125.0, 100.0)
    """
    return amount * to_index / from_index


def from_real(real_local: Array, price_index: Array, base_index: float) -> Array:
    """Inverse of :func:`to_real`: amounts at base-year prices back to nominal [LCU]."""
    return real_local * (price_index / base_index)


def to_usd(local: Array, rate_local_per_usd: Array) -> Array:
    """Local currency [LCU] to US dollars at market rates [US$]."""
    return local / rate_local_per_usd


def from_usd(usd: Array, rate_local_per_usd: Array) -> Array:
    """US dollars [US$] to local currency [LCU]."""
    return usd * rate_local_per_usd


def to_constant_usd(
    nominal_local: Array, price_index: Array, base_index: float, base_rate_local_per_usd: float
) -> Array:
    """Nominal local amounts to constant US$ of the base year: deflate, then convert at the
    base year's exchange rate [US$ of the base year]."""
    return to_real(nominal_local, price_index, base_index) / base_rate_local_per_usd


@dataclass(frozen=True)
class FxExposure:
    """What the foreign-currency part of a budget buys at actual rates against a planning rate.

    ``foreign_usd_at_plan`` [US$] is what the foreign part would buy at the planning rate,
    ``foreign_usd_at_actual`` [US$] what it buys at the actual rate; ``lost_local`` [LCU] is
    the local-currency cost of the difference (positive = purchasing power lost, as for the
    yen against the programme's ¥108/$); ``lost_share`` is that loss over the foreign part.
    """

    foreign_local: Array
    foreign_usd_at_plan: Array
    foreign_usd_at_actual: Array
    lost_local: Array
    lost_share: Array


def fx_exposure(
    spending_local: Array,
    foreign_share: float,
    planning_rate_local_per_usd: float | Array,
    actual_rate_local_per_usd: Array,
) -> FxExposure:
    """Purchasing power lost or gained on the foreign-currency share of spending.

    >>> import numpy as np
    >>> e = fx_exposure(np.array([1_000.0]), 0.2, 108.0, np.array([150.0]))
    >>> round(float(e.lost_share[0]), 4)  # 1 - 108/150
    0.28
    """
    if not 0.0 <= foreign_share <= 1.0:
        raise InputError(what="foreign_share", given=foreign_share, expected="a fraction in [0, 1]")
    foreign_local = spending_local * foreign_share
    at_plan = to_usd(
        foreign_local, np.broadcast_to(planning_rate_local_per_usd, foreign_local.shape)
    )
    at_actual = to_usd(foreign_local, actual_rate_local_per_usd)
    # Local currency needed at the actual rate to buy what was planned, minus what was budgeted.
    lost_local = from_usd(at_plan, actual_rate_local_per_usd) - foreign_local
    with np.errstate(divide="ignore", invalid="ignore"):
        lost_share = np.where(foreign_local > 0, 1.0 - at_actual / at_plan, 0.0)
    return FxExposure(foreign_local, at_plan, at_actual, lost_local, lost_share)


def year_on_year(values: Array) -> Array:
    """Growth from each year to the next [fraction]; NaN for the first year and wherever the
    year before is zero, negative or missing (growth from zero has no rate).

    >>> year_on_year(np.array([0.0, 10.0, 15.0])).tolist()
    [nan, nan, 0.5]
    """
    out = np.full(len(values), np.nan)
    before, after = values[:-1], values[1:]
    ok = np.isfinite(before) & np.isfinite(after) & (before > 0)
    np.divide(after, before, out=out[1:], where=ok)
    out[1:][ok] -= 1.0
    return out


def average_growth(first: float, last: float, years: int) -> float:
    """The yearly rate that turns ``first`` into ``last`` over ``years`` [fraction]; NaN when
    ``first`` is zero or either is missing.

    >>> round(average_growth(100.0, 121.0, 2), 12)
    0.1
    """
    if years < 1 or not (first > 0 and last >= 0) or not np.isfinite(first + last):
        return float("nan")
    return float((last / first) ** (1.0 / years) - 1.0)
