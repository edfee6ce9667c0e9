"""Tidy CSV imports: the good case, and one deliberately broken file per validation rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildup.data.tidy import read_tidy_csv
from buildup.errors import DataError, ImportValidationError

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN = FIXTURES / "broken"


def test_good_file_reads_tidy_and_resolves_names() -> None:
    imported = read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="test-1")
    frame = imported.frame
    assert list(frame.columns) == ["iso3", "currency", "year", "local_per_usd", "source_id"]
    assert frame["iso3"].tolist() == ["JPN", "KOR", "JPN"]
    assert frame["local_per_usd"].tolist() == [151.35, 1363.98, 149.0]
    assert frame["source_id"].tolist() == ["TEST", "TEST", "CSV:tidy_good_fx.csv"]
    assert imported.edition == "test-1"
    assert imported.dataset == "fx"


BROKEN_CASES = {
    "tidy_unknown_country.csv": (
        "tidy_unknown_country.csv, row 3, column iso3: unknown country 'Atlantis'"
    ),
    "tidy_non_numeric.csv": "row 3, column local_per_usd: '1,363.98' is not a number",
    "tidy_negative.csv": "row 3, column local_per_usd: -1363.98 is negative",
    "tidy_duplicate.csv": "rows 2 and 4: duplicate iso3=JPN, year=2024",
    "tidy_unknown_column.csv": "unknown column(s) rate_2 for dataset 'fx'",
    "tidy_missing_column.csv": "missing column(s) year; dataset 'fx' needs iso3, year",
    "tidy_bad_year.csv": "row 2, column year: 'FY24' is not a year",
    "tidy_bad_last_row.csv": "row 4, column local_per_usd: 'abc' is not a number",
    "tidy_not_utf8.csv": "not a readable CSV file",
}


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN_CASES.items()))
def test_broken_file_gives_one_line_naming_the_place(file: str, fragment: str) -> None:
    with pytest.raises(ImportValidationError) as info:
        read_tidy_csv(BROKEN / file, "fx")
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_every_broken_fixture_has_a_case() -> None:
    assert {p.name for p in BROKEN.glob("tidy_*.csv")} == set(BROKEN_CASES)


def test_missing_file() -> None:
    with pytest.raises(ImportValidationError, match="no such file"):
        read_tidy_csv(BROKEN / "nope.csv", "fx")


def test_unknown_dataset() -> None:
    with pytest.raises(DataError, match=r"^dataset = fxx: unknown dataset; expected one of "):
        read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fxx")


SHIPPED = Path(__file__).parents[2] / "src" / "buildup" / "data" / "files"


def test_a_file_of_percentages_is_refused_without_percent() -> None:
    # Issue 11, fault 2: NATO's shipped CSV holds percentages; imported as fractions, Germany
    # showed 200.37 % and every member "reached 2 %".
    with pytest.raises(ImportValidationError) as caught:
        read_tidy_csv(SHIPPED / "nato_share_gdp.csv", "nato")
    message = str(caught.value)
    assert "nato_share_gdp.csv, column share_gdp: shares of GDP must be fractions" in message
    assert "declare them percentages (`percent`)" in message


def test_percent_converts_and_is_refused_over_fractions(tmp_path: Path) -> None:
    frame = read_tidy_csv(SHIPPED / "nato_share_gdp.csv", "nato", percent=True).frame
    germany = frame[(frame["iso3"] == "DEU") & (frame["year"] == 2024)]["share_gdp"].item()
    assert 0.015 < germany < 0.03
    fractions = tmp_path / "fractions.csv"
    fractions.write_text("iso3,year,share_gdp\nDEU,2024,0.0212\nFRA,2024,0.0206\n", "utf-8")
    assert read_tidy_csv(fractions, "nato").frame["share_gdp"].tolist() == [0.0212, 0.0206]
    with pytest.raises(ImportValidationError, match="declared percentages but are fractions"):
        read_tidy_csv(fractions, "nato", percent=True)


def test_a_header_without_rows_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("iso3,currency,year,local_per_usd\n", "utf-8")
    with pytest.raises(ImportValidationError, match=r"empty\.csv: the header is there but no data"):
        read_tidy_csv(empty, "fx")
