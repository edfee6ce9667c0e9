"""A programme to track: its plan (envelope, fixed years, price and exchange-rate
assumptions, contracts) and its actuals, from TOML and optionally a CSV of actuals.

Money in full currency units; shares are fractions; years are fiscal years.

Keys: ``name``, ``country``, ``currency``, ``as_of`` (default: the last year with actuals);
``[plan]``: ``first_year``, ``last_year``, ``envelope`` (+ ``envelope_source``), ``fixed``
(years the plan fixes, with ``fixed_sources``), ``allocation`` ("even": the rest of the
envelope spread evenly over the other years; "given": ``years`` gives every year),
``price_base_year``, ``assumed_inflation`` (the plan's own price assumption), ``planning_rates``
(local currency per US$ by year), ``foreign_share``, ``revised`` (a revised plan by year: a
policy change), ``areas`` (envelope by capability area), ``contract_envelope``,
``contract_tail`` (+ sources: published figures to check against); ``actuals_from`` (a
bundled budget series); ``[[actuals]]`` rows ``fiscal_year, kind, amount, area, source``;
``[[contracts.categories]]`` ``name, profile, source``; ``[[contracts.signed]]``
``fiscal_year, category, amount, source``; ``assumed_rates`` (exchange rates for years the
data does not cover, with ``assumed_rates_source``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from buildup.errors import ScenarioError
from buildup.limits import (
    MAX_MONEY,
    MAX_PROFILE_YEARS,
    MAX_ROWS,
    describe_invalid,
    read_user_text,
    read_user_toml,
)
from buildup.scenario.load import invalid_error
from buildup.scenario.model import Ratio, Year, _fraction

__all__ = [
    "ActualRow",
    "ContractCategory",
    "ContractRow",
    "PlanSpec",
    "TrackingSpec",
    "read_actuals_csv",
    "read_tracking",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
# Signed where the sign gets its own message (a negative actual is refused with a reason).
Amount = Annotated[float, Field(ge=-MAX_MONEY, le=MAX_MONEY)]
PROFILE_TOLERANCE = 1e-9


class ActualRow(BaseModel):
    """One actual: an initial or supplementary budget, or an executed amount."""

    model_config = _FROZEN
    fiscal_year: Year
    kind: Literal["initial", "supplementary", "executed"]
    amount: Amount
    area: str | None = None
    source: str = ""


class ContractCategory(BaseModel):
    """A contract category and how its contracts are paid: fractions by year from signing."""

    model_config = _FROZEN
    name: str
    profile: tuple[float, ...] = Field(min_length=1, max_length=MAX_PROFILE_YEARS)
    source: str = ""


class ContractRow(BaseModel):
    """New contracts signed in a year in one category."""

    model_config = _FROZEN
    fiscal_year: Year
    category: str
    amount: Amount
    source: str = ""


class PlanSpec(BaseModel):
    """The plan's envelope over years and its assumptions."""

    model_config = _FROZEN
    first_year: Year
    last_year: Year
    envelope: Money
    envelope_source: str = ""
    fixed: dict[Year, Money] = Field(default_factory=dict)
    fixed_sources: dict[Year, str] = Field(default_factory=dict)
    allocation: Literal["even", "given"] = "even"
    years: dict[Year, Money] = Field(default_factory=dict)
    price_base_year: Year | None = None
    assumed_inflation: float = 0.0
    planning_rates: dict[Year, Ratio] = Field(default_factory=dict)
    foreign_share: float = 0.0
    revised: dict[Year, Money] = Field(default_factory=dict)
    revision_source: str = ""
    areas: dict[str, Money] = Field(default_factory=dict)
    areas_basis: Literal["contract", "expenditure"] = "contract"
    contract_envelope: Money | None = None
    contract_tail: Money | None = None
    contract_sources: str = ""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.last_year < self.first_year:
            raise ValueError(f"last_year {self.last_year} is before first_year {self.first_year}")
        _fraction(self.foreign_share, "foreign_share")
        _fraction(self.assumed_inflation, "assumed_inflation", low=-1.0)
        span = range(self.first_year, self.last_year + 1)
        for key in ("fixed", "years", "revised", "planning_rates"):
            outside = [y for y in getattr(self, key) if y not in span]
            if outside:
                raise ValueError(
                    f"{key} has year {outside[0]} outside the plan's years "
                    f"{self.first_year}–{self.last_year}"
                )
        if self.allocation == "given":
            missing = [y for y in span if y not in self.years]
            if missing:
                raise ValueError(
                    f"allocation 'given' needs years for every year; {missing[0]} has none"
                )
        fixed = sum(self.fixed.values())
        others = len(span) - len(self.fixed)
        if self.allocation == "even" and fixed > self.envelope * (1 + 1e-12):
            # The rest of the envelope would be spread over the other years as negative budgets.
            raise ValueError(
                f"the fixed years sum to {fixed:,.0f}, more than the envelope "
                f"{self.envelope:,.0f}; the other {others} year(s) would get negative budgets: "
                "correct plan.fixed or plan.envelope"
            )
        return self


