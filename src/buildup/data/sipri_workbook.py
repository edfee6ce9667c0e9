"""Read SIPRI's Military Expenditure Database workbook (xlsx, as published) into an edition.

Layout handled (it shifts a little between editions, so nothing is found by position):

- Sheets used: "Local currency calendar years" (``milex_local_current``), "Current US$"
  (``milex_current_usd``), "Constant (YYYY) US$" (``milex_constant_usd``; the price base
  YYYY is read from the sheet name) and "Share of GDP" (``share_gdp``). Every other sheet
  (front page, financial years, per capita, footnotes, …) is ignored. At least one of the
  US$ sheets or the share sheet must be present.
- Each sheet opens with title rows (their number varies), then a header row whose first
  non-empty cell is ``Country``, then optional ``Currency``/``Notes`` columns, then one column
  per year (``2018``, ``2018.0`` or ``"2018"``). Any other header cell, an empty header
  between two years or a year heading two columns is refused with its sheet, row and column.
- The unit of a money sheet is stated in its title rows: "US$ m." or "millions" [×1e6],
  "billions"/"bn" [×1e9], nothing [×1]. Money is returned in full units. Shares stay
  fractions of GDP [0.0137 = 1.37 %]; a sheet of percentages is refused (the ``percent`` option
  converts it; :mod:`buildup.data.shares`).
- Region and subregion rows have a name and no year cells: they are skipped. ``. .``,
  ``..``, ``...`` (unavailable), ``xxx`` (country did not exist) and blanks are missing.
- Country names lose trailing footnote marks ("Japan‡" -> "Japan") before being resolved.
- Font colours carry SIPRI's flags: blue (palette index 12) = SIPRI estimate, red (index
  10) = highly uncertain; RGB blues and reds are accepted too.
- The US$ sheets hold a literal 0 where SIPRI made no US$ conversion; as in the bundled
  edition, such a 0 is blanked unless the local-currency figure is also 0 (no armed forces).

The edition is read from the data: figures up to year Y are SIPRI's release of April Y+1.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from buildup.data.countries import resolve_country
from buildup.data.edition import ImportedEdition
from buildup.data.shares import share_divisor, stated_percent
from buildup.errors import ImportValidationError, UnknownCountryError
from buildup.limits import MAX_WORKBOOK_BYTES, read_user_bytes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook.workbook import Workbook

    _AnyCell = Cell | MergedCell

__all__ = ["read_sipri_workbook"]

PUBLISHER = "Stockholm International Peace Research Institute (SIPRI)"
# The order of the fields in the sipri_estimate / sipri_uncertain lists.
FIELDS = ("milex_local_current", "milex_current_usd", "milex_constant_usd", "share_gdp")
COLUMNS = (
    "iso3", "country", "year", "milex_current_usd", "milex_constant_usd",
    "constant_usd_base_year", "milex_local_current", "share_gdp", "sipri_estimate",
    "sipri_uncertain", "source_id",
)  # fmt: skip
_USD_FIELDS = ("milex_current_usd", "milex_constant_usd")
_REQUIRED_ANY = ("milex_current_usd", "milex_constant_usd", "share_gdp")
_FIXED_SHEETS = {
    "local currency calendar years": "milex_local_current",
    "current us$": "milex_current_usd",
    "share of gdp": "share_gdp",
}
_CONSTANT_SHEET = re.compile(r"constant \((\d{4})\) us\$")
_MISSING_TOKENS = frozenset({"..", "...", "…", "xxx"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_YEAR = re.compile(r"(\d{4})(?:\.0*)?")
# Trailing footnote marks: symbols (†, ‡, §, ¶, ‖, *, …), digits, "[44]".
_TRAILING_MARKS = re.compile(r"(?:[^\w).']|[\d_])+$")
_MILLIONS = re.compile(r"\bmillions?\b|\bmn\b|\$\s*m\b|\bm\.(?!\w)", re.IGNORECASE)
_BILLIONS = re.compile(r"\bbillions?\b|\bbn\b|\$\s*bn?\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©\s?SIPRI\s\d{4}")
# Palette indices of SIPRI's font colours, and the flag each one means.
_INDEXED_FLAGS = {12: "estimate", 10: "uncertain"}
_SHOWN_SKIPPED = 20


@dataclass(frozen=True)
class _Place:
    """Where a sheet sits, for messages."""

    file: str
    sheet: str

    def __str__(self) -> str:
        return f"{self.file}, sheet {self.sheet!r}"

    def at(self, row: int | None, column: int | None = None) -> str:
        """``file, sheet 'name', row 12[, column D]`` (Excel row and column letter)."""
        return f"{self}, row {row}" + (f", column {get_column_letter(column)}" if column else "")


@dataclass(frozen=True)
class _Layout:
    name_index: int
    years: tuple[tuple[int, int], ...]  # (index in the row, year)


@dataclass
class _SheetData:
    """What one sheet holds, keyed by (iso3, year); filled while the sheet is read."""

    title: str
    values: dict[tuple[str, int], float] = field(default_factory=dict)
    flags: dict[tuple[str, int], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int | None] = field(default_factory=dict)
    skipped: dict[str, None] = field(default_factory=dict)  # names of rows without figures


def read_sipri_workbook(path: Path, *, percent: bool = False) -> ImportedEdition:
    """Read SIPRI's milex workbook into a validated ``milex`` edition.

    Money is returned in full units [local currency; US$ current; US$ at constant prices of
    ``constant_usd_base_year``], ``share_gdp`` as a fraction. One row per country-year with at
    least one figure, sorted by ``iso3`` and ``year``. A share sheet of percentages is read
    only with ``percent`` (and divided by 100), else refused. Raises :class:`ImportValidationError`
    naming file, sheet, row and column for anything that cannot be read without guessing.
    """
    book = _open_workbook(path)
    tables = {sheet.title: sheet for sheet in book.worksheets if isinstance(sheet, Worksheet)}
    chosen, base_year = _choose_sheets(list(tables), path.name)
    sheets = {
        name: _read_sheet(tables[chosen[name]], name, _Place(path.name, chosen[name]))
        for name in FIELDS
        if name in chosen
    }
    if "share_gdp" in sheets:
        _share_to_fraction(sheets["share_gdp"], _Place(path.name, chosen["share_gdp"]), percent)
    blanked = _blank_unconverted_zeros(sheets)
    frame = _build_frame(sheets, base_year, f"SIPRI_WORKBOOK:{path.name}")
    if frame.empty:
        raise ImportValidationError(
            f"{path.name}: no figures found in sheets {', '.join(chosen.values())}; "
            "check that this is SIPRI's milex workbook as downloaded"
        )
    first, last = int(frame["year"].min()), int(frame["year"].max())
    return ImportedEdition(
        dataset="milex",
        edition=str(last + 1),
        edition_label=_label(path.name, sheets, base_year, first, last),
        publisher=PUBLISHER,
        source_file=path.name,
        frame=frame,
        notes=_notes(sheets, chosen, blanked),
    )


def _label(
    file: str, sheets: dict[str, _SheetData], base_year: int | None, first: int, last: int
) -> str:
    """``SIPRI workbook FILE, data 1949–2024, constant 2023 US$, © SIPRI 2025``."""
    label = f"SIPRI workbook {file}, data {first}–{last}"
    if base_year is not None:
        label += f", constant {base_year} US$"
    for data in sheets.values():
        if (match := _COPYRIGHT.search(data.title)) is not None:
            return f"{label}, {match.group()}"
    return label


def _notes(sheets: dict[str, _SheetData], chosen: dict[str, str], blanked: int) -> tuple[str, ...]:
    skipped = list(dict.fromkeys(name for data in sheets.values() for name in data.skipped))
    shown = ", ".join(skipped[:_SHOWN_SKIPPED]) + (", …" if len(skipped) > _SHOWN_SKIPPED else "")
    notes = (
        f"sheets read: {', '.join(chosen[name] for name in sheets)}",
        f"skipped {len(skipped)} names without figures (regions, subregions): {shown}",
    )
    if blanked:
        return (*notes, f"blanked {blanked} US$ cells holding 0 (no US$ conversion by SIPRI)")
    return notes


def _open_workbook(path: Path) -> Workbook:
    if not path.exists():
        raise ImportValidationError(
            f"{path.name}: no such file ({path}); give the path of the downloaded SIPRI workbook"
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (extensions, data validation).
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            data = read_user_bytes(
                path, "SIPRI's workbook (.xlsx)", error=ImportValidationError,
                limit=MAX_WORKBOOK_BYTES,
            )  # fmt: skip
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ParseError, OSError) as exc:
        raise ImportValidationError(
            f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc}); "
            "download the Excel file from https://www.sipri.org/databases/milex again"
        ) from exc


def _choose_sheets(sheet_names: Sequence[str], file: str) -> tuple[dict[str, str], int | None]:
    """Map each field to its sheet's name; return it with the constant-price base year."""
    chosen: dict[str, str] = {}
    base_year: int | None = None
    for sheet in sheet_names:
        key = " ".join(sheet.split()).casefold()
        constant = _CONSTANT_SHEET.fullmatch(key)
        if constant is not None:
            if "milex_constant_usd" in chosen:
                raise ImportValidationError(
                    f"{file}: two constant-price sheets, {chosen['milex_constant_usd']!r} and "
                    f"{sheet!r}; keep one"
                )
            chosen["milex_constant_usd"], base_year = sheet, int(constant.group(1))
        elif key in _FIXED_SHEETS:
            chosen[_FIXED_SHEETS[key]] = sheet
    if not any(name in chosen for name in _REQUIRED_ANY):
        raise ImportValidationError(
            f"{file}: none of the sheets 'Current US$', 'Constant (YYYY) US$' or 'Share of GDP' "
            f"found (sheets: {', '.join(map(repr, sheet_names))}); "
            "give SIPRI's milex workbook as downloaded"
        )
    return chosen, base_year


