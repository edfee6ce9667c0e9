"""Read a World Bank World Development Indicators (WDI) CSV download into an edition.

Layout handled (the "CSV" download of an indicator page, e.g. ``API_PA.NUS.FCRF_DS2_en_csv_v2``):

- Metadata rows first: ``"Data Source","World Development Indicators",``, a blank line,
  ``"Last Updated Date","2025-07-01",``, a blank line. The update date gives the edition
  (``"2025-07"``) and is required.
- Then the header ``"Country Name","Country Code","Indicator Name","Indicator Code","1960",…``
  (often with a trailing empty column), then one row per economy and indicator, quoted.
  A UTF-8 byte-order mark is accepted.
- Supported indicators are in :data:`WDI_INDICATORS`; a file holds one indicator, or several
  of the same dataset (GDP in local currency and in US$).
- Aggregates (regions, income groups, "World", the euro area, the European Union ``EUU``,
  Channel Islands ``CHI``, …) are skipped: a row is a country when its code is a country
  code known to :func:`buildup.data.countries.is_country_code`, ``EUU`` excepted.
- Empty cells are missing; any other text, or a negative figure, is refused. A header cell
  that is neither one of those names nor a year (``2024 [YR2024]``, an empty header between
  years) is refused with its line and column: no year is dropped without a word.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from buildup.data.countries import is_country_code
from buildup.data.edition import ImportedEdition
from buildup.errors import ImportValidationError
from buildup.limits import read_user_bytes

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["WDI_INDICATORS", "WdiIndicator", "read_worldbank_csv"]

PUBLISHER = "World Bank, World Development Indicators"


@dataclass(frozen=True)
class WdiIndicator:
    """Where a WDI series goes: a dataset of the catalogue and one of its columns."""

    dataset: str
    column: str


WDI_INDICATORS: Mapping[str, WdiIndicator] = {
    "PA.NUS.FCRF": WdiIndicator("fx", "local_per_usd"),  # LCU per US$, period average
    "SP.POP.TOTL": WdiIndicator("population", "population"),  # persons
    "NY.GDP.MKTP.CN": WdiIndicator("gdp", "gdp_local_current"),  # LCU, current prices
    "NY.GDP.MKTP.CD": WdiIndicator("gdp", "gdp_current_usd"),  # US$, current prices
}
# Each dataset's columns, in the catalogue's order.
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "fx": ("iso3", "currency", "year", "local_per_usd", "source_id"),
    "population": ("iso3", "country", "year", "population", "is_forecast", "source_id"),
    "gdp": (
        "iso3", "country", "year", "gdp_local_current", "gdp_current_usd", "is_forecast",
        "source_id",
    ),
}  # fmt: skip
_NAME, _CODE, _INDICATOR = "Country Name", "Country Code", "Indicator Code"
_REQUIRED = (_NAME, _CODE, _INDICATOR)
_INDICATOR_NAME = "Indicator Name"
_METADATA = ("Data Source", "Last Updated Date")
# The WDI's aggregate for the European Union; is_country_code accepts it for SIPRI's sake.
_NOT_COUNTRIES = frozenset({"EUU"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{2})-\d{2}")
_SHOWN_AGGREGATES = 10


@dataclass(frozen=True)
class _Header:
    columns: Mapping[str, int]
    years: tuple[tuple[int, int], ...]  # (index in the row, year)


@dataclass
class _Body:
    """The country rows, keyed by (iso3, year); filled while the file is read."""

    values: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    indicators: set[str] = field(default_factory=set)
    aggregates: dict[str, None] = field(default_factory=dict)


def read_worldbank_csv(path: Path) -> ImportedEdition:
    """Read a WDI CSV download into a validated ``fx``, ``population`` or ``gdp`` edition.

    Values keep the WDI's units [local currency per US$; persons; local currency or US$ at
    current prices]. One row per country-year with at least one figure, sorted by ``iso3``
    and ``year``. Raises :class:`ImportValidationError` naming the file, line and column.
    """
    rows = _read_rows(path)
    updated, header_line, header = _read_preamble(rows, path.name)
    body = _Body()
    for line, cells in rows:
        if line > header_line and any(cell.strip() for cell in cells):
            _read_row(line, cells, header, body, path.name)
    codes = [code for code in WDI_INDICATORS if code in body.indicators]
    datasets = sorted({WDI_INDICATORS[code].dataset for code in codes})
    if len(datasets) != 1:
        found = "; ".join(f"{WDI_INDICATORS[code].dataset}: {code}" for code in codes) or "none"
        raise ImportValidationError(
            f"{path.name}: a file must hold the indicators of one dataset (found {found}); "
            "download one indicator per file"
        )
    if not body.values:
        raise ImportValidationError(
            f"{path.name}: no figures for any country ({', '.join(codes)}); "
            "download the indicator with its country rows"
        )
    source_id = "WB_WDI_" + "+".join(codes)
    years = [year for _, year in body.values]
    notes = [f"{len(body.names)} countries, years {min(years)}–{max(years)}"]
    if body.aggregates:
        shown = ", ".join(list(body.aggregates)[:_SHOWN_AGGREGATES])
        more = ", …" if len(body.aggregates) > _SHOWN_AGGREGATES else ""
        notes.append(
            f"skipped {len(body.aggregates)} aggregates (regions, income groups): {shown}{more}"
        )
    return ImportedEdition(
        dataset=datasets[0],
        edition=updated[:7],
        edition_label=f"World Development Indicators, last updated {updated}, {', '.join(codes)}",
        publisher=PUBLISHER,
        source_file=path.name,
        frame=_build_frame(body, datasets[0], source_id),
        notes=tuple(notes),
    )


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Every row of the file with its 1-based line number."""
    if not path.exists():
        raise ImportValidationError(
            f"{path.name}: no such file ({path}); give the path of the downloaded WDI CSV"
        )
    data = read_user_bytes(path, "the downloaded WDI CSV", error=ImportValidationError)
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        return [(reader.line_num, row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportValidationError(
            f"{path.name}: not a readable UTF-8 CSV file ({exc}); download the indicator "
            "again as CSV from https://data.worldbank.org"
        ) from exc


def _read_preamble(rows: list[tuple[int, list[str]]], file: str) -> tuple[str, int, _Header]:
    """The Last Updated Date, then the header's line and layout."""
    updated: str | None = None
    for line, cells in rows:
        first = cells[0].strip() if cells else ""
        if not first or first in _METADATA:
            if first == "Last Updated Date":
                updated = cells[1].strip() if len(cells) > 1 else ""
            continue
        header = _parse_header(line, cells, file)
        break
    else:
        raise ImportValidationError(
            f"{file}: no header row ({', '.join(_REQUIRED)}, years); give the WDI CSV as downloaded"
        )
    if updated is None:
        raise ImportValidationError(
            f'{file}: no "Last Updated Date" row above the header (line {line}); '
            "give the WDI CSV as downloaded, with its metadata rows"
        )
    if not _DATE.fullmatch(updated):
        raise ImportValidationError(
            f"{file}: Last Updated Date {updated!r} is not a date like 2025-07-01; "
            "give the WDI CSV as downloaded"
        )
    return updated, line, header


def _parse_header(line: int, cells: list[str], file: str) -> _Header:
    """The required columns and the year columns; any other header cell is refused."""
    names = [cell.strip() for cell in cells]
    missing = [name for name in _REQUIRED if name not in names]
    years = tuple((i, int(name)) for i, name in enumerate(names) if re.fullmatch(r"\d{4}", name))
    if missing or not years:
        found = ", ".join(repr(name) for name in names if name) or "nothing"
        lacking = ", ".join(missing) if missing else "year columns"
        raise ImportValidationError(
            f"{file}, line {line}: the header lacks {lacking} (found {found}); "
            "give the WDI CSV as downloaded"
        )
    last_year = years[-1][0]
    for i, name in enumerate(names):
        if name in (*_REQUIRED, _INDICATOR_NAME) or re.fullmatch(r"\d{4}", name):
            continue
        if not name and i > last_year:
            continue  # the WDI's trailing empty column
        what = f"header {name!r}" if name else "an empty header"
        raise ImportValidationError(
            f"{file}, line {line}, column {i + 1}: {what} is neither a year nor one of "
            f"{', '.join((*_REQUIRED, _INDICATOR_NAME))}; write the year (e.g. 2024) or delete "
            "the column"
        )
    return _Header({name: names.index(name) for name in _REQUIRED}, years)


def _read_row(line: int, cells: list[str], header: _Header, body: _Body, file: str) -> None:
    def cell(index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    code, indicator = cell(header.columns[_CODE]).upper(), cell(header.columns[_INDICATOR])
    if indicator not in WDI_INDICATORS:
        supported = ", ".join(f"{c} ({i.dataset})" for c, i in WDI_INDICATORS.items())
        raise ImportValidationError(
            f"{file}, line {line}: indicator {indicator!r} is not supported; "
            f"download one of {supported}"
        )
    if not code:
        raise ImportValidationError(f"{file}, line {line}: the Country Code is empty")
    body.indicators.add(indicator)
    if not is_country_code(code) or code in _NOT_COUNTRIES:
        body.aggregates[code] = None
        return
    if (code, indicator) in body.lines:
        raise ImportValidationError(
            f"{file}: lines {body.lines[(code, indicator)]} and {line} both hold {indicator} "
            f"for {code}; delete one of them"
        )
    body.lines[(code, indicator)] = line
    body.names.setdefault(code, cell(header.columns[_NAME]))
    column = WDI_INDICATORS[indicator].column
    for index, year in header.years:
        text = cell(index)
        if not text:
            continue
        if not _NUMBER.fullmatch(text) or float(text) < 0:
            problem = "a negative figure" if _NUMBER.fullmatch(text) else "not a number"
            raise ImportValidationError(
                f"{file}, line {line}, column {year}: {text!r} is {problem}; "
                "correct the cell or leave it empty if the figure is unavailable"
            )
        body.values.setdefault((code, year), {})[column] = float(text)


def _build_frame(body: _Body, dataset: str, source_id: str) -> pd.DataFrame:
    keys = sorted(body.values)
    columns: dict[str, pd.Series] = {
        "iso3": pd.Series([iso3 for iso3, _ in keys], dtype="object"),
        "country": pd.Series([body.names[iso3] for iso3, _ in keys], dtype="object"),
        "currency": pd.Series([pd.NA] * len(keys), dtype="string"),
        "year": pd.Series([year for _, year in keys], dtype="int64"),
        "is_forecast": pd.Series([0] * len(keys), dtype="int64"),
        "source_id": pd.Series([source_id] * len(keys), dtype="object"),
    }
    for indicator in WDI_INDICATORS.values():
        if indicator.dataset == dataset:
            figures = [body.values[key].get(indicator.column, float("nan")) for key in keys]
            columns[indicator.column] = pd.Series(figures, dtype="float64")
    return pd.DataFrame({column: columns[column] for column in _COLUMNS[dataset]})
