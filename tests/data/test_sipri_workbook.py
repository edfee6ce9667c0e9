"""SIPRI workbook imports: a small workbook in the published layout, and one broken file per rule.

The workbooks are built here with openpyxl in SIPRI's layout: a front page, title rows of
different counts per sheet, a ``Country`` header with Notes/Currency columns, region rows,
``. .`` and ``xxx`` cells, year headers as ints, floats and strings, blue and red fonts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Color, Font

from buildup.data.sipri_workbook import read_sipri_workbook
from buildup.errors import ImportValidationError

BLUE = Font(color=Color(indexed=12))
RED = Font(color=Color(indexed=10))
RGB_BLUE = Font(color="FF0000CC")
CONSTANT = "Constant (2023) US$"


@dataclass(frozen=True)
class Styled:
    """A cell value written in a coloured font."""

    value: object
    font: Font


@dataclass
class Sheet:
    """One sheet in SIPRI's layout: title rows, the ``Country`` header, then data rows."""

    titles: list[str | None]
    header: list[object]
    rows: list[list[object]] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        """The Excel row number of ``rows[0]``."""
        return len(self.titles) + 2


def standard_sheets() -> dict[str, Sheet]:
    """SIPRI's layout with three years; each test changes what its rule needs."""
    legend = [
        "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data.",
        '". ." = data unavailable. "xxx" = country did not exist or was not independent.',
    ]
    return {
        "Local currency calendar years": Sheet(
            ["Military expenditure by country, in local currency, calendar years, 1949-2024",
             "Figures are in local currency, current prices", *legend],
            ["Country", "Currency", "Notes", "1990", "2023", "2024"],
            [["Asia & Oceania"], ["East Asia"],
             ["Japan‡", "yen", "§", 4170075e6, Styled(6757125e6, BLUE), 8371675e6],
             ["Korea, South", "won", None, 10e12, 57e12, 61e12],
             ["Europe"],
             ["Türkiye", "lira", "¶", ". .", 470e9, 790e9],
             ["USSR", "rouble", "[44]", 70e9, "xxx", "xxx"]],
        ),
        "Current US$": Sheet(
            ["Military expenditure by country, in US$ m., at current prices and exchange rates,"
             " 1949-2024     © SIPRI 2025", *legend, None],
            ["Country", "Notes", 1990, 2023, 2024],
            [["Asia & Oceania"], ["East Asia"],
             ["Japan‡", "§", 28800.45, Styled(48189.1, BLUE), 55273.9],
             ["Korea, South", None, 13000.0, 47000.0, Styled(47500.0, RED)],
             ["Europe"], ["Western Europe"],
             ["Türkiye", "¶", ". .", 15800.0, 25000.0],
             ["USSR", "[44]", 300000.0, "xxx", "xxx"]],
        ),
        CONSTANT: Sheet(
            ["Military expenditure by country, in constant (2023) US$ m., 1949-2024",
             "Countries are grouped by region and subregion.", *legend, None],
            ["Country", None, "Notes", 1990.0, 2023.0, 2024.0],
            [["Asia & Oceania"],
             ["Japan‡", None, "§", 35038.7, 48189.1, Styled(58399.3, RGB_BLUE)],
             ["Korea, South", None, None, 20000.0, 47000.0, 46000.0],
             ["Türkiye", None, "¶", "...", 15800.0, 22000.0],
             ["USSR", None, "[44]", 400000.0, "xxx", "xxx"]],
        ),
        "Share of GDP": Sheet(
            ["Military expenditure by country as percentage of gross domestic product, "
             "1949-2024", *legend],
            ["Country", "Notes", 1990, 2023, 2024],
            [["Asia & Oceania"],
             ["Japan‡", "§", 0.0094, Styled(0.0114, BLUE), 0.0137],
             ["Korea, South", None, 0.036, 0.026, 0.026],
             ["Türkiye", "¶", "xxx", 0.014, 0.019],
             ["USSR", "[44]", 0.12, "xxx", "xxx"]],
        ),
        "Per capita": Sheet(["Per capita, ignored"], ["Country", "Notes", 2024],
                            [["Japan", None, "not read"]]),
    }  # fmt: skip


