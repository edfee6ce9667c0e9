"""Small shared types: year ranges and closed sets of names.

Years are plain ``int``; fiscal years are named as such where they appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from buildup.errors import InputError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "AfterRule",
    "OutputFormat",
    "PathShape",
    "RobustStatus",
    "TargetKind",
    "Variable",
    "YearRange",
    "parse_year_range",
]

MIN_YEAR = 1900
MAX_YEAR = 2100

_RANGE = re.compile(r"^\s*(?P<start>\d{4})?\s*(?P<sep>[:\-–])?\s*(?P<end>\d{4})?\s*$")


class OutputFormat(StrEnum):
    """How a command renders its result."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class YearRange:
    """An inclusive range of years; ``None`` leaves a side open.

    >>> YearRange(2015, 2024).contains(2020)
    True
    >>> YearRange(None, 2000).contains(2001)
    False
    """

    start: int | None
    end: int | None

    def contains(self, year: int) -> bool:
        """Whether ``year`` lies within the range (inclusive)."""
        if self.start is not None and year < self.start:
            return False
        return not (self.end is not None and year > self.end)


def parse_year_range(text: str) -> YearRange:
    """Parse ``"2015:2024"``, ``"2015"``, ``"2015:"`` or ``":2024"`` into a :class:`YearRange`.

    >>> parse_year_range("2015:2024")
    YearRange(start=2015, end=2024)
    >>> parse_year_range("2020")
    YearRange(start=2020, end=2020)
    >>> parse_year_range(":1999")
    YearRange(start=None, end=1999)
    """
    match = _RANGE.match(text)
    if match is None or (match["start"] is None and match["end"] is None):
        raise InputError(
            f"year range {text!r} is not valid: write START:END with four-digit years, "
            "e.g. 2015:2024, or one year, or an open side such as 2015: or :2024"
        )
    start = int(match["start"]) if match["start"] is not None else None
    end = int(match["end"]) if match["end"] is not None else None
    if match["sep"] is None:
        end = start
    for year in (start, end):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(
                f"year range {text!r} has year {year} outside {MIN_YEAR}–{MAX_YEAR}: "
                "give four-digit years such as 2015:2024"
            )
    if start is not None and end is not None and start > end:
        raise InputError(
            f"year range {text!r} is empty: the start {start} is after the end {end}; "
            f"write {end}:{start}"
        )
    return YearRange(start, end)


class PathShape(StrEnum):
    """How the budget moves from the baseline to the targets."""

    GOAL_SEEK = "goal-seek"
    LINEAR_SHARE = "linear-share"
    CONSTANT_GROWTH = "constant-growth"
    FRONT_LOADED = "front-loaded"
    BACK_LOADED = "back-loaded"
    GIVEN = "given"


class AfterRule(StrEnum):
    """What the budget does after the last target year."""

    HOLD_SHARE = "hold-share"
    HOLD_REAL = "hold-real"
    HOLD_NOMINAL = "hold-nominal"


class TargetKind(StrEnum):
    """What a target asks for: a share of GDP [fraction] or an amount [LCU]."""

    SHARE_GDP = "share_gdp"
    AMOUNT = "amount"


class Variable(StrEnum):
    """What a row of a Monte Carlo's quantiles describes."""

    SHARE_GDP = "share_gdp"  # a definition's share of GDP [fraction]
    SPENDING_LOCAL = "spending_local"  # the primary definition's spending [LCU]
    SPENDING_USD = "spending_usd"  # the same in US$ at the year's simulated rate


class RobustStatus(StrEnum):
    """Whether the robust portfolio held in the independent validation sample."""

    VALIDATED = "validated"
    NOT_VALIDATED = "not validated"
