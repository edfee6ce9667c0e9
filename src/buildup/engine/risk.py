"""``simulate_plan(scenario, store, …) -> RiskOutcome``: the plan under uncertainty.

Runs the deterministic plan, calibrates the drivers (``buildup.risk.drivers``) from the
store, builds the arrays of one draw (``buildup.risk.simulate.PlanModel``), runs the blocks
locally or on a Dask cluster, and summarises: the probability each target is met, quantiles
of the share of GDP and of spending per year, the shortfall when a target is missed, and a
tornado of which driver moves the first target most.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.engine.inputs import budget_history, read_series
from buildup.engine.plan import run
from buildup.engine.provenance import Provenance, editions_of
from buildup.engine.rates import read_exchange_rates
from buildup.errors import InputError
from buildup.risk.cluster import run_chunks
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
from buildup.risk.summary import LEVELS, hist_quantiles, standard_error
from buildup.scenario import load_preset

if TYPE_CHECKING:
    from buildup.engine.outcome import Outcome
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = ["RiskOutcome", "build_plan_model", "execution_schedule", "simulate_plan"]

Array = NDArray[np.float64]
MAX_DRAWS = 50_000_000


@dataclass(frozen=True)
class RiskOutcome:
    """A plan's Monte Carlo summary; records are JSON-ready."""

    plan: Outcome
    draws: int
    seed: int
    targets: tuple[dict[str, Any], ...]
    quantiles: tuple[dict[str, Any], ...]
    shortfall: tuple[dict[str, Any], ...]
    tornado: tuple[dict[str, Any], ...]
    parameters: Mapping[str, Any]
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        """``targets``, ``quantiles``, ``shortfall``, ``tornado``, ``provenance`` (NaN → None)."""
        cleaned: dict[str, Any] = _clean(
            {
                "scenario": self.plan.scenario.name,
                "country": self.plan.iso3,
                "targets": list(self.targets),
                "quantiles": list(self.quantiles),
                "shortfall": list(self.shortfall),
                "tornado": list(self.tornado),
                "provenance": self.provenance.to_dict() | {"parameters": dict(self.parameters)},
            }
        )
        return cleaned


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _last_actual_gdp_year(store: DatasetStore, iso3: str) -> int:
    gdp = store.query("gdp", [iso3])
    actual = gdp[(gdp["is_forecast"] == 0) & gdp["gdp_local_current"].notna()]
    return int(actual["year"].max()) if len(actual) else -1


def build_plan_model(
    scenario: Scenario, store: DatasetStore, origin: str = "scenario"
) -> tuple[PlanModel, Outcome, dict[str, Any]]:
    """The deterministic plan, and the arrays and parameters of its Monte Carlo."""
    plan = run(scenario, store, origin)
    planned = plan.years["planned"].to_numpy()
    years = plan.years["year"].to_numpy()[planned]
    spec = scenario.risk
    history = budget_history(store, plan.iso3, load_preset(plan.iso3).budget_history)
    known = [y for y in history if y <= int(years[-1])]
    as_of = spec.as_of if spec.as_of is not None else max(known, default=int(years[0]) - 1)
    macro_from = _last_actual_gdp_year(store, plan.iso3)
    cov, cov_source = _covariance(scenario, store, plan.iso3, origin)
    exec_mean, exec_sd, exec_source = execution_schedule(store, years, as_of, spec.execution_sd)
    names = list(plan.lines)
    lines = [plan.lines[n] for n in names]
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
        chol=cholesky(cov, f"{origin}: risk.covariance"),
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
    parameters = {
        "covariance_log_changes": {
            "order": ["real_gdp_growth", "inflation", "exchange_rate"],
            "matrix": np.asarray(cov).tolist(),
            "source": cov_source,
        },
        "execution_error": {
            "mean": exec_mean.tolist(),
            "sd": exec_sd.tolist(),
            "source": exec_source,
        },
        "budget_known_through": as_of,
        "macro_uncertain_after": macro_from,
        "years": years.tolist(),
        "definitions": names,
        "model": "yearly log shocks, independent across years, accumulate in levels around the "
        "plan; budgets fixed in nominal terms, spending = budget / (1 + execution error); "
        "related components fixed",
    }
    if any(t.amount is not None for t in scenario.targets):
        parameters["note"] = "amount targets are not simulated; only share-of-GDP targets"
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


def _covariance(
    scenario: Scenario, store: DatasetStore, iso3: str, origin: str
) -> tuple[Array, str]:
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
        raise InputError(f"{origin}: risk.window: {exc}") from exc
    return fit.cov, f"{source}; {fit.observations} years"