def write_workbook(path: Path, sheets: dict[str, Sheet]) -> Path:
    """Save ``sheets`` after a front page and before a footnotes sheet, as SIPRI does."""
    book = openpyxl.Workbook()
    front = book.active
    assert front is not None
    front.title = "Front page"
    front.append(["SIPRI Military Expenditure Database"])
    for name, sheet in sheets.items():
        worksheet = book.create_sheet(name)
        for line in [[title] for title in sheet.titles] + [sheet.header] + sheet.rows:
            worksheet.append([c.value if isinstance(c, Styled) else c for c in line])
            for column, cell in enumerate(line, start=1):
                if isinstance(cell, Styled):
                    worksheet.cell(row=worksheet.max_row, column=column).font = cell.font
    book.create_sheet("Footnotes").append(["[44] USA: financial years."])
    book.save(path)
    return path


def read(tmp_path: Path, sheets: dict[str, Sheet], name: str = "milex.xlsx") -> pd.DataFrame:
    return read_sipri_workbook(write_workbook(tmp_path / name, sheets)).frame


def value(frame: pd.DataFrame, iso3: str, year: int, column: str) -> Any:
    return frame.set_index(["iso3", "year"]).loc[(iso3, year), column]


def test_reads_every_measure_in_full_units_and_shares_as_fractions(tmp_path: Path) -> None:
    frame = read(tmp_path, standard_sheets())
    assert value(frame, "JPN", 2024, "milex_current_usd") == pytest.approx(55273.9e6)
    assert value(frame, "JPN", 2024, "milex_constant_usd") == pytest.approx(58399.3e6)
    assert value(frame, "JPN", 2024, "milex_local_current") == 8371675e6  # stated in units
    assert value(frame, "JPN", 2024, "share_gdp") == 0.0137
    assert value(frame, "KOR", 1990, "milex_current_usd") == pytest.approx(13000e6)


def test_frame_is_tidy_sorted_and_typed(tmp_path: Path) -> None:
    frame = read(tmp_path, standard_sheets(), name="SIPRI-Milex-data-1949-2024.xlsx")
    assert list(frame.columns) == [
        "iso3", "country", "year", "milex_current_usd", "milex_constant_usd",
        "constant_usd_base_year", "milex_local_current", "share_gdp", "sipri_estimate",
        "sipri_uncertain", "source_id",
    ]  # fmt: skip
    keys = list(zip(frame["iso3"], frame["year"], strict=True))
    assert keys == [
        ("JPN", 1990), ("JPN", 2023), ("JPN", 2024), ("KOR", 1990), ("KOR", 2023),
        ("KOR", 2024), ("SUN", 1990), ("TUR", 2023), ("TUR", 2024),
    ]  # fmt: skip
    assert frame["year"].dtype == "int64"
    assert set(frame["constant_usd_base_year"]) == {2023}
    assert set(frame["source_id"]) == {"SIPRI_WORKBOOK:SIPRI-Milex-data-1949-2024.xlsx"}


def test_names_lose_footnote_marks_and_regions_are_skipped(tmp_path: Path) -> None:
    frame = read(tmp_path, standard_sheets())
    names = dict(zip(frame["iso3"], frame["country"], strict=False))
    assert names == {"JPN": "Japan", "KOR": "Korea, South", "TUR": "Türkiye", "SUN": "USSR"}


def test_unavailable_and_non_existent_cells_are_missing(tmp_path: Path) -> None:
    frame = read(tmp_path, standard_sheets())
    assert frame.loc[frame["iso3"] == "TUR", "year"].tolist() == [2023, 2024]  # ". ." in 1990
    assert frame.loc[frame["iso3"] == "SUN", "year"].tolist() == [1990]  # "xxx" after
    sheets = standard_sheets()
    _japan_row(sheets, "Current US$")[4] = ". ."
    _japan_row(sheets, CONSTANT)[5] = None
    assert math.isnan(value(read(tmp_path, sheets), "JPN", 2024, "milex_current_usd"))


def test_font_colours_become_flags_in_fixed_field_order(tmp_path: Path) -> None:
    frame = read(tmp_path, standard_sheets())
    assert value(frame, "JPN", 2023, "sipri_estimate") == (
        "milex_local_current,milex_current_usd,share_gdp"
    )
    assert value(frame, "JPN", 2024, "sipri_estimate") == "milex_constant_usd"  # RGB blue
    assert value(frame, "KOR", 2024, "sipri_uncertain") == "milex_current_usd"
    assert value(frame, "KOR", 2024, "sipri_estimate") == ""
    assert value(frame, "JPN", 1990, "sipri_uncertain") == ""


