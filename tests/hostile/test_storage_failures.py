"""Issue 12, fault 4: storage failures are the user's to fix, and say how.

A full disk, a read-only store, a truncated file: exit code 2 with what happened and what to
do, and the store unchanged. Faults are injected at the commit of an import (the last step
of its transaction), and, where the machine allows mounting (root in CI), met for real on a
tiny or read-only filesystem.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from buildup.store import DuckDBStore

EXAMPLES = Path(__file__).parents[2] / "examples"
FX_CSV = "iso3,currency,year,local_per_usd\nJPN,JPY,2024,150\nJPN,JPY,2025,151\n"


def _one_line(result) -> str:
    assert result.code == 2, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "internal error" not in lines[0]
    return lines[0]


def _snapshot(path: Path) -> tuple[list[tuple[object, ...]], int]:
    """The editions table and the fx row count: what an import would change."""
    with DuckDBStore.open(path, read_only=True, build=False) as store:
        editions = store.editions().drop(columns=["loaded_at"], errors="ignore")
        rows = len(store.query("fx"))
        return [tuple(r) for r in editions.itertuples(index=False)], rows


@pytest.fixture
def fx_csv(tmp_path: Path) -> Path:
    file = tmp_path / "fx-new.csv"
    file.write_text(FX_CSV, encoding="utf-8")
    return file


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        (
            'IO Error: Could not write file "store.duckdb.wal": No space left on device',
            "the disk is full while importing into the store; nothing was changed; free space",
        ),
        (
            'IO Error: Cannot open file "store.duckdb.wal": Permission denied',
            "permission denied while importing into the store (the file or its folder is "
            "read-only); nothing was changed",
        ),
    ],
)
def test_fault_at_commit(
    cli,
    store_path: Path,
    fx_csv: Path,
    monkeypatch: pytest.MonkeyPatch,
    message: str,
    fragment: str,
) -> None:
    before = _snapshot(store_path)
    original = DuckDBStore._transaction

    def failing_commit(self: DuckDBStore):  # the commit of the import fails
        context = original(self)

        class Commit:
            def __enter__(inner) -> None:  # noqa: N805
                context.__enter__()

            def __exit__(inner, *exc: object) -> bool:  # noqa: N805
                if exc[0] is None:
                    failure = duckdb.IOException(message)
                    context.__exit__(type(failure), failure, None)  # rolls back
                    raise failure
                return bool(context.__exit__(*exc))

        return Commit()

    monkeypatch.setattr(DuckDBStore, "_transaction", failing_commit)
    result = cli("data", "import", "csv", str(fx_csv), "--dataset", "fx", "--edition", "new")
    line = _one_line(result)
    assert str(store_path) in line
    assert fragment in line
    monkeypatch.undo()
    assert _snapshot(store_path) == before


def test_truncated_store_says_how_to_recover(cli, store_path: Path, fx_csv: Path) -> None:
    assert (
        cli("data", "import", "csv", str(fx_csv), "--dataset", "fx", "--edition", "mine").code == 0
    )
    size = store_path.stat().st_size
    with store_path.open("r+b") as handle:
        handle.truncate(size // 2)
    line = _one_line(cli("plan", str(EXAMPLES / "japan-dbp.toml")))
    assert "the store is damaged" in line
    assert "`buildup data build` with --rebuild recreates the bundled datasets" in line
    assert "imported editions must be imported again: fx mine (from fx-new.csv)" in line
    # The way out works, and keeps the damaged file for recovery.
    rebuilt = cli("data", "build", "--rebuild", "--format", "json")
    assert rebuilt.code == 0, rebuilt.err
    assert list(store_path.parent.glob(f"{store_path.name}.damaged-*"))
    assert cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--format", "json").code == 0


def test_garbage_store_file(cli, store_path: Path) -> None:
    store_path.write_bytes(b"this is not a database\n" * 100)
    line = _one_line(cli("data", "list"))
    assert "the store is damaged" in line


def test_store_folder_is_a_file(cli, tmp_path: Path) -> None:
    # Used to say "[Errno 17] File exists".
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    line = _one_line(cli("data", "list", "--db", str(blocker / "store.duckdb")))
    assert "a file of that name is in the way" in line


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "mnt"
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def test_tiny_filesystem_disk_full(
    cli, built_store_path: Path, mounted: Path, tmp_path: Path
) -> None:
    size = built_store_path.stat().st_size
    if not _mount(mounted, f"size={size + 96 * 1024}"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    store = mounted / "store.duckdb"
    shutil.copy(built_store_path, store)
    before = _snapshot(store)
    big = tmp_path / "population.csv"
    lines = ["iso3,country,year,population"] + [
        f"JPN,Japan,{1900 + i % 200},{1000 + i}" for i in range(200)
    ]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Many distinct editions: each import writes more, until the disk is full.
    failure = None
    for i in range(200):
        result = cli(
            "data", "import", "csv", str(big), "--dataset", "population", "--edition", f"e{i}",
            "--db", str(store),
        )  # fmt: skip
        if result.code != 0:
            failure = result
            break
        before = _snapshot(store)
    if failure is None:
        pytest.skip("the tmpfs did not fill up")
    line = _one_line(failure)
    assert "the disk is full" in line or "the store is damaged" not in line
    assert "nothing was changed" in line
    assert _snapshot(store) == before


def test_read_only_filesystem_serves_reads(
    cli, built_store_path: Path, mounted: Path, fx_csv: Path
) -> None:
    if not _mount(mounted, "size=64m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    store = mounted / "store.duckdb"
    shutil.copy(built_store_path, store)
    store.chmod(0o444)
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(mounted)], capture_output=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    before = _snapshot(store)
    shown = cli("data", "show", "milex", "--country", "JPN", "--format", "json", "--db", str(store))
    assert shown.code == 0, shown.err
    planned = cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--format", "json", "--db", str(store))
    assert planned.code == 0, planned.err
    line = _one_line(
        cli("data", "import", "csv", str(fx_csv), "--dataset", "fx", "--db", str(store))
    )
    assert "permission denied" in line
    assert "reading commands still work" in line
    assert _snapshot(store) == before