def _read_sheet(sheet: Worksheet, name: str, place: _Place) -> _SheetData:
    """Read one data sheet: title rows, the ``Country`` header, then country rows."""
    rows = sheet.iter_rows()
    titles: list[str] = []
    layout: _Layout | None = None
    for row in rows:
        texts = [str(cell.value).strip() for cell in row if not _is_blank(cell.value)]
        if texts and texts[0].casefold() == "country":
            layout = _parse_header(row, place)
            break
        titles.extend(texts)
    if layout is None:
        raise ImportValidationError(
            f"{place}: no header row starting with 'Country'; "
            "give SIPRI's workbook with its table layout unchanged"
        )
    data = _SheetData(title=" ".join(titles))
    scale = 1.0 if name == "share_gdp" else _unit_scale(data.title, place)
    for row in rows:  # the same iterator: continues below the header
        _read_row(row, layout, scale, data, place)
    return data


# Header cells of SIPRI's data sheets that are not years.
_TEXT_HEADERS = ("notes", "currency")


def _parse_header(row: tuple[_AnyCell, ...], place: _Place) -> _Layout:
    """The name column and the year columns; any other header cell is refused, not dropped."""
    name_index = next(i for i, cell in enumerate(row) if not _is_blank(cell.value))
    years: list[tuple[int, int]] = []
    blanks: list[int] = []
    for i, cell in enumerate(row[name_index + 1 :], start=name_index + 1):
        if _is_blank(cell.value):
            blanks.append(i)
            continue
        year = _year_of(cell.value)
        if year is not None:
            years.append((i, year))
        elif str(cell.value).strip().casefold() not in _TEXT_HEADERS or years:
            raise ImportValidationError(
                f"{place.at(cell.row, i + 1)}: header {cell.value!r} is neither a year nor "
                "one of Notes, Currency; write the year (e.g. 2024) or delete the column"
            )
    if not years:
        raise ImportValidationError(
            f"{place.at(row[name_index].row)}: the 'Country' header has no year columns; "
            "give SIPRI's workbook with its year columns"
        )
    inside = [i for i in blanks if years[0][0] < i < years[-1][0]]
    if inside:
        raise ImportValidationError(
            f"{place.at(row[name_index].row, inside[0] + 1)}: a column between the years "
            f"{max(y for j, y in years if j < inside[0])} and "
            f"{min(y for j, y in years if j > inside[0])} has an empty header; write its year "
            "or delete the column"
        )
    seen: dict[int, int] = {}
    for i, year in years:
        if year in seen:
            raise ImportValidationError(
                f"{place.at(row[name_index].row, i + 1)}: year {year} heads two columns "
                f"({get_column_letter(seen[year] + 1)} and {get_column_letter(i + 1)}); keep one"
            )
        seen[year] = i
    return _Layout(name_index, tuple(years))


