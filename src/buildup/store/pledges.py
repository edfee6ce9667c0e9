"""The pledge ledger: saved pledges with the date they were made and their source.

Rows are facts and are never changed: saving a pledge appends it. Which saved pledge revises
which is worked out when the ledger is read (:mod:`buildup.pledges.ledger`), so that saving an
older article later puts it in its place in the history.

The ledger is the table ``pledge_ledger`` in the store's database — the DuckDB file, or the
PostgreSQL database of a team server — written in one SQL for both (:mod:`buildup.store.sql`);
the in-memory fake keeps the same rows in a list. A save is one transaction: all of an
article's pledges or none.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from buildup.errors import StoreError
from buildup.store.common import read_only_error

if TYPE_CHECKING:
    from buildup.store.duck import DuckDBStore
    from buildup.store.memory import MemoryStore
    from buildup.store.postgres import PostgresStore
    from buildup.store.sql import SqlBackend, SqlSession

__all__ = ["LedgerEntry", "PledgeLedger", "pledge_ledger"]

_DDL = """
CREATE TABLE IF NOT EXISTS pledge_ledger (
    id INTEGER PRIMARY KEY,
    actor VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    component VARCHAR,
    value DOUBLE PRECISION NOT NULL,
    currency VARCHAR,
    year INTEGER,
    fiscal_year BOOLEAN NOT NULL,
    start_year INTEGER,
    end_year INTEGER,
    qualifier VARCHAR,
    made_on DATE NOT NULL,      -- the date of the article or speech
    source VARCHAR NOT NULL,    -- where it was read (a file name or an address)
    text VARCHAR NOT NULL,      -- the sentence
    saved_at TIMESTAMP NOT NULL, -- UTC
    record VARCHAR NOT NULL     -- the whole pledge record, JSON
)
"""
_COLUMNS = ("id", "actor", "kind", "measure", "component", "value", "currency", "year",
            "fiscal_year", "start_year", "end_year", "qualifier", "made_on", "source", "text",
            "saved_at", "record")  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One saved pledge (``record`` is its JSON record as extracted)."""

    id: int
    actor: str
    kind: str
    measure: str
    component: str | None
    value: float
    currency: str | None
    year: int | None
    fiscal_year: bool
    start_year: int | None
    end_year: int | None
    qualifier: str | None
    made_on: datetime.date
    source: str
    text: str
    saved_at: datetime.datetime
    record: dict[str, Any]


class PledgeLedger(Protocol):
    """Append pledges; read them back, oldest first."""

    def add(self, records: list[dict[str, Any]], made_on: datetime.date, source: str) -> list[int]:
        """Save pledge records (as ``Pledge.to_dict`` gives them); return their ids."""
        ...

    def entries(self, actor: str | None = None) -> list[LedgerEntry]:
        """Every saved pledge (of ``actor``), by date made, then by id."""
        ...

    def close(self) -> None:
        """Let go of what the ledger holds of its store (the store itself stays open)."""
        ...


def _entry(row: dict[str, Any]) -> LedgerEntry:
    made_on = row["made_on"]
    if isinstance(made_on, str):
        made_on = datetime.date.fromisoformat(made_on)
    record = row["record"]
    return LedgerEntry(
        **{k: row[k] for k in _COLUMNS if k not in ("made_on", "record")},
        made_on=made_on,
        record=json.loads(record) if isinstance(record, str) else dict(record),
    )


