"""How figures read in pages and reports: shares in percent, amounts in a named scale."""

from __future__ import annotations

import math

from buildup.report.figure import amount_scale

__all__ = ["format_amount", "format_percent", "format_share", "scale_for"]


def format_percent(share: float | None, digits: int = 2) -> str:
    """``0.0196 -> '1.96 %'``; a missing value is an en dash (a gap, not zero)."""
    if share is None or math.isnan(share):
        return "–"
    return f"{share * 100:.{digits}f} %"


def format_share(share: float | None) -> str:
    """A target-like share with needless zeros dropped: ``0.02 -> '2 %'``, ``0.035 -> '3.5 %'``."""
    if share is None or math.isnan(share):
        return "–"
    return f"{share * 100:.4g} %"


def scale_for(values: list[float | None]) -> tuple[float, str]:
    """The divisor and word for a column of amounts."""
    return amount_scale(values)


def format_amount(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    """An amount divided by ``scale``, with thousands separators; missing is an en dash."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value / scale:,.{digits}f}"
