"""``buildup sweep``: every country × target — plan, extra cost, P(met) — and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from buildup.compare.cost import TargetSpec, compare_cost_to_target
from buildup.compare.sweep import (
    PathPoint,
    countries_with_data,
    store_editions,
    sweep,
    sweep_countries,
    sweep_task,
    task_seed,
)
from buildup.engine.quick import QuickPlan, quick_scenario
from buildup.engine.risk import simulate_plan
from buildup.errors import StoreError
from buildup.report.schemas import outcome_schema
from buildup.serialize import check_schema
from buildup.store import DuckDBStore


def test_a_sweep_row_is_the_planner_the_cost_and_the_risk_engine(built_store_path: Path) -> None:
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        result = sweep(store, ["KOR"], [0.035], 2035, draws=4_000, seed=9)
        (row,) = result.rows
        (cost,) = compare_cost_to_target(store, ["KOR"], TargetSpec(0.035, 2035, "3.5 %"))
        assert row.extra_total_usd == cost.extra_total_usd
        assert row.baseline_share == cost.baseline_share
        question = QuickPlan(country="KOR", target_share=0.035, by=2035, definition="sipri")
        risk = simulate_plan(
            quick_scenario(store, question), store, draws=4_000,
            seed=task_seed(9, "KOR", 0.035), tornado=False,
        )  # fmt: skip
        assert row.probability_met == risk.targets[0].probability_met
        assert row.path[-1] == PathPoint(2035, row.share_in_target_year)
        assert math.isclose(row.share_in_target_year, 0.035, rel_tol=1e-6)


def test_every_country_with_data_is_tried(built_store_path: Path) -> None:
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        countries = countries_with_data(store)
    assert len(countries) > 100
    assert {"JPN", "KOR", "USA", "DEU", "PHL"} <= set(countries)


def test_seeds_differ_by_country_and_target() -> None:
    seeds = {task_seed(1, c, s) for c in ("JPN", "KOR") for s in (0.02, 0.035)}
    assert len(seeds) == 4
    assert task_seed(1, "JPN", 0.02) == task_seed(1, "JPN", 0.02)


def test_sweep_cli_table_json_and_chart(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = tmp_path / "sweep.png"
    result = cli("sweep", "--countries", "JPN,KOR", "--targets", "0.02,0.035", "--by", "2030",
                 "--draws", "2000", "--chart", str(chart))  # fmt: skip
    assert result.code == 0, result.err
    assert "P(met)" in result.out
    assert "JPN" in result.out
    assert chart.stat().st_size > 10_000
    result = cli("sweep", "--countries", "JPN", "--targets", "0.035", "--by", "2030",
                 "--draws", "2000", "--format", "json")  # fmt: skip
    document = json.loads(result.out)
    assert document["rows"][0]["iso3"] == "JPN"
    assert 0.0 <= document["rows"][0]["probability_met"] <= 1.0
    assert document["provenance"]["draws"] == 2000
    assert document["provenance"]["task"] == "sweep"
    assert document["targets"] == [0.035]
    assert document["by"] == 2030
    assert check_schema(document, outcome_schema("sweep")) == []


def test_sweep_cli_bad_input_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("sweep", "--countries", "JPN", "--targets", "3.5", "--by", "2030")
    assert result.code == 2
    assert "write 0.035 for 3.5 %" in result.err
    result = cli("sweep", "--countries", "JPN", "--targets", "0.02,x", "--by", "2030")
    assert result.code == 2
    assert "'x' is not a number" in result.err
    result = cli("sweep", "--countries", "JPN", "--by", "2030", "--cluster", "remote")
    assert result.code == 2
    assert "local:N" in result.err


def test_countries_not_tried_are_listed_with_their_reason(built_store_path: Path) -> None:
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        tried, left_out = sweep_countries(store)
        reasons = dict(left_out)
        result = sweep(store, [], [0.02], 2035, draws=10, left_out=left_out)
        assert tried == countries_with_data(store)
    assert not set(tried) & set(reasons)
    assert "no GDP in the IMF WEO data" in reasons["PRK"]
    assert "last figure in local currency is for 2013" in reasons["LAO"]
    assert {s.iso3: s.reason for s in result.skipped} == reasons


def test_a_country_without_a_budget_or_a_published_exchange_rate_is_planned(
    built_store_path: Path,
) -> None:
    """Iceland spends nothing (no armed forces): its path rises linearly in share of GDP, as
    compare's cost to target plans it. Chile is not in the fx dataset: its US$ figures use
    the IMF WEO's implied rate."""
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        result = sweep(store, ["ISL", "CHL"], [0.035], 2035, draws=2_000, seed=3)
        (iceland,) = compare_cost_to_target(store, ["ISL"], TargetSpec(0.035, 2035, "3.5 %"))
    assert result.skipped == ()
    by_country = {r.iso3: r for r in result.rows}
    assert by_country["ISL"].path_shape == "linear-share"
    assert by_country["ISL"].baseline_share == 0.0
    assert by_country["ISL"].extra_total_usd == iceland.extra_total_usd > 0
    assert by_country["CHL"].path_shape == "goal-seek"
    assert math.isfinite(by_country["CHL"].extra_total_usd)
    assert by_country["CHL"].extra_total_usd > 0
    for row in result.rows:
        assert math.isclose(row.share_in_target_year, 0.035, rel_tol=1e-6)


def test_sweep_cli_lists_a_country_it_could_not_plan_with_the_reason(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("sweep", "--countries", "VEN,JPN", "--targets", "0.035", "--by", "2030",
                 "--draws", "500")  # fmt: skip
    assert result.code == 0, result.err
    assert "Not planned: 1 countries" in result.out
    assert "years with GDP growth, deflator and exchange rate" in result.out
    assert "1 countries not planned" in result.err
    assert "VEN" in result.err


def test_a_worker_whose_store_holds_other_editions_refuses(built_store_path: Path) -> None:
    """On several machines each worker opens its own store: one built from another release
    must not mix its data into the sweep."""
    with DuckDBStore.open(built_store_path, read_only=True) as store:
        held = store_editions(store)
    url = str(built_store_path)
    assert sweep_task(url, "JPN", (0.02,), 2030, 10, 0, held)[0].iso3 == "JPN"  # type: ignore[union-attr]
    with pytest.raises(
        StoreError, match=r"other editions than the caller's: milex .* \(caller 1999\)"
    ):
        sweep_task(url, "JPN", (0.02,), 2030, 10, 0, held | {"milex": "1999"})
