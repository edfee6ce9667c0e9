"""A portfolio's risk: the chance each envelope breaks under cost growth, slip and budget
execution, the value expected to be delivered, and a portfolio that holds with probability α.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from buildup.engine.risk import execution_schedule
from buildup.errors import InputError
from buildup.portfolio.arrays import payment_matrix
from buildup.risk.drivers import COST_GROWTH_DEFAULT, SLIP_DEFAULT
from buildup.risk.portfolio import PortfolioModel, simulate_portfolio
from buildup.risk.summary import standard_error

if TYPE_CHECKING:
    from buildup.portfolio import Portfolio, PortfolioProblem, Selection
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = ["PortfolioRisk", "portfolio_model", "simulate_portfolio_risk"]

PORTFOLIO_DRIVERS = ("cost_growth", "schedule_slip", "execution")


@dataclass(frozen=True)
class PortfolioRisk:
    """A portfolio under uncertainty (the α-portfolio is :func:`robust_portfolio`'s)."""

    portfolio: Portfolio
    draws: int
    breach: tuple[dict[str, Any], ...]
    any_breach: float
    expected_value: float
    planned_value: float
    tornado: tuple[dict[str, Any], ...]
    parameters: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The ``portfolio`` section of ``buildup risk`` JSON."""
        return {
            "selected": [
                {"id": s.id, "start_year": s.start_year, "quantity": s.quantity, "cost": s.cost}
                for s in self.portfolio.selected
            ],
            "probability_breach_by_year": list(self.breach),
            "probability_breach_any_year": self.any_breach,
            "expected_value": self.expected_value,
            "planned_value": self.planned_value,
            "tornado": list(self.tornado),
            "parameters": dict(self.parameters),
        }


def portfolio_model(
    problem: PortfolioProblem,
    selected: Sequence[Selection],
    scenario: Scenario,
    store: DatasetStore,
) -> tuple[PortfolioModel, dict[str, Any]]:
    """The Monte Carlo arrays for the ``selected`` programmes under ``problem``."""
    envelope = problem.envelope
    years = np.array(envelope.years, dtype=np.int64)
    spec = scenario.risk
    as_of = spec.as_of if spec.as_of is not None else int(years[0]) - 1
    exec_mean, exec_sd, exec_source = execution_schedule(store, years, as_of, spec.execution_sd)
    programmes = {p.id: p for p in problem.catalogue.programmes}
    areas = sorted({programmes[s.id].area for s in selected}) or ["none"]
    default = spec.cost_growth.get("default", COST_GROWTH_DEFAULT)
    growth = {a: spec.cost_growth.get(a, default) for a in areas}
    profile = payment_matrix([programmes[s.id] for s in selected])
    slip = np.array(spec.slip if spec.slip is not None else SLIP_DEFAULT, dtype=float)
    model = PortfolioModel(
        cost=np.array([s.cost for s in selected], dtype=float),
        profile=profile,
        start=np.array([s.start_year - int(years[0]) for s in selected], dtype=np.int64),
        area=np.array([areas.index(programmes[s.id].area) for s in selected], dtype=np.int64),
        cost_median=np.array([growth[a][0] for a in areas], dtype=float),
        cost_logsd=np.array([growth[a][1] for a in areas], dtype=float),
        slip=slip,
        envelope=np.array(envelope.budgets, dtype=float),
        exec_mean=exec_mean,
        exec_sd=exec_sd,
        value=np.array([s.value for s in selected], dtype=float),
    )
    parameters = {
        "cost_growth": {a: {"median_factor": growth[a][0], "log_sd": growth[a][1]} for a in areas},
        "cost_growth_source": "scenario risk.cost_growth"
        if spec.cost_growth
        else (
            "default lognormal (median 1.20, log-sd 0.15) spanning RAND TR-343's procurement "
            "cost-growth factors 1.16–1.65; RAND RB-236: ≈46 % for completed US programmes"
        ),
        "slip_probabilities": slip.tolist(),
        "slip_source": "scenario risk.slip" if spec.slip is not None else "analyst's assumption",
        "execution_error": {
            "mean": exec_mean.tolist(),
            "sd": exec_sd.tolist(),
            "source": exec_source,
        },
    }
    return model, parameters


def simulate_portfolio_risk(
    problem: PortfolioProblem,
    portfolio: Portfolio,
    scenario: Scenario,
    store: DatasetStore,
    *,
    draws: int,
    seed: int,
) -> PortfolioRisk:
    """Breach probabilities, expected value and tornado for a chosen portfolio."""
    if draws < 1:
        raise InputError(what="draws", given=draws, expected="a positive number of draws")
    model, parameters = portfolio_model(problem, portfolio.selected, scenario, store)
    result = simulate_portfolio(model, seed, draws)
    years = problem.envelope.years
    breach = tuple(
        {
            "year": int(y),
            "probability": float(c / result.draws),
            "standard_error": standard_error(float(c / result.draws), result.draws),
        }
        for y, c in zip(years, result.breach, strict=True)
    )
    tornado: list[dict[str, Any]] = []
    for i, driver in enumerate(PORTFOLIO_DRIVERS):
        alone = replace(model, active=tuple(j == i for j in range(3)))  # type: ignore[arg-type]
        part = simulate_portfolio(alone, seed, max(1, draws // 4))
        tornado.append(
            {
                "driver": driver,
                "probability_breach_any_year": part.any_breach / part.draws,
                "expected_value": part.expected_value(),
            }
        )
    tornado.sort(key=lambda r: r["probability_breach_any_year"], reverse=True)
    planned = simulate_portfolio(
        replace(model, active=(False, False, False)), seed, 1
    ).expected_value()
    return PortfolioRisk(
        portfolio,
        draws,
        breach,
        result.any_breach / result.draws,
        result.expected_value(),
        planned,
        tuple(tornado),
        parameters,
    )


SAA_KEY = 2**31 - 1  # spawn key of the in-sample scenarios, apart from every draw block
OUT_OF_SAMPLE_BLOCK = 1_000_000  # first block of the fresh draws for the out-of-sample check


def robust_portfolio(
    problem: PortfolioProblem,
    deterministic: Portfolio,
    scenario: Scenario,
    store: DatasetStore,
    *,
    seed: int,
    alpha: float,
    scenarios: int = 100,
    check_draws: int = 20_000,
    gap: float = 1e-4,
    time_limit: float | None = 60.0,
) -> dict[str, Any]:
    """The α-portfolio by sample-average approximation, its price and out-of-sample hold."""
    from buildup.portfolio.robust import solve_robust
    from buildup.risk.portfolio import draw_costs

    if not 0.0 < alpha < 1.0:
        raise InputError(
            what="alpha", given=alpha, expected="a probability strictly between 0 and 1"
        )
    if scenarios < 1:
        raise InputError(
            what="scenarios", given=scenarios, expected="a positive number of cost scenarios"
        )
    model, _ = portfolio_model(problem, _whole_catalogue(problem), scenario, store)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(SAA_KEY,))))
    factors, slips = draw_costs(model, rng, scenarios)
    errors = rng.standard_normal((scenarios, len(model.envelope)))
    scale = 1.0 / (1.0 + model.exec_mean + model.exec_sd * errors)
    robust = solve_robust(problem, factors, slips, scale, alpha, gap=gap, time_limit=time_limit)
    out: dict[str, Any] = {
        "alpha": alpha,
        "scenarios": scenarios,
        "status": robust.status.value,
        "explanation": robust.explanation,
    }
    if not robust.has_solution:
        return out
    checked_model, _ = portfolio_model(problem, robust.selected, scenario, store)
    fresh = simulate_portfolio(checked_model, seed, check_draws, first_block=OUT_OF_SAMPLE_BLOCK)
    deterministic_value = deterministic.objective or 0.0
    robust_value = robust.objective or 0.0
    out |= {
        "selected": [
            {"id": s.id, "start_year": s.start_year, "quantity": s.quantity, "cost": s.cost}
            for s in robust.selected
        ],
        "value": robust_value,
        "price_of_robustness": deterministic_value - robust_value,
        "price_of_robustness_share": (deterministic_value - robust_value) / deterministic_value
        if deterministic_value
        else None,
        "probability_holds_out_of_sample": 1.0 - fresh.any_breach / fresh.draws,
        "out_of_sample_draws": fresh.draws,
        "method": "chance-constrained MIP over the in-sample scenarios (buildup.portfolio.robust)",
    }
    return out


def _whole_catalogue(problem: PortfolioProblem) -> tuple[Selection, ...]:
    """Every programme once at its earliest start: the rows to draw per-programme costs for."""
    from buildup.portfolio import Selection

    return tuple(
        Selection(p.id, p.name, p.area, p.earliest_start, 1, p.unit_cost, 0.0)
        for p in problem.catalogue.programmes
    )
