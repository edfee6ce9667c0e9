"""The embedded store: one DuckDB file holding every edition of every dataset.

Zero configuration: the file is found by :func:`buildup.config.resolve_db_path`. Building it —
loading every bundled dataset whose files changed (imported editions are kept) — is an
explicit step, :func:`build_store`; :meth:`DuckDBStore.open` runs it only when the file is
missing or stale, under a file lock, so that several first runs at once build it once.

Each dataset is one table with the catalogue's columns plus ``edition``; the table
``_editions`` says, per dataset, which editions exist, where each came from, and which one
queries use.

Concurrency: DuckDB allows one writing process per file, or many reading ones. A store
opened read-only shares the file with other readers; one opened for writing (building,
importing) holds ``<file>.lock`` exclusively while it is open, and a reader that finds the
file busy waits for that lock instead of failing.

An import is one transaction: either the new edition and its catalogue row are written and
it becomes current, or the store is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from buildup.config import resolve_db_path
from buildup.data.catalogue import Dataset, get_dataset, load_bundled, load_catalogue
from buildup.data.edition import ImportedEdition
from buildup.errors import StoreError
from buildup.store.common import (
    bundled_checksum,
    check_countries_allowed,
    check_import,
    check_new_edition,
    no_current_edition,
    read_only_error,
    unknown_edition,
)
from buildup.store.protocol import EDITION_COLUMNS, StoreInfo
from buildup.types import YearRange

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["DuckDBStore", "build_store", "is_stale"]

_EDITIONS_DDL = """
CREATE TABLE IF NOT EXISTS _editions (
    dataset VARCHAR NOT NULL,
    edition VARCHAR NOT NULL,
    label VARCHAR,
    publisher VARCHAR,
    origin VARCHAR NOT NULL,          -- 'bundled' or 'imported'
    source_file VARCHAR,
    sha256 VARCHAR,
    rows BIGINT,
    loaded_at TIMESTAMP,
    is_current BOOLEAN NOT NULL,
    PRIMARY KEY (dataset, edition)
)
"""
# How long an open waits for another process that is writing the file.
WAIT_S = float(os.environ.get("BUILDUP_STORE_WAIT", "120"))


@contextlib.contextmanager
def _file_lock(path: Path, *, exclusive: bool) -> Iterator[IO[bytes] | None]:
    """Hold ``<path>.lock`` (exclusive for writers, shared for readers waiting on them)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux or macOS: DuckDB's own lock only
        yield None
        return
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the caller's block
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield handle
    finally:
        handle.close()  # releases the lock


def _busy(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set" in text)


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect, waiting while another process holds the file for writing."""
    import duckdb

    deadline = time.monotonic() + WAIT_S
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
        if read_only:
            # A writer holds the lock file while it is open: wait for it to finish.
            with _file_lock(path, exclusive=False):
                pass
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _open_error(path: Path, exc: Exception) -> StoreError:
    first = str(exc).splitlines()[0]
    return StoreError(
        where=str(path),
        problem=f"cannot open the store: {first}",
        fix="choose a writable store file",
    )


def _stale_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The bundled datasets whose store copy is missing or older than the shipped files."""
    tables = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_editions'"
    ).fetchall()
    catalogue = load_catalogue()
    if not tables[0][0]:
        return list(catalogue)
    rows = dict(
        con.execute("SELECT dataset, sha256 FROM _editions WHERE origin = 'bundled'").fetchall()
    )
    return [name for name, d in catalogue.items() if rows.get(name) != bundled_checksum(d)]


def is_stale(path: str | Path | None = None) -> bool:
    """Whether the store file is missing or needs a build (a bundled dataset changed)."""
    resolved = resolve_db_path(path)
    if not resolved.exists():
        return True
    con = _connect(resolved, read_only=True)
    try:
        return bool(_stale_names(con))
    finally:
        con.close()


def build_store(path: str | Path | None = None) -> list[str]:
    """Create or refresh the store: load each bundled dataset whose files changed.

    Runs under the store's lock, so that concurrent builds of one file build it once; returns
    the names of the datasets (re)loaded — empty when the store was up to date.
    """
    import duckdb

    resolved = resolve_db_path(path)
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(resolved, exclusive=True):
            con = _connect(resolved, read_only=False)
            try:
                return DuckDBStore(con, resolved, read_only=False).sync_bundled()
            finally:
                con.close()
    except (OSError, duckdb.Error) as exc:
        raise _open_error(resolved, exc) from exc


