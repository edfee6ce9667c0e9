"""Analysis around the optimum: the greedy baseline and the gain over it, and the Pareto
front of value against envelope scale (every year's envelope × a factor), warm-started.

Along the front the scales are solved in increasing order: the portfolio found at one scale
fits every larger scale, so it starts the next solve (or the greedy portfolio, if better).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from buildup.portfolio.arrays import Formulation, build_formulation
from buildup.portfolio.explain import precheck
from buildup.portfolio.greedy import Greedy, solve_greedy
from buildup.portfolio.model import PortfolioProblem
from buildup.portfolio.results import (
    Portfolio,
    Status,
    empty_portfolio,
    portfolio_from_quantities,
)
from buildup.portfolio.solve import DEFAULT_GAP, solve_formulation

__all__ = ["DEFAULT_SCALES", "Analysis", "ParetoPoint", "optimize_portfolio", "pareto_front"]

DEFAULT_SCALES = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3)


@dataclass(frozen=True)
class ParetoPoint:
    """The optimum with every envelope × ``scale``: envelopes and spending within the
    horizon and the tail after it [currency units]; value [value points]."""

    scale: float
    envelope_total: float
    status: Status
    objective: float
    bound: float
    gap: float
    greedy: float
    spend: float
    tail: float


@dataclass(frozen=True)
class Analysis:
    """The optimum, the greedy baseline (its ``gap`` measured against the optimum's bound),
    the optimiser's gain over it [fraction of the greedy value], and the Pareto front."""

    portfolio: Portfolio
    greedy: Portfolio
    gain_over_greedy: float
    pareto: tuple[ParetoPoint, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the portfolio's fields, ``greedy``, ``gain_over_greedy``, ``pareto``."""
        out = self.portfolio.to_dict()
        out["greedy"] = {
            "status": str(self.greedy.status),
            "objective": None if math.isnan(self.greedy.objective) else self.greedy.objective,
            "selected": [vars(s) for s in self.greedy.selected],
            "note": self.greedy.explanation,
        }
        out["gain_over_greedy"] = (
            None if math.isnan(self.gain_over_greedy) else self.gain_over_greedy
        )
        out["pareto"] = [
            {k: (str(v) if isinstance(v, Status) else v) for k, v in vars(p).items()}
            for p in self.pareto
        ]
        return out


def _greedy_portfolio(f: Formulation, greedy: Greedy, bound: float) -> Portfolio:
    if not greedy.feasible:
        return empty_portfolio(f, Status.INFEASIBLE, f"the greedy ranking fails: {greedy.note}")
    gap = (bound - greedy.objective) / max(abs(greedy.objective), 1e-9)
    return portfolio_from_quantities(
        f, greedy.quantities, status=Status.FEASIBLE, bound=bound, gap=max(gap, 0.0)
    )


def _solve(
    problem: PortfolioProblem,
    gap: float,
    time_limit: float | None,
    previous: NDArray[np.int64] | None = None,
) -> tuple[Formulation, Portfolio, Greedy]:
    started = time.perf_counter()
    f = build_formulation(problem)
    greedy = solve_greedy(f)
    reason = precheck(f)
    if reason is not None:
        return f, empty_portfolio(f, Status.INFEASIBLE, reason), greedy
    start = greedy.quantities if greedy.feasible else None
    if previous is not None:
        from buildup.portfolio.results import column_values

        if start is None or column_values(f, previous).sum() > greedy.objective:
            start = previous
    result = solve_formulation(f, gap=gap, time_limit=time_limit, start=start, started=started)
    return f, result, greedy


def _quantities(f: Formulation, portfolio: Portfolio) -> NDArray[np.int64] | None:
    """Column quantities of a portfolio (the inverse of building it), for a warm start."""
    if not portfolio.has_solution:
        return None
    q = np.zeros(f.n_columns, dtype=np.int64)
    index = {p: i for i, p in enumerate(f.ids)}
    for s in portfolio.selected:
        i = index[s.id]
        q[int(f.first_col[i]) + s.start_year - int(f.start[f.first_col[i]])] = s.quantity
    return q


def optimize_portfolio(
    problem: PortfolioProblem,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    pareto: Sequence[float] = (),
) -> Analysis:
    """Solve, compare with the greedy baseline and, if ``pareto`` scales are given, trace
    the front (each point within ``gap`` and ``time_limit`` [seconds])."""
    f, portfolio, greedy = _solve(problem, gap, time_limit)
    bound = portfolio.bound if portfolio.has_solution else math.nan
    baseline = _greedy_portfolio(f, greedy, bound)
    gain = (
        (portfolio.objective - greedy.objective) / greedy.objective
        if greedy.feasible and greedy.objective > 0 and portfolio.has_solution
        else math.nan
    )
    front = (
        pareto_front(problem, pareto, gap=gap, time_limit=time_limit, known={1.0: portfolio})
        if pareto
        else ()
    )
    return Analysis(portfolio, baseline, gain, front)


def pareto_front(
    problem: PortfolioProblem,
    scales: Sequence[float] = DEFAULT_SCALES,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    known: dict[float, Portfolio] | None = None,
) -> tuple[ParetoPoint, ...]:
    """The best value at each envelope scale, in increasing order of scale, warm-started;
    ``known`` results (by scale) are reused rather than solved again."""
    known = known or {}
    points = []
    previous: NDArray[np.int64] | None = None
    for scale in sorted(set(scales)):
        scaled = problem.model_copy(update={"envelope": problem.envelope.scaled(scale)})
        if scale in known:
            f = build_formulation(scaled)
            result, greedy = known[scale], solve_greedy(f)
        else:
            f, result, greedy = _solve(scaled, gap, time_limit, previous)
        previous = _quantities(f, result) if result.has_solution else previous
        points.append(
            ParetoPoint(
                scale=scale,
                envelope_total=float(sum(scaled.envelope.budgets)),
                status=result.status,
                objective=result.objective,
                bound=result.bound,
                gap=result.gap,
                greedy=greedy.objective if greedy.feasible else math.nan,
                spend=float(sum(y.spend for y in result.years)),
                tail=result.tail_after_horizon,
            )
        )
    return tuple(points)
