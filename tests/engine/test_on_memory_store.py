"""The tasks run on the in-memory fake store and answer exactly as on the DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest

import buildup
from buildup.serialize import to_jsonable
from buildup.store import DuckDBStore, MemoryStore

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def memory() -> MemoryStore:
    return MemoryStore.bundled()


def _numbers(document: object) -> dict:
    return {k: v for k, v in to_jsonable(document).items() if k != "provenance"}


@pytest.mark.parametrize("example", ["japan-dbp", "korea-3.5pct-2035"])
def test_plan_on_the_fake_equals_the_plan_on_duckdb(
    memory: MemoryStore, store: DuckDBStore, example: str
) -> None:
    spec = buildup.read_scenario(EXAMPLES / f"{example}.toml")
    on_fake = buildup.plan(spec, memory)
    on_file = buildup.plan(spec, store)
    assert _numbers(on_fake) == _numbers(on_file)
    assert on_fake.provenance.editions == on_file.provenance.editions


def test_track_and_risk_run_on_the_fake(memory: MemoryStore, store: DuckDBStore) -> None:
    spec = buildup.read_tracking(EXAMPLES / "japan-dbp-tracking.toml")
    assert _numbers(buildup.track(spec, memory)) == _numbers(buildup.track(spec, store))
    scenario = buildup.read_scenario(EXAMPLES / "japan-dbp.toml")
    options = buildup.RiskOptions(draws=4096, seed=3, tornado=False)
    fake = buildup.plan_risk(scenario, memory, options)
    real = buildup.plan_risk(scenario, store, options)
    assert fake.targets == real.targets
    assert fake.provenance.seed == 3
    assert fake.provenance.draws == 4096


def test_a_task_sees_only_what_the_store_holds() -> None:
    empty = MemoryStore.bundled(["fx"])  # no GDP, no prices
    spec = buildup.read_scenario(EXAMPLES / "japan-dbp.toml")
    with pytest.raises(buildup.BuildupError):
        buildup.plan(spec, empty)
