"""Where datasets live: the :class:`DatasetStore` protocol, its back ends, and opening one.

- :class:`DatasetStore` — the protocol every back end offers (query, current edition,
  editions, import an edition, describe, close);
- :class:`DuckDBStore` — the embedded DuckDB file (zero configuration), built by
  :func:`build_store` (an explicit step, run on first use only when missing or stale);
- :class:`MemoryStore` — an in-memory fake for engine tests; :class:`GatheredStore`, what a
  task read from a store in one step before computing;
- :class:`PostgresStore` — a PostgreSQL database for a team server (``postgresql://…``);
- :func:`open_store` — a back end from a path or URL (``duckdb:///path``; ``memory:``;
  ``postgresql://…``);
- :func:`open_repository` — the saved scenarios of a DuckDB or PostgreSQL store.

``Store`` is the DuckDB store under its earlier name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from buildup.errors import InputError, StoreError
from buildup.store.duck import DuckDBStore, build_store, is_stale
from buildup.store.memory import GatheredStore, MemoryStore
from buildup.store.pledges import LedgerEntry, PledgeLedger, pledge_ledger
from buildup.store.protocol import EDITION_COLUMNS, DatasetStore, StoreInfo

if TYPE_CHECKING:
    from buildup.store.postgres import PostgresStore
    from buildup.store.scenarios import ScenarioRepository

__all__ = [
    "EDITION_COLUMNS",
    "DatasetStore",
    "DuckDBStore",
    "GatheredStore",
    "LedgerEntry",
    "MemoryStore",
    "PledgeLedger",
    "PostgresStore",
    "Store",
    "StoreInfo",
    "build_store",
    "is_stale",
    "open_repository",
    "open_store",
    "pledge_ledger",
]

Store = DuckDBStore


def open_store(
    url_or_path: str | Path | None = None, *, read_only: bool = False
) -> DuckDBStore | MemoryStore | PostgresStore:
    """Open the store at a path or URL (default: the configured DuckDB file).

    ``read_only`` stores refuse writes and share a DuckDB file with other readers; a missing
    or stale DuckDB file is built first (under its lock). URLs: ``duckdb:///abs/path`` or
    ``duckdb:relative/path``, ``memory:`` (the bundled datasets in memory),
    ``postgresql://USER@HOST/DB`` (a team server; its bundled datasets loaded if missing).
    """
    if isinstance(url_or_path, str) and ":" in url_or_path.split("/", 1)[0]:
        scheme, _, rest = url_or_path.partition(":")
        scheme = scheme.lower()
        if scheme == "duckdb":
            path = rest[2:] if rest.startswith("//") else rest
            return DuckDBStore.open(path or None, read_only=read_only)
        if scheme in {"postgresql", "postgres"}:
            from buildup.store.postgres import PostgresStore

            return PostgresStore.open(url_or_path, read_only=read_only)
        if scheme == "memory":
            store = MemoryStore.bundled()
            store.read_only = read_only
            return store
        if len(scheme) > 1:  # not a Windows drive letter
            raise InputError(
                what="store",
                given=f"{scheme}:",
                problem="unknown store address scheme",
                expected="a file path, duckdb:///path, memory: or postgresql://…",
            )
    return DuckDBStore.open(url_or_path, read_only=read_only)


def open_repository(store: DuckDBStore | MemoryStore | PostgresStore) -> ScenarioRepository:
    """The saved scenarios kept in ``store``'s database (an in-memory one for the fake)."""
    from buildup.store.scenarios import ScenarioRepository
    from buildup.store.sql import DuckDBSql

    if store.read_only:
        raise StoreError(
            problem=f"the store {store.describe().name} was opened read-only",
            fix="open it for writing to save scenarios",
        )
    if isinstance(store, DuckDBStore):
        return ScenarioRepository(DuckDBSql(store.connection))
    if isinstance(store, MemoryStore):
        import duckdb

        return ScenarioRepository(DuckDBSql(duckdb.connect(":memory:")))
    return ScenarioRepository(store.sql)


def __getattr__(name: str) -> object:
    if name == "PostgresStore":  # psycopg is loaded only when PostgreSQL is asked for
        from buildup.store.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module 'buildup.store' has no attribute {name!r}")
