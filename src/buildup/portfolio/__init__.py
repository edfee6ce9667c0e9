"""The capability-portfolio optimiser: which programmes, how many units, starting when, give
the most value without breaking any year's envelope — and which years bind.

A pure engine: plain inputs (:mod:`~buildup.portfolio.model`; files are read and checked by
the spec layer, :mod:`buildup.scenario.programmes`) in, frozen results
(:mod:`~buildup.portfolio.results`) out.
The mixed-integer programme and its formulation are documented in
:mod:`~buildup.portfolio.solve`; HiGHS (``highspy``) is used here and nowhere else.

>>> from buildup.portfolio import Catalogue, Envelope, PortfolioProblem, Programme
>>> radar = Programme(id="radar", area="air defence", unit_cost=40.0, max_qty=4,
...     payment_profile=(0.5, 0.5), earliest_start=2026, latest_start=2027, value=5.0)
>>> problem = PortfolioProblem(catalogue=Catalogue(programmes=(radar,)),
...     envelope=Envelope(years=(2026, 2027), budgets=(50.0, 60.0)))
>>> result = solve_portfolio(problem, gap=0.0)
>>> result.status.value, result.objective, [(s.start_year, s.quantity) for s in result.selected]
('optimal', 15.0, [(2027, 3)])
>>> result.tail_after_horizon, [(y.year, y.shadow_price) for y in result.binding_years]
(60.0, [(2027, 0.25)])
"""

from __future__ import annotations

from buildup.portfolio.analysis import (
    Analysis,
    ParetoPoint,
    optimize_portfolio,
    pareto_front,
)
from buildup.portfolio.model import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
)
from buildup.portfolio.results import Portfolio, Selection, Status, YearResult
from buildup.portfolio.solve import DEFAULT_GAP, solve_portfolio

__all__ = [
    "DEFAULT_GAP",
    "Analysis",
    "AreaLimit",
    "AreaLimits",
    "Catalogue",
    "Envelope",
    "ParetoPoint",
    "Portfolio",
    "PortfolioProblem",
    "Programme",
    "Selection",
    "Status",
    "YearResult",
    "optimize_portfolio",
    "pareto_front",
    "solve_portfolio",
]
