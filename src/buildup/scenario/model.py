"""The Scenario: one frozen model of everything a plan assumes.

A scenario file is TOML; it may ``extends`` another file and override a few keys (a
baseline plus changes). Units: money in full units of the scenario's currency; shares and
growth rates are fractions (0.02 = 2 %); years are fiscal years of the country's convention.

The keys, with their defaults:

- ``country`` (ISO3 or name), ``name``, ``description``; ``currency`` (ISO 4217) and
  ``fiscal_year`` (calendar, april, october) default to the data and the country's preset
- ``[baseline]``: ``year`` (the last year before the plan), ``amount`` (default: from data)
- ``[[targets]]``: ``year`` and ``share_gdp`` or ``amount``; ``definition`` (default: the
  primary one); ``round_to`` (compare the share rounded to this step, e.g. 0.001 for
  published one-decimal percentages)
- ``[path]``: ``shape`` (goal-seek, linear-share, constant-growth, front-loaded,
  back-loaded, given), ``end_year``, ``max_real_growth``, ``min_real_growth`` (0: never cut
  in real terms), ``max_share_step``, ``amounts`` (given yearly budgets, from the first plan
  year on), ``after`` (after the last target: hold-share, hold-real, hold-nominal)
- ``[gdp]``: ``growth_after_data`` (nominal; default ``"last"``: the last forecast growth
  continued, stated in the assumptions), ``path`` (yearly GDP overriding the data)
- ``[denominator]``: ``year`` and ``amount`` of a fixed base GDP (default: data), ``source``
- ``[prices]``: ``index`` (gdp_deflator or cpi), ``base_year``, ``inflation_after_data``
  (default ``"last"``, as for GDP)
- ``[fx]``: ``rates`` by year, ``planning_rate``, ``foreign_share``
- ``definition`` (primary), ``report`` (definitions to show), ``[[components]]`` and
  ``[[definitions]]`` that add to or replace the country's presets
- ``[risk]``: parameters of the Monte Carlo (see :class:`RiskSpec`)
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from buildup.limits import (
    MAX_MONEY,
    MAX_PLAN_YEARS,
    MAX_RATIO,
    MAX_TARGETS,
    MIN_RATIO,
    YEAR_MAX,
    YEAR_MIN,
)
from buildup.types import AfterRule, PathShape  # the closed sets live in the ground floor

__all__ = [
    "AfterRule",
    "Baseline",
    "Component",
    "Definition",
    "DenominatorSpec",
    "FxSpec",
    "GdpSpec",
    "PathShape",
    "PathSpec",
    "PricesSpec",
    "RiskSpec",
    "Scenario",
    "Target",
]

# NaN and infinity never pass: every float of every input model must be finite.
_FROZEN = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
# A GDP (a denominator) or a baseline budget divides: never zero, and at least one currency
# unit (1e-308 would make a share or a growth rate overflow to infinity).
PositiveMoney = Annotated[float, Field(ge=1, le=MAX_MONEY)]
# Exchange rates [local per US$] and price indices: positive and of a sane magnitude.
Ratio = Annotated[float, Field(ge=MIN_RATIO, le=MAX_RATIO)]


def _fraction(
    value: float | None, what: str, *, low: float = 0.0, above_low: bool = False
) -> float | None:
    """Reject a percentage given where a fraction is expected, and fractions out of range.

    ``above_low``: the value must be strictly above ``low`` (a growth rate of -1 would
    leave nothing to divide by).
    """
    if value is None:
        return None
    if above_low and value <= low:
        raise ValueError(
            f"{value:g} would take the series to zero or below; {what} is a yearly rate "
            f"above {low:g} (e.g. 0.03 for 3 %)"
        )
    if value > 1.0:
        if value <= 100.0:
            raise ValueError(
                f"{value:g} looks like a percent; {what} is a fraction: write {value / 100:g} "
                f"for {value:g} %"
            )
        raise ValueError(f"{value:g} is above 1; {what} is a fraction between 0 and 1")
    if value < low:
        raise ValueError(f"{value:g} is below {low:g}; {what} is a fraction between {low:g} and 1")
    return value


class Baseline(BaseModel):
    """The last year before the plan and, optionally, its budget (default: from data)."""

    model_config = _FROZEN
    year: Year
    amount: Money | None = None
    source: str | None = None


class Target(BaseModel):
    """A dated target: a share of GDP or an amount, under a definition."""

    model_config = _FROZEN
    year: Year
    share_gdp: float | None = None
    amount: Money | None = None
    definition: str | None = None
    round_to: float | None = Field(default=None, ge=1e-6, le=0.01)  # 1e-6: 0.0001 %
    label: str | None = None

    @field_validator("share_gdp")
    @classmethod
    def _share(cls, value: float | None) -> float | None:
        return _fraction(value, "share_gdp")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.share_gdp is None) == (self.amount is None):
            raise ValueError("give either share_gdp (a fraction) or amount, not both or neither")
        return self


class PathSpec(BaseModel):
    """The shape of the path and the limits on it."""

    model_config = _FROZEN
    shape: PathShape = PathShape.GOAL_SEEK
    end_year: Year | None = None
    max_real_growth: float | None = None
    min_real_growth: float = 0.0
    max_share_step: float | None = Field(default=None, gt=0)
    amounts: dict[Year, Money] = Field(default_factory=dict)
    after: AfterRule = AfterRule.HOLD_SHARE

    @field_validator("max_real_growth")
    @classmethod
    def _growth(cls, value: float | None) -> float | None:
        return _fraction(value, "max_real_growth", low=-1.0, above_low=True)

    @field_validator("min_real_growth")
    @classmethod
    def _min_growth(cls, value: float) -> float:
        checked = _fraction(value, "min_real_growth", low=-1.0, above_low=True)
        return 0.0 if checked is None else checked

    @field_validator("max_share_step")
    @classmethod
    def _step(cls, value: float | None) -> float | None:
        return _fraction(value, "max_share_step")


class GdpSpec(BaseModel):
    """GDP beyond (or instead of) the data: a nominal growth rate, or yearly values.

    ``growth_after_data = "last"`` (the default) continues the data's last year-on-year
    growth, i.e. the IMF's last forecast growth; a rate continues at that rate.
    """

    model_config = _FROZEN
    growth_after_data: float | Literal["last"] | None = "last"
    path: dict[Year, PositiveMoney] = Field(default_factory=dict)

    @field_validator("growth_after_data")
    @classmethod
    def _growth(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, str):
            return value
        return _fraction(value, "growth_after_data", low=-1.0, above_low=True)


class DenominatorSpec(BaseModel):
    """A fixed GDP denominator's year and amount (default amount: the data for that year).

    ``year`` makes the primary definition count against the GDP of that year, unless the
    scenario's own definition states its denominator (a conflict in one file is an error);
    ``amount`` is the GDP of ``year`` for every definition fixed at that year.
    """

    model_config = _FROZEN
    year: Year | None = None
    amount: PositiveMoney | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _amount_has_year(self) -> Self:
        if self.amount is not None and self.year is None:
            raise ValueError(
                "amount is the GDP of one year: give denominator.year too (e.g. year = 2022)"
            )
        return self


class PricesSpec(BaseModel):
    """The price index for real terms and its continuation beyond the data."""

    model_config = _FROZEN
    index: Literal["gdp_deflator", "cpi"] = "gdp_deflator"
    base_year: Year | None = None
    # Default: the data's last year-on-year change (the IMF's last forecast inflation).
    inflation_after_data: float | Literal["last"] | None = "last"
    path: dict[Year, Ratio] = Field(default_factory=dict)

    @field_validator("inflation_after_data")
    @classmethod
    def _inflation(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, str):
            return value
        return _fraction(value, "inflation_after_data", low=-1.0, above_low=True)


class FxSpec(BaseModel):
    """Exchange rates [local currency per US$] and the foreign-currency exposure."""

    model_config = _FROZEN
    rates: dict[Year, Ratio] = Field(default_factory=dict)
    planning_rate: Ratio | None = None
    foreign_share: float = 0.0

    @field_validator("foreign_share")
    @classmethod
    def _share(cls, value: float) -> float:
        checked = _fraction(value, "foreign_share")
        return 0.0 if checked is None else checked


# A (co)variance of yearly log changes; 1 is already an sd of 100 % a year.
_Cov = Annotated[float, Field(ge=-1, le=1)]


class RiskSpec(BaseModel):
    """Parameters of the risk engine (``[risk]``); defaults are calibrated from data.

    ``window``: years of history for the covariance of real growth, inflation and exchange
    rate; ``covariance`` (3×3, yearly log changes) with its ``covariance_source`` replaces the
    fit; ``as_of``: the last year whose budget is known (default: the data's latest);
    ``execution_sd``: a flat execution-error sd instead of CBO's by horizon;
    ``cost_growth``: per area (or "default") a lognormal (median factor, log-sd);
    ``slip``: probabilities of 0, 1, 2, … years of delay.
    """

    model_config = _FROZEN
    window: tuple[Year, Year] = (1995, 2024)
    covariance: tuple[tuple[_Cov, _Cov, _Cov], ...] | None = None
    covariance_source: str = ""
    as_of: Year | None = None
    # Bounds keep every draw finite: an sd of 1 is already a ±100 % error.
    execution_sd: float | None = Field(default=None, ge=0, le=1)
    cost_growth: dict[
        str, tuple[Annotated[float, Field(gt=0, le=100)], Annotated[float, Field(ge=0, le=3)]]
    ] = Field(default_factory=dict)
    slip: tuple[float, ...] | None = None

    @field_validator("slip")
    @classmethod
    def _slip(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is None:
            return None
        if any(not 0.0 <= p <= 1.0 for p in value):
            raise ValueError("slip probabilities must lie in [0, 1]")
        if abs(sum(value) - 1.0) > 1e-9:
            raise ValueError(f"slip probabilities sum to {sum(value):g}; they must sum to 1")
        return value

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.window[0] >= self.window[1]:
            raise ValueError(f"window {self.window[0]}–{self.window[1]} is empty; give START < END")
        if self.covariance is not None and len(self.covariance) != 3:
            raise ValueError("covariance must be 3×3 (real growth, inflation, exchange rate)")
        return self


class Component(BaseModel):
    """A line of a spending definition: the budget, fixed amounts by year, or a share."""

    model_config = _FROZEN
    name: str
    label: str = ""
    kind: Literal["budget", "fixed", "share"]
    amounts: dict[Year, Money] = Field(default_factory=dict)
    sources: dict[Year, str] = Field(default_factory=dict)
    share: float | None = Field(default=None, ge=0, le=100)
    of: str | None = None
    source: str | None = None
    # Years without an amount: "interpolate" (between published years, held after the last,
    # missing before the first) or "zero" (a one-off item such as a supplementary budget).
    fill: Literal["interpolate", "zero"] = "interpolate"

    @model_validator(mode="after")
    def _kind_fields(self) -> Self:
        if self.kind == "fixed" and not self.amounts:
            raise ValueError(f"component {self.name!r} is fixed but has no amounts")
        if self.kind == "share" and (self.share is None or self.of is None):
            raise ValueError(f"component {self.name!r} is a share: give share and of")
        return self


class Definition(BaseModel):
    """A spending definition: the sum of its components over a GDP denominator."""

    model_config = _FROZEN
    name: str
    label: str = ""
    components: tuple[str, ...]
    denominator: Literal["current", "fixed"] = "current"
    denominator_year: Year | None = None
    # A source that publishes this definition's figures (spending and share of GDP): where it
    # has a figure for a year the plan does not solve (the baseline, given budgets), that
    # figure is shown, marked published; the model fills only the other years.
    published: Literal["milex"] | None = None

    @model_validator(mode="after")
    def _fixed_year(self) -> Self:
        if self.denominator == "fixed" and self.denominator_year is None:
            raise ValueError(f"definition {self.name!r} has a fixed denominator: give its year")
        return self


class Scenario(BaseModel):
    """Everything a plan assumes, validated and frozen."""

    model_config = _FROZEN
    name: str = "unnamed scenario"
    description: str = ""
    country: str
    # Labels; by default the currency of the exchange-rate data and the country's preset.
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    fiscal_year: Literal["calendar", "april", "october"] | None = None
    baseline: Baseline
    targets: tuple[Target, ...] = Field(default=(), max_length=MAX_TARGETS)
    path: PathSpec = PathSpec()
    gdp: GdpSpec = GdpSpec()
    denominator: DenominatorSpec = DenominatorSpec()
    prices: PricesSpec = PricesSpec()
    fx: FxSpec = FxSpec()
    definition: str | None = None
    report: tuple[str, ...] = ()
    components: tuple[Component, ...] = ()
    definitions: tuple[Definition, ...] = ()
    risk: RiskSpec = RiskSpec()
    notes: tuple[str, ...] = ()
    # Per dotted key, the file that set it: (depth, name), depth 0 the file read itself.
    _origins: dict[str, tuple[int, str]] = PrivateAttr(default_factory=dict)

    def record_origins(self, origins: dict[str, tuple[int, str]]) -> None:
        """Remember which file of an ``extends`` chain set each key (used by the loader)."""
        self._origins = dict(origins)

    def set_in(self, key: str) -> tuple[int, str] | None:
        """Where a dotted key was set: (0 for the file itself, 1 for its parent…, file name).

        ``None`` for a scenario not read from files (every key is then its own).
        """
        return self._origins.get(key)

    @model_validator(mode="after")
    def _years(self) -> Self:
        for i, target in enumerate(self.targets):
            if target.year <= self.baseline.year:
                raise ValueError(
                    f"targets[{i}].year {target.year} is not after the baseline year "
                    f"{self.baseline.year}; a target must lie in the plan's future"
                )
        end = self.path.end_year
        if end is not None and end <= self.baseline.year:
            raise ValueError(f"path.end_year {end} is not after the baseline year")
        if self.last_year - self.baseline.year > MAX_PLAN_YEARS:
            raise ValueError(
                f"the plan runs {self.last_year - self.baseline.year} years "
                f"({self.baseline.year}–{self.last_year}); at most {MAX_PLAN_YEARS} are allowed, "
                "move baseline.year later or the last year earlier"
            )
        bad = [y for y in self.path.amounts if y <= self.baseline.year]
        if bad:
            raise ValueError(f"path.amounts has year {bad[0]} at or before the baseline year")
        return self

    @property
    def first_year(self) -> int:
        """The first planned year."""
        return self.baseline.year + 1

    @property
    def last_year(self) -> int:
        """The last planned year: ``path.end_year``, else the last target or given year."""
        candidates = [t.year for t in self.targets] + list(self.path.amounts)
        if self.path.end_year is not None:
            return self.path.end_year
        return max(candidates, default=self.first_year)
