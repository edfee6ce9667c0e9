"""The PostgreSQL store answers as the DuckDB store does: every dataset, the editions, a plan."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest
from tests.postgres_cluster import fresh_database

from buildup.data.catalogue import load_catalogue
from buildup.serialize import to_jsonable
from buildup.store import DuckDBStore, open_store
from buildup.types import YearRange

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def pg_url(postgres_url: str) -> str:
    url = fresh_database(postgres_url)
    open_store(url).close()  # loads the bundled datasets once for the module
    return url


def test_every_dataset_is_the_same_frame(pg_url: str, built_store_path: Path) -> None:
    pg = open_store(pg_url, read_only=True)
    duck = DuckDBStore.open(built_store_path, read_only=True)
    try:
        for name in load_catalogue():
            pd.testing.assert_frame_equal(pg.query(name), duck.query(name), obj=name)
        filtered = {"countries": ["JPN", "KOR"], "years": YearRange(2015, 2020)}
        pd.testing.assert_frame_equal(
            pg.query("milex", **filtered), duck.query("milex", **filtered)
        )
        keep = ["dataset", "edition", "origin", "sha256", "rows", "is_current"]
        pd.testing.assert_frame_equal(pg.editions()[keep], duck.editions()[keep])
        assert pg.current_edition("milex") == duck.current_edition("milex")
        assert pg.describe().backend == "postgresql"
    finally:
        pg.close()
        duck.close()


def test_a_plan_is_the_same_on_both(pg_url: str, built_store_path: Path) -> None:
    from buildup.engine import run
    from buildup.scenario import read_scenario

    scenario = read_scenario(EXAMPLES / "japan-3.5pct-2035.toml")
    with (
        open_store(pg_url, read_only=True) as pg,
        DuckDBStore.open(built_store_path, read_only=True) as duck,
    ):
        a, b = to_jsonable(run(scenario, pg)), to_jsonable(run(scenario, duck))
    assert a == b


def test_import_is_all_or_nothing(postgres_url: str) -> None:
    from buildup.data.edition import ImportedEdition
    from buildup.errors import BuildupError

    url = fresh_database(postgres_url)
    with open_store(url) as store:
        frame = store.query("nato").head(5).copy()
        good = ImportedEdition(
            dataset="nato",
            edition="test-2026",
            edition_label="Test 2026",
            publisher="tester",
            source_file="test.csv",
            frame=frame,
        )
        before = store.current_edition("nato")
        assert store.import_edition(good) == 5
        assert store.current_edition("nato") == before  # not newer: current only when asked
        assert store.import_edition(good, replace=True, make_current=True) == 5
        assert store.current_edition("nato") == "test-2026"
        store.use_edition("nato", before)  # and back, as `buildup data use` does on DuckDB
        assert store.current_edition("nato") == before
        store.use_edition("nato", "test-2026")
        assert len(store.query("nato")) == 5
        bad_frame = pd.concat([frame, frame])  # every key twice
        bad = ImportedEdition(
            dataset="nato",
            edition="bad-2026",
            edition_label="Bad",
            publisher="tester",
            source_file="bad.csv",
            frame=bad_frame,
        )
        with pytest.raises(BuildupError):
            store.import_edition(bad)
        assert store.current_edition("nato") == "test-2026"
        assert "bad-2026" not in set(store.editions("nato")["edition"])


def test_two_servers_starting_at_once_load_the_data_once(postgres_url: str) -> None:
    url = fresh_database(postgres_url)
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_store(url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(url, read_only=True) as store:
        editions = store.editions()
        assert not editions.duplicated(["dataset", "edition"]).any()
        assert len(store.query("milex")) > 1000
