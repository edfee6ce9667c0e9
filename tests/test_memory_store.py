"""The in-memory fake answers exactly as the DuckDB store does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from buildup.data.tidy import read_tidy_csv
from buildup.errors import ConflictError, InputError, NotFoundError
from buildup.store import DatasetStore, DuckDBStore, MemoryStore, open_store
from buildup.types import YearRange

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def memory() -> MemoryStore:
    return MemoryStore.bundled()


def test_both_back_ends_satisfy_the_protocol(memory: MemoryStore, store: DuckDBStore) -> None:
    assert isinstance(memory, DatasetStore)
    assert isinstance(store, DatasetStore)
    assert memory.describe().backend == "memory"


@pytest.mark.parametrize(
    ("dataset", "countries", "years"),
    [
        ("milex", ["KOR", "JPN"], YearRange(2015, 2024)),
        ("gdp", ["JPN"], None),
        ("fx", None, YearRange(2020, None)),
        ("japan_budget", None, YearRange(2023, 2023)),
        ("cbo_errors", None, None),
    ],
)
def test_queries_match_duckdb(
    memory: MemoryStore,
    store: DuckDBStore,
    dataset: str,
    countries: list[str] | None,
    years: YearRange | None,
) -> None:
    mine = memory.query(dataset, countries, years)
    theirs = store.query(dataset, countries, years)
    assert len(mine) == len(theirs) > 0
    pd.testing.assert_frame_equal(
        mine.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False
    )
    assert memory.current_edition(dataset) == store.current_edition(dataset)


def test_editions_and_imports_follow_the_same_rules() -> None:
    memory = MemoryStore.bundled(["fx"])
    imported = read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine")
    assert memory.import_edition(imported) == 3
    assert memory.current_edition("fx") == "mine"
    assert memory.editions("fx")["edition"].tolist()[0] == "mine"
    with pytest.raises(ConflictError):
        memory.import_edition(imported)
    assert memory.import_edition(imported, replace=True) == 3
    with pytest.raises(NotFoundError, match="no such edition"):
        memory.query("fx", edition="1999")
    with pytest.raises(InputError, match="no country column"):
        MemoryStore.bundled(["japan_budget"]).query("japan_budget", ["JPN"])


def test_from_frames_and_the_memory_url() -> None:
    frame = pd.DataFrame({"iso3": ["JPN"], "year": [2024], "local_per_usd": [150.0]})
    store = MemoryStore.from_frames({"fx": frame})
    assert store.query("fx", ["JPN"])["local_per_usd"].tolist() == [150.0]
    with open_store("memory:", read_only=True) as s:
        assert s.describe().read_only