def _year_of(value: object) -> int | None:
    if isinstance(value, str) and (match := _YEAR.fullmatch(value.strip())):
        value = int(match.group(1))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() and 1800 <= value <= 2200 else None


def _unit_scale(title: str, place: _Place) -> float:
    """The multiplier to full units stated in a money sheet's title rows."""
    millions, billions = _MILLIONS.search(title), _BILLIONS.search(title)
    if millions and billions:
        raise ImportValidationError(
            f"{place}: the title rows state both millions ({millions.group()!r}) and billions "
            f"({billions.group()!r}); keep the one unit line SIPRI publishes"
        )
    return 1e6 if millions else 1e9 if billions else 1.0


def _read_row(
    row: tuple[_AnyCell, ...], layout: _Layout, scale: float, data: _SheetData, place: _Place
) -> None:
    cells = [(row[i], year) for i, year in layout.years if i < len(row)]
    if all(_is_blank(cell.value) for cell, _ in cells):
        if name := _clean_name(row[layout.name_index].value):
            data.skipped[name] = None
        return
    name_cell = row[layout.name_index]
    name = _clean_name(name_cell.value)
    if not name:
        raise ImportValidationError(
            f"{place.at(name_cell.row)}: figures without a country name; "
            "give the row its country name or delete it"
        )
    try:
        iso3 = resolve_country(name)
    except UnknownCountryError as exc:
        raise ImportValidationError(
            f"{place.at(name_cell.row)}: {exc} (rename it in the workbook, or give its ISO3 code)"
        ) from exc
    if iso3 in data.rows:
        raise ImportValidationError(
            f"{place}: rows {data.rows[iso3]} and {name_cell.row} are both {name} ({iso3}); "
            "delete one of them"
        )
    data.rows[iso3], data.names[iso3] = name_cell.row, name
    for cell, year in cells:
        number = _cell_number(cell, place)
        if number is not None:
            data.values[(iso3, year)] = number * scale
            if (flag := _font_flag(cell)) is not None:
                data.flags[(iso3, year)] = flag