class Contracts(BaseModel):
    """Contract categories with their payment profiles, and contracts signed."""

    model_config = _FROZEN
    categories: tuple[ContractCategory, ...] = ()
    signed: tuple[ContractRow, ...] = ()


class TrackingSpec(BaseModel):
    """A plan with its actuals and contracts, validated and frozen."""

    model_config = _FROZEN
    name: str = "unnamed programme"
    description: str = ""
    country: str
    currency: str | None = None
    as_of: Year | None = None
    plan: PlanSpec
    actuals_from: Literal["japan_initial_excl_saco", "sipri"] | None = None
    actuals: tuple[ActualRow, ...] = ()
    # Exchange rates assumed for years after the data [local currency per US$], with source.
    assumed_rates: dict[Year, Ratio] = Field(default_factory=dict)
    assumed_rates_source: str = ""
    contracts: Contracts = Contracts()

    @property
    def years(self) -> range:
        """The plan's fiscal years."""
        return range(self.plan.first_year, self.plan.last_year + 1)


def _fail(where: str, key: str, message: str) -> ScenarioError:
    """A tracking rule broken at ``key`` of the file ``where``, as a fielded error."""
    return ScenarioError(where=where, what=key, problem=message)


def check_tracking(spec: TrackingSpec, origin: str) -> None:
    """Rules across keys: years within the plan, profiles summing to 1, known areas."""
    years = spec.years
    names = {c.name for c in spec.contracts.categories}
    for i, category in enumerate(spec.contracts.categories):
        negative = [p for p in category.profile if p < 0]
        if negative:
            raise _fail(
                origin,
                f"contracts.categories[{i}].profile",
                f"the fraction {negative[0]:g} in the payment profile of {category.name!r} is "
                "negative; fractions must be ≥ 0 and sum to 1",
            )
        total = sum(category.profile)
        if abs(total - 1.0) > PROFILE_TOLERANCE:
            raise _fail(
                origin,
                f"contracts.categories[{i}].profile",
                f"payment profile of {category.name!r} sums to {total:.6g} "
                f"(off by {total - 1:+.6g}); fractions must be ≥ 0 and sum to 1",
            )
    for i, row in enumerate(spec.contracts.signed):
        if row.fiscal_year not in years:
            raise _fail(
                origin,
                f"contracts.signed[{i}].fiscal_year",
                f"{row.fiscal_year} is outside the plan's years {years[0]}–{years[-1]}; "
                "remove the row or widen the plan",
            )
        if row.category not in names:
            raise _fail(
                origin,
                f"contracts.signed[{i}].category",
                f"unknown category {row.category!r}; the plan has "
                f"{', '.join(sorted(names)) or 'none'}",
            )
        if row.amount < 0:
            raise _fail(
                origin,
                f"contracts.signed[{i}].amount",
                f"{row.amount:g} is negative; contracts cannot be below zero",
            )
    check_actuals(spec, spec.actuals, origin, lambda i: f"actuals[{i}]")


