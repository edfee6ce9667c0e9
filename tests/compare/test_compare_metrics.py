"""compare_countries: values as the sources publish them, missing values, group shares."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildup.compare import Group, compare_countries, resolve_group, resolve_metric
from buildup.data.catalogue import bundled_path, load_bundled
from buildup.errors import DataError, InputError
from buildup.store import Store
from buildup.types import YearRange


@pytest.fixture(scope="module")
def shared_store(
    built_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One store for the property test (hypothesis runs many examples in one test)."""
    path = tmp_path_factory.mktemp("compare") / "store.duckdb"
    shutil.copy(built_store_path, path)
    with Store.open(path) as opened:
        yield opened


def _value(rows: pd.DataFrame, iso3: str, year: int) -> float:
    (value,) = rows.loc[(rows["iso3"] == iso3) & (rows["year"] == year), "value"]
    return float(value)


@pytest.mark.parametrize(
    ("iso3", "year"), [("JPN", 2024), ("KOR", 2010), ("USA", 2000), ("CHN", 2015), ("POL", 2024)]
)
def test_sipri_values_match_the_shipped_file_exactly(store: Store, iso3: str, year: int) -> None:
    raw = pd.read_csv(bundled_path("milex_sipri.csv")).set_index(["iso3", "year"])
    years = YearRange(year, year)
    share = compare_countries(store, [iso3], "share_gdp", years)
    constant = compare_countries(store, [iso3], "constant_usd", years)
    current = compare_countries(store, [iso3], "current_usd", years)
    assert _value(share, iso3, year) == raw.loc[(iso3, year), "share_gdp"] / 100
    assert _value(constant, iso3, year) == raw.loc[(iso3, year), "milex_constant_usd"]
    assert _value(current, iso3, year) == raw.loc[(iso3, year), "milex_current_usd"]
    assert share["source"].tolist() == ["SIPRI milex 2025"]
    assert constant["source"].tolist() == ["SIPRI milex 2025 (constant 2023 US$)"]


def test_nato_values_match_and_flag_estimates(store: Store) -> None:
    raw = pd.read_csv(bundled_path("nato_share_gdp.csv")).set_index(["iso3", "year"])
    rows = compare_countries(store, ["DEU", "POL"], "nato_share_gdp", YearRange(2023, 2024))
    for iso3 in ("DEU", "POL"):
        for year in (2023, 2024):
            assert _value(rows, iso3, year) == raw.loc[(iso3, year), "share_gdp"] / 100
    sources = rows.set_index(["iso3", "year"])["source"]
    assert sources[("DEU", 2023)] == "NATO nato 2025-08"
    assert sources[("DEU", 2024)] == "NATO nato 2025-08 (estimate)"


def test_per_capita_recomputes_from_spending_and_population(store: Store) -> None:
    milex = load_bundled("milex").set_index(["iso3", "year"])
    people = load_bundled("population").set_index(["iso3", "year"])
    rows = compare_countries(store, ["JPN", "PRK"], "per_capita_usd", YearRange(2016, 2018))
    for iso3 in ("JPN", "PRK"):
        for year in (2016, 2017, 2018):
            expected = (
                milex.loc[(iso3, year), "milex_current_usd"]
                / people.loc[(iso3, year), "population"]
            )
            assert _value(rows, iso3, year) == pytest.approx(expected, rel=1e-12)
    sources = rows.set_index(["iso3", "year"])["source"]
    # the population series switches source by country: each row names its own
    assert sources[("JPN", 2018)].endswith("population 2025-04 (IMF_WEO_2025APR)")
    assert sources[("PRK", 2018)].endswith("population 2025-04 (WB_WDI_SP.POP.TOTL)")


def test_real_growth_over_a_window(store: Store) -> None:
    milex = load_bundled("milex").set_index(["iso3", "year"])["milex_constant_usd"]
    rows = compare_countries(store, ["JPN"], "real_growth", YearRange(2024, 2024), window=5)
    assert _value(rows, "JPN", 2024) == pytest.approx(
        milex[("JPN", 2024)] / milex[("JPN", 2019)] - 1
    )
    info = resolve_metric(store, "real_growth", window=5)
    assert info.base_year == 2023
    assert "5 years" in info.unit


def test_sipri_minus_nato_where_both_exist(store: Store) -> None:
    milex = load_bundled("milex").set_index(["iso3", "year"])["share_gdp"]
    nato = load_bundled("nato").set_index(["iso3", "year"])["share_gdp"]
    rows = compare_countries(store, ["GBR"], "sipri_minus_nato", YearRange(2020, 2024))
    for year in range(2020, 2025):
        expected = milex[("GBR", year)] - nato[("GBR", year)]
        assert _value(rows, "GBR", year) == pytest.approx(expected, abs=1e-15)


def test_rows_are_tidy(store: Store) -> None:
    rows = compare_countries(store, ["JPN", "KOR"], "share_gdp", YearRange(2020, 2024))
    assert list(rows.columns) == ["iso3", "year", "metric", "value", "source", "note"]
    assert rows[["iso3", "year"]].values.tolist() == [
        [iso3, year] for iso3 in ("JPN", "KOR") for year in range(2020, 2025)
    ]
    assert set(rows["metric"]) == {"share_gdp"}


