"""Sweep benchmark: every country with data × three targets, in one process and on a
LocalCluster of 2 workers, and whether the numbers are the same.

Usage: ``python benchmarks/sweep_bench.py [--draws 100000] [--by 2035] [--workers 2]
[--countries JPN KOR …]``. The cluster is started and warmed before its clock (each worker
has imported buildup and loaded the store once, as a long-lived cluster has), so the two
times compare the sweep itself. Reports the wall time of each run, the load average before
and after, the countries left out with their reasons, and the number of country × target
rows that differ between the two runs (0 expected). Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from buildup.compare.sweep import SweepResult, sweep, sweep_countries, sweep_task
from buildup.risk.cluster import dask_client
from buildup.store import open_store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--by", type=int, default=2035)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--countries", nargs="*", help="default: every country with data")
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BUILDUP_DB") or None
    targets = (0.02, 0.035, 0.05)
    with open_store(url, read_only=True) as store:
        countries, left_out = sweep_countries(store)
        if args.countries:
            countries, left_out = args.countries, []
        print(f"{len(countries)} countries × {len(targets)} targets, {args.draws:,} draws each; "
              f"{len(left_out)} more in SIPRI's data not tried")  # fmt: skip
        for iso3, reason in left_out:
            print(f"  {iso3}: {reason}")
        print(f"load before: {os.getloadavg()}")
        single = None
        if not args.skip_single:
            started = time.perf_counter()
            single = sweep(store, countries, targets, args.by, draws=args.draws, left_out=left_out)
            _report("1 process", time.perf_counter() - started, single)
            for iso3, reason in single.skipped:
                if iso3 not in dict(left_out):
                    print(f"  {iso3}: {reason}")
        with dask_client(None, f"local:{args.workers}") as client:
            client.run(sweep_task, url, "JPN", (0.02,), args.by, 1, 0)  # warm every worker
            started = time.perf_counter()
            spread = sweep(
                store, countries, targets, args.by, draws=args.draws, client=client,
                store_url=url, left_out=left_out,
            )  # fmt: skip
            _report(f"LocalCluster {args.workers} workers", time.perf_counter() - started, spread)
        if single is not None:
            differ = sum(
                a.record() != b.record() for a, b in zip(single.rows, spread.rows, strict=True)
            )
            same = single.skipped == spread.skipped
            print(f"rows that differ: {differ} of {len(single.rows)}; same left out: {same}")
        print(f"load after: {os.getloadavg()}")
    return 0


def _report(label: str, seconds: float, result: SweepResult) -> None:
    countries = len({r.iso3 for r in result.rows})
    print(f"{label}: {seconds:.1f} s, {len(result.rows)} rows ({countries} countries), "
          f"{len(result.skipped)} left out (not tried or not planned)", flush=True)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
