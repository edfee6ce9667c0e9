"""Whole-process start-up: ``buildup plan examples/japan-dbp.toml --format json``, run as a new
Python process each time, against an older source tree when one is given.

The runs of the two trees alternate (new, old, new, old, …) so that a slow minute of the
machine falls on both; each tree has a store of its own, built before the timed runs. The
median and the minimum of the wall time and of the CPU time (user + system, which a busy
machine disturbs less) are reported, never asserted.

Usage: ``python benchmarks/startup_bench.py [--runs 10] [--old-src /tmp/old/src]``
(``--old-src`` is the ``src`` folder of a checkout of the older commit; it runs on this venv.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "examples" / "japan-dbp.toml"
_RUN = "import sys; from buildup.cli import main; sys.argv[0] = 'buildup'; main()"


def _command(example: Path) -> list[str]:
    return [sys.executable, "-c", _RUN, "plan", str(example), "--format", "json"]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _once(src: Path, store: Path, example: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole process."""
    env = {**os.environ, "PYTHONPATH": str(src), "BUILDUP_DB": str(store)}
    cpu, started = _cpu(), time.perf_counter()
    subprocess.run(_command(example), check=True, capture_output=True, env=env, cwd=src.parent)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--old-src", type=Path, default=None)
    args = parser.parse_args()
    trees = {"new": HERE.parent / "src"}
    if args.old_src is not None:
        trees["old"] = args.old_src.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        stores = {name: Path(scratch) / f"{name}.duckdb" for name in trees}
        examples = {name: src.parent / "examples" / EXAMPLE.name for name, src in trees.items()}
        for name, src in trees.items():  # builds each store; not timed
            _once(src, stores[name], examples[name])
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, src in trees.items():
                times[name].append(_once(src, stores[name], examples[name]))
    for name, runs in times.items():
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{name}: wall median {statistics.median(wall):.3f} s, min {min(wall):.3f} s, "
            f"max {max(wall):.3f} s; CPU median {statistics.median(cpu):.3f} s, "
            f"min {min(cpu):.3f} s; {len(runs)} runs ({trees[name]})"
        )


if __name__ == "__main__":
    main()
