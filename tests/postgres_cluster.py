"""A throw-away PostgreSQL cluster for a test session, started by ``scripts/postgres.sh``.

``BUILDUP_TEST_DATABASE_URL`` points the tests at a server that already runs instead. Without
PostgreSQL installed the tests that need it are skipped — unless ``BUILDUP_TEST_POSTGRES=require``
(set by ``make test``, which installs it), where a missing server is a failure.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "postgres.sh"


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Yield the URL of a running server's maintenance database."""
    given = os.environ.get("BUILDUP_TEST_DATABASE_URL", "")
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="buildup-pg-", dir="/tmp")
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", folder], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], check=False, capture_output=True)
        message = f"PostgreSQL could not be started: {started.stderr.strip()[-500:]}"
        if os.environ.get("BUILDUP_TEST_POSTGRES") == "require":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], check=False, capture_output=True)


def fresh_database(url: str) -> str:
    """Create an empty database on the server at ``url``; return its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    base, _, query = url.partition("?")
    head = base.rsplit("/", 1)[0]
    return f"{head}/{name}" + (f"?{query}" if query else "")
