from __future__ import annotations

import pytest

from buildup.compare import JAPAN_AND_PARTNERS, compare_overview
from buildup.data.catalogue import load_bundled
from buildup.errors import DataError
from buildup.store import Store


def test_overview_recomputes_from_the_source(store: Store) -> None:
    frame = compare_overview(store, list(JAPAN_AND_PARTNERS)).set_index("iso3")
    milex = load_bundled("milex").set_index(["iso3", "year"])
    for iso3 in JAPAN_AND_PARTNERS:
        row = frame.loc[iso3]
        latest = int(row["year"])
        assert latest == 2024
        now, then = milex.loc[(iso3, 2024)], milex.loc[(iso3, 2014)]
        assert row["real_change"] == pytest.approx(
            now["milex_constant_usd"] / then["milex_constant_usd"] - 1
        )
        assert row["share_gdp"] == now["share_gdp"]
        assert row["share_gdp_then"] == then["share_gdp"]
    # SIPRI fact sheet, April 2025: US$997bn for the USA in 2024 (CONTROL_FIGURES.md).
    assert round(frame.loc["USA", "milex_current_usd"] / 1e9) == 997
    assert frame.loc["CHN", "sipri_estimate"] == "all"
    assert frame.loc["JPN", "sipri_estimate"] == ""


def test_window_changes_the_base_year(store: Store) -> None:
    frame = compare_overview(store, ["JPN"], window=5)
    milex = load_bundled("milex").set_index(["iso3", "year"])
    expected = (
        milex.loc[("JPN", 2024), "milex_constant_usd"]
        / milex.loc[("JPN", 2019), "milex_constant_usd"]
        - 1
    )
    assert frame["real_change"].item() == pytest.approx(expected)


def test_country_without_constant_dollar_figures(store: Store) -> None:
    with pytest.raises(DataError, match="SIPRI has no constant-dollar spending for PRK"):
        compare_overview(store, ["PRK"])
