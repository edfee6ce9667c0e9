"""The DuckDB store shared between processes: first runs at once, many readers, read-only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from buildup.data.catalogue import load_catalogue
from buildup.errors import StoreError
from buildup.store import DuckDBStore, build_store, is_stale, open_store

_READ = """
import sys
from buildup.store import open_store
with open_store(sys.argv[1], read_only=True) as s:
    rows = len(s.query("milex", ["JPN"]))
    print(s.current_edition("milex"), rows)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_first_runs_on_an_empty_store_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "first.duckdb"
    procs = [_spawn(_READ, str(path)) for _ in range(4)]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    for _, err, code in results:
        assert code == 0, err
    outs = {out.strip() for out, _, _ in results}
    assert len(outs) == 1  # every process saw the same, complete store
    edition, rows = outs.pop().split()
    assert edition == load_catalogue()["milex"].edition
    assert int(rows) > 50
    assert not is_stale(path)
    assert build_store(path) == []  # built once: nothing left to load


def test_many_readers_share_one_file_while_none_writes(built_store_path: Path) -> None:
    procs = [_spawn(_READ, str(built_store_path)) for _ in range(4)]
    # This process reads the same file at the same time.
    with open_store(built_store_path, read_only=True) as mine:
        assert mine.describe().read_only
        results = [(*p.communicate(timeout=120), p.returncode) for p in procs]
        assert len(mine.query("gdp", ["JPN"])) > 10
    for _, err, code in results:
        assert code == 0, err


def test_read_only_store_refuses_writes(built_store_path: Path) -> None:
    from buildup.data.tidy import read_tidy_csv

    imported = read_tidy_csv(
        Path(__file__).parent / "fixtures" / "tidy_good_fx.csv", "fx", edition="mine"
    )
    with (
        open_store(built_store_path, read_only=True) as store,
        pytest.raises(StoreError, match="read-only"),
    ):
        store.import_edition(imported)


def test_a_reader_waits_for_a_writer_to_finish(store_path: Path) -> None:
    writer = DuckDBStore.open(store_path)  # holds the file and its lock
    reader = _spawn(_READ, str(store_path))
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            reader.wait(timeout=1.5)  # blocked, not failed
    finally:
        writer.close()
    _, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err


def test_build_is_explicit_and_reports_what_it_loaded(tmp_path: Path) -> None:
    path = tmp_path / "b.duckdb"
    assert is_stale(path)
    loaded = build_store(path)
    assert "milex" in loaded
    assert not is_stale(path)
    assert build_store(path) == []
    with DuckDBStore.open(path, read_only=True, build=False) as s:
        assert s.describe().name == "b.duckdb"


def test_unknown_store_address_is_an_input_error() -> None:
    from buildup.errors import InputError

    with pytest.raises(InputError, match="unknown store address scheme"):
        open_store("ftp://example/x")


def test_duckdb_url(built_store_path: Path) -> None:
    with open_store(f"duckdb://{built_store_path}", read_only=True) as s:
        assert s.describe().backend == "duckdb"


_BUILD_SLOWLY = """
import sys, time
from pathlib import Path
from buildup.store import DuckDBStore
from buildup.store.locks import connect, file_lock
path = Path(sys.argv[1])
with file_lock(path, exclusive=True):  # what build_store does, slowed down
    # What a first build looks like from outside while DuckDB is still creating the file:
    # the file exists, and is not yet a database.
    path.write_bytes(b"")
    print("creating", flush=True)
    time.sleep(2.0)
    path.unlink()
    store = DuckDBStore(connect(path, read_only=False), path)
    store.sync_bundled()
    store.close()
"""


def test_a_reader_never_connects_to_a_file_a_first_build_is_still_creating(
    tmp_path: Path,
) -> None:
    """The race of concurrent first runs: a reader that found the file of a build still in
    progress got "not a valid DuckDB database file". It waits for the build instead."""
    path = tmp_path / "first.duckdb"
    builder = _spawn(_BUILD_SLOWLY, str(path))
    assert builder.stdout is not None
    assert builder.stdout.readline().strip() == "creating"
    assert path.exists()  # the reader starts while the file is incomplete
    reader = _spawn(_READ, str(path))
    out, err = reader.communicate(timeout=300)
    _, built_err = builder.communicate(timeout=300)
    assert builder.returncode == 0, built_err
    assert reader.returncode == 0, err
    edition, rows = out.split()
    assert edition == load_catalogue()["milex"].edition
    assert int(rows) > 0