def _clean_name(value: object) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return _TRAILING_MARKS.sub("", text)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_number(cell: _AnyCell, place: _Place) -> float | None:
    """A cell's figure, ``None`` when missing; refuse text and negative figures."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or "".join(text.split()).casefold() in _MISSING_TOKENS:
            return None
        if _NUMBER.fullmatch(text):
            value = float(text)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImportValidationError(
            f"{place.at(cell.row, cell.column)}: {value!r} is not a number; "
            "write the figure, or '. .' if it is unavailable"
        )
    if value < 0:
        raise ImportValidationError(
            f"{place.at(cell.row, cell.column)}: negative figure {value!r}; "
            "spending and shares cannot be negative: correct the cell"
        )
    return float(value)


def _font_flag(cell: _AnyCell) -> str | None:
    """``"estimate"`` for SIPRI's blue font, ``"uncertain"`` for red, else ``None``."""
    color = cell.font.color if cell.font is not None else None
    if color is None:
        return None
    if color.type == "indexed":
        return _INDEXED_FLAGS.get(int(color.value))
    if color.type != "rgb" or not isinstance(color.value, str):
        return None
    try:
        red, green, blue = (int(color.value[-6:][i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None
    if blue >= 0x99 and red <= 0x40 and green <= 0x80:
        return "estimate"
    if red >= 0x99 and green <= 0x40 and blue <= 0x40:
        return "uncertain"
    return None


def _share_to_fraction(data: _SheetData, place: _Place, percent: bool) -> None:
    """Shares as fractions: percentages only with ``percent`` (:func:`share_divisor`)."""
    stated = stated_percent(data.title)
    divisor = share_divisor(data.values.values(), where=str(place), percent=percent, stated=stated)
    if divisor != 1.0:
        for key, value in data.values.items():
            data.values[key] = value / divisor


def _blank_unconverted_zeros(sheets: dict[str, _SheetData]) -> int:
    """Blank US$ zeros that mean "no conversion"; keep those matching a local-currency 0."""
    local = sheets.get("milex_local_current")
    if local is None:  # without local currency a 0 cannot be told from "no conversion"
        return 0
    blank = [
        (data, key)
        for data in (sheets[name] for name in _USD_FIELDS if name in sheets)
        for key, value in data.values.items()
        if value == 0 and local.values.get(key) != 0
    ]
    for data, key in blank:
        del data.values[key]
        data.flags.pop(key, None)
    return len(blank)


def _build_frame(
    sheets: dict[str, _SheetData], base_year: int | None, source_id: str
) -> pd.DataFrame:
    keys = sorted({key for data in sheets.values() for key in data.values})
    # The first sheet's spelling wins (they agree in SIPRI's workbook).
    names = {iso3: name for data in reversed(sheets.values()) for iso3, name in data.names.items()}
    columns: dict[str, pd.Series] = {
        "iso3": pd.Series([iso3 for iso3, _ in keys], dtype="object"),
        "country": pd.Series([names[iso3] for iso3, _ in keys], dtype="object"),
        "year": pd.Series([year for _, year in keys], dtype="int64"),
        "constant_usd_base_year": pd.Series(
            [base_year] * len(keys), dtype="Int64" if base_year is None else "int64"
        ),
        "source_id": pd.Series([source_id] * len(keys), dtype="object"),
    }
    for name in FIELDS:
        values = sheets[name].values if name in sheets else {}
        columns[name] = pd.Series([values.get(key, math.nan) for key in keys], dtype="float64")
    for column, flag in (("sipri_estimate", "estimate"), ("sipri_uncertain", "uncertain")):
        columns[column] = pd.Series([_flag_list(sheets, key, flag) for key in keys], dtype="object")
    return pd.DataFrame({column: columns[column] for column in COLUMNS})


def _flag_list(sheets: dict[str, _SheetData], key: tuple[str, int], flag: str) -> str:
    """The fields of one country-year carrying ``flag``, in the fixed order of FIELDS."""
    return ",".join(
        name for name in FIELDS if name in sheets and sheets[name].flags.get(key) == flag
    )
