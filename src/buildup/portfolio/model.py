"""The portfolio's inputs: programmes, yearly envelopes, area limits, strategy weights.

Money is in full currency units (e.g. yen), years are fiscal years, shares are fractions
0–1. Every model is frozen and validated on construction; a rule that fails raises
:class:`~buildup.errors.InputError` with one line naming the file, the row, the column and
the fix (``locations`` carry the row labels of the file each item came from).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from buildup.errors import InputError
from buildup.limits import (
    MAX_MONEY,
    MAX_PROFILE_YEARS,
    MAX_PROGRAMMES,
    MAX_QUANTITY,
    MAX_VALUE,
    MAX_WEIGHT,
    MIN_UNIT_COST,
    YEAR_MAX,
    YEAR_MIN,
)

__all__ = [
    "PROFILE_TOLERANCE",
    "AreaLimit",
    "AreaLimits",
    "Catalogue",
    "Envelope",
    "PortfolioProblem",
    "Programme",
]

# NaN and infinity never pass; magnitudes stay within what the MIP solver can represent.
_FROZEN = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
_Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
_Money = Annotated[float, Field(le=MAX_MONEY)]  # the sign is checked with its own message
_Score = Annotated[float, Field(le=MAX_VALUE)]
_Quantity = Annotated[int, Field(le=MAX_QUANTITY)]
PROFILE_TOLERANCE = 1e-6  # a payment profile must sum to 1 within this [fraction]


class Programme(BaseModel):
    """A programme that may be bought: ``q`` units (0, or ``max(1, min_qty)``–``max_qty``),
    started in one year of ``earliest_start``–``latest_start``, paid by ``payment_profile``.

    ``unit_cost`` [currency units per unit]; ``value`` [value points per unit];
    ``mission_values`` [value points per unit, by mission] are weighed by strategy weights;
    ``diminishing_returns`` are ``(quantity, effective units)`` breakpoints of a concave
    curve through (0, 0): value = value per unit × effective units.
    """

    model_config = _FROZEN
    id: str = Field(min_length=1)
    name: str = ""
    area: str = Field(min_length=1)
    unit_cost: _Money
    min_qty: _Quantity = 0
    max_qty: _Quantity
    payment_profile: tuple[float, ...] = Field(min_length=1, max_length=MAX_PROFILE_YEARS)
    earliest_start: _Year
    latest_start: _Year
    value: _Score | None = None
    mission_values: dict[str, _Score] = Field(default_factory=dict)
    requires: tuple[str, ...] = ()
    exclusive_group: str | None = None
    mandatory: bool = False
    diminishing_returns: tuple[tuple[float, float], ...] = ()
    source: str = ""
    note: str = ""


def _default_where(origin: str, key: str) -> Callable[[Sequence[str], int], str]:
    def where(locations: Sequence[str], i: int) -> str:
        return f"{origin}, {locations[i]}" if i < len(locations) else f"{origin}: {key}[{i}]"

    return where


class Catalogue(BaseModel):
    """Programmes to choose from, with optional strategy weights by mission.

    ``origin`` names the source in messages and ``locations`` label each programme's row.
    """

    model_config = _FROZEN
    programmes: tuple[Programme, ...] = Field(max_length=MAX_PROGRAMMES)
    weights: dict[str, Annotated[float, Field(le=MAX_WEIGHT)]] = Field(default_factory=dict)
    origin: str = "programmes"
    locations: tuple[str, ...] = ()

    def where(self, i: int, column: str) -> str:
        """``file, row N, column C`` of programme ``i``."""
        return f"{_default_where(self.origin, 'programmes')(self.locations, i)}, column {column}"

    @model_validator(mode="after")
    def _check(self) -> Self:
        check_catalogue(self)
        return self


class Envelope(BaseModel):
    """Yearly envelopes [currency units], for consecutive fiscal years."""

    model_config = _FROZEN
    years: tuple[_Year, ...] = Field(min_length=1)
    budgets: tuple[_Money, ...] = Field(min_length=1)
    currency: str = ""
    source: str = ""
    origin: str = "envelope"
    locations: tuple[str, ...] = ()

    def where(self, i: int, column: str) -> str:
        """``file, row N, column C`` of year ``i``."""
        return f"{_default_where(self.origin, 'years')(self.locations, i)}, column {column}"

    def scaled(self, factor: float) -> Envelope:
        """The envelope with every year's budget multiplied by ``factor``."""
        return self.model_copy(update={"budgets": tuple(b * factor for b in self.budgets)})

    @model_validator(mode="after")
    def _check(self) -> Self:
        if len(self.years) != len(self.budgets):
            raise InputError(
                f"{self.origin}: {len(self.years)} years but {len(self.budgets)} budgets; "
                "give one budget per year"
            )
        for i, (year, budget) in enumerate(zip(self.years, self.budgets, strict=True)):
            if budget < 0:
                raise InputError(
                    f"{self.where(i, 'budget')}: {budget:g} is negative; "
                    "an envelope cannot be below zero"
                )
            if i and year != self.years[i - 1] + 1:
                previous = self.years[i - 1]
                missing = (
                    f"{previous + 1}" if year == previous + 2 else f"{previous + 1}–{year - 1}"
                )
                gap = (
                    f"the years have a gap ({missing} missing)"
                    if year > previous + 1
                    else "the years must increase by one"
                )
                raise InputError(
                    f"{self.where(i, 'year')}: {year} follows {previous}: {gap}; "
                    "give every year from the first to the last, in order"
                )
        return self