def _row(record: dict[str, Any], made_on: datetime.date, source: str) -> dict[str, Any]:
    return {
        "actor": record["actor"],
        "kind": record["kind"],
        "measure": record["measure"],
        "component": record.get("component"),
        "value": float(record["value"]),
        "currency": record.get("currency"),
        "year": record.get("year"),
        "fiscal_year": bool(record.get("fiscal_year")),
        "start_year": record.get("start_year"),
        "end_year": record.get("end_year"),
        "qualifier": record.get("qualifier"),
        "made_on": made_on,
        "source": source,
        "text": record["text"],
        "saved_at": datetime.datetime.now(datetime.UTC).replace(tzinfo=None),
        "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }


class _SqlLedger:
    """The ledger in SQL, one text for DuckDB and PostgreSQL (through :mod:`buildup.store.sql`).

    Ids come from the sequence ``pledge_ledger_id`` (both back ends have ``nextval``), so two
    servers saving at once never take the same id; a ledger table written before the sequence
    existed gets one that starts after its last id.
    """

    def __init__(self, sql: SqlBackend, *, read_only: bool, name: str, owned: bool = False) -> None:
        self._sql = sql
        self._owned = owned  # a DuckDB cursor of its own, closed with the ledger
        self._read_only = read_only
        self._name = name
        if not read_only:
            with self._transaction() as session:
                session.execute(_DDL)
                if not self._has_sequence(session):
                    last = session.execute("SELECT coalesce(max(id), 0) FROM pledge_ledger")
                    start = int(last[0][0]) + 1 if last else 1
                    session.execute(
                        f"CREATE SEQUENCE IF NOT EXISTS pledge_ledger_id START WITH {start}"
                    )

    def _errors(self) -> tuple[type[BaseException], ...]:
        if self._sql.name == "duckdb":
            import duckdb

            return (duckdb.Error,)
        import psycopg

        return (psycopg.Error,)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[SqlSession]:
        errors = self._errors()
        try:
            with self._sql.transaction() as session:
                yield session
        except errors as exc:  # rolled back: the ledger is as it was
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(
                where=self._name, problem=f"the pledge ledger could not be written: {first}"
            ) from exc

    def _has_sequence(self, session: SqlSession) -> bool:
        query = (
            "SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = 'pledge_ledger_id'"
            if self._sql.name == "duckdb"
            else "SELECT count(*) FROM information_schema.sequences "
            "WHERE sequence_name = 'pledge_ledger_id' AND sequence_schema = current_schema()"
        )
        found = session.execute(query)
        return bool(found and found[0][0])

    def add(self, records: list[dict[str, Any]], made_on: datetime.date, source: str) -> list[int]:
        if self._read_only:
            raise read_only_error(self._name)
        rows = [_row(r, made_on, source) for r in records]
        ids: list[int] = []
        with self._transaction() as session:
            for row in rows:
                names = ["id", *row]
                inserted = session.execute(
                    f"INSERT INTO pledge_ledger ({', '.join(names)}) "
                    f"VALUES (nextval('pledge_ledger_id'), {', '.join('?' for _ in row)}) "
                    "RETURNING id",
                    list(row.values()),
                )
                ids.append(int(inserted[0][0]))
        return ids

    def entries(self, actor: str | None = None) -> list[LedgerEntry]:
        with self._sql.transaction() as session:
            exists = session.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'pledge_ledger' AND table_schema = current_schema()"
            )
            if not (exists and exists[0][0]):
                return []
            query = f"SELECT {', '.join(_COLUMNS)} FROM pledge_ledger"
            params: list[Any] = []
            if actor is not None:
                query += " WHERE actor = ?"
                params.append(actor)
            rows = session.execute(query + " ORDER BY made_on, id", params)
        return [_entry(dict(zip(_COLUMNS, r, strict=True))) for r in rows]

    def close(self) -> None:
        if self._owned:
            close = getattr(self._sql, "close", None)
            if close is not None:
                close()


class _MemoryLedger:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._rows: list[dict[str, Any]] = []

    def add(self, records: list[dict[str, Any]], made_on: datetime.date, source: str) -> list[int]:
        if self._store.read_only:
            raise read_only_error(self._store.describe().name)
        start = len(self._rows) + 1
        rows = [{"id": start + i, **_row(r, made_on, source)} for i, r in enumerate(records)]
        self._rows.extend(rows)
        return [r["id"] for r in rows]

    def entries(self, actor: str | None = None) -> list[LedgerEntry]:
        rows = [r for r in self._rows if actor is None or r["actor"] == actor]
        return [_entry(r) for r in sorted(rows, key=lambda r: (r["made_on"], r["id"]))]

    def close(self) -> None:
        """Nothing to let go of: the rows live as long as the store."""


_MEMORY: weakref.WeakKeyDictionary[Any, _MemoryLedger] = weakref.WeakKeyDictionary()


def pledge_ledger(store: DuckDBStore | MemoryStore | PostgresStore) -> PledgeLedger:
    """The ledger of a store (created in it on first use when it is writable): the table
    ``pledge_ledger`` in the DuckDB file or the PostgreSQL database, a list in the fake."""
    from buildup.store.duck import DuckDBStore
    from buildup.store.memory import MemoryStore
    from buildup.store.sql import DuckDBSql

    if isinstance(store, MemoryStore):
        if store not in _MEMORY:
            _MEMORY[store] = _MemoryLedger(store)
        return _MEMORY[store]
    name = store.describe().name
    if isinstance(store, DuckDBStore):
        return _SqlLedger(
            DuckDBSql(store.connection), read_only=store.read_only, name=name, owned=True
        )
    return _SqlLedger(store.sql, read_only=store.read_only, name=name)