def test_edition_is_the_year_after_the_data_and_label_names_the_file(tmp_path: Path) -> None:
    imported = read_sipri_workbook(write_workbook(tmp_path / "m.xlsx", standard_sheets()))
    assert imported.dataset == "milex"
    assert imported.edition == "2025"
    assert imported.edition_label == (
        "SIPRI workbook m.xlsx, data 1990–2024, constant 2023 US$, © SIPRI 2025"
    )
    assert imported.publisher == "Stockholm International Peace Research Institute (SIPRI)"
    assert imported.source_file == "m.xlsx"
    assert (
        "skipped 4 names without figures (regions, subregions): Asia & Oceania, East Asia, "
        "Europe, Western Europe" in imported.notes
    )


def test_base_year_is_read_from_the_constant_sheet_name(tmp_path: Path) -> None:
    sheets = standard_sheets()
    sheets["Constant (2022) US$"] = sheets.pop(CONSTANT)
    imported = read_sipri_workbook(write_workbook(tmp_path / "m.xlsx", sheets))
    assert set(imported.frame["constant_usd_base_year"]) == {2022}
    assert "constant 2022 US$" in imported.edition_label


def test_units_follow_the_title_rows(tmp_path: Path) -> None:
    sheets = standard_sheets()
    sheets["Current US$"].titles[0] = "Military expenditure by country, in US$ billions"
    sheets["Local currency calendar years"].titles[1] = "Figures are in local currency, millions"
    frame = read(tmp_path, sheets)
    assert value(frame, "JPN", 2024, "milex_current_usd") == pytest.approx(55273.9e9)
    assert value(frame, "JPN", 2024, "milex_local_current") == pytest.approx(8371675e12)


def test_a_share_above_one_in_a_fraction_sheet_is_kept(tmp_path: Path) -> None:
    sheets = standard_sheets()
    sheets["Share of GDP"].rows.append(["Kuwait", None, 1.1735, 0.05, 0.05])
    frame = read(tmp_path, sheets)
    assert value(frame, "KWT", 1990, "share_gdp") == 1.1735


def test_us_dollar_zeros_without_a_conversion_are_blanked(tmp_path: Path) -> None:
    sheets = standard_sheets()
    sheets["Local currency calendar years"].rows += [
        ["Costa Rica", "colon", None, 0, 0, 0],
        ["Taiwan", "dollar", None, 200e9, 400e9, 420e9],
    ]
    sheets["Current US$"].rows += [
        ["Costa Rica", None, 0, 0, 0],
        ["Taiwan", None, 0, 12000.0, 13100.0],
    ]
    imported = read_sipri_workbook(write_workbook(tmp_path / "m.xlsx", sheets))
    frame = imported.frame
    assert value(frame, "CRI", 1990, "milex_current_usd") == 0  # no armed forces: a real 0
    assert math.isnan(value(frame, "TWN", 1990, "milex_current_usd"))
    assert value(frame, "TWN", 1990, "milex_local_current") == 200e9
    assert any("blanked 1 US$ cells" in note for note in imported.notes)


def test_a_workbook_with_only_the_share_sheet_is_enough(tmp_path: Path) -> None:
    sheets = {"Share of GDP": standard_sheets()["Share of GDP"]}
    imported = read_sipri_workbook(write_workbook(tmp_path / "m.xlsx", sheets))
    assert imported.frame["milex_current_usd"].isna().all()
    assert imported.frame["constant_usd_base_year"].isna().all()
    assert imported.edition == "2025"


def _japan_row(sheets: dict[str, Sheet], sheet: str) -> list[object]:
    return next(r for r in sheets[sheet].rows if r and r[0] == "Japan‡")


def _broken_unknown_country(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].rows.append(["Atlantis", None, 1.0, 2.0, 3.0])


def _broken_non_numeric(sheets: dict[str, Sheet]) -> None:
    _japan_row(sheets, "Current US$")[3] = "n/a"


def _broken_negative(sheets: dict[str, Sheet]) -> None:
    _japan_row(sheets, CONSTANT)[5] = -5.0


def _broken_duplicate(sheets: dict[str, Sheet]) -> None:
    sheets["Share of GDP"].rows.append(["Japan", None, 0.01, 0.01, 0.01])


def _broken_no_usable_sheets(sheets: dict[str, Sheet]) -> None:
    for name in ("Current US$", CONSTANT, "Share of GDP"):
        del sheets[name]


def _broken_share_in_percent(sheets: dict[str, Sheet]) -> None:
    for row in sheets["Share of GDP"].rows:
        row[2:] = [v * 100 if isinstance(v, float) else v for v in row[2:]]