class AreaLimit(BaseModel):
    """A capability area's share of spending within the horizon: ``min_share``–``max_share``
    of total spending within the horizon [fractions]."""

    model_config = _FROZEN
    area: str = Field(min_length=1)
    min_share: float = 0.0
    max_share: float = 1.0


class AreaLimits(BaseModel):
    """Area limits, one per area."""

    model_config = _FROZEN
    limits: tuple[AreaLimit, ...] = ()
    origin: str = "area limits"
    locations: tuple[str, ...] = ()

    def where(self, i: int, column: str) -> str:
        """``file, row N, column C`` of limit ``i``."""
        return f"{_default_where(self.origin, 'limits')(self.locations, i)}, column {column}"

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: dict[str, int] = {}
        for i, limit in enumerate(self.limits):
            for column in ("min_share", "max_share"):
                share = getattr(limit, column)
                if not 0.0 <= share <= 1.0:
                    hint = " (a percentage? write 0.3 for 30 %)" if share > 1 else ""
                    raise InputError(
                        f"{self.where(i, column)}: {share:g} is outside 0–1{hint}; "
                        "give a fraction of total spending"
                    )
            if limit.min_share > limit.max_share:
                raise InputError(
                    f"{self.where(i, 'min_share')}: {limit.min_share:g} is above max_share "
                    f"{limit.max_share:g}; swap them or lower min_share"
                )
            if limit.area in seen:
                raise InputError(
                    f"{self.where(i, 'area')}: duplicate area {limit.area!r} (also "
                    f"{_default_where(self.origin, 'limits')(self.locations, seen[limit.area])})"
                    "; keep one row per area"
                )
            seen[limit.area] = i
        return self


class PortfolioProblem(BaseModel):
    """Everything one solve needs: the catalogue, the envelope, area limits and weights.

    ``weights`` (strategy weights by mission) replace the catalogue's own when given; with
    weights, a programme's value per unit is ``Σ weight × value_<mission>``, else ``value``.
    """

    model_config = _FROZEN
    catalogue: Catalogue
    envelope: Envelope
    area_limits: AreaLimits = AreaLimits()
    weights: dict[str, Annotated[float, Field(le=MAX_WEIGHT)]] | None = None

    @property
    def strategy(self) -> dict[str, float]:
        """The strategy weights in use (empty: the ``value`` column is used)."""
        return dict(self.catalogue.weights if self.weights is None else self.weights)

    @model_validator(mode="after")
    def _check(self) -> Self:
        check_problem(self)
        return self


def check_catalogue(catalogue: Catalogue) -> None:
    """Rules on each programme and across them (ids, requires, profiles, ranges)."""
    ids: dict[str, int] = {}
    for i, p in enumerate(catalogue.programmes):
        _check_programme(catalogue, i, p)
        if p.id in ids:
            raise InputError(
                f"{catalogue.where(i, 'id')}: duplicate id {p.id!r} (also "
                f"{_default_where(catalogue.origin, 'programmes')(catalogue.locations, ids[p.id])})"
                "; give each programme its own id"
            )
        ids[p.id] = i
    for i, p in enumerate(catalogue.programmes):
        for required in p.requires:
            if required not in ids:
                raise InputError(
                    f"{catalogue.where(i, 'requires')}: {required!r} is not the id of any "
                    "programme; fix the id or remove it"
                )
            if required == p.id:
                raise InputError(
                    f"{catalogue.where(i, 'requires')}: {p.id!r} requires itself; remove it"
                )
    _check_cycles(catalogue, ids)
    for mission, weight in catalogue.weights.items():
        if weight < 0:
            raise InputError(
                f"{catalogue.origin}: weights.{mission}: {weight:g} is negative; "
                "strategy weights are ≥ 0"
            )


