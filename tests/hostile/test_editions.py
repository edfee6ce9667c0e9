"""Issue 12, fault 5: editions do not switch behind the user's back.

Importing an older release (SIPRI's 2024 workbook over the bundled 2025 edition) used to make
it current, and there was no way back. Now an import becomes current only if its data run to
a later year, or with ``--make-current``; ``buildup data use DATASET EDITION`` switches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from buildup.store import DuckDBStore, MemoryStore

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def older_milex(tmp_path: Path, store_path: Path) -> Path:
    """The bundled milex edition without its last year: an older release."""
    with DuckDBStore.open(store_path, read_only=True) as store:
        frame = store.query("milex")
    last = int(frame["year"].max())
    file = tmp_path / "milex-older.csv"
    frame[frame["year"] < last].to_csv(file, index=False)
    return file


def _current(store_path: Path, dataset: str) -> str:
    with DuckDBStore.open(store_path, read_only=True) as store:
        return store.current_edition(dataset)


def test_older_import_is_stored_but_not_current(cli, store_path: Path, older_milex: Path) -> None:
    bundled = _current(store_path, "milex")
    result = cli("data", "import", "csv", str(older_milex), "--dataset", "milex", "--edition",
                 "older", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["current"] is False
    assert out["current_edition"] == bundled
    assert "`buildup data use milex older` switches" in result.err
    assert _current(store_path, "milex") == bundled
    # The first step of `make run` still works, on the bundled edition.
    overview = cli("overview", "--format", "json")
    assert overview.code == 0, overview.err
    # The older edition is still there to ask for.
    shown = cli(
        "data", "show", "milex", "--edition", "older", "--country", "JPN", "--format", "json"
    )
    assert shown.code == 0, shown.err


def test_make_current_and_data_use_switch(cli, store_path: Path, older_milex: Path) -> None:
    bundled = _current(store_path, "milex")
    result = cli("data", "import", "csv", str(older_milex), "--dataset", "milex", "--edition",
                 "older", "--make-current", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["current"] is True
    assert _current(store_path, "milex") == "older"
    # Every command works on the older edition, or says which years it lacks.
    assert cli("overview", "--format", "json").code == 0
    assert cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--format", "json").code == 0
    compared = cli("compare", "JPN", "--metric", "share_gdp", "--years", "2015:2030")
    assert compared.code == 2
    assert "(milex, edition older) has no value for JPN" in compared.err
    back = cli("data", "use", "milex", bundled, "--format", "json")
    assert back.code == 0, back.err
    assert json.loads(back.out) == {
        "dataset": "milex",
        "current_edition": bundled,
        "previous_edition": "older",
    }
    assert _current(store_path, "milex") == bundled


def test_data_use_unknown_edition(cli) -> None:
    result = cli("data", "use", "milex", "1999")
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert "1999" in line
    assert "2025" in line  # the editions that exist


def test_newer_import_becomes_current(cli, store_path: Path, tmp_path: Path) -> None:
    with DuckDBStore.open(store_path, read_only=True) as store:
        last = int(store.query("fx")["year"].max())
    file = tmp_path / "fx-next.csv"
    file.write_text(f"iso3,currency,year,local_per_usd\nJPN,JPY,{last + 1},150\n", encoding="utf-8")
    result = cli("data", "import", "csv", str(file), "--dataset", "fx", "--edition", "next",
                 "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["current"] is True
    assert _current(store_path, "fx") == "next"


def test_memory_store_follows_the_same_rule() -> None:
    from buildup.data.edition import ImportedEdition

    store = MemoryStore.bundled(["fx"])
    bundled = store.current_edition("fx")
    frame = store.query("fx")
    old = frame[frame["year"] < frame["year"].max()].reset_index(drop=True)
    imported = ImportedEdition(
        dataset="fx", edition="old", edition_label="old", publisher="t", source_file="t.csv",
        frame=old,
    )  # fmt: skip
    store.import_edition(imported)
    assert store.current_edition("fx") == bundled
    store.use_edition("fx", "old")
    assert store.current_edition("fx") == "old"
    newer = pd.concat([frame, frame.tail(1).assign(year=frame["year"].max() + 1)])
    store.import_edition(
        ImportedEdition(dataset="fx", edition="new", edition_label="new", publisher="t",
                        source_file="n.csv", frame=newer.reset_index(drop=True))
    )  # fmt: skip
    assert store.current_edition("fx") == "new"
