"""The yearly inputs of a plan, read from the store, each value with where it came from."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from buildup.store import DatasetStore

__all__ = [
    "PLAN_DATASETS",
    "RISK_DATASETS",
    "TRACK_DATASETS",
    "Series",
    "budget_history",
    "currency_of",
    "extend_series",
    "history_dataset",
    "read_series",
    "series_for",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Series:
    """Values over the axis with, per year, how each was obtained and the data row used."""

    values: Array
    how: tuple[str, ...]
    refs: tuple[Mapping[str, Any] | None, ...]


def read_series(
    store: DatasetStore, dataset: str, column: str, iso3: str, years: NDArray[np.int64]
) -> Series:
    """A dataset column for one country over ``years`` (NaN where the data has no value)."""
    frame = store.query(dataset, [iso3])
    edition = store.current_edition(dataset)
    by_year = {
        int(y): v for y, v in zip(frame["year"], frame[column], strict=True) if not math.isnan(v)
    }
    forecast = {}
    if "is_forecast" in frame.columns:
        forecast = {
            int(y): bool(f) for y, f in zip(frame["year"], frame["is_forecast"], strict=True)
        }
    values = np.array([by_year.get(int(y), np.nan) for y in years], dtype=float)
    how = []
    refs: list[Mapping[str, Any] | None] = []
    for y in years.tolist():
        if y in by_year:
            kind = " (forecast)" if forecast.get(y) else ""
            how.append(f"{dataset}.{column}{kind}")
            refs.append({"dataset": dataset, "edition": edition, "iso3": iso3, "year": y})
        else:
            how.append("")
            refs.append(None)
    return Series(values, tuple(how), tuple(refs))


def extend_series(
    series: Series,
    years: NDArray[np.int64],
    growth: float | str | None,
    overrides: Mapping[int, float],
    what: str,
) -> Series:
    """Apply yearly overrides, then continue after the last value.

    ``growth`` is a yearly rate, ``"last"`` (continue the series' last year-on-year growth),
    ``"hold"`` (keep the last value) or ``None`` (leave the years after the data missing).
    """
    values = series.values.copy()
    how = list(series.how)
    refs = list(series.refs)
    for i, y in enumerate(years.tolist()):
        if y in overrides:
            values[i] = overrides[y]
            how[i] = f"{what} given in the input file"
            refs[i] = None
    known = np.nonzero(~np.isnan(values))[0]
    if growth is None or len(known) == 0:
        return Series(values, tuple(how), tuple(refs))
    last = int(known[-1])
    rate = 0.0
    if growth == "hold":
        label = f"{what} held at the {years[last]} value (assumption)"
    elif growth == "last":
        if last == 0 or np.isnan(values[last - 1]):
            # One year of data: nothing to continue; a year the plan needs is reported missing.
            return Series(values, tuple(how), tuple(refs))
        rate = float(values[last] / values[last - 1] - 1.0)
        label = (
            f"{what}: the data's last growth {rate:.3%} ({years[last - 1]}–{years[last]}) continued"
        )
    else:
        rate = float(growth)
        label = f"{what}: growth {rate:.3%}/yr after {years[last]} (scenario assumption)"
    for i in range(last + 1, len(years)):
        values[i] = values[i - 1] * (1.0 + rate)
        how[i] = label
        refs[i] = refs[last] if growth == "hold" else None
    return Series(values, tuple(how), tuple(refs))


# Named budget histories: where the planned budget's actuals come from, per preset.
_HISTORIES: dict[str, tuple[str, str, Mapping[str, str]]] = {
    "sipri": ("milex", "milex_local_current", {}),
    "japan_initial_excl_saco": (
        "japan_budget",
        "amount_jpy",
        {"budget_kind": "initial", "includes_saco_realignment": "no"},
    ),
}


#: The datasets a plan reads (its macro series, budget histories, published figures).
PLAN_DATASETS = ("gdp", "prices", "fx", "milex", *dict.fromkeys(h[0] for h in _HISTORIES.values()))
#: What a plan's Monte Carlo reads besides: the execution errors.
RISK_DATASETS = (*PLAN_DATASETS, "cbo_errors")
#: What tracking reads: prices, exchange rates, budget histories.
TRACK_DATASETS = ("prices", "fx", *dict.fromkeys(h[0] for h in _HISTORIES.values()))


def history_dataset(name: str) -> str:
    """The dataset a named budget history reads."""
    return _HISTORIES[name][0]


def budget_history(
    store: DatasetStore, iso3: str, name: str
) -> dict[int, tuple[float, dict[str, Any]]]:
    """Actual budgets by year for a named history, each with its data row reference."""
    dataset, column, filters = _HISTORIES[name]
    entry_has_country = dataset != "japan_budget"
    frame = store.query(dataset, [iso3] if entry_has_country else None)
    for key, value in filters.items():
        frame = frame[frame[key] == value]
    year_column = "year" if "year" in frame.columns else "fiscal_year"
    edition = store.current_edition(dataset)
    out: dict[int, tuple[float, dict[str, Any]]] = {}
    for _, row in frame.iterrows():
        amount = row[column]
        if not math.isnan(amount):
            ref = {
                "dataset": dataset,
                "edition": edition,
                "iso3": iso3,
                "year": int(row[year_column]),
            }
            if "source_id" in row:
                ref["source_id"] = row["source_id"]
            out[int(row[year_column])] = (float(amount), ref)
    return out


def series_for(
    store: DatasetStore,
    dataset: str,
    column: str,
    iso3: str,
    years: NDArray[np.int64],
    *,
    growth: float | str | None = None,
    overrides: Mapping[int, float] | None = None,
    what: str,
    hold: bool = False,
) -> Series:
    """A column over ``years``, continued after its data (by ``growth``, or held if ``hold``).

    The data is read from 1950 so that a series ending before ``years`` starts still
    continues from its last value.
    """
    start = min(1950, int(years[0]))
    full = np.arange(start, int(years[-1]) + 1, dtype=np.int64)
    series = read_series(store, dataset, column, iso3, full)
    series = extend_series(series, full, "hold" if hold else growth, overrides or {}, what)
    offset = int(years[0]) - start
    cut = slice(offset, offset + len(years))
    return Series(series.values[cut], series.how[cut], series.refs[cut])


def currency_of(store: DatasetStore, iso3: str) -> str:
    """The ISO 4217 code of a country's currency, from the exchange-rate data."""
    fx = store.query("fx", [iso3])
    currencies = fx["currency"].dropna()
    return str(currencies.iloc[-1]) if len(currencies) else "local currency"
