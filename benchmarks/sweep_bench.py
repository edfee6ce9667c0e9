"""Sweep benchmark: every country with data × three targets, in one process and on a
LocalCluster of 2 workers (started before the clock), and whether the numbers are the same.

Usage: ``python benchmarks/sweep_bench.py [--draws 100000] [--by 2035] [--workers 2]``.
Reports the wall time of each run, the load average before and after, and the number of
country × target rows that differ between the two (0 expected). Timings are reported, never
asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from buildup.compare.sweep import countries_with_data, sweep
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
    url = os.environ.get("BUILDUP_DB")
    targets = (0.02, 0.035, 0.05)
    with open_store(url, read_only=True) as store:
        countries = args.countries or countries_with_data(store)
        print(f"{len(countries)} countries × {len(targets)} targets, {args.draws:,} draws each")
        print(f"load before: {os.getloadavg()}")
        single = None
        if not args.skip_single:
            started = time.perf_counter()
            single = sweep(store, countries, targets, args.by, draws=args.draws)
            print(f"1 process: {time.perf_counter() - started:.1f} s, {len(single.rows)} rows, "
                  f"{len(single.skipped)} countries not planned", flush=True)  # fmt: skip
        with dask_client(None, f"local:{args.workers}") as client:
            started = time.perf_counter()
            spread = sweep(
                store, countries, targets, args.by, draws=args.draws, client=client, store_url=url
            )
            print(f"LocalCluster {args.workers} workers: {time.perf_counter() - started:.1f} s, "
                  f"{len(spread.rows)} rows", flush=True)  # fmt: skip
        if single is not None:
            differ = sum(
                a.record() != b.record() for a, b in zip(single.rows, spread.rows, strict=True)
            )
            print(f"rows that differ between the two runs: {differ} of {len(single.rows)}")
        print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