class DuckDBStore:
    """A connection to the embedded DuckDB store (a :class:`~buildup.store.DatasetStore`)."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        path: Path,
        *,
        read_only: bool = False,
        lock: IO[bytes] | None = None,
    ) -> None:
        self._con = connection
        self.path = path
        self.read_only = read_only
        self._lock = lock

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        build: bool = True,
        building: Callable[[], contextlib.AbstractContextManager[Any]] | None = None,
    ) -> DuckDBStore:
        """Open the store file; build it first if it is missing or stale (and ``build``).

        Read-only stores share the file with other readers; a store opened for writing holds
        the file's lock until it is closed. ``building`` (e.g. a progress display) wraps a
        build when one is needed.
        """
        import duckdb

        resolved = resolve_db_path(path)
        try:
            if read_only:
                return cls._open_reader(resolved, build, building or contextlib.nullcontext)
            resolved.parent.mkdir(parents=True, exist_ok=True)
            stack = contextlib.ExitStack()
            lock = stack.enter_context(_file_lock(resolved, exclusive=True))
            try:
                con = _connect(resolved, read_only=False)
            except BaseException:
                stack.close()
                raise
            store = cls(con, resolved, read_only=False, lock=lock)
            store._stack = stack
            if build and _stale_names(con):
                with (building or contextlib.nullcontext)():
                    store.sync_bundled()
            return store
        except (OSError, duckdb.Error) as exc:
            raise _open_error(resolved, exc) from exc

    @classmethod
    def _open_reader(
        cls,
        resolved: Path,
        build: bool,
        building: Callable[[], contextlib.AbstractContextManager[Any]],
    ) -> DuckDBStore:
        if not resolved.exists():
            if not build:
                raise StoreError(where=resolved.name, problem="the store has not been built")
            with building():
                build_store(resolved)
        con = _connect(resolved, read_only=True)
        if build and _stale_names(con):
            con.close()
            with building():
                build_store(resolved)
            con = _connect(resolved, read_only=True)
        return cls(con, resolved, read_only=True)

    _stack: contextlib.ExitStack | None = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection (for the saved-scenario tables in the same file)."""
        return self._con

    def describe(self) -> StoreInfo:
        """The back end, the file's name (not its folder) and whether it is read-only."""
        return StoreInfo(backend="duckdb", name=self.path.name, read_only=self.read_only)

    def close(self) -> None:
        """Close the connection (and release the file's lock if open for writing)."""
        self._con.close()
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def sync_bundled(self) -> list[str]:
        """Load each bundled dataset whose checksum differs from the store's; return their names."""
        if self.read_only:
            raise read_only_error(self.path.name)
        self._con.execute(_EDITIONS_DDL)
        loaded = []
        catalogue = load_catalogue()
        for name in _stale_names(self._con):
            with self._transaction():
                self._load_bundled(catalogue[name])
            loaded.append(name)
        return loaded

    def _load_bundled(self, dataset: Dataset) -> None:
        frame = load_bundled(dataset.name).assign(edition=dataset.edition)
        self._ensure_table(dataset, frame)
        self._con.execute(
            f"DELETE FROM {dataset.name} WHERE edition IN "
            "(SELECT edition FROM _editions WHERE dataset = ? AND origin = 'bundled')",
            [dataset.name],
        )
        self._con.execute(f"DELETE FROM {dataset.name} WHERE edition = ?", [dataset.edition])
        self._insert(dataset.name, frame)
        has_current = self._con.execute(
            "SELECT count(*) FROM _editions "
            "WHERE dataset = ? AND is_current AND origin <> 'bundled'",
            [dataset.name],
        ).fetchall()
        self._con.execute(
            "DELETE FROM _editions WHERE dataset = ? AND (origin = 'bundled' OR edition = ?)",
            [dataset.name, dataset.edition],
        )
        self._record_edition(
            dataset=dataset.name,
            edition=dataset.edition,
            label=dataset.edition_label,
            publisher=dataset.publisher,
            origin="bundled",
            source_file=dataset.file,
            sha256=bundled_checksum(dataset),
            rows=len(frame),
            is_current=not has_current[0][0],
        )

    def _ensure_table(self, dataset: Dataset, frame: pd.DataFrame) -> None:
        exists = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [dataset.name]
        ).fetchall()
        if exists[0][0]:
            columns = [r[0] for r in self._con.execute(f"DESCRIBE {dataset.name}").fetchall()]
            if columns == list(frame.columns):
                return
            # The catalogue's columns changed: rebuild the table, keeping imported rows.
            self._con.execute(f"ALTER TABLE {dataset.name} RENAME TO _old_{dataset.name}")
            self._create_table(dataset.name, frame)
            common = ", ".join(c for c in columns if c in frame.columns)
            self._con.execute(
                f"INSERT INTO {dataset.name} ({common}) SELECT {common} FROM _old_{dataset.name}"
            )
            self._con.execute(f"DROP TABLE _old_{dataset.name}")
            return
        self._create_table(dataset.name, frame)

    def _create_table(self, name: str, frame: pd.DataFrame) -> None:
        self._con.register("_frame", frame)
        try:
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame LIMIT 0")
        finally:
            self._con.unregister("_frame")

    def _insert(self, name: str, frame: pd.DataFrame) -> None:
        self._con.register("_frame", frame)
        try:
            self._con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _frame")
        finally:
            self._con.unregister("_frame")

    def _record_edition(
        self,
        *,
        dataset: str,
        edition: str,
        label: str,
        publisher: str,
        origin: str,
        source_file: str,
        sha256: str | None,
        rows: int,
        is_current: bool,
    ) -> None:
        if is_current:
            self._con.execute(
                "UPDATE _editions SET is_current = false WHERE dataset = ?", [dataset]
            )
        self._con.execute(
            "INSERT INTO _editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                dataset,
                edition,
                label,
                publisher,
                origin,
                source_file,
                sha256,
                rows,
                datetime.now(UTC).replace(tzinfo=None),
                is_current,
            ],
        )

    def import_edition(self, imported: ImportedEdition, *, replace: bool = False) -> int:
        """Write an imported edition and make it current, in one transaction; return its rows.

        An edition name already in the store is an error unless ``replace`` is true; the
        bundled edition is never replaced (import under another name instead).
        """
        if self.read_only:
            raise read_only_error(self.path.name)
        dataset, full = check_import(imported)
        existing = self._edition_origin(dataset.name, imported.edition)
        check_new_edition(dataset.name, imported.edition, existing, replace)
        with self._transaction():
            self._con.execute(f"DELETE FROM {dataset.name} WHERE edition = ?", [imported.edition])
            self._con.execute(
                "DELETE FROM _editions WHERE dataset = ? AND edition = ?",
                [dataset.name, imported.edition],
            )
            self._insert(dataset.name, full)
            self._record_edition(
                dataset=dataset.name,
                edition=imported.edition,
                label=imported.edition_label,
                publisher=imported.publisher,
                origin="imported",
                source_file=imported.source_file,
                sha256=None,
                rows=len(full),
                is_current=True,
            )
        return len(full)

    def _edition_origin(self, dataset: str, edition: str) -> str | None:
        row = self._con.execute(
            "SELECT origin FROM _editions WHERE dataset = ? AND edition = ?", [dataset, edition]
        ).fetchall()
        return str(row[0][0]) if row else None

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        """The editions in the store (all datasets, or one), current first."""
        sql = f"SELECT {', '.join(EDITION_COLUMNS)} FROM _editions"
        params: list[Any] = []
        if dataset is not None:
            get_dataset(dataset)
            sql += " WHERE dataset = ?"
            params.append(dataset)
        return self._con.execute(sql + " ORDER BY dataset, is_current DESC, edition", params).df()

    def current_edition(self, dataset: str) -> str:
        """The edition that queries of ``dataset`` use by default."""
        row = self._con.execute(
            "SELECT edition FROM _editions WHERE dataset = ? AND is_current", [dataset]
        ).fetchall()
        if not row:
            raise no_current_edition(dataset)
        return str(row[0][0])

    def query(
        self,
        dataset: str,
        countries: Sequence[str] | None = None,
        years: YearRange | None = None,
        edition: str | None = None,
    ) -> pd.DataFrame:
        """Rows of a dataset as a tidy frame (the catalogue's columns), filtered and sorted.

        ``countries`` are ISO3 codes; ``years`` filters the dataset's year column; ``edition``
        defaults to the current one.
        """
        entry = get_dataset(dataset)
        chosen = edition or self.current_edition(dataset)
        if self._edition_origin(dataset, chosen) is None:
            available = self.editions(dataset)["edition"].tolist()
            raise unknown_edition(dataset, chosen, available)
        where = ["edition = ?"]
        params: list[Any] = [chosen]
        check_countries_allowed(entry, countries)
        if countries:
            where.append(f"iso3 IN ({', '.join('?' for _ in countries)})")
            params.extend(countries)
        if years is not None and entry.year_column is not None:
            if years.start is not None:
                where.append(f"{entry.year_column} >= ?")
                params.append(years.start)
            if years.end is not None:
                where.append(f"{entry.year_column} <= ?")
                params.append(years.end)
        order = [k for k in ("iso3", entry.year_column) if k and k in entry.column_names]
        sql = (
            f"SELECT {', '.join(entry.column_names)} FROM {dataset} WHERE {' AND '.join(where)}"
            + (f" ORDER BY {', '.join(order)}" if order else "")
        )
        return self._con.execute(sql, params).df()
