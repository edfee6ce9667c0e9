"""Saved scenarios on DuckDB and PostgreSQL: versions, no lost update, runs — one behaviour."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from buildup.errors import NotFoundError, ScenarioError, StaleVersionError
from buildup.scenario import read_scenario, read_scenario_document
from buildup.store.scenarios import ScenarioRepository

EXAMPLES = Path(__file__).parents[2] / "examples"


def _scenario(name: str = "s", year: int = 2022) -> dict[str, Any]:
    return {
        "name": name,
        "country": "JPN",
        "baseline": {"year": year},
        "targets": [{"year": 2027, "share_gdp": 0.02}],
    }


@pytest.fixture
def repo(sql_backend: Any) -> ScenarioRepository:
    return ScenarioRepository(sql_backend)


def test_create_read_list(repo: ScenarioRepository) -> None:
    path = EXAMPLES / "japan-3.5pct-2035.toml"  # extends japan-dbp.toml
    dbp = read_scenario(path)
    saved = repo.create(read_scenario_document(path), message="first")
    assert saved.version == 1
    # What comes back is the very scenario the file gives, down to which file set which key.
    assert saved.scenario() == dbp
    assert saved.scenario().set_in("denominator.year") == dbp.set_in("denominator.year")
    summary = repo.get(saved.scenario_id)
    assert (summary.name, summary.version) == (dbp.name, 1)
    assert summary.spec_hash == saved.spec_hash
    bad = {
        "country": "JPN",
        "baseline": {"year": 2022},
        "targets": [{"year": 2027, "share_gdp": 2}],
    }
    with pytest.raises(ScenarioError):
        repo.create(bad)
    assert repo.count() == 1  # nothing written
    assert [s.id for s in repo.list()] == [saved.scenario_id]
    assert repo.count() == 1
    assert repo.version(saved.scenario_id).message == "first"


def test_every_save_is_a_version(repo: ScenarioRepository) -> None:
    first = repo.create(_scenario("v1"))
    second = repo.update(first.scenario_id, _scenario("v2"), expected_version=1, message="m2")
    third = repo.update(first.scenario_id, _scenario("v3", 2023), expected_version=2)
    assert (second.version, third.version) == (2, 3)
    versions = repo.versions(first.scenario_id)
    assert [(v.version, v.name) for v in versions] == [(1, "v1"), (2, "v2"), (3, "v3")]
    assert repo.version(first.scenario_id, 1).spec == _scenario("v1")
    assert repo.version(first.scenario_id).scenario().baseline.year == 2023
    assert repo.get(first.scenario_id).name == "v3"


def test_stale_update_is_refused_and_writes_nothing(repo: ScenarioRepository) -> None:
    saved = repo.create(_scenario("v1"))
    repo.update(saved.scenario_id, _scenario("v2"), expected_version=1)
    with pytest.raises(StaleVersionError, match="its version is 2"):
        repo.update(saved.scenario_id, _scenario("lost"), expected_version=1)
    assert [v.name for v in repo.versions(saved.scenario_id)] == ["v1", "v2"]
    assert repo.get(saved.scenario_id).version == 2


def test_delete_needs_the_current_version(repo: ScenarioRepository) -> None:
    saved = repo.create(_scenario())
    repo.update(saved.scenario_id, _scenario("v2"), expected_version=1)
    repo.record_run(saved.scenario_id, 2, "plan", {"x": 1})
    with pytest.raises(StaleVersionError):
        repo.delete(saved.scenario_id, expected_version=1)
    repo.delete(saved.scenario_id, expected_version=2)
    with pytest.raises(NotFoundError):
        repo.get(saved.scenario_id)
    with pytest.raises(NotFoundError):
        repo.versions(saved.scenario_id)
    assert repo.count() == 0


def test_unknown_ids_and_versions(repo: ScenarioRepository) -> None:
    with pytest.raises(NotFoundError):
        repo.get("0123456789ab")
    with pytest.raises(NotFoundError):
        repo.update("0123456789ab", _scenario(), expected_version=1)
    saved = repo.create(_scenario())
    with pytest.raises(NotFoundError, match="from 1 to 1"):
        repo.version(saved.scenario_id, 7)


def test_runs_record_the_version_that_ran(repo: ScenarioRepository) -> None:
    saved = repo.create(_scenario())
    repo.update(saved.scenario_id, _scenario("v2"), expected_version=1)
    run = repo.record_run(saved.scenario_id, 1, "plan", {"years": [1, 2], "ok": True})
    assert run.version == 1
    assert run.spec_hash == repo.version(saved.scenario_id, 1).spec_hash
    assert repo.run(saved.scenario_id, run.id).outcome == {"years": [1, 2], "ok": True}
    assert [r.id for r in repo.runs(saved.scenario_id)] == [run.id]


def test_list_pages_newest_first(repo: ScenarioRepository) -> None:
    ids = [repo.create(_scenario(f"s{i}")).scenario_id for i in range(5)]
    repo.update(ids[0], _scenario("s0b"), expected_version=1)
    names = [s.name for s in repo.list(limit=3)]
    assert names[0] == "s0b"
    assert len(names) == 3
    assert len(repo.list(limit=10, offset=3)) == 2


def test_concurrent_updates_lose_nothing(repo: ScenarioRepository) -> None:
    """16 writers read the current version and save on it; each save is a version or a refusal."""
    saved = repo.create(_scenario("start"))
    accepted: list[str] = []
    refused = 0
    lock = threading.Lock()

    def writer(k: int) -> None:
        nonlocal refused
        for i in range(6):
            current = repo.get(saved.scenario_id).version
            name = f"w{k}-{i}"
            try:
                repo.update(saved.scenario_id, _scenario(name), expected_version=current)
            except StaleVersionError:
                with lock:
                    refused += 1
            else:
                with lock:
                    accepted.append(name)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = repo.versions(saved.scenario_id)
    assert len(accepted) + refused == 16 * 6
    assert len(versions) == 1 + len(accepted)  # every accepted write is a version
    assert sorted(v.name for v in versions[1:]) == sorted(accepted)  # none lost or doubled
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    assert accepted  # some writes got through
