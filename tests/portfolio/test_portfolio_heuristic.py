"""The primal heuristic: its portfolios meet every rule, its bound is valid, and it never
changes the optimum (brute force, CBC and the solve without it agree)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from hypothesis import given

from buildup.portfolio import PortfolioProblem, Status, solve_portfolio
from buildup.portfolio.arrays import Formulation, build_formulation
from buildup.portfolio.explain import precheck
from buildup.portfolio.greedy import solve_greedy
from buildup.portfolio.heuristic import find_incumbent, is_feasible
from buildup.portfolio.synthetic import generate
from buildup.portfolio.testing import portfolio_violations, solve_brute


def _sibling(name: str):  # the other test modules' generators (tests are not a package)
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_properties = _sibling("test_portfolio_properties")
_solve = _sibling("test_portfolio_solve")


def _choices(f: Formulation, q) -> list[tuple[str, int, int]]:
    return [(f.ids[f.prog[k]], int(f.start[k]), int(q[k])) for k in range(f.n_columns) if q[k]]


@pytest.mark.parametrize("seed", range(60))
def test_the_incumbent_meets_every_rule_and_the_lp_bound_holds(seed: int) -> None:
    problem = _solve.small_problem(seed, n=5)
    f = build_formulation(problem)
    best, _ = solve_brute(problem)
    if precheck(f) is not None:
        assert math.isinf(best)
        return
    found = find_incumbent(f, gap=0.0, seconds=10)
    if found.quantities is not None:
        assert is_feasible(f, found.quantities)
        assert portfolio_violations(problem, _choices(f, found.quantities)) == []
        assert found.objective <= best + 1e-6 * max(1.0, abs(best))
    if math.isfinite(best):
        assert found.bound >= best - 1e-6 * max(1.0, abs(best))


@_properties.SETTINGS
@given(_properties.problems())
def test_with_or_without_the_heuristic_the_optimum_is_the_same(problem: PortfolioProblem) -> None:
    with_it = solve_portfolio(problem, gap=0.0, time_limit=20)
    without = solve_portfolio(problem, gap=0.0, time_limit=20, warm_start=False)
    assert with_it.status is without.status
    if with_it.status is Status.OPTIMAL:
        assert math.isclose(with_it.objective, without.objective, rel_tol=1e-9, abs_tol=1e-6)
        assert portfolio_violations(problem, _properties._choices(with_it)) == []


# PuLP 3.3 warns that its bundled CBC moves to an extra in PuLP 4; it is the CBC used here
@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@pytest.mark.parametrize("seed", range(8))
def test_the_optimum_equals_cbcs(seed: int) -> None:
    pulp = pytest.importorskip("pulp")
    problem = generate(25, years=5, seed=1000 + seed)
    f = build_formulation(problem)
    model = pulp.LpProblem("portfolio", pulp.LpMaximize)
    x = [
        model.add_variable(
            f"x{j}", 0, float(f.col_upper[j]), cat=pulp.LpInteger if f.integer[j] else "Continuous"
        )
        for j in range(len(f.col_cost))
    ]
    model += pulp.lpSum(c * x[j] for j, c in enumerate(f.col_cost) if c)
    rows = f.matrix.tocsr()
    for r in range(rows.shape[0]):
        cells = slice(rows.indptr[r], rows.indptr[r + 1])
        expr = pulp.lpSum(
            v * x[j] for j, v in zip(rows.indices[cells], rows.data[cells], strict=True)
        )
        if math.isfinite(f.row_lower[r]):
            model += expr >= float(f.row_lower[r])
        if math.isfinite(f.row_upper[r]):
            model += expr <= float(f.row_upper[r])
    model.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=60))
    assert pulp.LpStatus[model.status] == "Optimal"
    ours = solve_portfolio(problem, gap=0.0, time_limit=60)
    assert ours.status is Status.OPTIMAL
    assert ours.objective == pytest.approx(pulp.value(model.objective), rel=1e-9, abs=1e-6)


def test_on_a_synthetic_catalogue_it_beats_the_greedy_and_the_gap_is_honest() -> None:
    problem = generate(300, seed=7)
    f = build_formulation(problem)
    found = find_incumbent(f, gap=1e-3, seconds=20)
    assert found.quantities is not None
    assert is_feasible(f, found.quantities)
    assert found.objective >= solve_greedy(f).objective
    result = solve_portfolio(problem, gap=1e-2, time_limit=30)
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.bound >= result.objective
    assert (result.bound - result.objective) / result.objective <= 1e-2 + 1e-12
    assert portfolio_violations(problem, _properties._choices(result)) == []


def test_trace_reports_the_gap_closing() -> None:
    events: list[tuple[float, float, float]] = []
    problem = generate(120, seed=8)
    result = solve_portfolio(problem, gap=1e-2, time_limit=60, trace=lambda *e: events.append(e))
    assert events
    times = [t for t, _, _ in events]
    assert times == sorted(times)
    _, objective, bound = events[-1]
    assert objective == pytest.approx(result.objective)
    assert bound == pytest.approx(result.bound)
    if result.status in (Status.FEASIBLE, Status.OPTIMAL):  # not stopped by the time limit
        assert (bound - objective) / objective <= 1e-2 + 1e-12
