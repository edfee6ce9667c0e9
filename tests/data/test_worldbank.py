"""World Bank WDI CSV imports: downloads in the published layout, and one broken file per rule."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from buildup.data.worldbank import WDI_INDICATORS, read_worldbank_csv
from buildup.errors import ImportValidationError

FX = "PA.NUS.FCRF"
FX_NAME = "Official exchange rate (LCU per US$, period average)"
YEARS = ["2022", "2023", "2024"]


def row(name: str, code: str, values: list[str], indicator: str = FX) -> list[str]:
    return [name, code, FX_NAME if indicator == FX else indicator, indicator, *values]


def good_rows() -> list[list[str]]:
    """Two countries and four aggregates (the world, a region, an income group, the EU).

    Written by :func:`write_wdi`, the rows are on lines 6 to 11 (Japan on line 7): above them
    are Data Source, a blank line, Last Updated Date, a blank line and the header.
    """
    return [
        row("World", "WLD", ["", "", ""]),
        row("Japan", "JPN", ["131.498", "140.491", "151.353"]),
        row("East Asia & Pacific", "EAS", ["7.1", "7.2", "7.3"]),
        row("Korea, Rep.", "KOR", ["1291.45", "", "1363.98"]),
        row("High income", "HIC", ["", "", ""]),
        row("European Union", "EUU", ["0.95", "0.92", "0.92"]),
    ]


def write_wdi(
    path: Path,
    rows: list[list[str]],
    *,
    updated: str | None = "2025-07-01",
    header: list[str] | None = None,
    bom: bool = True,
) -> Path:
    """Write a WDI download: quoted cells, a trailing comma on every line, metadata on top."""
    if header is None:
        header = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *YEARS]
    meta = [["Data Source", "World Development Indicators"], []]
    meta += [["Last Updated Date", updated], []] if updated is not None else [[], []]
    lines = [",".join(f'"{cell}"' for cell in cells) + "," for cells in [*meta, header, *rows]]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(tmp_path: Path, rows: list[list[str]], **options: Any) -> pd.DataFrame:
    return read_worldbank_csv(write_wdi(tmp_path / "API_test.csv", rows, **options)).frame


@pytest.mark.parametrize("bom", [True, False])
def test_exchange_rates_read_tidy_with_aggregates_skipped(tmp_path: Path, bom: bool) -> None:
    imported = read_worldbank_csv(write_wdi(tmp_path / "fx.csv", good_rows(), bom=bom))
    frame = imported.frame
    assert imported.dataset == "fx"
    assert list(frame.columns) == ["iso3", "currency", "year", "local_per_usd", "source_id"]
    keys = list(zip(frame["iso3"], frame["year"], strict=True))
    assert keys == [("JPN", 2022), ("JPN", 2023), ("JPN", 2024), ("KOR", 2022), ("KOR", 2024)]
    assert frame["local_per_usd"].tolist() == [131.498, 140.491, 151.353, 1291.45, 1363.98]
    assert frame["currency"].isna().all()
    assert frame["year"].dtype == "int64"
    assert set(frame["source_id"]) == {"WB_WDI_PA.NUS.FCRF"}
    assert "skipped 4 aggregates (regions, income groups): WLD, EAS, HIC, EUU" in imported.notes


def test_edition_comes_from_the_last_updated_date(tmp_path: Path) -> None:
    imported = read_worldbank_csv(write_wdi(tmp_path / "fx.csv", good_rows()))
    assert imported.edition == "2025-07"
    assert imported.edition_label == (
        "World Development Indicators, last updated 2025-07-01, PA.NUS.FCRF"
    )
    assert imported.publisher == "World Bank, World Development Indicators"
    assert imported.source_file == "fx.csv"


def test_gdp_in_local_currency_and_dollars_merge_into_one_dataset(tmp_path: Path) -> None:
    rows = [
        row("Japan", "JPN", ["5.5e14", "5.9e14", ""], "NY.GDP.MKTP.CN"),
        row("Japan", "JPN", ["4.26e12", "4.21e12", "4.03e12"], "NY.GDP.MKTP.CD"),
        row("World", "WLD", ["1e14", "1e14", "1e14"], "NY.GDP.MKTP.CD"),
    ]
    imported = read_worldbank_csv(write_wdi(tmp_path / "gdp.csv", rows))
    frame = imported.frame
    assert imported.dataset == "gdp"
    assert list(frame.columns) == [
        "iso3", "country", "year", "gdp_local_current", "gdp_current_usd", "is_forecast",
        "source_id",
    ]  # fmt: skip
    assert frame["gdp_local_current"].tolist()[:2] == [5.5e14, 5.9e14]
    assert math.isnan(frame["gdp_local_current"].iloc[2])
    assert frame["gdp_current_usd"].tolist() == [4.26e12, 4.21e12, 4.03e12]
    assert frame["is_forecast"].tolist() == [0, 0, 0]
    assert set(frame["country"]) == {"Japan"}
    assert set(frame["source_id"]) == {"WB_WDI_NY.GDP.MKTP.CN+NY.GDP.MKTP.CD"}


def test_population_reads_persons(tmp_path: Path) -> None:
    rows = [row("Japan", "JPN", ["125124989", "124516650", ""], "SP.POP.TOTL")]
    frame = read(tmp_path, rows)
    assert list(frame.columns) == [
        "iso3", "country", "year", "population", "is_forecast", "source_id",
    ]  # fmt: skip
    assert frame["population"].tolist() == [125124989, 124516650]


def test_every_supported_indicator_maps_to_a_known_dataset() -> None:
    assert {i.dataset for i in WDI_INDICATORS.values()} == {"fx", "population", "gdp"}


def _with_value(text: str) -> list[list[str]]:
    rows = good_rows()
    rows[1][5] = text  # Japan 2023, line 7
    return rows


def _unknown_indicator() -> list[list[str]]:
    return [*good_rows(), row("Japan", "JPN", ["1", "2", "3"], "NY.GDP.PCAP.CD")]


def _duplicate() -> list[list[str]]:
    return [*good_rows(), row("Japan", "JPN", ["1", "2", "3"])]


def _two_datasets() -> list[list[str]]:
    return [*good_rows(), row("Japan", "JPN", ["1", "2", "3"], "SP.POP.TOTL")]


BROKEN: dict[str, tuple[list[list[str]], dict[str, Any], str]] = {
    "unknown indicator": (
        _unknown_indicator(),
        {},
        "API_test.csv, line 12: indicator 'NY.GDP.PCAP.CD' is not supported; download one of "
        "PA.NUS.FCRF (fx), SP.POP.TOTL (population), NY.GDP.MKTP.CN (gdp), NY.GDP.MKTP.CD (gdp)",
    ),
    "non-numeric": (_with_value("1,404.5"), {}, "line 7, column 2023: '1,404.5' is not a number"),
    "negative": (_with_value("-140.491"), {}, "line 7, column 2023: '-140.491' is a negative"),
    "duplicate": (_duplicate(), {}, "lines 7 and 12 both hold PA.NUS.FCRF for JPN"),
    "two datasets": (_two_datasets(), {}, "found fx: PA.NUS.FCRF; population: SP.POP.TOTL"),
    "missing header column": (
        good_rows(),
        {"header": ["Country Name", "Indicator Name", "Indicator Code", *YEARS]},
        "line 5: the header lacks Country Code (found 'Country Name', 'Indicator Name'",
    ),
    # Issue 11, fault 3: a year header the reader cannot parse used to drop the year silently.
    "unreadable year header": (
        good_rows(),
        {
            "header": [
                "Country Name",
                "Country Code",
                "Indicator Name",
                "Indicator Code",
                YEARS[0],
                f"{YEARS[1]} [YR{YEARS[1]}]",
                YEARS[2],
            ]
        },
        f"line 5, column 6: header '{YEARS[1]} [YR{YEARS[1]}]' is neither a year",
    ),
    "empty header between years": (
        good_rows(),
        {
            "header": [
                "Country Name",
                "Country Code",
                "Indicator Name",
                "Indicator Code",
                YEARS[0],
                "",
                YEARS[2],
            ]
        },
        "line 5, column 6: an empty header is neither a year",
    ),
    "missing Last Updated Date": (good_rows(), {"updated": None}, 'no "Last Updated Date" row'),
    "malformed Last Updated Date": (
        good_rows(),
        {"updated": "July 2025"},
        "Last Updated Date 'July 2025' is not a date like 2025-07-01",
    ),
    "aggregates only": (good_rows()[::2], {}, "no figures for any country (PA.NUS.FCRF)"),
}


@pytest.mark.parametrize("rule", list(BROKEN))
def test_each_broken_file_fails_with_one_line_naming_the_place(tmp_path: Path, rule: str) -> None:
    rows, options, fragment = BROKEN[rule]
    with pytest.raises(ImportValidationError) as caught:
        read(tmp_path, rows, **options)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError, match=r"^missing\.csv: no such file"):
        read_worldbank_csv(tmp_path / "missing.csv")


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x9f")
    with pytest.raises(ImportValidationError, match=r"^book\.csv: not a readable UTF-8 CSV"):
        read_worldbank_csv(path)
