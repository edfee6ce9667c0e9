"""Counts of a group's members at or above a share of GDP, and league tables with ties.

Published counts depend on the edition (NATO revises its estimates each year) and on
rounding: tables print shares to one decimal of a percent, and a count of "2 % or more" from
such a table includes 1.96 %. So every :class:`Count` names its dataset, edition and rule.

Rounding is half up on the percentage (``rounding=1``: 1.95 % → 2.0 %, 1.949 % → 1.9 %),
done in decimal arithmetic so that a share stored as 0.0195 is not rounded down by binary
floating point. Exact comparisons allow 1e-9 relative, far below any published precision.

League tables rank on the share shown (rounded when ``rounding`` is given), highest first.
Ties share a rank: ``method="min"`` gives competition ranks (1, 2, 2, 4), as league tables
print them; ``method="dense"`` gives 1, 2, 2, 3. Members without a value get no rank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

from buildup.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.compare.groups import Group
    from buildup.store import DatasetStore

__all__ = ["Count", "count_at_or_above", "rank_countries", "round_share"]

Source = Literal["nato", "sipri"]
_DATASETS = {"nato": "nato", "sipri": "milex"}
_PUBLISHERS = {"nato": "NATO", "sipri": "SIPRI"}
_EXACT = 1e-9  # relative tolerance of an exact comparison


@dataclass(frozen=True)
class Count:
    """How many members of a group were at or above ``threshold_share`` in ``year``."""

    group: str
    year: int
    threshold_share: float
    source: str
    dataset: str
    edition: str
    rounding: int | None
    rule: str
    count: int
    members: int
    with_data: int
    at_or_above: tuple[str, ...]
    without_data: tuple[str, ...]


def round_share(share: float, decimals: int) -> float:
    """``share`` [fraction] with its percentage rounded half up to ``decimals`` decimals.

    >>> round_share(0.019977, 1), round_share(0.01949, 1)
    (0.02, 0.019)
    """
    percent = (Decimal(repr(share)) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return float(percent / 100)


def count_at_or_above(
    store: DatasetStore,
    group: Group,
    year: int,
    threshold: float,
    source: Source = "nato",
    rounding: int | None = None,
    edition: str | None = None,
) -> Count:
    """Count ``group``'s members in ``year`` whose share of GDP is at least ``threshold``.

    ``threshold`` is a fraction (0.02 = 2 %); ``source`` is ``"nato"`` (dataset ``nato``) or
    ``"sipri"`` (dataset ``milex``); ``rounding`` is the decimals of the percentage shares are
    rounded to first (None: exact); ``edition`` defaults to the store's current one.
    """
    if not 0 < threshold <= 1:
        hint = f"; write {threshold / 100:g} for {threshold:g} %" if 1 < threshold <= 100 else ""
        raise InputError(f"threshold {threshold:g} is not a fraction between 0 and 1{hint}")
    shares, edition = _shares(store, group, year, source, edition)
    members = group.members(year)
    known = {iso3: s for iso3, s in shares.items() if not math.isnan(s)}
    above = tuple(iso3 for iso3, s in known.items() if _at_or_above(s, threshold, rounding))
    return Count(
        group=group.name,
        year=year,
        threshold_share=threshold,
        source=source,
        dataset=_DATASETS[source],
        edition=edition,
        rounding=rounding,
        rule=_rule(threshold, rounding),
        count=len(above),
        members=len(members),
        with_data=len(known),
        at_or_above=above,
        without_data=tuple(iso3 for iso3 in members if iso3 not in known),
    )


def rank_countries(
    store: DatasetStore,
    group: Group,
    year: int,
    source: Source = "sipri",
    rounding: int | None = None,
    method: Literal["min", "dense"] = "min",
    edition: str | None = None,
) -> pd.DataFrame:
    """A league table of ``group``'s members in ``year`` by share of GDP, highest first.

    Columns: ``rank`` (nullable int; ties share it, see the module's notes), ``iso3``,
    ``share_gdp`` [fraction, as published], ``shown_share`` [fraction, rounded when
    ``rounding`` is given], ``source`` (dataset and edition).
    """
    import pandas as pd

    shares, edition = _shares(store, group, year, source, edition)
    frame = pd.DataFrame({"iso3": list(shares), "share_gdp": list(shares.values())}, dtype=object)
    frame["share_gdp"] = frame["share_gdp"].astype(float)
    frame["shown_share"] = [
        s if rounding is None or math.isnan(s) else round_share(s, rounding)
        for s in frame["share_gdp"]
    ]
    frame["rank"] = frame["shown_share"].rank(method=method, ascending=False).astype("Int64")
    frame["source"] = f"{_PUBLISHERS[source]} {_DATASETS[source]} {edition}"
    frame = frame.sort_values(["shown_share", "iso3"], ascending=[False, True], na_position="last")
    return frame[["rank", "iso3", "share_gdp", "shown_share", "source"]].reset_index(drop=True)


def _shares(
    store: DatasetStore, group: Group, year: int, source: Source, edition: str | None
) -> tuple[dict[str, float], str]:
    if source not in _DATASETS:
        raise InputError(f"unknown source {source!r}: choose nato or sipri")
    dataset = _DATASETS[source]
    chosen = edition or store.current_edition(dataset)
    members = group.members(year)
    if not members:
        raise InputError(f"{group.label} has no members in {year}; choose a later year")
    frame = store.query(dataset, list(members), None, chosen)
    rows = frame[frame["year"] == year]
    by_iso3 = dict(zip(rows["iso3"], rows["share_gdp"].astype(float), strict=True))
    return {iso3: by_iso3.get(iso3, math.nan) for iso3 in members}, chosen


def _at_or_above(share: float, threshold: float, rounding: int | None) -> bool:
    if rounding is None:
        return share >= threshold * (1 - _EXACT)
    return round_share(share, rounding) >= round_share(threshold, rounding)


def _rule(threshold: float, rounding: int | None) -> str:
    percent = f"{threshold * 100:g} %"
    if rounding is None:
        return f"share of GDP ≥ {percent}, exact (as published, unrounded)"
    return (
        f"share of GDP as a percentage rounded half up to {rounding} decimal(s), ≥ {percent} "
        "(as published tables show them)"
    )
