"""Analysis around the optimum: the greedy baseline and the gain over it, and the Pareto
front of value against envelope scale (every year's envelope × a factor), warm-started.

Each point of the front is solved on its own (the primal heuristic starts every solve), so
the points can be solved in any order, in one process or on a Dask cluster, with the same
result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

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
from buildup.portfolio.solve import DEFAULT_GAP, solve_heuristic_first
from buildup.serialize import inline

__all__ = [
    "DEFAULT_SCALES",
    "Analysis",
    "Mapper",
    "ParetoPoint",
    "optimize_portfolio",
    "pareto_front",
    "pareto_point",
]

T = TypeVar("T")
Mapper = Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]

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

    portfolio: Portfolio = field(metadata=inline())
    greedy: Portfolio
    gain_over_greedy: float
    pareto: tuple[ParetoPoint, ...] = ()


def _greedy_portfolio(f: Formulation, greedy: Greedy, bound: float) -> Portfolio:
    if not greedy.feasible:
        return empty_portfolio(f, Status.INFEASIBLE, f"the greedy ranking fails: {greedy.note}")
    gap = (bound - greedy.objective) / max(abs(greedy.objective), 1e-9)
    return portfolio_from_quantities(
        f, greedy.quantities, status=Status.FEASIBLE, bound=bound, gap=max(gap, 0.0)
    )


def _solve(
    problem: PortfolioProblem, gap: float, time_limit: float | None
) -> tuple[Formulation, Portfolio, Greedy]:
    started = time.perf_counter()
    f = build_formulation(problem)
    greedy = solve_greedy(f)
    reason = precheck(f)
    if reason is not None:
        return f, empty_portfolio(f, Status.INFEASIBLE, reason), greedy
    result = solve_heuristic_first(f, gap=gap, time_limit=time_limit, started=started)
    return f, result, greedy


def optimize_portfolio(
    problem: PortfolioProblem,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    pareto: Sequence[float] = (),
    mapper: Mapper | None = None,
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
        pareto_front(
            problem, pareto, gap=gap, time_limit=time_limit, known={1.0: portfolio}, mapper=mapper
        )
        if pareto
        else ()
    )
    return Analysis(portfolio, baseline, gain, front)


def pareto_point(
    problem: PortfolioProblem, scale: float, gap: float, time_limit: float | None
) -> ParetoPoint:
    """The optimum with every envelope × ``scale`` (one point of the front)."""
    scaled = replace(problem, envelope=problem.envelope.scaled(scale))
    _, result, greedy = _solve(scaled, gap, time_limit)
    return _point(scale, scaled, result, greedy)


def _point(
    scale: float, scaled: PortfolioProblem, result: Portfolio, greedy: Greedy
) -> ParetoPoint:
    return ParetoPoint(
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


def pareto_front(
    problem: PortfolioProblem,
    scales: Sequence[float] = DEFAULT_SCALES,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    known: dict[float, Portfolio] | None = None,
    mapper: Mapper | None = None,
) -> tuple[ParetoPoint, ...]:
    """The best value at each envelope scale, in increasing order of scale; ``known``
    results (by scale) are reused rather than solved again. ``mapper(function, items)``
    runs ``function`` over the items (e.g. on a Dask cluster; default: one after another),
    each item a tuple of positional arguments, and returns the results in order."""
    known = known or {}
    todo = [s for s in sorted(set(scales)) if s not in known]
    run = mapper or _in_turn
    solved = dict(
        zip(todo, run(pareto_point, [(problem, s, gap, time_limit) for s in todo]), strict=True)
    )
    points = []
    for scale in sorted(set(scales)):
        if scale in known:
            scaled = replace(problem, envelope=problem.envelope.scaled(scale))
            greedy = solve_greedy(build_formulation(scaled))
            points.append(_point(scale, scaled, known[scale], greedy))
        else:
            points.append(solved[scale])
    return tuple(points)


def _in_turn(function: Callable[..., T], items: Sequence[tuple[Any, ...]]) -> list[T]:
    return [function(*item) for item in items]
