from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from buildup.portfolio import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
    Status,
    solve_portfolio,
)
from buildup.portfolio.testing import portfolio_violations, solve_brute

AREAS = ("air", "land", "sea")


def small_problem(seed: int, n: int = 4, years: int = 3, limits: bool = True) -> PortfolioProblem:
    """A random small problem that every rule of the model can touch."""
    rng = np.random.default_rng(seed)
    programmes = []
    for i in range(n):
        length = int(rng.integers(1, 3))
        profile = (1.0,) if length == 1 else (0.5, 0.5)
        earliest = 2025 + int(rng.integers(0, years))
        latest = min(earliest + int(rng.integers(0, 2)), 2025 + years - 1)
        max_qty = int(rng.integers(1, 4))
        returns = ((1.0, 1.0), (2.0, 1.5)) if rng.random() < 0.2 else ()
        programmes.append(
            Programme(
                id=f"p{i}",
                area=AREAS[int(rng.integers(0, len(AREAS)))],
                unit_cost=float(rng.integers(2, 12)),
                min_qty=int(rng.integers(0, max_qty + 1)) if rng.random() < 0.3 else 0,
                max_qty=max_qty,
                payment_profile=profile,
                earliest_start=earliest,
                latest_start=latest,
                value=float(rng.integers(1, 20)),
                requires=(f"p{int(rng.integers(0, i))}",) if i and rng.random() < 0.25 else (),
                exclusive_group="g" if i >= n - 2 and rng.random() < 0.5 else None,
                mandatory=bool(i == 0 and rng.random() < 0.3),
                diminishing_returns=returns,
            )
        )
    area_limits = AreaLimits()
    if limits and rng.random() < 0.5:
        area = programmes[0].area
        area_limits = AreaLimits(limits=(AreaLimit(area=area, min_share=0.1, max_share=0.7),))
    budgets = tuple(float(b) for b in rng.integers(8, 25, size=years))
    return PortfolioProblem(
        catalogue=Catalogue(programmes=tuple(programmes)),
        envelope=Envelope(years=tuple(range(2025, 2025 + years)), budgets=budgets),
        area_limits=area_limits,
    )


def _choices(result) -> list[tuple[str, int, int]]:
    return [(s.id, s.start_year, s.quantity) for s in result.selected]


@pytest.mark.parametrize("seed", range(40))
def test_optimum_equals_brute_force(seed: int) -> None:
    problem = small_problem(seed)
    best, _ = solve_brute(problem)
    result = solve_portfolio(problem, gap=0.0)
    if math.isinf(best):
        assert result.status is Status.INFEASIBLE
        assert result.explanation
        return
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert portfolio_violations(problem, _choices(result)) == []
    assert sum(s.value for s in result.selected) == pytest.approx(result.objective)


def test_worked_example() -> None:
    """Three programmes, three years: checked by hand (see the comments)."""
    problem = PortfolioProblem(
        catalogue=Catalogue(
            programmes=(
                # a: 10 per unit, half in the start year and half in the next; value 12 per unit
                Programme(
                    id="a",
                    area="x",
                    unit_cost=10,
                    max_qty=5,
                    payment_profile=(0.5, 0.5),
                    earliest_start=2025,
                    latest_start=2026,
                    value=12,
                ),
                Programme(
                    id="b",
                    area="y",
                    unit_cost=7,
                    max_qty=4,
                    payment_profile=(1.0,),
                    earliest_start=2025,
                    latest_start=2027,
                    value=6,
                ),
                # c needs a, comes in lots of 2–3 and pays over three years from 2025
                Programme(
                    id="c",
                    area="y",
                    unit_cost=20,
                    min_qty=2,
                    max_qty=3,
                    payment_profile=(0.2, 0.3, 0.5),
                    earliest_start=2025,
                    latest_start=2025,
                    value=30,
                    requires=("a",),
                ),
            )
        ),
        envelope=Envelope(years=(2025, 2026, 2027), budgets=(30, 30, 30)),
    )
    result = solve_portfolio(problem, gap=0.0)
    # 3 c (12/18/30) + 2 a from 2025 (10/10) + 1 b in 2025 (7): 29/28/30, value 90 + 24 + 6
    assert result.objective == pytest.approx(120.0)
    assert _choices(result) == [("a", 2025, 2), ("b", 2025, 1), ("c", 2025, 3)]
    assert [y.spend for y in result.years] == pytest.approx([29.0, 28.0, 30.0])
    # one more unit of money in 2025 buys 0.2 units of a (2026 has room): 0.2 × 12 = 2.4
    assert [y.shadow_price for y in result.years] == pytest.approx([2.4, 0.0, 0.0])
    assert [y.year for y in result.binding_years] == [2025]
    assert result.tail_after_horizon == 0.0


