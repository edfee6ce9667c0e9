"""Issue 12, fault 1: many processes share one store file.

Real processes on one DuckDB file: readers run together; a writer that meets them waits
(bounded, saying for whom) and then either proceeds or fails naming the other process; a
long computation lets go of the file; nobody ever sees a half-written edition.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
JAPAN = ROOT / "examples" / "japan-dbp.toml"
BUILDUP = [sys.executable, "-c", "from buildup.cli import main; main()"]
HOLD = (
    "import sys, time, buildup\n"
    "store = buildup.DuckDBStore.open(sys.argv[1], read_only=sys.argv[2] == 'read')\n"
    "print('ready', flush=True)\n"
    "time.sleep(float(sys.argv[3]))\n"
    "store.close()\n"
)


def _env(store: Path, wait: float = 30) -> dict[str, str]:
    env = dict(os.environ, BUILDUP_DB=str(store), BUILDUP_STORE_WAIT=str(wait), COLUMNS="200")
    env.pop("BUILDUP_DEBUG", None)
    return env


def _buildup(store: Path, *args: str, wait: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BUILDUP, *args],
        capture_output=True,
        text=True,
        env=_env(store, wait),
        timeout=300,
        check=False,
    )


@pytest.fixture
def hold(store_path: Path) -> Iterator[object]:
    """Start a process that holds the store (``read`` or ``write``) for some seconds."""
    started: list[subprocess.Popen[str]] = []

    def start(mode: str, seconds: float) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(store_path), mode, str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(store_path),
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _csv(tmp_path: Path, name: str, rows: int) -> Path:
    file = tmp_path / name
    lines = ["iso3,country,year,population"] + [
        f"JPN,Japan,{1900 + i % 200},{1000 + i}" for i in range(min(rows, 200))
    ]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def test_eight_readers_at_once_all_succeed(store_path: Path) -> None:
    # Of 8 parallel plan runs on one store, 7 used to fail; of 8 `data show`, 6.
    plans = [("plan", str(JAPAN), "--format", "json")] * 8
    shows = [("data", "show", "milex", "--country", "JPN", "--format", "json")] * 8
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda args: _buildup(store_path, *args), plans + shows))
    for result in results:
        assert result.returncode == 0, result.stderr
    outputs = {r.stdout for r in results[:8]}
    assert len(outputs) == 1  # the same answer for everyone
    assert json.loads(results[8].stdout)


def test_a_writer_waits_for_a_reader_then_proceeds(store_path: Path, hold, tmp_path: Path) -> None:
    reader = hold("read", 10)  # longer than a buildup process takes to start on a busy machine
    started = time.monotonic()
    result = _buildup(
        store_path, "data", "import", "csv", str(_csv(tmp_path, "p.csv", 10)), "--dataset",
        "population", "--edition", "mine", "--format", "json", wait=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.0  # it did wait for the reader
    assert f"another buildup process (PID {reader.pid}" in result.stderr
    assert "waiting up to 60 s" in result.stderr


def test_a_writer_that_cannot_wait_longer_names_the_holder(
    store_path: Path, hold, tmp_path: Path
) -> None:
    reader = hold("read", 20)
    result = _buildup(
        store_path, "data", "import", "csv", str(_csv(tmp_path, "p.csv", 10)), "--dataset",
        "population", "--edition", "mine", wait=1,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("buildup: error: ")
    assert f"another buildup process (PID {reader.pid}, `" in last
    assert "did not finish within 1 s; wait for it to finish, or pass --db" in last
    assert "Traceback" not in result.stderr


def test_a_reader_waits_for_a_writer(store_path: Path, hold) -> None:
    hold("write", 10)
    result = _buildup(store_path, "data", "list", "--format", "json", wait=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    short = hold("write", 20)
    failed = _buildup(store_path, "data", "list", wait=1)
    assert failed.returncode == 2
    last = failed.stderr.strip().splitlines()[-1]
    assert f"another buildup process (PID {short.pid}, `" in last


def test_a_long_monte_carlo_lets_go_of_the_file(store_path: Path, tmp_path: Path) -> None:
    # A running `risk` used to block every other command, imports included.
    risk = subprocess.Popen(
        [*BUILDUP, "risk", str(JAPAN), "--draws", "2000000", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(store_path),
    )
    try:
        time.sleep(4)  # past opening and loading the store
        result = _buildup(
            store_path, "data", "import", "csv", str(_csv(tmp_path, "p.csv", 10)),
            "--dataset", "population", "--edition", "during-risk", wait=2,
        )  # fmt: skip
        still_running = risk.poll() is None
        assert result.returncode == 0, result.stderr
        _out, err = risk.communicate(timeout=600)
        assert risk.returncode == 0, err
        if not still_running:
            pytest.skip("the Monte Carlo finished before the import: nothing was shown")
    finally:
        risk.kill()
        risk.wait()


def test_nobody_sees_a_half_written_edition(store_path: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rows = ["iso3,country,year,population"] + [
        f"{c},x,{y},{1000 + y}" for c in ("JPN", "KOR", "USA", "CHN", "AUS", "PHL")
        for y in range(1950, 2101)
    ]  # fmt: skip
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = len(rows) - 1
    seen: list[int | str] = []

    def read_loop() -> None:
        for _ in range(6):
            result = _buildup(
                store_path, "data", "show", "population", "--edition", "big", "--format",
                "json", wait=60,
            )  # fmt: skip
            if result.returncode == 0:
                seen.append(len(json.loads(result.stdout)))
            else:
                assert result.returncode == 2, result.stderr
                assert "no such edition" in result.stderr, result.stderr
                seen.append("absent")

    with ThreadPoolExecutor(max_workers=5) as pool:
        readers = [pool.submit(read_loop) for _ in range(4)]
        time.sleep(0.5)
        writer = pool.submit(
            _buildup, store_path, "data", "import", "csv", str(big), "--dataset", "population",
            "--edition", "big", "--make-current", "--format", "json",
        )  # fmt: skip
        done = writer.result()
        for reader in readers:
            reader.result()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == expected
    assert set(seen) <= {expected, "absent"}, seen
