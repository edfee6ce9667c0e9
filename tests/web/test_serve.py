"""``buildup serve`` for real: uvicorn on a loopback port, and what it refuses to do."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import CliResult
from tests.web.conftest import BUILDUP

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_refuses_all_interfaces_without_a_token(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BUILDUP_TOKEN", raising=False)
    result = cli("serve", "--host", "0.0.0.0")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "BUILDUP_TOKEN" in result.err


def test_refuses_workers_on_the_embedded_store(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BUILDUP_DATABASE_URL", raising=False)
    result = cli("serve", "--workers", "2")
    assert result.code == 2
    assert "PostgreSQL" in result.err


def test_serves_plans_and_holds_the_store(server: tuple[str, Path]) -> None:
    from buildup.scenario import read_scenario_document

    base, db = server
    body = json.dumps(read_scenario_document(EXAMPLES / "japan-dbp.toml")).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/plan", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        plan = json.loads(answer.read())
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert plan["country"] == "JPN"
    # A CLI run on the same file while the server holds it: one line, at once, no traceback.
    start = time.monotonic()
    cli = subprocess.run(
        [*BUILDUP, "plan", str(EXAMPLES / "japan-dbp.toml"), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 2, cli.stderr
    assert "held by `buildup serve`" in cli.stderr
    assert cli.stderr.count("buildup: error:") == 1  # one error line (after a waiting notice)
    assert cli.stderr.strip().splitlines()[-1].startswith("buildup: error:")
    assert "Traceback" not in cli.stderr
    assert time.monotonic() - start < 60