def check_actuals(spec: TrackingSpec, rows: tuple[ActualRow, ...], origin: str, where: Any) -> None:
    """Actuals lie within the plan, are not negative, not duplicated, and name known areas."""
    years = spec.years
    seen: dict[tuple[int, str, str | None], int] = {}
    for i, row in enumerate(rows):
        key = where(i)
        if row.fiscal_year not in years:
            raise _fail(
                origin,
                key,
                f"fiscal year {row.fiscal_year} is outside the plan's years "
                f"{years[0]}–{years[-1]}; remove the row or widen the plan",
            )
        if row.amount < 0:
            raise _fail(
                origin, key, f"amount {row.amount:g} is negative; budgets cannot be below zero"
            )
        if row.area is not None and row.area not in spec.plan.areas:
            known = ", ".join(sorted(spec.plan.areas)) or "none"
            raise _fail(
                origin,
                key,
                f"area {row.area!r} is not in the plan (areas: {known}); "
                "fix the name or add the area to plan.areas",
            )
        ident = (row.fiscal_year, row.kind, row.area)
        if ident in seen:
            raise _fail(
                origin,
                key,
                f"duplicate {row.kind} for {row.fiscal_year}"
                f"{' in ' + row.area if row.area else ''} (also {where(seen[ident])}); "
                "keep one row, or add the amounts",
            )
        seen[ident] = i


def read_tracking(path: str | Path) -> TrackingSpec:
    """Read and validate a tracking file (TOML)."""
    file = Path(path)
    data = read_user_toml(file, "a tracking file (TOML)", error=ScenarioError)
    try:
        spec = TrackingSpec.model_validate(data)
    except ValidationError as exc:
        raise invalid_error(exc, TrackingSpec, file.name) from exc
    check_tracking(spec, file.name)
    return spec


_ACTUALS_COLUMNS = ("fiscal_year", "kind", "amount", "area", "source")


def read_actuals_csv(path: str | Path, spec: TrackingSpec) -> tuple[ActualRow, ...]:
    """Read actuals from a CSV with columns fiscal_year, kind, amount[, area, source]."""
    file = Path(path)
    text = read_user_text(file, "a CSV of actuals", error=ScenarioError)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
        fields = reader.fieldnames
    except csv.Error as exc:
        raise ScenarioError(
            where=file.name, problem=f"not a readable CSV ({exc})", fix="save it as UTF-8 CSV"
        ) from exc
    header = [name.strip() for name in (fields or [])]
    if not header:
        raise ScenarioError(
            where=file.name,
            problem="the file is empty",
            fix="give a header fiscal_year,kind,amount[,area,source] and at least one row",
        )
    missing = [c for c in ("fiscal_year", "kind", "amount") if c not in header]
    unknown = [c for c in header if c not in _ACTUALS_COLUMNS]
    if missing or unknown:
        parts = [f"missing column(s) {', '.join(missing)}"] if missing else []
        parts += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        raise ScenarioError(
            where=file.name,
            what="header",
            problem="; ".join(parts),
            expected="fiscal_year,kind,amount[,area,source]",
        )
    if not rows:
        raise ScenarioError(
            where=file.name, problem="the header is there but no data rows", fix="add a row"
        )
    if len(rows) > MAX_ROWS:
        raise ScenarioError(
            where=file.name, problem=f"more than {MAX_ROWS:,} rows", fix="split the file"
        )
    out: list[ActualRow] = []
    for line, raw in enumerate(rows, start=2):
        if None in raw:
            raise ScenarioError(
                where=f"{file.name}, row {line}",
                problem="more cells than the header has columns",
                fix="remove the extra cells or quote a value that holds a comma",
            )
        cleaned = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            out.append(
                ActualRow(
                    fiscal_year=int(cleaned["fiscal_year"]),
                    kind=cleaned["kind"],
                    amount=float(cleaned["amount"]),
                    area=cleaned.get("area") or None,
                    source=cleaned.get("source") or f"CSV:{file.name}",
                )
            )
        except ValidationError as exc:
            found = describe_invalid(exc, ActualRow)
            raise ScenarioError(
                where=f"{file.name}, row {line}",
                what=found.key or None,
                problem=found.problem,
                fix="; ".join(f for f in (found.fix, "fix the value") if f),
            ) from exc
        except ValueError as exc:
            raise ScenarioError(
                where=f"{file.name}, row {line}",
                problem=str(exc),
                fix="write plain numbers and a four-digit year",
            ) from exc
    result = tuple(out)
    check_actuals(spec, result, file.name, lambda i: f"row {i + 2}")
    return result
