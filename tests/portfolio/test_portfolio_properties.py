from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildup.portfolio import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
    Status,
    optimize_portfolio,
    pareto_front,
    solve_portfolio,
)
from buildup.portfolio.arrays import build_formulation
from buildup.portfolio.greedy import solve_greedy
from buildup.portfolio.testing import portfolio_violations
from buildup.serialize import to_jsonable

FIRST = 2025
PROFILES = ((1.0,), (0.5, 0.5), (0.2, 0.3, 0.5), (0.25, 0.25, 0.25, 0.25))
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw: st.DrawFn) -> PortfolioProblem:
    years = draw(st.integers(2, 5))
    n = draw(st.integers(1, 9))
    programmes = []
    for i in range(n):
        earliest = FIRST + draw(st.integers(0, years - 1))
        latest = min(earliest + draw(st.integers(0, 3)), FIRST + years - 1)
        max_qty = draw(st.integers(1, 12))
        programmes.append(
            Programme(
                id=f"p{i}",
                area=draw(st.sampled_from(("air", "land", "sea"))),
                unit_cost=float(draw(st.integers(1, 60))),
                min_qty=draw(st.integers(0, max_qty)),
                max_qty=max_qty,
                payment_profile=draw(st.sampled_from(PROFILES)),
                earliest_start=earliest,
                latest_start=latest,
                value=float(draw(st.integers(0, 50))),
                requires=(f"p{draw(st.integers(0, i - 1))}",) if i and draw(st.booleans()) else (),
                exclusive_group=draw(st.sampled_from((None, None, "g1", "g2"))),
                mandatory=draw(st.integers(0, 9)) == 0,
            )
        )
    limits = []
    if draw(st.booleans()):
        low = draw(st.sampled_from((0.0, 0.1, 0.3)))
        limits.append(AreaLimit(area=programmes[0].area, min_share=low, max_share=max(low, 0.8)))
    budgets = tuple(float(draw(st.integers(0, 150))) for _ in range(years))
    return PortfolioProblem(
        catalogue=Catalogue(programmes=tuple(programmes)),
        envelope=Envelope(years=tuple(range(FIRST, FIRST + years)), budgets=budgets),
        area_limits=AreaLimits(limits=tuple(limits)),
    )


def _choices(result) -> list[tuple[str, int, int]]:
    return [(s.id, s.start_year, s.quantity) for s in result.selected]


@SETTINGS
@given(problems())
def test_a_portfolio_never_breaks_a_rule(problem: PortfolioProblem) -> None:
    result = solve_portfolio(problem, gap=1e-3, time_limit=20)
    if result.has_solution:
        assert portfolio_violations(problem, _choices(result)) == []
        for year in result.years:
            assert year.spend <= year.envelope * (1 + 1e-9) + 1e-9
    else:
        assert result.status is Status.INFEASIBLE
        assert result.explanation


@SETTINGS
@given(problems(), st.sampled_from((1.05, 1.3, 2.0)))
def test_raising_every_envelope_never_lowers_the_optimum(
    problem: PortfolioProblem, factor: float
) -> None:
    base = solve_portfolio(problem, gap=0.0, time_limit=20)
    raised = replace(problem, envelope=problem.envelope.scaled(factor))
    more = solve_portfolio(raised, gap=0.0, time_limit=20)
    if base.status is Status.OPTIMAL:
        assert more.status is Status.OPTIMAL
        assert more.objective >= base.objective - 1e-6 * max(1.0, abs(base.objective))


@SETTINGS
@given(problems())
def test_the_greedy_baseline_is_feasible_and_never_beats_the_optimum(
    problem: PortfolioProblem,
) -> None:
    greedy = solve_greedy(build_formulation(problem))
    optimum = solve_portfolio(problem, gap=0.0, time_limit=20)
    if greedy.feasible:
        f = build_formulation(problem)
        chosen = [
            (f.ids[f.prog[k]], int(f.start[k]), int(greedy.quantities[k]))
            for k in range(f.n_columns)
            if greedy.quantities[k] > 0
        ]
        assert portfolio_violations(problem, chosen) == []
        assert optimum.status is Status.OPTIMAL
        assert greedy.objective <= optimum.objective + 1e-6 * max(1.0, optimum.objective)


@SETTINGS
@given(problems())
def test_the_pareto_front_rises_with_the_envelope(problem: PortfolioProblem) -> None:
    front = pareto_front(problem, (0.5, 1.0, 1.5), gap=0.0, time_limit=20)
    values = [p.objective for p in front if p.status is Status.OPTIMAL]
    assert values == sorted(values) or all(
        b >= a - 1e-6 * max(1.0, abs(a)) for a, b in itertools.pairwise(values)
    )


def test_analysis_reports_the_gain_over_greedy() -> None:
    programmes = (
        # greedy takes the best ratio first (a), which crowds out the pair b + c
        Programme(id="a", area="x", unit_cost=6, max_qty=1, payment_profile=(1.0,),
                  earliest_start=2025, latest_start=2025, value=7),
        Programme(id="b", area="x", unit_cost=5, max_qty=1, payment_profile=(1.0,),
                  earliest_start=2025, latest_start=2025, value=5.5),
        Programme(id="c", area="x", unit_cost=5, max_qty=1, payment_profile=(1.0,),
                  earliest_start=2025, latest_start=2025, value=5.5),
    )  # fmt: skip
    problem = PortfolioProblem(
        catalogue=Catalogue(programmes=programmes),
        envelope=Envelope(years=(2025,), budgets=(10,)),
    )
    analysis = optimize_portfolio(problem, gap=0.0, pareto=(0.8, 1.0, 1.2))
    assert analysis.portfolio.objective == pytest.approx(11.0)
    assert analysis.greedy.objective == pytest.approx(7.0)
    assert analysis.gain_over_greedy == pytest.approx(11.0 / 7.0 - 1)
    assert analysis.greedy.gap == pytest.approx((11.0 - 7.0) / 7.0)
    assert [p.scale for p in analysis.pareto] == [0.8, 1.0, 1.2]
    assert analysis.pareto[1].objective == analysis.portfolio.objective
    out = to_jsonable(analysis)
    assert out["gain_over_greedy"] == pytest.approx(4 / 7)
    assert len(out["pareto"]) == 3
    assert not math.isnan(out["pareto"][0]["objective"])
