"""The date an article was written, against which "next year" and "within a decade" resolve."""

from __future__ import annotations

import datetime

from buildup.errors import InputError

__all__ = ["parse_date"]


def parse_date(text: str, what: str = "date") -> datetime.date:
    """Parse an ISO date ``YYYY-MM-DD``; raise :class:`InputError` naming ``what`` otherwise.

    >>> parse_date("2025-06-25")
    datetime.date(2025, 6, 25)
    """
    try:
        date = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{what} {text!r} is not a date: write YYYY-MM-DD, e.g. 2025-06-25"
        ) from None
    if not 1900 <= date.year <= 2100:
        raise InputError(f"{what} {text!r} is outside 1900–2100: give the article's date")
    return date
