"""The pledge record: one commitment or demand read from text, tied to the words it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from buildup.pledges.quantities import Measure
from buildup.units import amount_scale

__all__ = ["Component", "Kind", "Pledge", "Unresolved", "show_value"]

Kind = Literal["commitment", "demand"]
Component = Literal["core", "related", "total"]


@dataclass(frozen=True, slots=True)
class Pledge:
    """A spending pledge.

    ``value`` is a fraction for ``share_gdp`` and ``growth`` (0.02 = 2 %) and full units of
    ``currency`` (ISO 4217) for ``amount``. ``year`` is the target year; a fiscal year
    (``fiscal_year``) is named by its first calendar year. ``start_year``/``end_year`` bound
    a multi-year programme. ``span`` is ``(start, end)`` of ``text`` in the document.
    ``qualifier`` says how firm it is ("aim", "if elected", "subject to …"); ``bound`` whether
    the value is a floor, a ceiling or approximate; ``demanded_by`` who asks, for a demand.
    Its JSON record (:func:`buildup.serialize.to_jsonable`) has the fields in this order.
    """

    actor: str
    kind: Kind
    measure: Measure
    value: float
    currency: str | None
    year: int | None
    fiscal_year: bool
    start_year: int | None
    end_year: int | None
    component: Component | None
    text: str
    span: tuple[int, int]
    qualifier: str | None = None
    bound: Literal["at_least", "up_to", "about"] | None = None
    value_high: float | None = None
    demanded_by: str | None = None
    actor_text: str | None = None


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A pledge-like statement whose actor the tables cannot name: reported, not guessed."""

    text: str
    span: tuple[int, int]
    measure: Measure
    value: float
    year: int | None
    reason: str


def show_value(measure: str, value: float, currency: str | None) -> str:
    """A pledge's value as people read it: "2 %", "JPY 43 trillion".

    >>> show_value("share_gdp", 0.035, None), show_value("amount", 43e12, "JPY")
    ('3.5 %', 'JPY 43 trillion')
    """
    if measure == "amount":
        scale, word = amount_scale(float(value))
        if scale > 1:
            return f"{currency} {value / scale:,.4g} {word}"
        return f"{currency} {value:,.0f}"
    return f"{float(value) * 100:.4g} %"
