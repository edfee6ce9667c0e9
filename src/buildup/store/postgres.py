"""The team-server store: datasets (and saved scenarios) in PostgreSQL, through psycopg 3.

The same tables as the DuckDB file — one per dataset with the catalogue's columns plus
``edition``, and ``_editions`` — in portable SQL, so every query answers the same frame on
both back ends (the same dtypes: a whole-number column with a gap is pandas' ``Int64``, as
DuckDB gives it). The bundled datasets are loaded when the database has none or an older
checksum of them, under a PostgreSQL advisory lock so that two servers starting at once load
them once. An import is one transaction, as on DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from buildup.data.catalogue import Dataset, get_dataset, load_bundled, load_catalogue
from buildup.errors import StoreError
from buildup.store.common import (
    bundled_checksum,
    check_countries_allowed,
    check_import,
    check_new_edition,
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
from buildup.store.protocol import EDITION_COLUMNS, StoreInfo
from buildup.store.sql import PostgresSql
from buildup.types import YearRange

if TYPE_CHECKING:
    import pandas as pd

    from buildup.data.edition import ImportedEdition
    from buildup.store.sql import SqlSession

__all__ = ["PostgresStore", "public_url"]

_EDITIONS_DDL = """
CREATE TABLE IF NOT EXISTS _editions (
    dataset VARCHAR NOT NULL,
    edition VARCHAR NOT NULL,
    label VARCHAR,
    publisher VARCHAR,
    origin VARCHAR NOT NULL,
    source_file VARCHAR,
    sha256 VARCHAR,
    rows BIGINT,
    loaded_at TIMESTAMP,
    is_current BOOLEAN NOT NULL,
    PRIMARY KEY (dataset, edition)
)
"""
_EDITION_TYPES = {"rows": "BIGINT", "loaded_at": "TIMESTAMP", "is_current": "BOOLEAN"}
_LOAD_LOCK = 0x6275696C64  # an advisory lock id: "build" in ASCII


def public_url(url: str) -> str:
    """The URL without its password (for messages and provenance).

    >>> public_url("postgresql://ana:secret@db.example:5432/buildup")
    'postgresql://ana@db.example:5432/buildup'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _sql_type(dtype: Any) -> str:
    kind = getattr(dtype, "kind", "O")
    name = str(dtype).lower()
    if name.startswith(("int", "uint")) or kind in "iu":
        return "BIGINT"
    if kind == "f":
        return "DOUBLE PRECISION"
    if kind == "b" or name == "boolean":
        return "BOOLEAN"
    if kind == "M":
        return "TIMESTAMP"
    return "VARCHAR"


def _frame(
    rows: list[tuple[Any, ...]], columns: Sequence[str], types: dict[str, str]
) -> pd.DataFrame:
    """Rows as DuckDB's ``.df()`` would give them (same dtypes, NULL as NaN/NA/None)."""
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
    for i, column in enumerate(columns):
        values = [r[i] for r in rows]
        kind = types.get(column, "VARCHAR")
        gap = any(v is None for v in values)
        if kind == "BIGINT":
            data[column] = (
                pd.array(values, dtype="Int64") if gap else np.array(values, dtype="int64")
            )
        elif kind == "DOUBLE PRECISION":
            data[column] = np.array([np.nan if v is None else v for v in values], dtype="float64")
        elif kind == "BOOLEAN":
            data[column] = (
                pd.array(values, dtype="boolean") if gap else np.array(values, dtype=bool)
            )
        elif kind == "TIMESTAMP":
            data[column] = pd.to_datetime(pd.Series(values, dtype="object")).astype(
                "datetime64[us]"
            )
        else:
            data[column] = pd.Series(values, dtype="object")
    return pd.DataFrame(data, columns=list(columns))