def _broken_share_title_says_percent(sheets: dict[str, Sheet]) -> None:
    sheets["Share of GDP"].titles.append("Figures are in % of GDP.")


def _broken_no_header(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].header[0] = "Nation"


def _broken_two_units(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].titles.append("Figures for some countries in billions.")


def _broken_unreadable_year_header(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].header[3] = "2023*"


def _broken_empty_year_header(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].header[3] = None


def _broken_year_twice(sheets: dict[str, Sheet]) -> None:
    sheets["Current US$"].header[3] = 2024


BROKEN = {
    # Issue 11, fault 3: a year column whose header cannot be read used to vanish silently.
    "unreadable year header": (
        _broken_unreadable_year_header,
        "sheet 'Current US$', row 5, column D: header '2023*' is neither a year",
    ),
    "empty year header": (
        _broken_empty_year_header,
        "sheet 'Current US$', row 5, column D: a column between the years 1990 and 2024 has "
        "an empty header",
    ),
    "year heads two columns": (_broken_year_twice, "year 2024 heads two columns (D and E)"),
    "unknown country": (
        _broken_unknown_country,
        "milex.xlsx, sheet 'Current US$', row 14: unknown country 'Atlantis'",
    ),
    "non-numeric value": (
        _broken_non_numeric,
        "milex.xlsx, sheet 'Current US$', row 8, column D: 'n/a' is not a number",
    ),
    "negative spending": (
        _broken_negative,
        f"milex.xlsx, sheet '{CONSTANT}', row 8, column F: negative figure -5;",
    ),
    "duplicate country": (
        _broken_duplicate,
        "sheet 'Share of GDP': rows 6 and 10 are both Japan (JPN); delete one",
    ),
    "no usable sheets": (
        _broken_no_usable_sheets,
        "none of the sheets 'Current US$', 'Constant (YYYY) US$' or 'Share of GDP' found "
        "(sheets: 'Front page', 'Local currency calendar years', 'Per capita', 'Footnotes')",
    ),
    "share given as percent": (_broken_share_in_percent, "its median figure is 1.9"),
    "share title says percent": (
        _broken_share_title_says_percent,
        "its title says 'Figures are in %'",
    ),
    "no header row": (_broken_no_header, "no header row starting with 'Country'"),
    "two units": (_broken_two_units, "the title rows state both millions"),
}


@pytest.mark.parametrize("rule", list(BROKEN))
def test_each_broken_workbook_fails_with_one_line_naming_the_place(
    tmp_path: Path, rule: str
) -> None:
    breaker, fragment = BROKEN[rule]
    sheets = standard_sheets()
    breaker(sheets)
    with pytest.raises(ImportValidationError) as caught:
        read(tmp_path, sheets)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_unknown_country_message_carries_the_resolver_suggestion(tmp_path: Path) -> None:
    sheets = standard_sheets()
    sheets["Current US$"].rows.append(["Japn", None, 1.0, 2.0, 3.0])
    with pytest.raises(ImportValidationError, match=r"did you mean Japan \(JPN\)"):
        read(tmp_path, sheets)


@pytest.mark.parametrize(
    ("name", "content"), [("fake.xlsx", b"Country,2024\nJapan,1\n"), ("data.csv", b"a,b\n")]
)
def test_a_file_that_is_not_a_workbook_is_refused(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportValidationError, match=rf"^{name}: not a readable \.xlsx workbook"):
        read_sipri_workbook(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError, match=r"^missing\.xlsx: no such file"):
        read_sipri_workbook(tmp_path / "missing.xlsx")


def test_a_percent_share_sheet_is_read_only_when_the_user_says_so(tmp_path: Path) -> None:
    # Issue 11, fault 2: the same rule as tidy CSVs; --percent converts, nothing else does.
    sheets = standard_sheets()
    _broken_share_in_percent(sheets)
    path = write_workbook(tmp_path / "milex.xlsx", sheets)
    converted = read_sipri_workbook(path, percent=True).frame
    assert value(converted, "JPN", 2024, "share_gdp") == pytest.approx(
        value(read(tmp_path, standard_sheets(), "plain.xlsx"), "JPN", 2024, "share_gdp")
    )
    with pytest.raises(ImportValidationError, match="declared percentages but are fractions"):
        read_sipri_workbook(write_workbook(tmp_path / "f.xlsx", standard_sheets()), percent=True)
