"""The portfolio's inputs as specs: programmes, yearly envelopes, area limits, weights.

Money is in full currency units (e.g. yen), years are fiscal years, shares are fractions
0–1. Every model is frozen and validated on construction; a rule that fails raises
:class:`~buildup.errors.InputError` naming the item and column at fault and the fix. Items
read from a file carry ``locations``, where each came from (``japan-programmes.csv, row 5``),
and an error names that; items given otherwise are named by their key
(``programmes[4].unit_cost``). The pure engine takes the checked values as plain data
(:mod:`buildup.portfolio.model`; :func:`buildup.engine.programmes.portfolio_problem`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    "PortfolioSpec",
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


def _label(locations: Sequence[str], key: str, i: int) -> str:
    """Where item ``i`` came from (its file and row), else its key (``programmes[3]``)."""
    return locations[i] if i < len(locations) else f"{key}[{i}]"


def _fault(
    locations: Sequence[str], key: str, i: int, column: str, problem: str, fix: str
) -> InputError:
    """The error for ``column`` of item ``i``: located at its file's row and column when it
    came from a file, else named by its key (``programmes[3].unit_cost``)."""
    if i < len(locations):
        return InputError(where=f"{locations[i]}, column {column}", problem=problem, fix=fix)
    return InputError(what=f"{key}[{i}].{column}", problem=problem, fix=fix)


class Catalogue(BaseModel):
    """Programmes to choose from, with optional strategy weights by mission.

    ``locations`` say where each programme came from (``japan-programmes.csv, row 5``).
    """

    model_config = _FROZEN
    programmes: tuple[Programme, ...] = Field(max_length=MAX_PROGRAMMES)
    weights: dict[str, Annotated[float, Field(le=MAX_WEIGHT)]] = Field(default_factory=dict)
    locations: tuple[str, ...] = ()

    def fault(self, i: int, column: str, problem: str, fix: str) -> InputError:
        """The error for ``column`` of programme ``i``."""
        return _fault(self.locations, "programmes", i, column, problem, fix)

    def label(self, i: int) -> str:
        """Where programme ``i`` came from, or its key."""
        return _label(self.locations, "programmes", i)

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
    locations: tuple[str, ...] = ()

    def fault(self, i: int, column: str, problem: str, fix: str) -> InputError:
        """The error for ``column`` (year or budget) of year ``i``."""
        if i < len(self.locations):
            return _fault(self.locations, "years", i, column, problem, fix)
        key = "years" if column == "year" else "budgets"
        return InputError(what=f"{key}[{i}]", problem=problem, fix=fix)

    def scaled(self, factor: float) -> Envelope:
        """The envelope with every year's budget multiplied by ``factor``."""
        return self.model_copy(update={"budgets": tuple(b * factor for b in self.budgets)})

    @model_validator(mode="after")
    def _check(self) -> Self:
        if len(self.years) != len(self.budgets):
            raise InputError(
                what="budgets",
                problem=f"{len(self.years)} years but {len(self.budgets)} budgets",
                fix="give one budget per year",
            )
        for i, (year, budget) in enumerate(zip(self.years, self.budgets, strict=True)):
            if budget < 0:
                raise self.fault(
                    i, "budget", f"{budget:g} is negative", "an envelope cannot be below zero"
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
                raise self.fault(
                    i,
                    "year",
                    f"{year} follows {previous}: {gap}",
                    "give every year from the first to the last, in order",
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
    locations: tuple[str, ...] = ()

    def fault(self, i: int, column: str, problem: str, fix: str) -> InputError:
        """The error for ``column`` of limit ``i``."""
        return _fault(self.locations, "limits", i, column, problem, fix)

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: dict[str, int] = {}
        for i, limit in enumerate(self.limits):
            for column in ("min_share", "max_share"):
                share = getattr(limit, column)
                if not 0.0 <= share <= 1.0:
                    hint = " (a percentage? write 0.3 for 30 %)" if share > 1 else ""
                    raise self.fault(
                        i,
                        column,
                        f"{share:g} is outside 0–1{hint}",
                        "give a fraction of total spending",
                    )
            if limit.min_share > limit.max_share:
                raise self.fault(
                    i,
                    "min_share",
                    f"{limit.min_share:g} is above max_share {limit.max_share:g}",
                    "swap them or lower min_share",
                )
            if limit.area in seen:
                also = _label(self.locations, "limits", seen[limit.area])
                raise self.fault(
                    i,
                    "area",
                    f"duplicate area {limit.area!r} (also {also})",
                    "keep one row per area",
                )
            seen[limit.area] = i
        return self


class PortfolioSpec(BaseModel):
    """Everything one solve needs, checked across its parts: the catalogue, the envelope,
    area limits and weights (the engine's :class:`~buildup.portfolio.PortfolioProblem`).

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
            raise catalogue.fault(
                i,
                "id",
                f"duplicate id {p.id!r} (also {catalogue.label(ids[p.id])})",
                "give each programme its own id",
            )
        ids[p.id] = i
    for i, p in enumerate(catalogue.programmes):
        for required in p.requires:
            if required not in ids:
                raise catalogue.fault(
                    i,
                    "requires",
                    f"{required!r} is not the id of any programme",
                    "fix the id or remove it",
                )
            if required == p.id:
                raise catalogue.fault(i, "requires", f"{p.id!r} requires itself", "remove it")
    _check_cycles(catalogue, ids)
    for mission, weight in catalogue.weights.items():
        if weight < 0:
            raise InputError(
                what=f"weights.{mission}",
                given=weight,
                problem="negative",
                fix="strategy weights are ≥ 0",
            )


def _check_programme(catalogue: Catalogue, i: int, p: Programme) -> None:
    fault = catalogue.fault
    if 0 < p.unit_cost < MIN_UNIT_COST:
        # 1e-308 is no price: every value-per-cost ratio of it overflows.
        raise fault(
            i,
            "unit_cost",
            f"{p.unit_cost:g} is below {MIN_UNIT_COST:g} of a currency unit",
            "give the cost in full currency units (or 0 for a programme that costs nothing)",
        )
    if p.unit_cost < 0:
        raise fault(i, "unit_cost", f"{p.unit_cost:g} is negative", "costs cannot be below zero")
    if p.value is not None and p.value < 0:
        raise fault(i, "value", f"{p.value:g} is negative", "value scores are ≥ 0")
    for mission, score in p.mission_values.items():
        if score < 0:
            raise fault(i, "value_" + mission, f"{score:g} is negative", "value scores are ≥ 0")
    if p.min_qty < 0:
        raise fault(i, "min_qty", f"{p.min_qty} is negative", "give 0 or more")
    if p.max_qty < 1:
        raise fault(
            i,
            "max_qty",
            f"{p.max_qty} is below 1",
            "a programme buys at least one unit (remove the row to leave it out)",
        )
    if p.min_qty > p.max_qty:
        raise fault(
            i,
            "min_qty",
            f"{p.min_qty} is above max_qty {p.max_qty}",
            "lower min_qty or raise max_qty",
        )
    if p.earliest_start > p.latest_start:
        raise fault(
            i,
            "earliest_start",
            f"{p.earliest_start} is after latest_start {p.latest_start}",
            "swap them or widen the window",
        )
    negative = [f for f in p.payment_profile if f < 0]
    if negative:
        raise fault(
            i,
            "payment_profile",
            f"the fraction {negative[0]:g} is negative",
            "a payment profile's fractions are ≥ 0 and sum to 1",
        )
    total = sum(p.payment_profile)
    if abs(total - 1.0) > PROFILE_TOLERANCE:
        raise fault(
            i,
            "payment_profile",
            f"the fractions sum to {total:.6g} (off by {total - 1:+.6g})",
            "they must be ≥ 0 and sum to 1",
        )
    _check_returns(catalogue, i, p.diminishing_returns)


def _check_returns(catalogue: Catalogue, i: int, points: tuple[tuple[float, float], ...]) -> None:
    """Breakpoints increase in quantity, effective units never fall, slopes never rise."""
    last_q, last_e, last_slope = 0.0, 0.0, float("inf")
    for q, e in points:
        if q <= last_q:
            raise catalogue.fault(
                i,
                "diminishing_returns",
                f"quantities must increase from 0 (given {q:g} after {last_q:g})",
                "write quantity:effective units pairs in order, e.g. 4:4;8:6",
            )
        slope = (e - last_e) / (q - last_q)
        if slope < 0 or slope > last_slope + 1e-12:
            raise catalogue.fault(
                i,
                "diminishing_returns",
                f"the curve is not concave and rising at {q:g}:{e:g} (slope {slope:.4g} after "
                f"{last_slope:.4g})",
                "each segment's slope must be ≥ 0 and no steeper than the one before",
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
                raise catalogue.fault(
                    nxt, "requires", f"cycle {names}", "remove one of these requirements"
                )
            if state[nxt] == 0:
                state[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)


def check_problem(problem: PortfolioSpec) -> None:
    """Rules across the inputs: start windows within the envelope years, known areas and
    missions, a value for every programme."""
    catalogue, envelope = problem.catalogue, problem.envelope
    first, last = envelope.years[0], envelope.years[-1]
    for i, p in enumerate(catalogue.programmes):
        if p.earliest_start < first:
            raise catalogue.fault(
                i,
                "earliest_start",
                f"{p.earliest_start} is before the first envelope year {first}",
                f"start windows must lie within {first}–{last}",
            )
        if p.latest_start > last:
            raise catalogue.fault(
                i,
                "latest_start",
                f"{p.latest_start} is after the last envelope year {last}, where outlays would "
                "be unconstrained",
                f"start windows must lie within {first}–{last}",
            )
    areas = sorted({p.area for p in catalogue.programmes})
    limits = problem.area_limits
    for i, limit in enumerate(limits.limits):
        if limit.area not in areas:
            raise limits.fault(
                i,
                "area",
                f"{limit.area!r} is not the area of any programme (areas: {', '.join(areas)})",
                "fix the name",
            )
    weights = problem.strategy
    missions = sorted({m for p in catalogue.programmes for m in p.mission_values})
    for mission, weight in weights.items():
        if mission not in missions:
            known = ", ".join(missions) or "none"
            raise InputError(
                what="weights",
                given=mission,
                problem=f"not a mission of the catalogue (value_ columns: {known})",
                fix="fix the name",
            )
        if weight < 0:
            raise InputError(
                what="weights", given=f"{mission}={weight:g}", problem="negative", fix="use ≥ 0"
            )
    if not weights:
        for i, p in enumerate(catalogue.programmes):
            if p.value is None:
                raise catalogue.fault(
                    i,
                    "value",
                    "empty",
                    "give a value score, or value_<mission> columns with strategy weights "
                    "({option:weights})",
                )
