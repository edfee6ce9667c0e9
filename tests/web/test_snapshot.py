"""A request's snapshot of the store: the same answers, fewer reads, never stale data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from buildup.data.edition import ImportedEdition
from buildup.engine import run
from buildup.scenario import read_scenario
from buildup.serialize import to_jsonable
from buildup.store import Store
from buildup.web.pages.render import run_plan
from buildup.web.snapshot import ReadCache, StoreSnapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Counting:
    """A store that counts the calls made to it."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()
        self.queries: list[tuple[Any, ...]] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if name == "query":
                self.queries.append((*args, *kwargs.values()))
            return value(*args, **kwargs)

        return call


def _bigger_gdp(store: Any, edition: str) -> ImportedEdition:
    gdp = store.query("gdp")
    return ImportedEdition(
        dataset="gdp",
        edition=edition,
        edition_label="GDP × 1.5 (test)",
        publisher="test",
        source_file="test.csv",
        frame=gdp.assign(gdp_local_current=gdp["gdp_local_current"] * 1.5),
    )


def test_a_plan_on_a_snapshot_equals_the_plan_on_the_store(store: Store) -> None:
    scenario = read_scenario(EXAMPLES / "japan-dbp.toml")
    direct = to_jsonable(run(scenario, store, "test"))
    counting = Counting(store)
    on_snapshot = to_jsonable(run(scenario, StoreSnapshot(counting, ReadCache()), "test"))
    assert on_snapshot == direct
    # the editions once, no current_edition call, and no question asked twice
    assert counting.calls["editions"] == 1
    assert counting.calls["current_edition"] == 0
    assert len(counting.queries) == len(set(map(repr, counting.queries)))


def test_reads_are_shared_across_requests_until_the_data_changes(store: Store) -> None:
    reads = ReadCache()
    counting = Counting(store)
    scenario = read_scenario(EXAMPLES / "korea-3.5pct-2035.toml")
    first = run(scenario, StoreSnapshot(counting, reads), "test")
    asked = counting.calls["query"]
    assert asked > 0
    again = run(scenario, StoreSnapshot(counting, reads), "test")
    assert counting.calls["query"] == asked  # every read answered from the cache
    assert to_jsonable(again) == to_jsonable(first)
    store.import_edition(_bigger_gdp(store, "bigger"), make_current=True)
    changed = run(scenario, StoreSnapshot(counting, reads), "test")
    assert counting.calls["query"] > asked  # read anew
    assert changed.provenance.dataset_editions["gdp"] == "bigger"
    assert to_jsonable(changed)["years"] != to_jsonable(first)["years"]


@pytest.mark.parametrize("change", ["replace", "use"])
def test_a_replaced_or_reselected_edition_is_a_data_change(store: Store, change: str) -> None:
    reads = ReadCache()
    scenario = read_scenario(EXAMPLES / "japan-dbp.toml")
    bundled = store.current_edition("gdp")
    store.import_edition(_bigger_gdp(store, "mine"), make_current=True)
    before = run_plan(StoreSnapshot(store, reads), scenario)
    assert run_plan(StoreSnapshot(store, reads), scenario) is before
    if change == "replace":  # same edition name, other rows
        gdp = store.query("gdp", edition=bundled)
        store.import_edition(
            ImportedEdition(
                dataset="gdp",
                edition="mine",
                edition_label="GDP as published (test)",
                publisher="test",
                source_file="test.csv",
                frame=gdp,
            ),
            replace=True,
            make_current=True,
        )
    else:
        store.use_edition("gdp", bundled)
    after = run_plan(StoreSnapshot(store, reads), scenario)
    assert after is not before
    assert to_jsonable(after)["years"] != to_jsonable(before)["years"]


def test_an_import_through_a_snapshot_is_seen_by_its_later_reads(store: Store) -> None:
    view = StoreSnapshot(store, ReadCache())
    assert view.current_edition("gdp") != "bigger"
    view.import_edition(_bigger_gdp(store, "bigger"), make_current=True)
    assert view.current_edition("gdp") == "bigger"
    assert "bigger" in set(view.editions("gdp")["edition"])


def test_a_snapshot_passes_the_stores_errors_on(store: Store) -> None:
    from buildup.errors import BuildupError

    view = StoreSnapshot(store, ReadCache())
    with pytest.raises(BuildupError) as direct:
        store.query("gdp", edition="no-such-edition")
    with pytest.raises(BuildupError) as through:
        view.query("gdp", edition="no-such-edition")
    assert str(through.value) == str(direct.value)


def test_frames_from_the_cache_are_copies(store: Store) -> None:
    view = StoreSnapshot(store, ReadCache())
    first = view.query("gdp", ["JPN"])
    first.loc[:, "gdp_local_current"] = 0.0
    assert (view.query("gdp", ["JPN"])["gdp_local_current"] > 0).all()


def test_compare_costs_per_country_equal_the_whole_call(store: Store) -> None:
    from buildup.compare import compare_cost_to_target, resolve_target
    from buildup.web.pages.compare import _costs

    goal = resolve_target("nato-3.5", None, None)
    countries = ["JPN", "KOR", "AUS"]
    whole = compare_cost_to_target(store, countries, goal)
    reads = ReadCache()
    cached = _costs(StoreSnapshot(store, reads), countries, goal)
    assert [to_jsonable(c) for c in cached] == [to_jsonable(c) for c in whole]
    # a second page with one of them again: that country is not planned anew
    again = _costs(StoreSnapshot(store, reads), ["KOR"], goal)
    assert again[0] is cached[1]


def test_pages_follow_an_import(client: TestClient) -> None:
    """Through the app: Plan and Compare answer from before an import never after it."""
    plan = "/plan.json?country=KOR&share=3.5&by=2035"
    compare = "/compare.json?countries=KOR&target=nato-3.5"
    first_plan = client.get(plan).json()
    first_compare = client.get(compare).json()
    assert client.get(plan).json() == first_plan
    store = client.app.state.stores.base  # type: ignore[attr-defined]
    store.import_edition(_bigger_gdp(store, "bigger"), make_current=True)
    later_plan = client.get(plan).json()
    later_compare = client.get(compare).json()
    assert later_plan["plan"]["provenance"]["dataset_editions"]["gdp"] == "bigger"
    assert later_plan["plan"]["years"] != first_plan["plan"]["years"]
    assert later_compare["cost_to_target"] != first_compare["cost_to_target"]


def test_a_comparison_input_is_built_once_per_data_version(store: Store) -> None:
    from buildup.compare.series import read_input

    reads = ReadCache()
    first = read_input(StoreSnapshot(store, reads), "population")
    assert read_input(StoreSnapshot(store, reads), "population") is first
    population = store.query("population")
    store.import_edition(
        ImportedEdition(
            dataset="population",
            edition="doubled",
            edition_label="population × 2 (test)",
            publisher="test",
            source_file="test.csv",
            frame=population.assign(population=population["population"] * 2),
        ),
        make_current=True,
    )
    after = read_input(StoreSnapshot(store, reads), "population")
    assert after.edition == "doubled"
    key = next(iter(first.values))
    assert after.values[key] == 2 * first.values[key]
