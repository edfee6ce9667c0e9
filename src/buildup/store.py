"""The embedded store: one DuckDB file holding every edition of every dataset.

Zero configuration: the file is found by :func:`buildup.config.resolve_db_path`, created and
filled from the bundled catalogue on first use, and a bundled dataset is reloaded when its
file's checksum changes (imported editions are kept). Each dataset is one table with the
catalogue's columns plus ``edition``; the table ``_editions`` says, per dataset, which
editions exist, where each came from, and which one queries use.

An import is one transaction: either the new edition and its catalogue row are written and
it becomes current, or the store is left exactly as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildup.config import resolve_db_path
from buildup.data.catalogue import Dataset, file_sha256, get_dataset, load_bundled, load_catalogue
from buildup.data.catalogue import bundled_path as _bundled_path
from buildup.data.edition import ImportedEdition
from buildup.data.validate import check_columns, check_unique, check_values
from buildup.errors import DataError, InputError, StoreError
from buildup.types import YearRange

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["Store", "open_store"]

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


def open_store(path: str | Path | None = None) -> Store:
    """Open (and build or refresh if needed) the store at ``path`` or the default location."""
    return Store.open(path)


class Store:
    """A connection to the embedded DuckDB store."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open the store file, creating and filling it from the bundled catalogue if needed."""
        import duckdb

        resolved = resolve_db_path(path)
        try:
            resolved.parent.mkdir(parents=True, exist_ok=True)
            connection = duckdb.connect(str(resolved))
        except (OSError, duckdb.Error) as exc:
            first = str(exc).splitlines()[0]
            raise StoreError(
                f"cannot open the store at {resolved}: {first}; pass --db PATH or set BUILDUP_DB "
                "to a writable file"
            ) from exc
        store = cls(connection, resolved)
        store.sync_bundled()
        return store

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self) -> Store:
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
        self._con.execute(_EDITIONS_DDL)
        loaded = []
        for dataset in load_catalogue().values():
            row = self._con.execute(
                "SELECT sha256 FROM _editions WHERE dataset = ? AND origin = 'bundled'",
                [dataset.name],
            ).fetchall()
            if row and row[0][0] == _bundled_checksum(dataset):
                continue
            with self._transaction():
                self._load_bundled(dataset)
            loaded.append(dataset.name)
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
            sha256=_bundled_checksum(dataset),
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
        dataset = get_dataset(imported.dataset)
        frame = imported.frame
        where = imported.source_file
        check_columns(dataset, list(frame.columns), where)
        check_values(frame, dataset, where)
        check_unique(frame, dataset, where)
        if frame.empty:
            raise DataError(f"{where}: no rows to import into {dataset.name}; check the file")
        existing = self._edition_origin(dataset.name, imported.edition)
        if existing == "bundled" or (existing is not None and not replace):
            hint = "" if existing == "bundled" else " or pass --replace"
            raise DataError(
                f"edition {imported.edition!r} of dataset {dataset.name!r} is already in the store "
                f"({existing}); import it under another name with --edition NAME{hint}"
            )
        full = frame.reindex(columns=list(dataset.column_names)).assign(edition=imported.edition)
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
        sql = "SELECT * FROM _editions"
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
            raise StoreError(f"the store has no current edition of {dataset!r}; rebuild it")
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
            raise DataError(
                f"dataset {dataset!r} has no edition {chosen!r}; available: {', '.join(available)}"
            )
        where = ["edition = ?"]
        params: list[Any] = [chosen]
        if countries:
            if not entry.has_countries:
                raise InputError(
                    f"dataset {dataset!r} has no country column (it covers Japan only); "
                    "leave out --country"
                )
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


def _bundled_checksum(dataset: Dataset) -> str:
    """One checksum over the dataset's files and the catalogue entry's stated checksums."""
    import hashlib

    digest = hashlib.sha256()
    for file in (dataset.file, *dataset.extra_files, "catalogue.toml"):
        digest.update(file_sha256(_bundled_path(file)).encode())
    return digest.hexdigest()
