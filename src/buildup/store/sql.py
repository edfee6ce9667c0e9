"""Transactions on either back end, in one SQL: what the saved-scenario tables are written in.

Statements are written with ``?`` parameters and portable types (VARCHAR, INTEGER, BIGINT,
DOUBLE PRECISION, BOOLEAN, TIMESTAMP); :class:`PostgresSql` rewrites ``?`` to psycopg's
``%s``. Neither back end's row count is used: results come back through ``RETURNING``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from buildup.errors import StoreError

if TYPE_CHECKING:
    import duckdb
    import psycopg
    import psycopg_pool

__all__ = ["DuckDBSql", "PostgresSql", "SqlBackend", "SqlSession"]


class SqlSession(Protocol):
    """One transaction's statements; parameters are written ``?``."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; return its rows (empty for statements without rows)."""
        ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        ...


class SqlBackend(Protocol):
    """A database the repository can run transactions on."""

    name: str

    def transaction(self) -> contextlib.AbstractContextManager[SqlSession]:
        """A transaction, committed when the block ends, rolled back if it raises."""
        ...


class _DuckSession:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cur = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cur.execute(sql, list(params))
        return list(self._cur.fetchall())

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cur.executemany(sql, [list(r) for r in rows])


class DuckDBSql:
    """Transactions on a DuckDB database, one at a time: DuckDB has one writer per file, and
    serialising the writes of this process means they never conflict with each other."""

    name = "duckdb"

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        # A cursor of its own: the dataset queries keep the store's connection to themselves.
        self._cur = connection.cursor()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqlSession]:
        import duckdb

        with self._lock:
            try:
                self._cur.execute("BEGIN TRANSACTION")
            except duckdb.Error as exc:
                raise StoreError(problem=f"the store cannot start a write: {exc}") from exc
            try:
                yield _DuckSession(self._cur)
            except BaseException:
                self._cur.execute("ROLLBACK")
                raise
            try:
                self._cur.execute("COMMIT")
            except duckdb.Error as exc:
                raise StoreError(problem=f"the store refused the write: {exc}") from exc

    def close(self) -> None:
        self._cur.close()


class _PgSession:
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._con = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self._con.execute(sql.replace("?", "%s"), list(params))
        if cur.description is None:
            return []
        return list(cur.fetchall())

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._con.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), [list(r) for r in rows])


# Seconds to wait for PostgreSQL to accept the first connection.
CONNECT_TIMEOUT_S = 10


class PostgresSql:
    """Transactions on PostgreSQL through a small pool of psycopg 3 connections.

    Each transaction runs at READ COMMITTED: an ``UPDATE … WHERE version = ?`` that waits for
    another writer's row lock re-reads the row when that writer commits, and so matches no row
    if the version moved on — which is what the repository's check relies on.
    """

    name = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        try:
            # One connection first, with a bounded wait: the pool alone retries in the
            # background, logging every failed attempt, for its whole timeout (11 lines over
            # 30 s for a server that is not there) before it gives up.
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
            self._pool: psycopg_pool.ConnectionPool[Any] = ConnectionPool(
                url, min_size=1, max_size=max_size, open=True, timeout=30
            )
            self._pool.wait(timeout=30)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StoreError(
                what="database_url",
                problem=f"cannot connect to PostgreSQL: {str(exc).splitlines()[0]}",
                fix="check the URL (postgresql://USER@HOST/DB) and that the server runs",
            ) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqlSession]:
        import psycopg

        try:
            with self._pool.connection() as con, con.transaction():
                yield _PgSession(con)
        except psycopg.errors.SerializationFailure as exc:
            raise StoreError(problem="the database refused a concurrent write; retry") from exc
        except psycopg.OperationalError as exc:
            raise StoreError(problem=f"the database failed: {str(exc).splitlines()[0]}") from exc

    def close(self) -> None:
        self._pool.close()