def test_tail_after_the_horizon_is_reported_not_constrained() -> None:
    problem = PortfolioProblem(
        catalogue=Catalogue(
            programmes=(
                Programme(
                    id="ship",
                    area="sea",
                    unit_cost=100,
                    max_qty=2,
                    payment_profile=(0.1, 0.2, 0.7),
                    earliest_start=2026,
                    latest_start=2026,
                    value=5,
                ),
            )
        ),
        envelope=Envelope(years=(2025, 2026), budgets=(0, 25), currency="JPY"),
    )
    result = solve_portfolio(problem, gap=0.0)
    assert _choices(result) == [("ship", 2026, 2)]
    assert result.tail_after_horizon == pytest.approx(180.0)
    assert {t.year: t.amount for t in result.tail_by_year} == pytest.approx(
        {2027: 40.0, 2028: 140.0}
    )
    assert result.spend_by_year == pytest.approx({2025: 0.0, 2026: 20.0})


def test_strategy_weights_and_diminishing_returns() -> None:
    catalogue = Catalogue(
        programmes=(
            Programme(
                id="radar",
                area="air",
                unit_cost=1,
                max_qty=4,
                payment_profile=(1.0,),
                earliest_start=2025,
                latest_start=2025,
                mission_values={"denial": 3.0, "resilience": 1.0},
                diminishing_returns=((2.0, 2.0), (4.0, 3.0)),
            ),
            Programme(
                id="depot",
                area="land",
                unit_cost=1,
                max_qty=4,
                payment_profile=(1.0,),
                earliest_start=2025,
                latest_start=2025,
                mission_values={"denial": 0.0, "resilience": 2.5},
            ),
        )
    )
    envelope = Envelope(years=(2025,), budgets=(4,))
    denial = solve_portfolio(
        PortfolioProblem(catalogue=catalogue, envelope=envelope, weights={"denial": 1.0}),
        gap=0.0,
    )
    # radar is worth 3 a unit for the first two units and 1.5 for the next two
    assert denial.objective == pytest.approx(3 * 3.0)
    assert _choices(denial) == [("radar", 2025, 4)]
    balanced = PortfolioProblem(
        catalogue=catalogue, envelope=envelope, weights={"denial": 0.5, "resilience": 0.5}
    )
    result = solve_portfolio(balanced, gap=0.0)
    best, _ = solve_brute(balanced)
    assert result.objective == pytest.approx(best)


@pytest.mark.parametrize(
    ("programmes", "budgets", "limits", "fragment"),
    [
        (
            [{"id": "a", "mandatory": True, "min_qty": 3, "unit_cost": 10}],
            (20, 20),
            (),
            "a must be chosen, but its minimum of 3 unit(s) needs 30 in FY2025 against an "
            "envelope of 20",
        ),
        (
            [{"id": i, "mandatory": True, "unit_cost": 15} for i in "abc"],
            (20, 20),
            (),
            "the mandatory programmes (with what they require) alone need at least 45 in "
            "FY2025–FY2026 against envelopes totalling 40",
        ),
        (
            [{"id": "a", "mandatory": True, "exclusive_group": "g"},
             {"id": "b", "requires": (), "exclusive_group": "g"},
             {"id": "c", "mandatory": True, "requires": ("b",)}],
            (50, 50),
            (),
            "a (mandatory) and b (required) must both be chosen but are in the same exclusive "
            "group 'g'",
        ),
        (
            [{"id": "a", "area": "x", "mandatory": True}, {"id": "b", "area": "y"}],
            (50, 50),
            (AreaLimit(area="x", min_share=0.6), AreaLimit(area="y", min_share=0.6)),
            "the area limits cannot hold together: their minimum shares add up to 120%",
        ),
    ],
)  # fmt: skip
def test_infeasible_is_a_status_with_a_reason(
    programmes: list[dict[str, object]],
    budgets: tuple[float, ...],
    limits: tuple[AreaLimit, ...],
    fragment: str,
) -> None:
    base: dict[str, object] = {
        "area": "x", "unit_cost": 10.0, "max_qty": 3, "payment_profile": (1.0,),
        "earliest_start": 2025, "latest_start": 2026, "value": 1.0,
    }  # fmt: skip
    problem = PortfolioProblem(
        catalogue=Catalogue(programmes=tuple(Programme(**(base | p)) for p in programmes)),
        envelope=Envelope(years=(2025, 2026), budgets=budgets),
        area_limits=AreaLimits(limits=limits),
    )
    result = solve_portfolio(problem)
    assert result.status is Status.INFEASIBLE
    assert not result.has_solution
    assert fragment in result.explanation
    assert "\n" not in result.explanation


