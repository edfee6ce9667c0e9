"""Web benchmarks against a real ``buildup serve`` on loopback (each bounded in time).

- ``load``: 32 concurrent clients post the Japan plan for a bounded time: requests per second,
  p50 and p95 latency, errors — once with one scenario (served from the answer cache after the
  first request) and once with a distinct scenario per request (every one computed).
- ``saves``: 16 clients update one saved scenario with ``If-Match`` for a bounded time, on
  DuckDB and on PostgreSQL: accepted writes, 412s, versions, lost updates (counted).
- ``risk``: a risk job of 1,000,000 draws through the API against ``buildup risk`` in a process
  of its own, and the p95 latency of a cheap ``GET`` while the job runs.

Usage: ``python benchmarks/web_bench.py [--smoke] [load] [saves] [risk]``; prints one JSON
object per case and writes ``benchmarks/results/web-<case>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent
BUILDUP = [sys.executable, "-c", "from buildup.cli import main; main()"]
EXAMPLE = ROOT / "examples" / "japan-dbp.toml"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextlib.contextmanager
def serve(scratch: Path, env: dict[str, str] | None = None, *args: str) -> Iterator[str]:
    """``buildup serve`` on a free loopback port with its own copy of the store; its base URL."""
    import httpx

    from buildup.store import build_store

    db = scratch / f"serve-{time.monotonic_ns()}.duckdb"
    build_store(db)
    port = _port()
    environ = {k: v for k, v in os.environ.items() if k not in {"BUILDUP_TOKEN"}}
    environ.setdefault("BUILDUP_DATABASE_URL", "")
    environ |= env or {}
    proc = subprocess.Popen(
        [*BUILDUP, "serve", "--port", str(port), "--db", str(db), *args],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="buildup-pg-bench-", dir="/tmp")
    script = ROOT / "scripts" / "postgres.sh"
    started = subprocess.run(
        ["bash", str(script), "start", folder], capture_output=True, text=True, check=True
    )
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(script), "stop", folder], check=False, capture_output=True)


def _document() -> dict[str, Any]:
    from buildup.scenario import read_scenario_document

    return read_scenario_document(EXAMPLE)


async def _load(base: str, clients: int, seconds: float, distinct: bool) -> dict[str, Any]:
    import httpx

    document = _document()
    latencies: list[float] = []
    errors = 0
    counter = 0
    stop = 0.0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors, counter
        while time.perf_counter() < stop:
            counter += 1
            body = dict(document, description=f"request {counter}") if distinct else document
            started = time.perf_counter()
            try:
                answer = await http.post(f"{base}/api/v1/plan", json=body)
                ok = answer.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await http.post(f"{base}/api/v1/plan", json=document)  # warm: first plan, caches
        began = time.perf_counter()
        stop = began + seconds
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * _quantile(latencies, 0.5), 1),
        "p95_ms": round(1000 * _quantile(latencies, 0.95), 1),
        "errors": errors,
    }


def bench_load(seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch, serve(Path(scratch)) as base:
        same = asyncio.run(_load(base, 32, seconds, distinct=False))
        distinct = asyncio.run(_load(base, 32, seconds, distinct=True))
    return {"case": "load", "one_scenario_cached": same, "distinct_scenarios": distinct}


async def _saves(base: str, clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    document = _document()
    async with httpx.AsyncClient(timeout=60) as http:
        created = await http.post(f"{base}/api/v1/scenarios", json=document)
        created.raise_for_status()
        sid = created.json()["id"]
        url = f"{base}/api/v1/scenarios/{sid}"
        accepted: list[str] = []
        refused = 0
        errors = 0
        stop = time.perf_counter() + seconds

        async def writer(k: int) -> None:
            nonlocal refused, errors
            i = 0
            while time.perf_counter() < stop:
                i += 1
                read = await http.get(url)
                name = f"writer {k}, save {i}"
                answer = await http.put(
                    url, json=dict(document, name=name), headers={"If-Match": read.headers["etag"]}
                )
                if answer.status_code == 200:
                    accepted.append(name)
                elif answer.status_code == 412:
                    refused += 1
                else:
                    errors += 1

        await asyncio.gather(*(writer(k) for k in range(clients)))
        versions = (await http.get(f"{url}/versions")).json()["versions"]
    saved = [v["name"] for v in versions[1:]]
    lost = len(set(accepted) - set(saved))
    return {
        "clients": clients,
        "seconds": seconds,
        "accepted": len(accepted),
        "refused_412": refused,
        "errors": errors,
        "versions": len(versions),
        "every_accepted_write_is_a_version": len(versions) == 1 + len(accepted),
        "lost_updates": lost,
        "duplicated_versions": len(saved) - len(set(saved)),
    }


def bench_saves(seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {"case": "saves"}
    with tempfile.TemporaryDirectory() as scratch:
        with serve(Path(scratch)) as base:
            out["duckdb"] = asyncio.run(_saves(base, 16, seconds))
        with postgres() as url, serve(Path(scratch), {"BUILDUP_DATABASE_URL": url}) as base:
            out["postgresql"] = asyncio.run(_saves(base, 16, seconds))
    return out


async def _risk_api(base: str, draws: int) -> dict[str, Any]:
    import httpx

    body = {"scenario": _document(), "draws": draws, "seed": 20251028}
    probe: list[float] = []
    async with httpx.AsyncClient(timeout=120) as http:
        began = time.perf_counter()
        started = await http.post(f"{base}/api/v1/risk/jobs", json=body)
        started.raise_for_status()
        location = base + started.headers["location"]
        state = "queued"
        while state not in {"succeeded", "failed", "cancelled"}:
            t = time.perf_counter()
            await http.get(f"{base}/api/v1/health")
            probe.append(time.perf_counter() - t)
            state = (await http.get(location)).json()["state"]
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - began
        result = (await http.get(f"{location}/result")).content
    return {
        "state": state,
        "seconds": round(elapsed, 2),
        "probe_requests": len(probe),
        "probe_p50_ms": round(1000 * _quantile(probe, 0.5), 1),
        "probe_p95_ms": round(1000 * _quantile(probe, 0.95), 1),
        "_bytes": result,
    }


def bench_risk(draws: int) -> dict[str, Any]:
    from buildup.store import build_store

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "cli.duckdb"
        build_store(db)
        began = time.perf_counter()
        cli = subprocess.run(
            [
                *BUILDUP,
                "risk",
                str(EXAMPLE),
                "--draws",
                str(draws),
                "--seed",
                "20251028",
                "--format",
                "json",
                "--db",
                str(db),
            ],
            capture_output=True,
            check=True,
        )
        cli_seconds = time.perf_counter() - began
        with serve(Path(scratch)) as base:
            api = asyncio.run(_risk_api(base, draws))
    same = api.pop("_bytes") == cli.stdout
    return {
        "case": "risk",
        "draws": draws,
        "cli_seconds_whole_process": round(cli_seconds, 2),
        "api": api,
        "outcome_bytes_identical_to_cli": same,
    }


BENCHES = {"load": bench_load, "saves": bench_saves, "risk": bench_risk}
SIZES = {"load": (1.0, 15.0), "saves": (1.0, 10.0), "risk": (20_000, 1_000_000)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=[], help="load, saves, risk (default: all)")
    parser.add_argument("--smoke", action="store_true", help="a short run of each case")
    args = parser.parse_args()
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    unknown = [c for c in args.cases if c not in BENCHES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; choose from {', '.join(BENCHES)}")
    for name in args.cases or list(BENCHES):
        small, full = SIZES[name]
        size = small if args.smoke else full
        report = BENCHES[name](int(size) if name == "risk" else float(size))
        print(json.dumps(report))
        if not args.smoke:
            (results / f"web-{name}.json").write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
