"""The portfolio's inputs as plain data: programmes, yearly envelopes, area limits, weights.

Money is in full currency units (e.g. yen), years are fiscal years, shares are fractions
0–1. The engine takes these as they are given: input from outside — files, a request's body
— is read and checked by the spec layer (:mod:`buildup.scenario.portfolio` and
:mod:`buildup.scenario.programmes`), and the application layer hands the checked values
over (:func:`buildup.engine.programmes.portfolio_problem`). Sequences are kept as tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "AreaLimit",
    "AreaLimits",
    "Catalogue",
    "Envelope",
    "PortfolioProblem",
    "Programme",
]


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # a frozen dataclass normalising its own fields


@dataclass(frozen=True, kw_only=True)
class Programme:
    """A programme that may be bought: ``q`` units (0, or ``max(1, min_qty)``–``max_qty``),
    started in one year of ``earliest_start``–``latest_start``, paid by ``payment_profile``.

    ``unit_cost`` [currency units per unit]; ``value`` [value points per unit];
    ``mission_values`` [value points per unit, by mission] are weighed by strategy weights;
    ``diminishing_returns`` are ``(quantity, effective units)`` breakpoints of a concave
    curve through (0, 0): value = value per unit × effective units.
    """

    id: str
    name: str = ""
    area: str
    unit_cost: float
    min_qty: int = 0
    max_qty: int
    payment_profile: tuple[float, ...]
    earliest_start: int
    latest_start: int
    value: float | None = None
    mission_values: Mapping[str, float] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    exclusive_group: str | None = None
    mandatory: bool = False
    diminishing_returns: tuple[tuple[float, float], ...] = ()
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        _set(self, "payment_profile", tuple(float(f) for f in self.payment_profile))
        _set(self, "requires", tuple(self.requires))
        _set(self, "mission_values", dict(self.mission_values))
        _set(
            self,
            "diminishing_returns",
            tuple((float(q), float(e)) for q, e in self.diminishing_returns),
        )


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """Programmes to choose from, with optional strategy weights by mission."""

    programmes: tuple[Programme, ...]
    weights: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _set(self, "programmes", tuple(self.programmes))
        _set(self, "weights", dict(self.weights))


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """Yearly envelopes [currency units], for consecutive fiscal years."""

    years: tuple[int, ...]
    budgets: tuple[float, ...]
    currency: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        _set(self, "years", tuple(int(y) for y in self.years))
        _set(self, "budgets", tuple(float(b) for b in self.budgets))

    def scaled(self, factor: float) -> Envelope:
        """The envelope with every year's budget multiplied by ``factor``."""
        return replace(self, budgets=tuple(b * factor for b in self.budgets))


@dataclass(frozen=True, kw_only=True)
class AreaLimit:
    """A capability area's share of spending within the horizon: ``min_share``–``max_share``
    of total spending within the horizon [fractions]."""

    area: str
    min_share: float = 0.0
    max_share: float = 1.0


@dataclass(frozen=True, kw_only=True)
class AreaLimits:
    """Area limits, one per area."""

    limits: tuple[AreaLimit, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "limits", tuple(self.limits))


@dataclass(frozen=True, kw_only=True)
class PortfolioProblem:
    """Everything one solve needs: the catalogue, the envelope, area limits and weights.

    ``weights`` (strategy weights by mission) replace the catalogue's own when given; with
    weights, a programme's value per unit is ``Σ weight × value_<mission>``, else ``value``.
    """

    catalogue: Catalogue
    envelope: Envelope
    area_limits: AreaLimits = field(default_factory=AreaLimits)
    weights: Mapping[str, float] | None = None

    @property
    def strategy(self) -> dict[str, float]:
        """The strategy weights in use (empty: the ``value`` column is used)."""
        return dict(self.catalogue.weights if self.weights is None else self.weights)
