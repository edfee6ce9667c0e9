"""Where datasets live: the :class:`DatasetStore` protocol, its back ends, and opening one.

- :class:`DatasetStore` — the protocol every back end offers (query, current edition,
  editions, import an edition, describe, close);
- :class:`DuckDBStore` — the embedded DuckDB file (zero configuration), built by
  :func:`build_store` (an explicit step, run on first use only when missing or stale);
- :class:`MemoryStore` — an in-memory fake for engine tests;
- :func:`open_store` — a back end from a path or URL (``duckdb:///path``; ``memory:``).

``Store`` is the DuckDB store under its earlier name.
"""

from __future__ import annotations

from pathlib import Path

from buildup.errors import InputError
from buildup.store.duck import DuckDBStore, build_store, is_stale
from buildup.store.memory import MemoryStore
from buildup.store.pledges import LedgerEntry, PledgeLedger, pledge_ledger
from buildup.store.protocol import EDITION_COLUMNS, DatasetStore, StoreInfo

__all__ = [
    "EDITION_COLUMNS",
    "DatasetStore",
    "DuckDBStore",
    "LedgerEntry",
    "MemoryStore",
    "PledgeLedger",
    "Store",
    "StoreInfo",
    "build_store",
    "is_stale",
    "open_store",
    "pledge_ledger",
]

Store = DuckDBStore


def open_store(
    url_or_path: str | Path | None = None, *, read_only: bool = False
) -> DuckDBStore | MemoryStore:
    """Open the store at a path or URL (default: the configured DuckDB file).

    ``read_only`` stores refuse writes and share a DuckDB file with other readers; a missing
    or stale DuckDB file is built first (under its lock). URLs: ``duckdb:///abs/path`` or
    ``duckdb:relative/path``, ``memory:`` (the bundled datasets in memory).
    """
    if isinstance(url_or_path, str) and ":" in url_or_path.split("/", 1)[0]:
        scheme, _, rest = url_or_path.partition(":")
        scheme = scheme.lower()
        if scheme == "duckdb":
            path = rest[2:] if rest.startswith("//") else rest
            return DuckDBStore.open(path or None, read_only=read_only)
        if scheme == "memory":
            store = MemoryStore.bundled()
            store.read_only = read_only
            return store
        if len(scheme) > 1:  # not a Windows drive letter
            raise InputError(
                what="store",
                given=f"{scheme}:",
                problem="unknown store address scheme",
                expected="a file path, duckdb:///path or memory:",
            )
    return DuckDBStore.open(url_or_path, read_only=read_only)
