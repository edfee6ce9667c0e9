"""Benchmarks: a registry of cases × sizes, each run in a fresh process.

Timings and peak memory are reported (and written to ``benchmarks/results/latest.json``),
never asserted: a case over its target is shown as such. ``--smoke`` runs every case once
at its smallest size, untimed in spirit, so that the benchmarks cannot rot (``make test``).

Usage: ``python benchmarks/run.py [--smoke] [--case NAME]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Case:
    """A benchmark: a function of a size, run in a scratch folder, returning the seconds its
    measured part took (set-up excluded); the target is in seconds."""

    name: str
    sizes: tuple[int, ...]
    target_s: float
    what: str
    run: Callable[[int, Path], float]


def _cli_version(size: int, scratch: Path) -> float:
    script = Path(sys.executable).parent / "buildup"
    started = time.perf_counter()
    for _ in range(size):
        subprocess.run([str(script), "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def _store_build(size: int, scratch: Path) -> float:
    from buildup.store import Store

    started = time.perf_counter()
    for i in range(size):
        Store.open(scratch / f"build-{i}.duckdb").close()
    return time.perf_counter() - started


def _store_query(size: int, scratch: Path) -> float:
    from buildup.store import Store
    from buildup.types import YearRange

    with Store.open(scratch / "query.duckdb") as store:
        started = time.perf_counter()
        for _ in range(size):
            frame = store.query("milex", ["JPN", "USA", "CHN", "KOR"], YearRange(2000, 2024))
            assert len(frame) == 100
        return time.perf_counter() - started


def _resolve(size: int, scratch: Path) -> float:
    import pandas as pd

    from buildup.data.catalogue import bundled_path
    from buildup.data.countries import resolve_country

    names = pd.read_csv(bundled_path("gdp.csv"))["country"].drop_duplicates().tolist()
    resolve_country("Japan")  # the library's tables load once per process
    resolve_country.cache_clear()
    started = time.perf_counter()
    for i in range(size):
        resolve_country(f" {names[i % len(names)]} " if i >= len(names) else names[i])
    return time.perf_counter() - started


def _tidy_import(size: int, scratch: Path) -> float:
    import pandas as pd

    from buildup.data.catalogue import load_bundled
    from buildup.data.tidy import read_tidy_csv
    from buildup.store import Store

    codes = sorted(load_bundled("gdp")["iso3"].unique())
    years = range(1900, 2101)
    rows = [(codes[i % len(codes)], years[i // len(codes)]) for i in range(size)]
    frame = pd.DataFrame(rows, columns=["iso3", "year"]).assign(local_per_usd=1.5)
    path = scratch / f"fx-{size}.csv"
    frame.to_csv(path, index=False)
    with Store.open(scratch / "import.duckdb") as store:
        started = time.perf_counter()
        store.import_edition(read_tidy_csv(path, "fx", edition=f"bench-{size}"))
        return time.perf_counter() - started


def _sipri_workbook(size: int, scratch: Path) -> float:
    sys.path.insert(0, str(HERE))
    from buildup.data.sipri_workbook import read_sipri_workbook
    from sipri_fixture import write_sipri_like_workbook

    path = write_sipri_like_workbook(scratch / "sipri.xlsx", countries=size)
    started = time.perf_counter()
    imported = read_sipri_workbook(path)
    elapsed = time.perf_counter() - started
    assert len(imported.frame) > 0
    return elapsed


def _plan(size: int, scratch: Path) -> float:
    from buildup.engine import run
    from buildup.scenario import read_scenario
    from buildup.store import Store

    scenario = read_scenario(HERE.parent / "examples" / "japan-3.5pct-2035.toml")
    with Store.open(scratch / "plan.duckdb") as store:
        run(scenario, store)  # warm caches: presets, country tables
        started = time.perf_counter()
        for _ in range(size):
            run(scenario, store)
        return time.perf_counter() - started


def _risk(size: int, scratch: Path) -> float:
    from buildup.engine.risk import simulate_plan
    from buildup.scenario import read_scenario
    from buildup.store import Store

    scenario = read_scenario(HERE.parent / "examples" / "korea-3.5pct-2035.toml")
    with Store.open(scratch / "risk.duckdb") as store:
        started = time.perf_counter()
        simulate_plan(scenario, store, draws=size, seed=1, tornado=False)
        return time.perf_counter() - started


def _portfolio(size: int, scratch: Path) -> float:
    from buildup.portfolio import solve_portfolio
    from buildup.portfolio.synthetic import generate

    problem = generate(size)
    started = time.perf_counter()
    result = solve_portfolio(problem, gap=1e-3, time_limit=60)
    elapsed = time.perf_counter() - started
    assert result.has_solution
    return elapsed


def _pledge_items(size: int, scratch: Path) -> float:
    import datetime

    from buildup.pledges import extract_pledges

    lines = (HERE.parent / "tests" / "pledges" / "corpus.jsonl").read_text(encoding="utf-8")
    items = [json.loads(line) for line in lines.splitlines()]
    extract_pledges("Japan will spend 2% of GDP on defence.", datetime.date(2025, 1, 1))  # tables
    texts = [(it["text"], datetime.date.fromisoformat(it["date"])) for it in items]
    texts = (texts * (size // len(texts) + 1))[:size]
    started = time.perf_counter()
    for text, date in texts:
        extract_pledges(text, date)
    return time.perf_counter() - started


def _pledge_article(size: int, scratch: Path) -> float:
    import datetime

    from buildup.pledges import extract_pledges

    lines = (HERE.parent / "tests" / "pledges" / "corpus.jsonl").read_text(encoding="utf-8")
    body = "\n\n".join(json.loads(line)["text"] for line in lines.splitlines())
    text = "\n\n".join([body] * (size * 1000 // len(body.encode()) + 1))[: size * 1000]
    extract_pledges("Japan will spend 2% of GDP on defence.", datetime.date(2025, 1, 1))  # tables
    started = time.perf_counter()
    extract_pledges(text, datetime.date(2025, 1, 1))
    return time.perf_counter() - started


def _robust_japan(size: int, scratch: Path) -> float:
    """The Japan robust portfolio at α = 0.9, as ``risk --alpha 0.9 --draws 20000`` runs it."""
    import buildup

    examples = HERE.parent / "examples"
    scenario = buildup.read_scenario(examples / "japan-dbp.toml")
    with buildup.open_store(scratch / "robust.duckdb") as store:
        started = time.perf_counter()
        for _ in range(size):
            report = buildup.stress_test(
                scenario,
                store,
                buildup.RiskOptions(draws=20_000),
                programmes=buildup.read_programmes(examples / "japan-programmes.csv"),
                envelope=buildup.read_envelope(examples / "japan-envelope.csv"),
                portfolio=buildup.PortfolioOptions(alpha=0.9),
            )
            assert report.portfolio is not None
            assert report.portfolio.robust is not None
            print(f"  robust: {report.portfolio.robust.message}", file=sys.stderr)
        return time.perf_counter() - started


def _sweep(size: int, scratch: Path) -> float:
    """A sweep of ``size`` countries × 3 targets at 20,000 draws (the full one: sweep_bench)."""
    from buildup.compare.sweep import sweep
    from buildup.store import open_store

    countries = ["JPN", "KOR", "AUS", "PHL", "DEU", "POL", "USA", "GBR", "FRA", "ITA"][:size]
    with open_store(scratch / "sweep.duckdb") as store:
        started = time.perf_counter()
        result = sweep(store, countries, (0.02, 0.035, 0.05), 2035, draws=20_000)
        assert len(result.rows) == 3 * size
        return time.perf_counter() - started


def _web(name: str) -> Callable[[int, Path], float]:
    """A web benchmark (benchmarks/web_bench.py): the number it is judged by, in seconds; its
    whole report goes to stderr and benchmarks/results/web-<case>.json."""

    def run(size: int, scratch: Path) -> float:
        sys.path.insert(0, str(HERE))
        import web_bench

        report = web_bench.BENCHES[name](size if name == "risk" else float(size))
        print(json.dumps(report), file=sys.stderr)
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / f"web-{name}-{size}.json").write_text(json.dumps(report, indent=1))
        if name == "saves":
            for backend in ("duckdb", "postgresql"):
                counts = report[backend]
                assert counts["lost_updates"] == 0, counts
                assert counts["errors"] == 0, counts
                assert counts["every_accepted_write_is_a_version"], counts
            return float(size)
        if name == "load":
            assert report["one_scenario_cached"]["errors"] == 0, report
            return float(report["one_scenario_cached"]["p95_ms"]) / 1000
        assert report["outcome_bytes_identical_to_cli"], report
        return float(report["api"]["seconds"])

    return run


CASES = {
    c.name: c
    for c in (
        Case("cli_version", (1, 5), 0.5, "`buildup --version` processes, per run", _cli_version),
        Case("store_build", (1,), 5.0, "build the store from the bundled catalogue", _store_build),
        Case(
            "store_query", (1, 100), 0.05, "query 4 countries × 25 years, per query", _store_query
        ),
        Case("resolve_country", (100, 2000), 2.0, "resolve country names, cold cache", _resolve),
        Case("tidy_import", (1000, 30000), 5.0, "validate and import a tidy CSV", _tidy_import),
        Case(
            "sipri_workbook",
            (20, 175),
            15.0,
            "parse a SIPRI-like workbook (countries)",
            _sipri_workbook,
        ),
        Case("plan_goal_seek", (1, 10), 1.0, "plan Japan to 3.5 % by 2035, per run", _plan),
        Case("risk_plan", (16_384, 1_000_000), 10.0, "Monte Carlo of Korea's plan (draws)", _risk),
        Case("portfolio_mip", (30, 1000), 10.0, "portfolio MIP to a 1e-3 gap (T=10)", _portfolio),
        Case(
            "robust_japan", (1,), 30.0, "Japan robust portfolio, α = 0.9, validated", _robust_japan
        ),
        Case("sweep", (3, 10), 60.0, "sweep: countries × 3 targets, 20,000 draws", _sweep),
        Case("pledge_items", (142, 1420), 0.01, "extract pledges, per news item", _pledge_items),
        Case(
            "web_load",
            (1, 15),
            0.1,
            "32 clients post the Japan plan for N s: p95 (cached; the report has both)",
            _web("load"),
        ),
        Case(
            "web_saves",
            (1, 10),
            60.0,
            "16 clients save one scenario with If-Match for N s, DuckDB and PostgreSQL",
            _web("saves"),
        ),
        Case(
            "web_risk",
            (20_000, 1_000_000),
            60.0,
            "a risk job through the API (draws)",
            _web("risk"),
        ),
        Case(
            "pledge_article",
            (50, 1000),
            60.0,
            "extract pledges from one text (kB)",
            _pledge_article,
        ),
    )
}


def _child(name: str, size: int) -> None:
    case = CASES[name]
    with tempfile.TemporaryDirectory() as scratch:
        elapsed = case.run(size, Path(scratch))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_rss_mib": peak_mib}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="each case once, smallest size")
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    results = []
    for case in (CASES[n] for n in (args.case or CASES)):
        for size in case.sizes[:1] if args.smoke else case.sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", case.name, str(size)],
                capture_output=True,
                text=True,
                env=os.environ,
                check=False,
            )
            if out.returncode != 0:
                print(f"{case.name}[{size}] FAILED\n{out.stderr}", file=sys.stderr)
                return 1
            measured = json.loads(out.stdout.strip().splitlines()[-1])
            per_unit = measured["seconds"] / size if case.name in PER_RUN else measured["seconds"]
            status = "ok" if per_unit <= case.target_s else "OVER TARGET"
            results.append(
                {
                    "case": case.name,
                    "size": size,
                    "what": case.what,
                    "per_unit_s": per_unit,
                    "target_s": case.target_s,
                    "status": status,
                    **measured,
                }
            )
            print(
                f"{case.name:16} size={size:<6} {measured['seconds']:8.3f} s total "
                f"{per_unit:8.4f} s measured vs target {case.target_s} s  "
                f"peak RSS {measured['peak_rss_mib']:7.1f} MiB  {status}"
            )
    if not args.smoke:
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "latest.json").write_text(json.dumps(results, indent=1))
    return 0


# Cases whose target is per repetition rather than for the whole run.
PER_RUN = {"cli_version", "store_query", "plan_goal_seek", "pledge_items"}

if __name__ == "__main__":
    sys.exit(main())