def test_default_years_end_at_the_last_complete_year(store: Store) -> None:
    rows = compare_countries(store, ["JPN", "USA"], "share_gdp")
    assert (rows["year"].min(), rows["year"].max()) == (2000, 2024)
    # NATO's 2025 column is incomplete in the bundled edition: the default stops at 2024
    nato = compare_countries(store, ["DEU"], "nato_share_gdp")
    assert (nato["year"].min(), nato["year"].max()) == (2014, 2024)
    opened = compare_countries(store, ["JPN"], "share_gdp", YearRange(2020, None))
    assert opened["year"].tolist() == [2020, 2021, 2022, 2023, 2024]


def test_a_value_the_data_lacks_is_an_error_naming_country_year_and_why(store: Store) -> None:
    with pytest.raises(DataError) as raised:
        compare_countries(store, ["JPN"], "per_capita_usd", YearRange(1985, 1995))
    assert str(raised.value).startswith(
        "per_capita_usd for JPN in 1985: population (population, edition 2025-04) has no value "
        "for JPN in 1985; its values for JPN run from 1990 to 2030 (4 more missing); "
        "allow missing values (`allow_missing`)"
    )


def test_allow_missing_keeps_missing_values_missing(store: Store) -> None:
    rows = compare_countries(
        store, ["JPN"], "per_capita_usd", YearRange(1985, 1995), allow_missing=True
    )
    missing = rows[rows["year"] < 1990]
    assert len(missing) == 5
    assert missing["value"].isna().all()
    assert missing["note"].str.contains("has no value").all()
    assert rows.loc[rows["year"] >= 1990, "value"].gt(0).all()
    assert (rows.loc[rows["year"] >= 1990, "note"] == "").all()


def test_a_non_member_has_no_nato_figure(store: Store) -> None:
    with pytest.raises(DataError, match=r"nato_share_gdp for JPN in 2014: .* it has none for JPN"):
        compare_countries(store, ["JPN"], "nato_share_gdp")


def test_group_members_count_from_the_year_they_joined(store: Store) -> None:
    nato = resolve_group("NATO")
    rows = compare_countries(
        store, [], "share_gdp", YearRange(2020, 2024), group=nato, allow_missing=True
    )
    assert rows.loc[rows["iso3"] == "FIN", "year"].tolist() == [2023, 2024]
    assert rows.loc[rows["iso3"] == "SWE", "year"].tolist() == [2024]
    # a country named on its own is shown in every year
    named = compare_countries(
        store, ["SWE"], "share_gdp", YearRange(2020, 2024), group=nato, allow_missing=True
    )
    assert named.loc[named["iso3"] == "SWE", "year"].tolist() == list(range(2020, 2025))


def test_share_of_nato_respects_accession(store: Store) -> None:
    nato = resolve_group("NATO")
    rows = compare_countries(store, [], "share_of_group", YearRange(2022, 2024), group=nato)
    per_year = rows.groupby("year")["value"]
    assert per_year.size().to_dict() == {2022: 30, 2023: 31, 2024: 32}
    assert per_year.sum().tolist() == pytest.approx([1.0, 1.0, 1.0], abs=1e-12)
    milex = load_bundled("milex").set_index(["iso3", "year"])["milex_current_usd"]
    total = sum(milex[(iso3, 2024)] for iso3 in nato.members(2024))
    assert _value(rows, "USA", 2024) == pytest.approx(milex[("USA", 2024)] / total)


def test_a_country_never_in_the_group_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match=r"FIN is not a member of NATO .* joined in 2023"):
        compare_countries(
            store, ["FIN"], "share_of_group", YearRange(2000, 2010), group=resolve_group("NATO")
        )


def test_unknown_metric_and_no_countries(store: Store) -> None:
    with pytest.raises(InputError, match="unknown metric 'gdp': choose one of share_gdp"):
        compare_countries(store, ["JPN"], "gdp")
    with pytest.raises(InputError, match="no countries to compare"):
        compare_countries(store, [], "share_gdp")


# Countries with SIPRI current-US$ spending in every year 1995-2024.
POOL = ("AUS", "CAN", "CHN", "DEU", "FRA", "GBR", "IND", "ITA", "JPN", "KOR", "POL", "USA")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    countries=st.lists(st.sampled_from(POOL), min_size=1, max_size=len(POOL), unique=True),
    start=st.integers(1995, 2024),
    length=st.integers(0, 10),
)
def test_shares_of_a_group_total_sum_to_one(
    shared_store: Store, countries: list[str], start: int, length: int
) -> None:
    years = YearRange(start, min(start + length, 2024))
    group = Group.of_countries(countries, "a random group")
    rows = compare_countries(shared_store, countries, "share_of_group", years, group=group)
    assert set(rows["iso3"]) == set(countries)
    for _, values in rows.groupby("year")["value"]:
        assert math.fsum(values) == pytest.approx(1.0, abs=1e-12)
        assert values.between(0, 1).all()
