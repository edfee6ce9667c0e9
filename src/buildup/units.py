"""Showing amounts and metrics: the one rule for the scale of a column, an axis or a figure,
the one way an amount is written, and the one table of the comparison metrics' labels and units
(:data:`METRIC_LABELS`, read by the comparison, its charts, the CLI's help and the web page).

>>> amount_scale(43.5e12)
(1000000000000.0, 'trillion')
>>> amount_scale(43.5e12, "JPY")
(1000000000000.0, 'JPY trillion')
>>> amount_scale(5e9, "USD", headroom=10)
(1000000.0, 'USD million')
>>> amount_scale(999.0, "KRW")
(1.0, 'KRW')
>>> column_scale([2.1e9, None, float("nan"), -3.4e11], "US$")
(1000000000.0, 'US$ billion')
>>> format_amount(8.81e12, 1e12), format_amount(float("nan"))
('8.810', '–')
>>> shown_unit(Metric.CONSTANT_USD, scale_word="billion", base_year=2023)
'US$ billion, constant 2023 prices'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = [
    "METRIC_LABELS",
    "SCALES",
    "Metric",
    "MetricKind",
    "MetricLabel",
    "amount_scale",
    "column_scale",
    "format_amount",
    "format_metric_value",
    "shown_unit",
]

SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def amount_scale(peak: float, currency: str = "", *, headroom: float = 1.0) -> tuple[float, str]:
    """The divisor and its label for amounts up to ``peak``: the largest of trillion,
    billion and million with ``peak ≥ headroom × scale`` (else 1 and the bare currency)."""
    size = 0.0 if math.isnan(peak) else abs(peak)  # NaN: no scale
    for scale, word in SCALES:
        if size >= headroom * scale:
            return scale, f"{currency} {word}".strip()
    return 1.0, currency


def column_scale(
    values: Iterable[float | None], currency: str = "", *, headroom: float = 1.0
) -> tuple[float, str]:
    """:func:`amount_scale` of the largest magnitude among ``values`` (missing ones ignored):
    one scale for a whole column or axis."""
    finite = [abs(float(v)) for v in values if v is not None and not math.isnan(float(v))]
    return amount_scale(max(finite, default=0.0), currency, headroom=headroom)


def format_amount(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    """``value / scale`` with thousands separators and ``digits`` decimals; a missing value is
    an en dash (a gap, never a zero)."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value / scale:,.{digits}f}"


class Metric(StrEnum):
    """The metrics a comparison of countries can compute (see :mod:`buildup.compare.metrics`)."""

    SHARE_GDP = "share_gdp"
    NATO_SHARE_GDP = "nato_share_gdp"
    CONSTANT_USD = "constant_usd"
    CURRENT_USD = "current_usd"
    PER_CAPITA_USD = "per_capita_usd"
    REAL_GROWTH = "real_growth"
    SHARE_OF_GROUP = "share_of_group"
    SIPRI_MINUS_NATO = "sipri_minus_nato"


# How a metric's values are shown: shares (and growth) as percentages, a difference of shares
# in percentage points, amounts in the scale of their column.
MetricKind = Literal["share", "usd", "per_capita", "growth", "points"]


@dataclass(frozen=True)
class MetricLabel:
    """What a metric is called and in which unit it is computed and shown.

    ``shown`` is the unit of the values in a table; ``axis`` is what a chart's axis shows (its
    unit is drawn from ``kind``). Both may hold ``{scale}`` (the amount's scale word),
    ``{base_year}`` (of constant prices), ``{window}`` (years of a change) and ``{group}``,
    filled in by :func:`shown_unit`.
    """

    title: str
    unit: str  # the unit of the computed value
    kind: MetricKind
    about: str  # a few words for a list of the metrics (help, a form's choices)
    shown: str
    axis: str


METRIC_LABELS: Mapping[Metric, MetricLabel] = {
    Metric.SHARE_GDP: MetricLabel(
        "Military expenditure, share of GDP (SIPRI)",
        "fraction of GDP",
        "share",
        "SIPRI's share of GDP",
        "% of GDP",
        "share of GDP",
    ),
    Metric.NATO_SHARE_GDP: MetricLabel(
        "Defence expenditure, share of GDP (NATO)",
        "fraction of GDP",
        "share",
        "NATO's share of GDP, members only",
        "% of GDP",
        "share of GDP",
    ),
    Metric.CONSTANT_USD: MetricLabel(
        "Military expenditure (SIPRI), constant prices",
        "US$",
        "usd",
        "SIPRI, constant US$",
        "US$ {scale}, constant {base_year} prices",
        "US$ at constant {base_year} prices",
    ),
    Metric.CURRENT_USD: MetricLabel(
        "Military expenditure (SIPRI), current prices",
        "US$",
        "usd",
        "SIPRI, current US$",
        "US$ {scale}, current prices",
        "US$ at current prices",
    ),
    Metric.PER_CAPITA_USD: MetricLabel(
        "Military expenditure per person (SIPRI, current US$)",
        "US$ per person",
        "per_capita",
        "SIPRI, current US$ per person",
        "US$ per person, current prices",
        "US$ per person, current prices",
    ),
    Metric.REAL_GROWTH: MetricLabel(
        "Real change of military expenditure (SIPRI)",
        "fraction",
        "growth",
        "real change over the window's years",
        "% change over {window} years, constant {base_year} US$",
        "real change over {window} years",
    ),
    Metric.SHARE_OF_GROUP: MetricLabel(
        "Share of the group's military expenditure",
        "fraction",
        "share",
        "share of the group's total",
        "% of {group}'s total, current US$",
        "share of {group}'s total",
    ),
    Metric.SIPRI_MINUS_NATO: MetricLabel(
        "SIPRI's share of GDP minus NATO's",
        "fraction of GDP (difference)",
        "points",
        "SIPRI's share minus NATO's",
        "percentage points of GDP, SIPRI minus NATO",
        "SIPRI's share of GDP minus NATO's",
    ),
}


def shown_unit(
    metric: Metric | str,
    *,
    scale_word: str = "",
    base_year: int | None = None,
    window: int | None = None,
    group: str | None = None,
    axis: bool = False,
) -> str:
    """The unit of ``metric``'s values in a table, e.g. ``% of GDP`` or ``US$ billion, current
    prices`` (``scale_word`` is the amount's scale, :func:`column_scale`); with ``axis``,
    what a chart's axis shows instead (``share of GDP``)."""
    label = METRIC_LABELS[Metric(metric)]
    text = (label.axis if axis else label.shown).format(
        scale=scale_word,
        base_year=base_year if base_year is not None else "base-year",
        window=window if window is not None else "several",
        group=group or "the group",
    )
    return " ".join(text.split()).replace(" ,", ",")  # no scale word: "US$, current prices"


def format_metric_value(value: float, kind: MetricKind, scale: float = 1.0) -> str:
    """One value of a metric as a table shows it: a share or a change in percent, a
    difference of shares in percentage points, an amount divided by ``scale``; missing is an
    en dash."""
    if math.isnan(value):
        return "–"
    if kind in ("share", "growth"):
        return f"{value * 100:.2f} %"
    if kind == "points":
        return f"{value * 100:+.2f} pp"
    if kind == "usd":
        return format_amount(value, scale, 2)
    return format_amount(value, scale, 0)
