"""An app per test on a private copy of the built store, driven in process (ASGI)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.postgres_cluster import postgres_cluster

from buildup.web import WebSettings, create_app

EXAMPLES = Path(__file__).parents[2] / "examples"
BUILDUP = [sys.executable, "-c", "from buildup.cli import main; main()"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture
def web_store_path(built_store_path: Path, tmp_path: Path) -> Path:
    """The server's own copy of the built store (the CLI's tests use another: DuckDB lets one
    process open a file one way only)."""
    path = tmp_path / "web.duckdb"
    shutil.copy(built_store_path, path)
    return path


@pytest.fixture
def make_client(web_store_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a client for settings given as keywords (default: loopback, the private store)."""
    clients: list[TestClient] = []

    def make(**given: Any) -> TestClient:
        given.setdefault("db_path", str(web_store_path))
        client = TestClient(create_app(WebSettings(**given)), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def scenario_json(name: str) -> dict[str, Any]:
    """A shipped example as the JSON body the API takes (``extends`` resolved)."""
    from buildup.scenario import read_scenario_document

    return read_scenario_document(EXAMPLES / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(web_store_path: Path) -> Iterator[tuple[str, Path]]:
    """``buildup serve`` in a process of its own on a free loopback port; (base URL, store)."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"BUILDUP_TOKEN", "BUILDUP_DATABASE_URL"}
    }
    proc = subprocess.Popen(
        [*BUILDUP, "serve", "--port", str(port), "--db", str(web_store_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(
                        proc.stderr.read().decode() if proc.stderr else "died"
                    ) from None
                time.sleep(0.1)
        yield base, web_store_path
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        if proc.stderr is not None:
            proc.stderr.close()
