"""Every task reads the store in one step before it computes: no query once computing starts.

Each task runs on a wrapper of the in-memory store that counts every read and, once the
task's gather step has returned, refuses any further read (the task would otherwise be
querying the store in the middle of its computation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import buildup
from buildup.engine import gather
from buildup.store import GatheredStore, MemoryStore

EXAMPLES = Path(__file__).parents[2] / "examples"


class SealedAfterGather:
    """A store that counts reads and refuses any after it is sealed."""

    def __init__(self, inner: MemoryStore) -> None:
        self.inner = inner
        self.reads = 0
        self.sealed = False
        self.gathers = 0

    def _read(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.sealed:
                raise AssertionError(f"store.{name}{args} after the gather step")
            self.reads += 1
            return getattr(self.inner, name)(*args, **kwargs)

        return call

    def __getattr__(self, name: str) -> Any:
        if name in ("query", "current_edition", "editions"):
            return self._read(name)
        return getattr(self.inner, name)


@pytest.fixture(scope="module")
def memory() -> MemoryStore:
    return MemoryStore.bundled()


@pytest.fixture
def sealed(memory: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[SealedAfterGather]:
    store = SealedAfterGather(memory)
    real = gather.gather_inputs

    def gather_then_seal(target: Any, **kwargs: Any) -> GatheredStore:
        assert target is store, "a task gathered from something else than its store"
        assert not store.sealed, "a task gathered twice"
        snapshot = real(target, **kwargs)
        store.gathers += 1
        store.sealed = True
        return snapshot

    monkeypatch.setattr(gather, "gather_inputs", gather_then_seal)
    yield store
    assert store.gathers == 1, "the task did not gather its inputs in one step"
    assert store.reads > 0


def _scenario() -> buildup.Scenario:
    return buildup.read_scenario(EXAMPLES / "japan-dbp.toml")


def test_plan(sealed: SealedAfterGather) -> None:
    assert buildup.plan(_scenario(), sealed).years["budget_local"].notna().all()


def test_quick_plan(sealed: SealedAfterGather) -> None:
    options = buildup.validate_options(
        buildup.QuickPlanOptions, country="Korea", target_share=0.035, by=2035
    )
    assert buildup.quick_plan(options, sealed).iso3 == "KOR"


def test_track(sealed: SealedAfterGather) -> None:
    spec = buildup.read_tracking(EXAMPLES / "japan-dbp-tracking.toml")
    assert buildup.track(spec, sealed).provenance.editions


def test_optimise_from_a_plan(sealed: SealedAfterGather) -> None:
    catalogue = buildup.read_programmes(EXAMPLES / "japan-programmes.csv")
    options = buildup.OptimiseOptions(time_limit=60)
    result = buildup.optimise(catalogue, options, plan_spec=_scenario(), store=sealed)
    assert result.analysis.portfolio.has_solution


def test_plan_risk(sealed: SealedAfterGather) -> None:
    options = buildup.RiskOptions(draws=2048, seed=5, tornado=True)
    assert buildup.plan_risk(_scenario(), sealed, options).provenance.draws == 2048


def test_stress_test_with_the_robust_portfolio(sealed: SealedAfterGather) -> None:
    catalogue = buildup.read_programmes(EXAMPLES / "japan-programmes.csv")
    report = buildup.stress_test(
        _scenario(),
        sealed,
        buildup.RiskOptions(draws=2048, seed=5, tornado=False),
        programmes=catalogue,
        portfolio=buildup.PortfolioOptions(alpha=0.8, scenarios=50, time_limit=20),
    )
    assert report.portfolio is not None
    assert report.portfolio.robust is not None


def test_portfolio_risk(sealed: SealedAfterGather) -> None:
    catalogue = buildup.read_programmes(EXAMPLES / "japan-programmes.csv")
    outcome = buildup.portfolio_risk(
        _scenario(), sealed, catalogue, buildup.RiskOptions(draws=2048, seed=5)
    )
    assert outcome.portfolio.has_solution


def test_compare_with_cost_to_target_and_counts(sealed: SealedAfterGather) -> None:
    options = buildup.validate_options(
        buildup.CompareOptions,
        group=buildup.resolve_group("quad"),
        target_share=0.035,
        by=2035,
        count_threshold=0.02,
    )
    comparison = buildup.compare_allies(sealed, options)
    assert comparison.costs
    assert comparison.counts


def test_a_snapshot_refuses_what_it_did_not_read(memory: MemoryStore) -> None:
    snapshot = GatheredStore.read(memory, countries=["JPN"], datasets=["gdp", "cbo_errors"])
    assert set(snapshot.query("gdp", ["JPN"])["iso3"]) == {"JPN"}
    assert len(snapshot.query("cbo_errors")) == len(memory.query("cbo_errors"))
    for ask in (
        lambda: snapshot.query("gdp", ["KOR"]),  # another country
        lambda: snapshot.query("gdp"),  # every country, when one was read
        lambda: snapshot.query("fx", ["JPN"]),  # a dataset left out
        lambda: snapshot.query("gdp", ["JPN"], edition="older"),  # not the current edition
    ):
        with pytest.raises(LookupError):
            ask()
    with pytest.raises(buildup.StoreError):
        snapshot.import_edition(None, replace=True)  # type: ignore[arg-type]


def test_diff_of_two_countries(sealed: SealedAfterGather) -> None:
    korea = buildup.read_scenario(EXAMPLES / "korea-3.5pct-2035.toml")
    diff = buildup.diff_scenarios(_scenario(), korea, sealed)
    assert len(diff.targets_frame())