def simulate_plan(
    scenario: Scenario,
    store: DatasetStore,
    *,
    draws: int,
    seed: int,
    origin: str = "scenario",
    chunk_draws: int = 16 * BLOCK,
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
    tornado: bool = True,
) -> RiskOutcome:
    """Run the Monte Carlo of a plan and summarise it."""
    if draws < 1 or draws > MAX_DRAWS:
        raise InputError(
            what="draws", given=draws, expected=f"a positive number of draws up to {MAX_DRAWS:,}"
        )
    model, plan, parameters = build_plan_model(scenario, store, origin)
    result = run_chunks(model, seed, draws, chunk_draws, client, progress)
    swing: tuple[dict[str, Any], ...] = ()
    if tornado and model.targets:
        swing = _tornado(model, seed, max(BLOCK, draws // 4), chunk_draws, client)
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


def _targets(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[dict[str, Any], ...]:
    names = list(plan.lines)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    out = []
    for k, target in enumerate(model.targets):
        p = result.met[k] / result.draws
        entry = {
            "year": int(years[target.year]),
            "definition": names[target.definition],
            "share_gdp": target.share,
            "round_to": target.round_to,
            "probability_met": float(p),  # strictly: the share at or above the target
            "standard_error": standard_error(float(p), result.draws),
            "probability_met_rounded": None,
        }
        if target.round_to is not None and result.met_rounded is not None:
            entry["probability_met_rounded"] = float(result.met_rounded[k] / result.draws)
        out.append(entry)
    return tuple(out)


def _quantiles(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[dict[str, Any], ...]:
    names = list(plan.lines)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    keys = [f"p{round(level * 100)}" for level in LEVELS]
    rows = []
    det = model.a[model.primary] * model.budget + model.b[model.primary]
    for t, year in enumerate(years):
        for d, name in enumerate(names):
            q = hist_quantiles(
                result.share_hist[d, t], SHARE_MAX, result.share_min[d, t], result.share_max[d, t]
            )
            rows.append(
                {
                    "year": int(year),
                    "variable": f"share_gdp:{name}",
                    **dict(zip(keys, q.tolist(), strict=True)),
                }
            )
        q = hist_quantiles(
            result.spend_hist[t], RATIO_MAX, result.spend_min[t], result.spend_max[t], det[t]
        )
        rows.append(
            {
                "year": int(year),
                "variable": "spending_local",
                **dict(zip(keys, q.tolist(), strict=True)),
            }
        )
        q = hist_quantiles(
            result.usd_hist[t],
            RATIO_MAX,
            result.usd_min[t],
            result.usd_max[t],
            det[t] / model.fx[t],
        )
        rows.append(
            {
                "year": int(year),
                "variable": "spending_usd",
                **dict(zip(keys, q.tolist(), strict=True)),
            }
        )
    return tuple(rows)


def _shortfall(model: PlanModel, plan: Outcome, result: BlockResult) -> tuple[dict[str, Any], ...]:
    names = list(plan.lines)
    years = plan.years["year"].to_numpy()[plan.years["planned"].to_numpy()]
    keys = [f"p{round(level * 100)}" for level in LEVELS]
    out = []
    for k, target in enumerate(model.targets):
        missed = int(result.short_hist[k].sum())
        q = hist_quantiles(result.short_hist[k], SHORT_MAX, -math.inf, math.inf)
        out.append(
            {
                "year": int(years[target.year]),
                "definition": names[target.definition],
                "probability_missed": missed / result.draws,
                "shortfall_share_gdp": dict(zip(keys, q.tolist(), strict=True)) if missed else None,
            }
        )
    return tuple(out)


def _tornado(
    model: PlanModel, seed: int, draws: int, chunk_draws: int, client: Any
) -> tuple[dict[str, Any], ...]:
    """For each driver alone: the first target's probability and the spread of its share."""
    target = model.targets[0]
    rows = []
    for i, driver in enumerate(DRIVERS):
        active = tuple(j == i for j in range(len(DRIVERS)))
        alone = replace(model, active=active)  # type: ignore[arg-type]
        result = run_chunks(alone, seed, draws, chunk_draws, client)
        counts = result.share_hist[target.definition, target.year]
        q = hist_quantiles(
            counts,
            SHARE_MAX,
            result.share_min[target.definition, target.year],
            result.share_max[target.definition, target.year],
        )
        rows.append(
            {
                "driver": driver,
                "probability_met": result.met[0] / result.draws,
                "share_p5": float(q[0]),
                "share_p95": float(q[-1]),
                "spread": float(q[-1] - q[0]),
            }
        )
    rows.sort(key=lambda r: r["spread"], reverse=True)
    return tuple(rows)
