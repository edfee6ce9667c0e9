"""Shared fixtures: a store built once per session, copied for each test that writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from buildup.store import DuckDBStore as Store


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "built.duckdb"
    Store.open(path).close()
    return path


@pytest.fixture
def store_path(built_store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, for tests that write to it."""
    path = tmp_path / "store.duckdb"
    shutil.copy(built_store_path, path)
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store.open(store_path) as opened:
        yield opened


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(
    store_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``buildup ARGS`` in-process against a private store; return code, stdout, stderr."""
    from buildup.cli import main

    monkeypatch.setenv("BUILDUP_DB", str(store_path))
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        captured = capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 1, captured.out, captured.err)

    return run