def test_area_limits_that_hold_only_when_nothing_is_spent_give_a_note() -> None:
    base: dict[str, object] = {
        "unit_cost": 10.0, "max_qty": 3, "payment_profile": (1.0,),
        "earliest_start": 2025, "latest_start": 2026, "value": 1.0,
    }  # fmt: skip
    problem = PortfolioProblem(
        catalogue=Catalogue(
            programmes=tuple(Programme(**(base | {"id": a, "area": a})) for a in ("x", "y"))
        ),
        envelope=Envelope(years=(2025, 2026), budgets=(50, 50)),
        area_limits=AreaLimits(
            limits=(AreaLimit(area="x", min_share=0.6), AreaLimit(area="y", min_share=0.6))
        ),
    )
    result = solve_portfolio(problem, gap=0.0)
    assert result.status is Status.OPTIMAL
    assert result.selected == ()
    assert result.notes[0].startswith("the area limits hold only if nothing is spent")


def test_infeasible_after_the_prechecks_is_explained_by_the_elastic_model() -> None:
    # Three mandatory programmes of 8 each, two years of 12: the money suffices in total and
    # in each year, but whole programmes do not fit (two in one year would need 16).
    base: dict[str, object] = {
        "area": "x", "value": 1.0, "mandatory": True, "unit_cost": 8, "max_qty": 1,
        "payment_profile": (1.0,), "earliest_start": 2025, "latest_start": 2026,
    }  # fmt: skip
    problem = PortfolioProblem(
        catalogue=Catalogue(programmes=tuple(Programme(**(base | {"id": i})) for i in "abc")),
        envelope=Envelope(years=(2025, 2026), budgets=(12, 12), currency="JPY"),
    )
    best, _ = solve_brute(problem)
    assert math.isinf(best)
    result = solve_portfolio(problem)
    assert result.status is Status.INFEASIBLE
    assert result.explanation.startswith("no portfolio meets every constraint: it would take ¥4")


def test_thirty_programmes_gap_zero_proves_optimality() -> None:
    problem = small_problem(7, n=30, years=6, limits=False)
    result = solve_portfolio(problem, gap=0.0, time_limit=60)
    assert result.status is Status.OPTIMAL
    assert result.gap == 0.0
    assert result.bound == pytest.approx(result.objective)


def test_the_same_input_gives_the_same_portfolio() -> None:
    problem = small_problem(11, n=30, years=6)
    first, second = solve_portfolio(problem, gap=1e-4), solve_portfolio(problem, gap=1e-4)
    assert first.selected == second.selected
    assert first.objective == second.objective


def test_time_limit_is_a_status() -> None:
    problem = small_problem(5, n=60, years=8, limits=False)
    result = solve_portfolio(problem, gap=0.0, time_limit=0.0)
    assert result.status in (Status.TIME_LIMIT, Status.OPTIMAL)
    if result.status is Status.TIME_LIMIT and result.has_solution:
        assert result.gap >= 0


def test_highs_prints_nothing_on_stdout() -> None:
    code = (
        "from buildup.portfolio import *\n"
        "p = Programme(id='a', area='x', unit_cost=1, max_qty=2, payment_profile=(1.0,),"
        " earliest_start=2025, latest_start=2025, value=1)\n"
        "r = solve_portfolio(PortfolioProblem(catalogue=Catalogue(programmes=(p,)),"
        " envelope=Envelope(years=(2025,), budgets=(1.0,))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == ""
