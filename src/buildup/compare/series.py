"""One dataset column read for comparisons: values by country and year, each with its source.

A comparison reads a few columns (SIPRI's share of GDP, NATO's, population…) of the store's
current editions. :class:`Input` keeps the values that exist (never a filled zero), a label
per row naming the dataset, its edition and the row's own source where it varies, and says
why a value is missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from buildup.data.catalogue import get_dataset
from buildup.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore

__all__ = ["INPUTS", "Input", "read_input"]

# name -> (dataset, column, what it is, short name of the publisher)
INPUTS: Mapping[str, tuple[str, str, str, str]] = {
    "sipri_share": ("milex", "share_gdp", "SIPRI's share of GDP", "SIPRI"),
    "sipri_constant": ("milex", "milex_constant_usd", "SIPRI's constant-US$ spending", "SIPRI"),
    "sipri_current": ("milex", "milex_current_usd", "SIPRI's current-US$ spending", "SIPRI"),
    "nato_share": ("nato", "share_gdp", "NATO's share of GDP", "NATO"),
    "population": ("population", "population", "population", "IMF/World Bank"),
}


@dataclass(frozen=True)
class Input:
    """A dataset column by ``(iso3, year)``; rows without a value are absent, not zero."""

    name: str
    dataset: str
    edition: str
    what: str
    short: str
    citation: str
    values: Mapping[tuple[str, int], float]
    tags: Mapping[tuple[str, int], str]
    coverage: Mapping[str, tuple[int, int]]
    span: tuple[int, int]
    base_year: int | None = None

    def value(self, iso3: str, year: int) -> float:
        """The value, or NaN when the data has none."""
        return self.values.get((iso3, year), math.nan)

    def label(self, iso3: str, year: int) -> str:
        """Where the value comes from: publisher, dataset, edition, and the row's own tag."""
        tag = self.tags.get((iso3, year), "")
        return f"{self.short} {self.dataset} {self.edition}" + (f" ({tag})" if tag else "")

    def why(self, iso3: str, year: int) -> str:
        """Why there is no value for ``iso3`` in ``year``."""
        known = self.coverage.get(iso3)
        span = (
            f"its values for {iso3} run from {known[0]} to {known[1]}"
            if known
            else f"it has none for {iso3}"
        )
        return (
            f"{self.what} ({self.dataset}, edition {self.edition}) has no value for {iso3} in "
            f"{year}; {span}"
        )

    def cell(self, iso3: str, year: int) -> tuple[float, str, str]:
        """``(value, source, why it is missing)``; ``why`` is empty when there is a value."""
        value = self.value(iso3, year)
        return value, self.label(iso3, year), "" if not math.isnan(value) else self.why(iso3, year)


def read_input(store: DatasetStore, name: str) -> Input:
    """Read one of :data:`INPUTS` from the store's current edition of its dataset.

    A store that keeps values derived from its data per data version (the web's per-request
    snapshot, ``derived(key, make)``) builds each input once, not once per metric and call.
    """
    remember = getattr(store, "derived", None)
    if remember is not None:
        found: Input = remember(("compare input", name), lambda: _read_input(store, name))
        return found
    return _read_input(store, name)


def _read_input(store: DatasetStore, name: str) -> Input:
    dataset, column, what, short = INPUTS[name]
    entry = get_dataset(dataset)
    edition = store.current_edition(dataset)
    frame = store.query(dataset)
    if frame.empty:
        raise DataError(f"dataset {dataset!r} (edition {edition}) has no rows; rebuild the store")
    rows = frame[frame[column].notna()]
    keys = list(zip(rows["iso3"], rows["year"].astype(int), strict=True))
    values = dict(zip(keys, rows[column].astype(float), strict=True))
    coverage = {
        str(iso3): (int(years.min()), int(years.max()))
        for iso3, years in rows.groupby("iso3")["year"]
    }
    base_year = None
    if column == "milex_constant_usd":
        bases = rows["constant_usd_base_year"].dropna().unique()
        base_year = int(bases[0]) if len(bases) == 1 else None
    return Input(
        name=name,
        dataset=dataset,
        edition=edition,
        what=what,
        short=short,
        citation=f"{entry.title} ({dataset}, edition {edition})",
        values=values,
        tags=dict(zip(keys, _tags(rows, column), strict=True)),
        coverage=coverage,
        span=(int(frame["year"].min()), int(frame["year"].max())),
        base_year=base_year,
    )


def _tags(rows: pd.DataFrame, column: str) -> list[str]:
    """Per-row notes worth carrying into the source: estimates, price base, mixed sources."""
    if "is_estimate" in rows.columns:
        return ["estimate" if flag else "" for flag in rows["is_estimate"].fillna(0)]
    if column == "population":
        return [str(s) for s in rows["source_id"].fillna("")]
    if column == "milex_constant_usd":
        return [f"constant {int(b)} US$" for b in rows["constant_usd_base_year"]]
    if column == "milex_current_usd":
        return ["current US$"] * len(rows)
    return [""] * len(rows)
