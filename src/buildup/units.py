"""Showing amounts: the one rule for the scale of a column, an axis or a figure.

>>> amount_scale(43.5e12)
(1000000000000.0, 'trillion')
>>> amount_scale(43.5e12, "JPY")
(1000000000000.0, 'JPY trillion')
>>> amount_scale(5e9, "USD", headroom=10)
(1000000.0, 'USD million')
>>> amount_scale(999.0, "KRW")
(1.0, 'KRW')
"""

from __future__ import annotations

import math

__all__ = ["SCALES", "amount_scale"]

SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def amount_scale(peak: float, currency: str = "", *, headroom: float = 1.0) -> tuple[float, str]:
    """The divisor and its label for amounts up to ``peak``: the largest of trillion,
    billion and million with ``peak ≥ headroom × scale`` (else 1 and the bare currency)."""
    size = 0.0 if math.isnan(peak) else abs(peak)  # NaN: no scale
    for scale, word in SCALES:
        if size >= headroom * scale:
            return scale, f"{currency} {word}".strip()
    return 1.0, currency
