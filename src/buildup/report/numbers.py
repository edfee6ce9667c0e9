"""How shares read in pages and reports (amounts: :mod:`buildup.units`)."""

from __future__ import annotations

import math

__all__ = ["format_percent", "format_share", "format_target"]


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


def format_target(share: float) -> str:
    """A share to two decimals with one trailing zero dropped, as chart labels give targets and
    checks: ``0.02 -> '2.0 %'``, ``0.0196 -> '1.96 %'``."""
    text = f"{share * 100:.2f}"
    return f"{text[:-1] if text.endswith('0') else text} %"
