"""A country's exchange rate to the US dollar over years, for every country with GDP data.

The ``fx`` dataset (World Bank WDI, local currency per US$, period average) covers 64
economies. For a country it has no rate for at all, the rate is the one the IMF's World
Economic Outlook itself converts with: nominal GDP in local currency ÷ nominal GDP in US$
(NGDP / NGDPD, the ``gdp`` dataset) — the same derivation the shipped ``fx`` file already
uses for Taiwan (``IMF_WEO_2025APR_IMPLIED``). It is a derived rate, not a published one, and
every value says so. Like Taiwan's, it is taken for the years the IMF reports as actuals, not
its estimates or projections: a plan holds the last one after them, as it holds a published
rate after its data.

A country that has published rates keeps them unchanged: the implied rate never mixes into a
published series (WDI states legacy currencies before a euro adoption; the WEO states euros).

>>> import numpy as np
>>> from buildup.store import MemoryStore
>>> rates = read_exchange_rates(MemoryStore.bundled(), "CHL", np.array([2020, 2021]))
>>> [round(float(v)) for v in rates.series.values], rates.series.how[0]
([792, 759], 'gdp.gdp_local_current ÷ gdp.gdp_current_usd (IMF WEO implied rate)')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.engine.inputs import Series, extend_series, read_series

if TYPE_CHECKING:
    from buildup.store import DatasetStore

__all__ = ["ExchangeRates", "exchange_rate_series", "read_exchange_rates"]

IMPLIED = "IMF WEO implied rate"


@dataclass(frozen=True)
class ExchangeRates:
    """Local currency per US$ over years [LCU/US$], with the currency unit of each year.

    ``units`` holds the ISO 4217 code per year where the data states one (a change of unit,
    such as a euro adoption, is not a market move), else ``""``.
    """

    series: Series
    units: tuple[str, ...]
    source: str


def read_exchange_rates(store: DatasetStore, iso3: str, years: NDArray[np.int64]) -> ExchangeRates:
    """The country's rate over ``years``: published where the ``fx`` dataset has the country,
    else implied by IMF WEO GDP (see the module docstring); NaN where neither has a value."""
    published = read_series(store, "fx", "local_per_usd", iso3, years)
    if not np.isnan(published.values).all():
        frame = store.query("fx", [iso3])
        unit = {int(y): str(c) for y, c in zip(frame["year"], frame["currency"], strict=True)
                if isinstance(c, str)}  # fmt: skip
        units = tuple(unit.get(int(y), "") for y in years.tolist())
        return ExchangeRates(
            published, units, f"World Bank exchange rate (fx {store.current_edition('fx')})"
        )
    return ExchangeRates(
        _implied(store, iso3, years),
        ("",) * len(years),
        f"{IMPLIED}, GDP in local currency ÷ GDP in US$ (gdp {store.current_edition('gdp')}; "
        f"{iso3} is not in the fx dataset)",
    )


def exchange_rate_series(
    store: DatasetStore,
    iso3: str,
    years: NDArray[np.int64],
    overrides: Mapping[int, float] | None = None,
) -> Series:
    """The rate over ``years`` as a plan uses it: read from 1950, the given ``overrides``
    applied, and the last value held after the data (an assumption, noted per year)."""
    start = min(1950, int(years[0]))
    full = np.arange(start, int(years[-1]) + 1, dtype=np.int64)
    series = read_exchange_rates(store, iso3, full).series
    series = extend_series(series, full, "hold", overrides or {}, "exchange rate")
    cut = slice(int(years[0]) - start, int(years[0]) - start + len(years))
    return Series(series.values[cut], series.how[cut], series.refs[cut])


def _implied(store: DatasetStore, iso3: str, years: NDArray[np.int64]) -> Series:
    local = read_series(store, "gdp", "gdp_local_current", iso3, years)
    usd = read_series(store, "gdp", "gdp_current_usd", iso3, years)
    actual = np.array(["forecast" not in a + b for a, b in zip(local.how, usd.how, strict=True)])
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(actual, local.values / usd.values, np.nan)
    values[~np.isfinite(values)] = np.nan
    how: list[str] = []
    refs: list[Mapping[str, Any] | None] = []
    for i, value in enumerate(values.tolist()):
        known = not np.isnan(value)
        how.append(f"gdp.gdp_local_current ÷ gdp.gdp_current_usd ({IMPLIED})" if known else "")
        refs.append(local.refs[i] if known else None)
    return Series(values.astype(float), tuple(how), tuple(refs))
