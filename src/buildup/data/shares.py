"""One rule for shares of GDP in imported files: fractions, or percentages the user names.

buildup serves shares as fractions (0.0137 = 1.37 %). A file's share figures are taken as
percentages when its title or unit row says so, or when their median positive figure is above
:data:`PERCENT_MEDIAN` (defence shares as fractions have a median near 0.02; Kuwait 1991, at
1.17, is a real fraction above 1, so a single large figure proves nothing). Percentages are
converted only when the user says so (the ``percent`` option); otherwise the import is refused with
the fix. The same rule reads SIPRI's workbook, tidy CSVs and the bundled files.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING

from buildup.errors import ImportValidationError

if TYPE_CHECKING:
    from buildup.data.catalogue import Dataset

__all__ = ["PERCENT_MEDIAN", "PERCENT_TITLE", "share_columns", "share_divisor", "stated_percent"]

PERCENT_MEDIAN = 0.2
# A title or unit stating the figures themselves are percentages. SIPRI's own title, "Military
# expenditure by country as percentage of gross domestic product", over fractions, is not one.
PERCENT_TITLE = re.compile(
    r"\b(?:figures|values|data)\s+(?:are|is)\s+(?:given\s+)?(?:in\s+|as\s+)?"
    r"(?:per\s?cents?|percent(?:age)?s?|%)|\(%\)|\bin\s+%|^\s*(?:%|percent|per\s?cent)\s*$",
    re.IGNORECASE,
)


def share_columns(dataset: Dataset) -> tuple[str, ...]:
    """The dataset's columns served as fractions (their catalogue unit says "fraction")."""
    return tuple(c.name for c in dataset.columns if c.unit.startswith("fraction"))


def stated_percent(text: str) -> str | None:
    """The words of a title or unit that say its figures are percentages, if any."""
    found = PERCENT_TITLE.search(text)
    return found.group().strip() if found else None


def share_divisor(
    values: Iterable[float], *, where: str, percent: bool, stated: str | None = None
) -> float:
    """What to divide the figures by to get fractions: 1.0, or 100.0 when ``percent``.

    ``where`` names the file and column for messages; ``stated`` is the title's words saying
    the figures are percentages. Raises :class:`ImportValidationError` when the figures are
    percentages and ``percent`` is not given, or ``percent`` is given over fractions.
    """
    positives = [v for v in values if v > 0]
    median = statistics.median(positives) if positives else 0.0
    if stated is not None:
        why = f"its title says {stated!r}"
    elif median > PERCENT_MEDIAN:
        why = f"its median figure is {median:.3g}"
    else:
        why = ""
    if percent:
        if positives and not why:
            raise ImportValidationError(
                where=where,
                problem="the figures were declared percentages but are fractions (median "
                f"{median:.3g}, i.e. {median:.2%})",
                fix="leave out {option:percent}",
            )
        return 100.0
    if why:
        raise ImportValidationError(
            where=where,
            problem=f"shares of GDP must be fractions (0.0137 = 1.37 %) but {why}, so the "
            "figures are percentages",
            fix="declare them percentages ({option:percent}) to divide them by 100, or write "
            "fractions",
        )
    return 1.0
