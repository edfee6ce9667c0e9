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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from buildup.config import resolve_db_path
from buildup.data.catalogue import Dataset, get_dataset, load_bundled, load_catalogue
from buildup.data.edition import ImportedEdition
from buildup.errors import StoreError
from buildup.store.common import (
    check_countries_allowed,
    check_import,
    check_use_edition,
    current_of,
    decide_import,
    edition_origin,
    no_current_edition,
    order_columns,
    read_only_error,
    replace_bundled,
    stale_datasets,
    switch_current,
    unknown_edition,
    write_imported,
)
from buildup.store.failures import classify_storage_error, record_import, set_aside
from buildup.store.locks import DEFAULT_WAIT_S, QUIET, Waiting, connect, file_lock
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
# How long an open waits for another process that holds the file: see buildup.store.locks.
WAIT_S = DEFAULT_WAIT_S
_file_lock = file_lock
_connect = connect


def _open_error(path: Path, exc: Exception) -> StoreError:
    return classify_storage_error(exc, path, "opening")


def _stale_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The bundled datasets whose store copy is missing or older than the shipped files."""
    tables = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_editions'"
    ).fetchall()
    catalogue = load_catalogue()
    if not tables[0][0]:
        return list(catalogue)
    rows = con.execute("SELECT dataset, sha256 FROM _editions WHERE origin = 'bundled'").fetchall()
    return stale_datasets({str(d): s for d, s in rows})


def _connect_reader(path: Path, waiting: Waiting | None) -> duckdb.DuckDBPyConnection:
    """Connect read-only once no writer holds the file's lock.

    A first build holds the lock from before it creates the file until the file is complete;
    a reader that connected in between would find a file that "is not a valid DuckDB
    database". Taking the lock shared while connecting waits (bounded) for such a build;
    other readers share it. Where the lock file cannot be made (a read-only folder), no
    buildup process can be writing there, and the reader connects as it is.
    """
    with contextlib.ExitStack() as stack:
        # No lock file can be made in a read-only folder: no buildup process writes there.
        with contextlib.suppress(OSError):
            stack.enter_context(_file_lock(path, exclusive=False, waiting=waiting))
        return _connect(path, read_only=True, waiting=waiting)


def is_stale(path: str | Path | None = None) -> bool:
    """Whether the store file is missing or needs a build (a bundled dataset changed)."""
    resolved = resolve_db_path(path)
    if not resolved.exists():
        return True
    con = _connect_reader(resolved, None)
    try:
        return bool(_stale_names(con))
    finally:
        con.close()


def build_store(
    path: str | Path | None = None, *, rebuild: bool = False, waiting: Waiting | None = None
) -> list[str]:
    """Create or refresh the store: load each bundled dataset whose files changed.

    Runs under the store's lock, so that concurrent builds of one file build it once; returns
    the names of the datasets (re)loaded — empty when the store was up to date. ``rebuild``
    first moves the existing file aside (``<file>.damaged-<time>``, kept for recovery) and
    builds a new one: the way out of a damaged store (imported editions are imported again).
    """
    import duckdb

    resolved = resolve_db_path(path)
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(resolved, exclusive=True, waiting=waiting):
            if rebuild:
                set_aside(resolved)
            con = _connect(resolved, read_only=False, waiting=waiting)
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
        waiting: Waiting | None = None,
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
                return cls._open_reader(
                    resolved, build, building or contextlib.nullcontext, waiting
                )
            resolved.parent.mkdir(parents=True, exist_ok=True)
            stack = contextlib.ExitStack()
            lock = stack.enter_context(_file_lock(resolved, exclusive=True, waiting=waiting))
            try:
                con = _connect(resolved, read_only=False, waiting=waiting)
            except BaseException:
                stack.close()
                raise
            store = cls(con, resolved, read_only=False, lock=lock)
            store._stack = stack
            try:
                if build and _stale_names(con):
                    with (building or contextlib.nullcontext)():
                        store.sync_bundled()
            except BaseException:
                store.close()  # releases the connection and the lock
                raise
            return store
        except (OSError, duckdb.Error) as exc:
            raise _open_error(resolved, exc) from exc

    @classmethod
    def _open_reader(
        cls,
        resolved: Path,
        build: bool,
        building: Callable[[], contextlib.AbstractContextManager[Any]],
        waiting: Waiting | None = None,
    ) -> DuckDBStore:
        if not resolved.exists():
            if not build:
                raise StoreError(where=resolved.name, problem="the store has not been built")
            with building():
                build_store(resolved, waiting=waiting)
        con = _connect_reader(resolved, waiting)
        try:
            stale = build and bool(_stale_names(con))
        except BaseException:
            con.close()  # a damaged file: never leave its connection open in this process
            raise
        if stale:
            con.close()
            with building():
                build_store(resolved, waiting=waiting)
            con = _connect_reader(resolved, waiting)
        return cls(con, resolved, read_only=True)

    _stack: contextlib.ExitStack | None = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection (for the saved-scenario tables in the same file)."""
        return self._con

    def release_file(self) -> None:
        """Load the whole store into memory and let go of the file (a reader only).

        A command that computes for long (a Monte Carlo, a large solve) calls this once it has
        opened the store: its answers are the same, and an import or a build by another
        process no longer waits for it. The copy is DuckDB's own (about 0.1 s for the
        bundled data).
        """
        import duckdb

        if not self.read_only:
            raise read_only_error(self.path.name)
        self._con.close()
        con = duckdb.connect(":memory:")
        con.execute(QUIET)
        quoted = str(self.path).replace("'", "''")
        try:
            con.execute(f"ATTACH '{quoted}' AS src (READ_ONLY)")
            con.execute("COPY FROM DATABASE src TO memory")
            con.execute("DETACH src")
        except duckdb.Error as exc:
            con.close()
            raise classify_storage_error(exc, self.path, "reading") from exc
        self._con = con

    def data_version(self) -> str:
        """A token that changes whenever an edition is loaded, imported or replaced (for caches
        of results computed from the store)."""
        row = self._con.execute(
            "SELECT count(*), max(loaded_at), string_agg(edition, ',' ORDER BY dataset) "
            "FROM _editions WHERE is_current"
        ).fetchall()[0]
        return "|".join(str(v) for v in row)

    def for_thread(self) -> DuckDBStore:
        """A handle on the same database for another thread: DuckDB connections are used by one
        thread at a time, and a cursor is a connection of its own to the same database."""
        return DuckDBStore(self._con.cursor(), self.path, read_only=self.read_only)

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

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._con.execute(sql, list(params)).fetchall())

    def _load_bundled(self, dataset: Dataset) -> None:
        frame = load_bundled(dataset.name).assign(edition=dataset.edition)
        self._ensure_table(dataset, frame)
        replace_bundled(self._run, dataset, len(frame), lambda: self._insert(dataset.name, frame))

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

    def import_edition(
        self, imported: ImportedEdition, *, replace: bool = False, make_current: bool | None = None
    ) -> int:
        """Write an imported edition and make it current, in one transaction; return its rows.

        An edition name already in the store is an error unless ``replace`` is true; the
        bundled edition is never replaced (import under another name instead).
        """
        if self.read_only:
            raise read_only_error(self.path.name)
        import duckdb

        dataset, full = check_import(imported)
        is_current = decide_import(
            dataset,
            imported.edition,
            full,
            existing=edition_origin(self._read_rows, dataset.name, imported.edition),
            current=current_of(self._read_rows, dataset.name),
            current_frame=lambda current: self.query(dataset.name, edition=current),
            replace=replace,
            make_current=make_current,
        )
        try:
            self._write_edition(dataset.name, imported, full, is_current)
        except (OSError, duckdb.Error) as exc:
            # Disk full, a read-only file, damage found while writing: rolled back already.
            raise classify_storage_error(exc, self.path, "importing into") from exc
        record_import(self.path, dataset.name, imported.edition, imported.source_file)
        return len(full)

    def use_edition(self, dataset: str, edition: str) -> None:
        """Make ``edition`` the one queries of ``dataset`` use (one transaction)."""
        import duckdb

        if self.read_only:
            raise read_only_error(self.path.name)
        available = self.editions(dataset)["edition"].tolist()
        check_use_edition(dataset, edition, available)
        try:
            with self._transaction():
                switch_current(self._run, dataset, edition)
        except (OSError, duckdb.Error) as exc:
            raise classify_storage_error(exc, self.path, "switching the edition in") from exc

    def _write_edition(
        self, name: str, imported: ImportedEdition, full: pd.DataFrame, is_current: bool
    ) -> None:
        with self._transaction():
            write_imported(
                self._run, imported, len(full), is_current, lambda: self._insert(name, full)
            )

    def _read(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyConnection:
        """Run a read; damage found in the file (a bad block, a truncated file) becomes the
        store's StoreError with its fix, not an internal error."""
        import duckdb

        try:
            return self._con.execute(sql, list(params))
        except (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException) as exc:
            raise classify_storage_error(exc, self.path, "reading") from exc

    def _read_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._read(sql, params).fetchall())

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        """The editions in the store (all datasets, or one), current first."""
        sql = f"SELECT {', '.join(EDITION_COLUMNS)} FROM _editions"
        params: list[Any] = []
        if dataset is not None:
            get_dataset(dataset)
            sql += " WHERE dataset = ?"
            params.append(dataset)
        return self._read(sql + " ORDER BY dataset, is_current DESC, edition", params).df()

    def current_edition(self, dataset: str) -> str:
        """The edition that queries of ``dataset`` use by default."""
        current = current_of(self._read_rows, dataset)
        if current is None:
            raise no_current_edition(dataset)
        return current

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
        if edition_origin(self._read_rows, dataset, chosen) is None:
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
        # Ties (rows with equal keys) keep the order they were written in: DuckDB's sort is
        # not stable, its rowid is.
        order = [*order_columns(entry), "rowid"]
        sql = (
            f"SELECT {', '.join(entry.column_names)} FROM {dataset} WHERE {' AND '.join(where)}"
            f" ORDER BY {', '.join(order)}"
        )
        return self._read(sql, params).df()
