"""Big runs on a real 2-worker Dask LocalCluster give the numbers of one process: the
portfolio Monte Carlo, the Pareto sweep, the robust portfolio's validation, ``sweep``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buildup.compare.sweep import sweep
from buildup.engine.risk_portfolio import portfolio_model, robust_portfolio
from buildup.portfolio import (
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
    pareto_front,
    solve_portfolio,
)
from buildup.risk.cluster import dask_client, map_in_order, run_portfolio_chunks, workers_of
from buildup.risk.portfolio import simulate_portfolio
from buildup.scenario import scenario_from_dict
from buildup.serialize import to_jsonable
from buildup.store import DuckDBStore


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(None, "local:2") as started:
        yield started


@pytest.fixture
def reader(built_store_path: Path) -> Iterator[DuckDBStore]:
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        yield store


def _problem() -> PortfolioProblem:
    programmes = tuple(
        Programme(id=f"p{i}", area=("air", "sea", "land")[i % 3], unit_cost=10.0 + i, max_qty=4,
                  payment_profile=(0.3, 0.4, 0.3), earliest_start=2026, latest_start=2027,
                  value=1.0 + i % 4)
        for i in range(8)
    )  # fmt: skip
    envelope = Envelope(years=(2026, 2027, 2028, 2029), budgets=(40.0, 70.0, 80.0, 60.0))
    return PortfolioProblem(catalogue=Catalogue(programmes=programmes), envelope=envelope)


def _scenario() -> Any:
    return scenario_from_dict(
        {"country": "KOR", "baseline": {"year": 2024},
         "targets": [{"year": 2030, "share_gdp": 0.03}]},
        "test",
    )  # fmt: skip


def test_the_cluster_has_two_workers(client: Any) -> None:
    assert workers_of(client) == 2


def test_portfolio_monte_carlo_on_the_cluster_equals_one_process(
    client: Any, reader: DuckDBStore
) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    model, _ = portfolio_model(problem, chosen.selected, _scenario(), reader)
    here = simulate_portfolio(model, 11, 50_000, first_block=7)
    there = run_portfolio_chunks(model, 11, 50_000, first_block=7, client=client)
    assert there.draws == here.draws == 50_000
    assert there.breach.tolist() == here.breach.tolist()
    assert there.any_breach == here.any_breach
    assert there.ratio_counts.tolist() == here.ratio_counts.tolist()
    assert there.expected_value() == here.expected_value()
    assert there.mean_outlays().tolist() == here.mean_outlays().tolist()


def test_pareto_front_on_the_cluster_equals_one_process(client: Any) -> None:
    problem = _problem()
    scales = (0.6, 0.8, 1.0, 1.2)
    here = pareto_front(problem, scales, gap=0.0, time_limit=60)
    there = pareto_front(
        problem, scales, gap=0.0, time_limit=60,
        mapper=lambda fn, items: map_in_order(client, fn, items),
    )  # fmt: skip
    assert [(p.scale, p.objective, p.spend) for p in there] == [
        (p.scale, p.objective, p.spend) for p in here
    ]


def test_robust_validation_on_the_cluster_equals_one_process(
    client: Any, reader: DuckDBStore
) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    options = {"seed": 4, "alpha": 0.8, "time_limit": 120, "gap": 0.0}
    here = robust_portfolio(problem, chosen, _scenario(), reader, **options)
    there = robust_portfolio(problem, chosen, _scenario(), reader, client=client, **options)
    assert there.validation == here.validation
    assert there.calibration == here.calibration
    assert there.selected == here.selected


def test_sweep_on_the_cluster_equals_one_process(
    client: Any, reader: DuckDBStore, built_store_path: Path
) -> None:
    args = (reader, ["JPN", "KOR", "XXX"], [0.02, 0.035], 2035)
    here = sweep(*args, draws=3_000, seed=5)
    there = sweep(*args, draws=3_000, seed=5, client=client, store_url=str(built_store_path))
    assert there.workers == 2
    assert to_jsonable(there.rows) == to_jsonable(here.rows)  # NaN as null: equal
    assert len(here.rows) == 4
    assert here.skipped == there.skipped
    assert here.skipped[0].iso3 == "XXX"
    assert "unknown country" in here.skipped[0].reason