class PostgresStore:
    """A :class:`~buildup.store.DatasetStore` in a PostgreSQL database."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self.sql = PostgresSql(url)
        self._types: dict[str, dict[str, str]] = {}

    @classmethod
    def open(cls, url: str, *, read_only: bool = False, build: bool = True) -> PostgresStore:
        """Connect; load the bundled datasets first if they are missing or stale (and ``build``)."""
        store = cls(url, read_only=read_only)
        try:
            if build and not read_only:
                store.sync_bundled()
            elif build and store.stale_names():
                raise StoreError(
                    where=public_url(url),
                    problem="the database's bundled datasets are missing or out of date",
                    fix="open it once for writing (e.g. start the server) to load them",
                )
        except BaseException:
            store.close()
            raise
        return store

    @property
    def path(self) -> str:
        """Where the store is, for messages: the URL without its password."""
        return public_url(self.url)

    def describe(self) -> StoreInfo:
        return StoreInfo(backend="postgresql", name=public_url(self.url), read_only=self.read_only)

    def close(self) -> None:
        self.sql.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> str:
        """A token that changes whenever an edition is loaded, imported or replaced (for caches
        of results computed from the store)."""
        with self.sql.transaction() as tx:
            row = tx.execute(
                "SELECT count(*), max(loaded_at), "
                "string_agg(edition, ',' ORDER BY dataset) FROM _editions WHERE is_current"
            )[0]
        return "|".join(str(v) for v in row)

    def for_thread(self) -> PostgresStore:
        """This store (its pool serves every thread)."""
        return self

    # -- building -----------------------------------------------------------------------

    def stale_names(self) -> list[str]:
        """Bundled datasets whose checksum in the database differs from the package's."""
        with self.sql.transaction() as tx:
            self._create_editions(tx)
            rows = tx.execute("SELECT dataset, sha256 FROM _editions WHERE origin = 'bundled'")
        return stale_datasets({str(d): s for d, s in rows})

    def sync_bundled(self) -> list[str]:
        """Load each stale bundled dataset, each in one transaction; return their names."""
        if self.read_only:
            raise read_only_error(public_url(self.url))
        loaded = []
        catalogue = load_catalogue()
        for name in self.stale_names():
            with self.sql.transaction() as tx:
                tx.execute("SELECT pg_advisory_xact_lock(?)", [_LOAD_LOCK])
                current = tx.execute(
                    "SELECT sha256 FROM _editions WHERE dataset = ? AND origin = 'bundled'", [name]
                )
                if current and current[0][0] == bundled_checksum(catalogue[name]):
                    continue  # another process loaded it while this one waited
                self._load_bundled(tx, catalogue[name])
            loaded.append(name)
        self._types.clear()
        return loaded

    def _create_editions(self, tx: SqlSession) -> None:
        if self.read_only:
            exists = tx.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = '_editions'"
            )
            if not exists[0][0]:
                raise StoreError(
                    where=public_url(self.url),
                    problem="the database holds no buildup store yet",
                    fix="open it once for writing (e.g. start the server) to load the datasets",
                )
            return
        # Two servers starting at once would race on CREATE TABLE IF NOT EXISTS.
        tx.execute("SELECT pg_advisory_xact_lock(?)", [_LOAD_LOCK])
        tx.execute(_EDITIONS_DDL)

    def _load_bundled(self, tx: SqlSession, dataset: Dataset) -> None:
        frame = load_bundled(dataset.name).assign(edition=dataset.edition)
        self._ensure_table(tx, dataset, frame)
        replace_bundled(
            tx.execute, dataset, len(frame), lambda: self._insert(tx, dataset.name, frame)
        )

    def _ensure_table(self, tx: SqlSession, dataset: Dataset, frame: pd.DataFrame) -> None:
        columns = [c for c, _ in self._columns(tx, dataset.name)]
        wanted = list(frame.columns)
        if columns == wanted:
            return
        # _row keeps the order rows were written in, which DuckDB gives without being asked.
        spec = "_row BIGSERIAL, " + ", ".join(f"{c} {_sql_type(frame[c].dtype)}" for c in wanted)
        if not columns:
            tx.execute(f"CREATE TABLE {dataset.name} ({spec})")
            return
        # The catalogue's columns changed: rebuild the table, keeping imported rows.
        tx.execute(f"ALTER TABLE {dataset.name} RENAME TO _old_{dataset.name}")
        tx.execute(f"CREATE TABLE {dataset.name} ({spec})")
        common = ", ".join(c for c in columns if c in wanted)
        tx.execute(
            f"INSERT INTO {dataset.name} ({common}) SELECT {common} FROM _old_{dataset.name}"
        )
        tx.execute(f"DROP TABLE _old_{dataset.name}")

    def _columns(self, tx: SqlSession, table: str) -> list[tuple[str, str]]:
        rows = tx.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        )
        mapping = {
            "bigint": "BIGINT",
            "double precision": "DOUBLE PRECISION",
            "boolean": "BOOLEAN",
            "timestamp without time zone": "TIMESTAMP",
        }
        return [(str(c), mapping.get(str(t), "VARCHAR")) for c, t in rows if c != "_row"]

    def _insert(self, tx: SqlSession, table: str, frame: pd.DataFrame) -> None:
        import math

        if frame.empty:
            return
        columns = list(frame.columns)
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"

        def clean(v: Any) -> Any:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return None
            if type(v).__name__ in ("NAType", "NaTType"):
                return None
            return v.item() if hasattr(v, "item") else v

        rows = [[clean(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        tx.executemany(sql, rows)

    # -- the protocol ---------------------------------------------------------------------

    def import_edition(
        self, imported: ImportedEdition, *, replace: bool = False, make_current: bool | None = None
    ) -> int:
        """Write an imported edition, in one transaction; return its rows. It becomes current
        by the same rule as on DuckDB (:func:`buildup.store.common.becomes_current`)."""
        if self.read_only:
            raise read_only_error(public_url(self.url))
        dataset, full = check_import(imported)
        with self.sql.transaction() as tx:
            current = current_of(tx.execute, dataset.name)
            existing = edition_origin(tx.execute, dataset.name, imported.edition)
        is_current = decide_import(
            dataset,
            imported.edition,
            full,
            existing=existing,
            current=current,
            current_frame=lambda edition: self.query(dataset.name, edition=edition),
            replace=replace,
            make_current=make_current,
        )
        with self.sql.transaction() as tx:
            # Checked again in the writing transaction: another server may have imported it.
            existing = edition_origin(tx.execute, dataset.name, imported.edition)
            check_new_edition(dataset.name, imported.edition, existing, replace)
            write_imported(
                tx.execute,
                imported,
                len(full),
                is_current,
                lambda: self._insert(tx, dataset.name, full),
            )
        return len(full)

    def use_edition(self, dataset: str, edition: str) -> None:
        """Make ``edition`` the one queries of ``dataset`` use (one transaction)."""
        if self.read_only:
            raise read_only_error(public_url(self.url))
        available = self.editions(dataset)["edition"].tolist()
        check_use_edition(dataset, edition, available)
        with self.sql.transaction() as tx:
            switch_current(tx.execute, dataset, edition)

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        """The editions in the store (all datasets, or one), current first."""
        sql = f"SELECT {', '.join(EDITION_COLUMNS)} FROM _editions"
        params: list[Any] = []
        if dataset is not None:
            get_dataset(dataset)
            sql += " WHERE dataset = ?"
            params.append(dataset)
        with self.sql.transaction() as tx:
            rows = tx.execute(sql + " ORDER BY dataset, is_current DESC, edition", params)
        return _frame(rows, EDITION_COLUMNS, _EDITION_TYPES)

    def current_edition(self, dataset: str) -> str:
        """The edition that queries of ``dataset`` use by default."""
        with self.sql.transaction() as tx:
            current = current_of(tx.execute, dataset)
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
        """Rows of a dataset as a tidy frame (the catalogue's columns), filtered and sorted."""
        entry = get_dataset(dataset)
        with self.sql.transaction() as tx:
            chosen = edition
            if chosen is None:
                row = tx.execute(
                    "SELECT edition FROM _editions WHERE dataset = ? AND is_current", [dataset]
                )
                if not row:
                    raise no_current_edition(dataset)
                chosen = str(row[0][0])
            if edition_origin(tx.execute, dataset, chosen) is None:
                available = tx.execute(
                    "SELECT edition FROM _editions WHERE dataset = ? ORDER BY edition", [dataset]
                )
                raise unknown_edition(dataset, chosen, [str(r[0]) for r in available])
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
            types = self._types.get(dataset)
            if types is None:
                types = dict(self._columns(tx, dataset))
                self._types[dataset] = types
            # Text sorts by code point, as in DuckDB, whatever the database's collation.
            order = [
                f'{c} COLLATE "C"' if types.get(c) == "VARCHAR" else c for c in order_columns(entry)
            ]
            sql = (
                f"SELECT {', '.join(entry.column_names)} FROM {dataset} "
                f"WHERE {' AND '.join(where)} ORDER BY {', '.join([*order, '_row'])}"
            )
            rows = tx.execute(sql, params)
        return _frame(rows, entry.column_names, types)
