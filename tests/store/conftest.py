"""The storage suite runs on both back ends: the DuckDB file and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.postgres_cluster import fresh_database, postgres_cluster


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgresql"])
def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An empty database of each kind, as the repository's SQL back end."""
    if request.param == "duckdb":
        import duckdb

        from buildup.store.sql import DuckDBSql

        con = duckdb.connect(str(tmp_path / "scenarios.duckdb"))
        backend = DuckDBSql(con)
        yield backend
        backend.close()
        con.close()
    else:
        from buildup.store.sql import PostgresSql

        url = fresh_database(request.getfixturevalue("postgres_url"))
        pg = PostgresSql(url)
        yield pg
        pg.close()