def _check_programme(catalogue: Catalogue, i: int, p: Programme) -> None:
    where = catalogue.where
    if 0 < p.unit_cost < MIN_UNIT_COST:
        # 1e-308 is no price: every value-per-cost ratio of it overflows.
        raise InputError(
            f"{where(i, 'unit_cost')}: {p.unit_cost:g} is below {MIN_UNIT_COST:g} of a currency "
            "unit; give the cost in full currency units (or 0 for a programme that costs nothing)"
        )
    if p.unit_cost < 0:
        raise InputError(
            f"{where(i, 'unit_cost')}: {p.unit_cost:g} is negative; costs cannot be below zero"
        )
    if p.value is not None and p.value < 0:
        raise InputError(f"{where(i, 'value')}: {p.value:g} is negative; value scores are ≥ 0")
    for mission, score in p.mission_values.items():
        if score < 0:
            raise InputError(
                f"{where(i, 'value_' + mission)}: {score:g} is negative; value scores are ≥ 0"
            )
    if p.min_qty < 0:
        raise InputError(f"{where(i, 'min_qty')}: {p.min_qty} is negative; give 0 or more")
    if p.max_qty < 1:
        raise InputError(
            f"{where(i, 'max_qty')}: {p.max_qty} is below 1; a programme buys at least one "
            "unit (remove the row to leave it out)"
        )
    if p.min_qty > p.max_qty:
        raise InputError(
            f"{where(i, 'min_qty')}: {p.min_qty} is above max_qty {p.max_qty}; "
            "lower min_qty or raise max_qty"
        )
    if p.earliest_start > p.latest_start:
        raise InputError(
            f"{where(i, 'earliest_start')}: {p.earliest_start} is after latest_start "
            f"{p.latest_start}; swap them or widen the window"
        )
    negative = [f for f in p.payment_profile if f < 0]
    if negative:
        raise InputError(
            f"{where(i, 'payment_profile')}: the fraction {negative[0]:g} is negative; "
            "a payment profile's fractions are ≥ 0 and sum to 1"
        )
    total = sum(p.payment_profile)
    if abs(total - 1.0) > PROFILE_TOLERANCE:
        raise InputError(
            f"{where(i, 'payment_profile')}: the fractions sum to {total:.6g} "
            f"(off by {total - 1:+.6g}); they must be ≥ 0 and sum to 1"
        )
    _check_returns(where(i, "diminishing_returns"), p.diminishing_returns)


def _check_returns(where: str, points: tuple[tuple[float, float], ...]) -> None:
    """Breakpoints increase in quantity, effective units never fall, slopes never rise."""
    last_q, last_e, last_slope = 0.0, 0.0, float("inf")
    for q, e in points:
        if q <= last_q:
            raise InputError(
                f"{where}: quantities must increase from 0 (given {q:g} after {last_q:g}); "
                "write quantity:effective units pairs in order, e.g. 4:4;8:6"
            )
        slope = (e - last_e) / (q - last_q)
        if slope < 0 or slope > last_slope + 1e-12:
            raise InputError(
                f"{where}: the curve is not concave and rising at {q:g}:{e:g} (slope "
                f"{slope:.4g} after {last_slope:.4g}); each segment's slope must be ≥ 0 and "
                "no steeper than the one before"
            )
        last_q, last_e, last_slope = q, e, slope


def _check_cycles(catalogue: Catalogue, ids: Mapping[str, int]) -> None:
    """Depth-first search for a cycle of ``requires``; name it in the message."""
    state = [0] * len(catalogue.programmes)  # 0 new, 1 on the stack, 2 done
    for root in range(len(catalogue.programmes)):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path = [root]
        state[root] = 1
        while stack:
            node, k = stack[-1]
            needs = catalogue.programmes[node].requires
            if k == len(needs):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, k + 1)
            nxt = ids[needs[k]]
            if state[nxt] == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                names = " -> ".join(catalogue.programmes[j].id for j in cycle)
                raise InputError(
                    f"{catalogue.where(nxt, 'requires')}: cycle {names}; "
                    "remove one of these requirements"
                )
            if state[nxt] == 0:
                state[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)


def check_problem(problem: PortfolioProblem) -> None:
    """Rules across the inputs: start windows within the envelope years, known areas and
    missions, a value for every programme."""
    catalogue, envelope = problem.catalogue, problem.envelope
    first, last = envelope.years[0], envelope.years[-1]
    for i, p in enumerate(catalogue.programmes):
        if p.earliest_start < first:
            raise InputError(
                f"{catalogue.where(i, 'earliest_start')}: {p.earliest_start} is before the "
                f"first envelope year {first}; start windows must lie within {first}–{last}"
            )
        if p.latest_start > last:
            raise InputError(
                f"{catalogue.where(i, 'latest_start')}: {p.latest_start} is after the last "
                f"envelope year {last}, where outlays would be unconstrained; start windows "
                f"must lie within {first}–{last}"
            )
    areas = sorted({p.area for p in catalogue.programmes})
    limits = problem.area_limits
    for i, limit in enumerate(limits.limits):
        if limit.area not in areas:
            raise InputError(
                f"{limits.where(i, 'area')}: {limit.area!r} is not the area of any programme "
                f"(areas: {', '.join(areas)}); fix the name"
            )
    weights = problem.strategy
    missions = sorted({m for p in catalogue.programmes for m in p.mission_values})
    for mission, weight in weights.items():
        if mission not in missions:
            known = ", ".join(missions) or "none"
            raise InputError(
                f"strategy weights: {mission!r} is not a mission of the catalogue (value_ "
                f"columns: {known}); fix the name"
            )
        if weight < 0:
            raise InputError(f"strategy weights: {mission}={weight:g} is negative; use ≥ 0")
    if not weights:
        for i, p in enumerate(catalogue.programmes):
            if p.value is None:
                raise InputError(
                    f"{catalogue.where(i, 'value')}: empty; give a value score, or "
                    "value_<mission> columns with strategy weights ({option:weights})"
                )
