"""``simulate_plan(scenario, store, …) -> RiskOutcome``: the plan under uncertainty.

Runs the deterministic plan, calibrates the drivers (``buildup.risk.drivers``) from the
store, builds the arrays of one draw (``buildup.risk.simulate.PlanModel``), runs the blocks
locally or on a Dask cluster, and summarises: the probability each target is met, quantiles
of the share of GDP and of spending per year, the shortfall when a target is missed, and a
tornado of which driver moves the first target most.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.engine.inputs import budget_history, read_series
from buildup.engine.outcome import Outcome
from buildup.engine.plan import run
from buildup.engine.provenance import Provenance, editions_of
from buildup.engine.rates import read_exchange_rates
from buildup.errors import InputError, located
from buildup.risk.cluster import run_plans
from buildup.risk.drivers import DRIVERS, cholesky, execution_error, fit_macro
from buildup.risk.simulate import (
    BLOCK,
    RATIO_MAX,
    SHARE_MAX,
    SHORT_MAX,
    BlockResult,
    PlanModel,
    TargetSpec,
)
from buildup.risk.summary import hist_quantiles, standard_error
from buildup.scenario import load_preset
from buildup.serialize import internal
from buildup.types import Variable

if TYPE_CHECKING:
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = [
    "Covariance",
    "ExecutionErrors",
    "QuantileRow",
    "RiskOutcome",
    "RiskParameters",
    "Shortfall",
    "Spread",
    "TargetRisk",
    "TornadoBar",
    "Variable",
    "build_plan_model",
    "execution_schedule",
    "simulate_plan",
]

Array = NDArray[np.float64]
MAX_DRAWS = 50_000_000


@dataclass(frozen=True)
class TargetRisk:
    """The chance that a share-of-GDP target is met: strictly (the share at or above it) and,
    with ``round_to``, at the published rounding [probabilities; shares as fractions]."""

    year: int
    definition: str
    share_gdp: float
    round_to: float | None
    probability_met: float
    standard_error: float
    probability_met_rounded: float | None


@dataclass(frozen=True)
class QuantileRow:
    """Quantiles of one variable in one year (``definition`` for a share of GDP; spending is
    the primary definition's)."""

    year: int
    variable: Variable
    definition: str
    p5: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p95: float | None


@dataclass(frozen=True)
class Spread:
    """Quantiles p5…p95 of an amount by which a target is missed [share of GDP]."""

    p5: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p95: float | None


@dataclass(frozen=True)
class Shortfall:
    """How often a target is missed, and by how much when it is (None if never)."""

    year: int
    definition: str
    probability_missed: float
    shortfall_share_gdp: Spread | None


@dataclass(frozen=True)
class TornadoBar:
    """One driver alone: the first target's chance and the p5–p95 spread of its share."""

    driver: str
    probability_met: float
    share_p5: float
    share_p95: float
    spread: float


@dataclass(frozen=True)
class Covariance:
    """The covariance of the yearly log changes of ``order`` and where it came from."""

    order: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    source: str


@dataclass(frozen=True)
class ExecutionErrors:
    """Mean and sd of the execution error per planned year [fractions], and their source."""

    mean: tuple[float, ...]
    sd: tuple[float, ...]
    source: str


@dataclass(frozen=True)
class RiskParameters:
    """What the plan's Monte Carlo assumed."""

    covariance_log_changes: Covariance
    execution_error: ExecutionErrors
    budget_known_through: int
    macro_uncertain_after: int
    years: tuple[int, ...]
    definitions: tuple[str, ...]
    model: str
    note: str | None = None


@dataclass(frozen=True)
class RiskOutcome:
    """A plan's Monte Carlo summary (its document: the scenario's name and country, the
    records below, the parameters and the provenance)."""

    __json_extra__ = ("scenario", "country")

    plan: Outcome = field(metadata=internal())
    draws: int
    seed: int
    targets: tuple[TargetRisk, ...]
    quantiles: tuple[QuantileRow, ...]
    shortfall: tuple[Shortfall, ...]
    tornado: tuple[TornadoBar, ...]
    parameters: RiskParameters
    provenance: Provenance

    def quantiles_of(self, variable: Variable, definition: str) -> tuple[QuantileRow, ...]:
        """The rows of one variable (and definition), year by year."""
        return tuple(
            q for q in self.quantiles if q.variable == variable and q.definition == definition
        )

    @property
    def scenario(self) -> str:
        """The scenario's name."""
        return self.plan.scenario.name

    @property
    def country(self) -> str:
        """The plan's country (ISO3)."""
        return self.plan.iso3


def _last_actual_gdp_year(store: DatasetStore, iso3: str) -> int:
    gdp = store.query("gdp", [iso3])
    actual = gdp[(gdp["is_forecast"] == 0) & gdp["gdp_local_current"].notna()]
    return int(actual["year"].max()) if len(actual) else -1


def build_plan_model(
    scenario: Scenario, store: DatasetStore, origin: str | None = None
) -> tuple[PlanModel, Outcome, RiskParameters]:
    """The deterministic plan, and the arrays and parameters of its Monte Carlo; errors name
    the key at fault, and ``origin`` (if given) where the scenario came from."""
    if origin is None:
        return _plan_model(scenario, store)
    with located(origin):
        return _plan_model(scenario, store)


def _plan_model(
    scenario: Scenario, store: DatasetStore
) -> tuple[PlanModel, Outcome, RiskParameters]:
    plan = run(scenario, store)
    planned = plan.years["planned"].to_numpy()
    years = plan.years["year"].to_numpy()[planned]
    spec = scenario.risk
    history = budget_history(store, plan.iso3, load_preset(plan.iso3).budget_history)
    known = [y for y in history if y <= int(years[-1])]
    as_of = spec.as_of if spec.as_of is not None else max(known, default=int(years[0]) - 1)
    macro_from = _last_actual_gdp_year(store, plan.iso3)
    cov, cov_source = _covariance(scenario, store, plan.iso3)
    exec_mean, exec_sd, exec_source = execution_schedule(store, years, as_of, spec.execution_sd)
    names = list(plan.names)
    lines = list(plan.lines)
    targets = []
    for target in scenario.targets:
        if target.share_gdp is None:
            continue
        name = target.definition or plan.primary
        targets.append(
            TargetSpec(
                names.index(name), int(target.year - years[0]), target.share_gdp, target.round_to
            )
        )
    model = PlanModel(
        budget=plan.years["budget_local"].to_numpy()[planned],
        gdp=plan.years["gdp_local"].to_numpy()[planned],
        price=plan.years["price_index"].to_numpy()[planned],
        fx=plan.years["fx_local_per_usd"].to_numpy()[planned],
        macro_active=years > macro_from,
        budget_active=years > as_of,
        chol=cholesky(cov, "risk.covariance"),
        exec_mean=exec_mean,
        exec_sd=exec_sd,
        a=np.array([ln.a[planned] for ln in lines]),
        b=np.array([ln.b[planned] for ln in lines]),
        den_fixed=np.array(
            [ln.denominator[planned] if ln.fixed else np.full(len(years), np.nan) for ln in lines]
        ),
        targets=tuple(targets),
        primary=names.index(plan.primary),
    )
    parameters = RiskParameters(
        covariance_log_changes=Covariance(
            order=("real_gdp_growth", "inflation", "exchange_rate"),
            matrix=tuple(tuple(float(v) for v in row) for row in np.asarray(cov)),
            source=cov_source,
        ),
        execution_error=ExecutionErrors(
            tuple(float(v) for v in exec_mean), tuple(float(v) for v in exec_sd), exec_source
        ),
        budget_known_through=int(as_of),
        macro_uncertain_after=int(macro_from),
        years=tuple(int(y) for y in years),
        definitions=tuple(names),
        model="yearly log shocks, independent across years, accumulate in levels around the "
        "plan; budgets fixed in nominal terms, spending = budget / (1 + execution error); "
        "related components fixed",
        note="amount targets are not simulated; only share-of-GDP targets"
        if any(t.amount is not None for t in scenario.targets)
        else None,
    )
    return model, plan, parameters


def execution_schedule(
    store: DatasetStore, years: NDArray[np.int64], as_of: int, execution_sd: float | None
) -> tuple[Array, Array, str]:
    """Mean and sd of the execution error for each year [fractions], and their source.

    Years up to ``as_of`` are known (zero error); later ones take CBO's errors by years ahead
    of ``as_of``, or a flat ``execution_sd`` when the scenario gives one.
    """
    if execution_sd is not None:
        return (
            np.zeros(len(years)),
            np.where(years > as_of, execution_sd, 0.0),
            "scenario risk.execution_sd",
        )
    cbo = store.query("cbo_errors")
    mean, sd = execution_error(
        cbo["years_ahead"].to_numpy(), cbo["mean_error_pct"].to_numpy(), cbo["rmse_pct"].to_numpy()
    )
    horizon = np.clip(years - as_of, 1, len(mean)) - 1
    source = (
        "CBO evaluation of defence-discretionary outlay projections "
        f"(cbo_errors {store.current_edition('cbo_errors')}), by years ahead of FY{as_of}"
    )
    return (
        np.where(years > as_of, mean[horizon], 0.0),
        np.where(years > as_of, sd[horizon], 0.0),
        source,
    )


def _covariance(scenario: Scenario, store: DatasetStore, iso3: str) -> tuple[Array, str]:
    spec = scenario.risk
    if spec.covariance is not None:
        return np.array(
            spec.covariance, dtype=float
        ), spec.covariance_source or "scenario risk.covariance"
    span = np.arange(spec.window[0] - 1, spec.window[1] + 1, dtype=np.int64)
    growth = read_series(store, "prices", "real_gdp_growth_pct", iso3, span).values
    deflator = read_series(store, "prices", "gdp_deflator", iso3, span).values
    rates = read_exchange_rates(store, iso3, span)
    source = (
        f"fitted on {iso3} history {spec.window[0]}–{spec.window[1]}: IMF WEO real growth "
        f"and deflator (prices {store.current_edition('prices')}), {rates.source}"
    )
    try:
        fit = fit_macro(
            span, growth, deflator, rates.series.values, spec.window, source, rates.units
        )
    except InputError as exc:
        raise InputError(what="risk.window", problem=str(exc)) from exc
    return fit.cov, f"{source}; {fit.observations} years"


def simulate_plan(
    scenario: Scenario,
    store: DatasetStore,
    *,
    draws: int,
    seed: int,
    origin: str | None = None,
    chunk_draws: int | None = None,
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
    tornado: bool = True,
) -> RiskOutcome:
    """Run the Monte Carlo of a plan and summarise it; ``chunk_draws`` None lets the chunks
    fit where it runs (:func:`buildup.risk.cluster.run_plans`)."""
    if draws < 1 or draws > MAX_DRAWS:
        raise InputError(
            what="draws", given=draws, expected=f"a positive number of draws up to {MAX_DRAWS:,}"
        )
    model, plan, parameters = build_plan_model(scenario, store, origin)
    # The tornado's runs (each driver alone) go with the main run, so that on a cluster the
    # workers go from one to the next without waiting for the caller.
    alone = _drivers_alone(model) if tornado and model.targets else []
    side_draws = max(BLOCK, draws // 4)
    result, *side = run_plans(
        [(model, draws), *((m, side_draws) for m in alone)], seed, chunk_draws, client, progress
    )
    swing = _tornado(model, side)
    return RiskOutcome(
        plan,
        draws,
        seed,
        _targets(model, plan, result),
        _quantiles(model, plan, result),
        _shortfall(model, plan, result),
        swing,
        parameters,
        replace(
            plan.provenance,
            task="plan risk",
            editions=plan.provenance.editions + editions_of(store, ("cbo_errors",)),
            seed=seed,
            draws=draws,
            block=BLOCK,
        ),
    )


def _targets(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[TargetRisk, ...]:
    names = list(plan.names)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    out = []
    for k, target in enumerate(model.targets):
        p = float(result.met[k] / result.draws)
        rounded = None
        if target.round_to is not None and result.met_rounded is not None:
            rounded = float(result.met_rounded[k] / result.draws)
        out.append(
            TargetRisk(
                year=int(years[target.year]),
                definition=names[target.definition],
                share_gdp=target.share,
                round_to=target.round_to,
                probability_met=p,  # strictly: the share at or above the target
                standard_error=standard_error(p, result.draws),
                probability_met_rounded=rounded,
            )
        )
    return tuple(out)


def _row(year: Any, variable: Variable, definition: str, q: Array) -> QuantileRow:
    p5, p25, p50, p75, p95 = (_finite(v) for v in q.tolist())
    return QuantileRow(int(year), variable, definition, p5, p25, p50, p75, p95)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _quantiles(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[QuantileRow, ...]:
    names = list(plan.names)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    rows = []
    det = model.a[model.primary] * model.budget + model.b[model.primary]
    for t, year in enumerate(years):
        for d, name in enumerate(names):
            q = hist_quantiles(
                result.share_hist[d, t], SHARE_MAX, result.share_min[d, t], result.share_max[d, t]
            )
            rows.append(_row(year, Variable.SHARE_GDP, name, q))
        q = hist_quantiles(
            result.spend_hist[t], RATIO_MAX, result.spend_min[t], result.spend_max[t], det[t]
        )
        rows.append(_row(year, Variable.SPENDING_LOCAL, plan.primary, q))
        q = hist_quantiles(
            result.usd_hist[t],
            RATIO_MAX,
            result.usd_min[t],
            result.usd_max[t],
            det[t] / model.fx[t],
        )
        rows.append(_row(year, Variable.SPENDING_USD, plan.primary, q))
    return tuple(rows)


def _shortfall(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[Shortfall, ...]:
    names = list(plan.names)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    out = []
    for k, target in enumerate(model.targets):
        missed = int(result.short_hist[k].sum())
        q = hist_quantiles(result.short_hist[k], SHORT_MAX, -math.inf, math.inf)
        spread = Spread(*(_finite(v) for v in q.tolist())) if missed else None
        out.append(
            Shortfall(
                int(years[target.year]), names[target.definition], missed / result.draws, spread
            )
        )
    return tuple(out)


def _drivers_alone(model: PlanModel) -> list[PlanModel]:
    """The model with one driver switched on at a time, in the order of ``DRIVERS``."""
    return [
        replace(model, active=tuple(j == i for j in range(len(DRIVERS))))  # type: ignore[arg-type]
        for i in range(len(DRIVERS))
    ]


def _tornado(model: PlanModel, results: list[BlockResult]) -> tuple[TornadoBar, ...]:
    """For each driver alone (``results`` in the order of ``DRIVERS``; none: no tornado):
    the first target's probability and the spread of its share."""
    if not results:
        return ()
    target = model.targets[0]
    rows = []
    for driver, result in zip(DRIVERS, results, strict=True):
        counts = result.share_hist[target.definition, target.year]
        q = hist_quantiles(
            counts,
            SHARE_MAX,
            result.share_min[target.definition, target.year],
            result.share_max[target.definition, target.year],
        )
        rows.append(
            TornadoBar(
                driver=driver,
                probability_met=float(result.met[0] / result.draws),
                share_p5=float(q[0]),
                share_p95=float(q[-1]),
                spread=float(q[-1] - q[0]),
            )
        )
    rows.sort(key=lambda r: r.spread, reverse=True)
    return tuple(rows)
