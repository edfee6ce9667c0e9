"""Benchmarks of the web pages and the report (numbers reported, never asserted).

- server time of each page's first render, and the median of the next five (a real server on
  loopback, timed at the client: the page's whole answer);
- time from a changed input to the updated chart in the browser (Playwright driving Debian's
  Chromium on the Plan page: the share changes, until the page says it has redrawn);
- the size of the Japan programme's report.

Usage: ``python benchmarks/pages_bench.py [--smoke]`` (needs ``make browser`` for the browser part).
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

PAGES = (
    ("Home", "/"),
    ("Plan (Japan DBP)", "/plan?example=japan-dbp"),
    ("Plan (quick, KOR 3.5 % by 2035)", "/plan?country=KOR&share=3.5&by=2035"),
    (
        "Plan explain",
        "/plan/explain?example=japan-dbp&year=2025&variable=share_gdp:defense_related",
    ),
    ("Compare (Quad vs 3.5 %)", "/compare?group=QUAD&target=nato-3.5"),
    ("Compare (NATO, count 2 %)", "/compare?group=NATO&count=2"),
    ("Data", "/data"),
)


def _serve(store: Path) -> tuple[Any, str]:
    import uvicorn
    from pages_app import make_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(make_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def _browser_change(base: str, rounds: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    from buildup.report.document import CHROMIUM_FLAGS, chromium_path

    times = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=list(CHROMIUM_FLAGS)
        )
        page = context.new_page()
        page.goto(base + "/plan?country=JPN&share=2&by=2027&gdp_base_year=2022")
        page.wait_for_selector("html[data-charts-ready]")
        for i in range(rounds):
            value = f"{2.5 + 0.1 * i:.1f}"
            before = page.evaluate("document.documentElement.getAttribute('data-updated')")
            page.fill("#f-share", value)
            started = time.perf_counter()
            page.dispatch_event("#f-share", "change")
            page.wait_for_function(
                "b => document.documentElement.getAttribute('data-updated') !== b", arg=before
            )
            # the debounce (250 ms) is part of what a user waits for
            times.append(time.perf_counter() - started)
        context.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one round each, no browser")
    args = parser.parse_args()
    from buildup.store import Store

    results: dict[str, Any] = {"pages": []}
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "bench.duckdb"
        Store.open(store).close()
        server, base = _serve(store)
        for name, path in PAGES[:2] if args.smoke else PAGES:
            first = _get(base + path)
            rest = [_get(base + path) for _ in range(1 if args.smoke else 5)]
            results["pages"].append(
                {
                    "page": name,
                    "path": path,
                    "first_ms": round(first * 1000, 1),
                    "median_next_ms": round(statistics.median(rest) * 1000, 1),
                }
            )
        if not args.smoke and shutil.which("chromium"):
            times = _browser_change(base, 7)
            results["input_to_chart_ms"] = {
                "median": round(statistics.median(times) * 1000, 1),
                "max": round(max(times) * 1000, 1),
                "rounds": len(times),
                "includes_debounce_ms": 250,
            }
        # the report as the page's Report button serves it (= `buildup report`, no risk part)
        with urllib.request.urlopen(base + "/plan/report?example=japan-dbp", timeout=120) as r:
            results["japan_report_bytes"] = len(r.read())
        server.should_exit = True
    for row in results["pages"]:
        target = " (target < 300 ms)" if row["page"].startswith(("Plan (", "Compare")) else ""
        print(
            f"{row['page']:<34} first {row['first_ms']:>7.1f} ms   next (median) "
            f"{row['median_next_ms']:>7.1f} ms{target}"
        )
    if "input_to_chart_ms" in results:
        r = results["input_to_chart_ms"]
        print(
            f"input change → updated chart: median {r['median']} ms, max {r['max']} ms "
            f"({r['rounds']} changes; includes the 250 ms debounce)"
        )
    print(f"Japan report: {results['japan_report_bytes'] / 1e6:.2f} MB (plotly.js embedded)")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
