"""The data overview: latest military spending, share of GDP and real change per country.

All figures are SIPRI's (dataset ``milex``, current edition): spending in current US$ and in
constant US$ of the edition's base year, the share of GDP as a fraction, and the real change
over ``window`` years computed from the constant-dollar series.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from buildup.data.catalogue import SIPRI_FIELDS
from buildup.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore

__all__ = ["JAPAN_AND_PARTNERS", "compare_overview"]

JAPAN_AND_PARTNERS = ("JPN", "USA", "CHN", "KOR", "AUS", "PHL", "TWN", "IND")


def compare_overview(
    store: DatasetStore, countries: Sequence[str], window: int = 10
) -> pd.DataFrame:
    """One row per country: its latest SIPRI year and the real change over ``window`` years.

    Columns: ``iso3``, ``country``, ``year`` (latest with constant-dollar spending),
    ``milex_current_usd`` [US$], ``milex_constant_usd`` [US$ of ``constant_usd_base_year``],
    ``share_gdp`` [fraction], ``share_gdp_then`` [fraction, ``window`` years earlier],
    ``real_change`` [fraction, constant-dollar change over the window], ``sipri_estimate``
    (fields SIPRI marks as its estimates in the latest year, ``"all"`` for every field).
    """
    import pandas as pd

    milex = store.query("milex", list(countries))
    rows = []
    for iso3 in countries:
        series = milex[(milex["iso3"] == iso3) & milex["milex_constant_usd"].notna()]
        if series.empty:
            raise DataError(f"SIPRI has no constant-dollar spending for {iso3}")
        latest = series.iloc[-1]
        then = series[series["year"] == latest["year"] - window]
        then_constant = then["milex_constant_usd"].iloc[0] if len(then) else float("nan")
        rows.append(
            {
                "iso3": iso3,
                "country": latest["country"],
                "year": int(latest["year"]),
                "milex_current_usd": latest["milex_current_usd"],
                "milex_constant_usd": latest["milex_constant_usd"],
                "constant_usd_base_year": int(latest["constant_usd_base_year"]),
                "share_gdp": latest["share_gdp"],
                "share_gdp_then": then["share_gdp"].iloc[0] if len(then) else float("nan"),
                "real_change": latest["milex_constant_usd"] / then_constant - 1.0,
                "sipri_estimate": _fields(str(latest["sipri_estimate"])),
            }
        )
    return pd.DataFrame(rows)


def _fields(flagged: str) -> str:
    fields = [f for f in flagged.split(",") if f]
    return "all" if len(fields) == len(SIPRI_FIELDS) else ",".join(fields)
