"""Write a workbook in the layout of SIPRI's Military Expenditure Database, for benchmarks.

The values are synthetic (a smooth series per country); only the layout matters: a front
sheet, title rows, a ``Country`` header row, region rows without values, unit lines, and
blue-font estimates.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles.colors import Color

YEARS = list(range(1949, 2025))
REGIONS = ("Africa", "Americas", "Asia & Oceania", "Europe", "Middle East")


def _names(count: int) -> list[str]:
    import pandas as pd

    from buildup.data.catalogue import bundled_path

    names = pd.read_csv(bundled_path("milex_sipri.csv"))["country"].drop_duplicates()
    historical = {"USSR", "Czechoslovakia", "German Democratic Republic", "Yugoslavia"}
    return [n for n in names if n not in historical and "Yemen, North" not in n][:count]


def write_sipri_like_workbook(path: Path, countries: int) -> Path:
    """Write a SIPRI-layout workbook with ``countries`` countries × 1949–2024 to ``path``."""
    book = Workbook()
    front = book.active
    assert front is not None
    front.title = "Front page"
    front.append(["SIPRI Military Expenditure Database"])
    front.append(["© SIPRI 2025"])
    sheets = {
        "Local currency calendar years": ("Figures are in local currency, current prices", 1e6),
        "Constant (2023) US$": ("Figures are in US$ m. at constant 2023 prices", 1.0),
        "Current US$": ("Figures are in US$ m., current prices", 1.0),
        "Share of GDP": ("Figures are expressed as a share of GDP", 1.0),
    }
    names = _names(countries)
    blue = Font(color=Color(indexed=12))
    for title, (unit_line, scale) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([f"Military expenditure by country: {title}"])
        sheet.append([unit_line])
        sheet.append(["© SIPRI 2025"])
        sheet.append([])
        sheet.append(["Country", "Notes", *YEARS])
        for i, name in enumerate(names):
            if i % 35 == 0:
                sheet.append([REGIONS[(i // 35) % len(REGIONS)]])
            base = 100.0 + i
            if title == "Share of GDP":
                values = [0.01 + 0.0001 * (k % 10) for k, _ in enumerate(YEARS)]
            else:
                values = [round(base * scale * (1.02**k), 3) for k, _ in enumerate(YEARS)]
            sheet.append([name, "", *values])
            if i % 7 == 0:
                sheet.cell(row=sheet.max_row, column=len(YEARS) + 2).font = blue
    book.save(path)
    return path
