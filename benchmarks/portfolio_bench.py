"""Portfolio optimiser benchmark: buildup against the plain model on HiGHS and against CBC.

Instances: seeded synthetic catalogues (:func:`buildup.portfolio.synthetic.generate`) at
T = 10 with fresh seeds (never used while the heuristic was developed: 0–8 and 1000–1007
were). Three solvers, each run in its own process with one time limit (60 s), asked to prove
optimality; the incumbent and bound are recorded as they move, so one run gives the time to
a relative gap of 1e-2 and of 1e-3 (model building and every heuristic included) and the gap
when it stopped:

- ``buildup``: :func:`buildup.portfolio.solve_portfolio` — the tightened formulation, the
  primal heuristic, HiGHS from its incumbent.
- ``buildup-timed`` / ``buildup-nodes``: the same with the heuristic's neighbourhoods bounded
  by 2 s of wall time each (``deterministic=False``) or by branch-and-bound nodes
  (``deterministic=True``), whichever ``buildup`` uses by default, to compare the two.
- ``highs-plain``: the same model written plainly — one binary and one integer per
  programme × start year with ``q ≤ max_qty · y`` (no envelope tightening of the bound, no
  symmetry rows), HiGHS with its default options, no warm start.
- ``pulp-cbc``: buildup's own (tightened) model built in PuLP row by row, solved by CBC with
  the greedy warm start, one thread. CBC logs elapsed (wall-clock) seconds from its own
  start (``timeMode elapsed``; its default is CPU seconds, which under load run slower than
  the wall clock); the time before PuLP launches it (building the model in PuLP, writing
  the MPS and warm-start files) is added to every one, so no time is negative or early.

The runs are interleaved: for each seed every solver runs in turn, back to back, so that a
change of the machine's load falls on all of them alike; each run prints one line. The table
gives, per size and solver, the median and the range over the seeds. Peak memory is
each run's own (CBC's counted as a child). Usage: ``python benchmarks/portfolio_bench.py
[--sizes 100 1000 5000] [--seeds 101 102 103 104 105] [--limit 60]``; ``benchmarks/run.py``
runs a small case as a smoke test.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from buildup.portfolio import PortfolioProblem, solve_portfolio
from buildup.portfolio.arrays import Formulation, build_formulation
from buildup.portfolio.synthetic import generate

SOLVERS = ("buildup", "buildup-timed", "buildup-nodes", "highs-plain", "pulp-cbc")
DEFAULT_SOLVERS = ("buildup", "highs-plain", "pulp-cbc")
GAPS = (1e-2, 1e-3)
Event = tuple[float, float, float]  # seconds, objective, bound


def run_buildup(
    problem: PortfolioProblem, limit: float, deterministic: bool | None = None
) -> dict[str, Any]:
    """``deterministic``: passed to :func:`solve_portfolio` (None: its default)."""
    events: list[Event] = []
    started = time.perf_counter()
    mode = {} if deterministic is None else {"deterministic": deterministic}
    result = solve_portfolio(
        problem, gap=0.0, time_limit=limit, trace=lambda *e: events.append(e), **mode
    )
    return {
        "seconds": time.perf_counter() - started,
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "events": events,
    }


def plain_model(f: Formulation) -> tuple[sp.csc_array, np.ndarray, np.ndarray, np.ndarray]:
    """buildup's model without its tightening: ``q ≤ max_qty · y`` instead of the envelope-
    capped bound, every start column open, no symmetry rows. Returns the matrix, row bounds
    and column upper bounds."""
    k = f.n_columns
    coo = f.matrix.tocoo()
    start, stop = f.blocks["link_hi"]
    data = coo.data.copy()
    on_link = (coo.row >= start) & (coo.row < stop) & (coo.col >= k) & (coo.col < 2 * k)
    data[on_link] = -f.hi[f.prog[coo.col[on_link] - k]]
    keep = np.ones(f.matrix.shape[0], dtype=bool)
    if "symmetry" in f.blocks:
        keep[slice(*f.blocks["symmetry"])] = False
    matrix = sp.csr_array((data, (coo.row, coo.col)), shape=f.matrix.shape)[keep]
    upper = f.col_upper.copy()
    upper[:k] = f.hi[f.prog]
    upper[k : 2 * k] = 1.0
    return sp.csc_array(matrix), f.row_lower[keep], f.row_upper[keep], upper


def run_plain(problem: PortfolioProblem, limit: float) -> dict[str, Any]:
    from highspy._core import _Highs, cb

    started = time.perf_counter()
    f = build_formulation(problem)
    matrix, row_lower, row_upper, upper = plain_model(f)
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("time_limit", max(limit - (time.perf_counter() - started), 0.1))
    highs.passModel(
        matrix.shape[1], matrix.shape[0], matrix.nnz, 1, -1, 0.0, f.col_cost,
        np.zeros(len(upper)), upper, row_lower, row_upper, matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32), matrix.data, f.integer.astype(np.int32),
    )  # fmt: skip
    events: list[Event] = []

    def seen(kind: Any, message: str, out: Any, into: Any, data: Any) -> None:
        value, bound = float(out.mip_primal_bound), float(out.mip_dual_bound)
        if math.isfinite(value):
            events.append((time.perf_counter() - started, value, bound))

    highs.setCallback(seen, None)
    highs.startCallback(cb.HighsCallbackType.kCallbackMipImprovingSolution)
    highs.startCallback(cb.HighsCallbackType.kCallbackMipInterrupt)
    highs.run()
    info = highs.getInfo()
    seconds = time.perf_counter() - started
    events.append((seconds, float(info.objective_function_value), float(info.mip_dual_bound)))
    return {
        "seconds": seconds,
        "status": highs.modelStatusToString(highs.getModelStatus()),
        "objective": float(info.objective_function_value),
        "bound": float(info.mip_dual_bound),
        "events": events,
    }


def run_pulp(problem: PortfolioProblem, limit: float) -> dict[str, Any]:
    """buildup's model built in PuLP (row by row) and solved by CBC, warm-started."""
    warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3.3's notes on PuLP 4
    import pulp

    from buildup.portfolio.greedy import solve_greedy

    started = time.perf_counter()
    f = build_formulation(problem)
    start = solve_greedy(f)
    model = pulp.LpProblem("portfolio", pulp.LpMaximize)
    k = f.n_columns
    variables = [
        model.add_variable(
            f"x{j}",
            float(f.col_lower[j]),
            float(f.col_upper[j]),
            cat=pulp.LpInteger if f.integer[j] else pulp.LpContinuous,
        )
        for j in range(len(f.col_cost))
    ]
    model += pulp.lpSum(c * variables[j] for j, c in enumerate(f.col_cost) if c)
    rows = f.matrix.tocsr()
    for r in range(rows.shape[0]):
        cells = slice(rows.indptr[r], rows.indptr[r + 1])
        expr = pulp.LpAffineExpression(
            zip((variables[j] for j in rows.indices[cells]), rows.data[cells], strict=True)
        )
        low, up = f.row_lower[r], f.row_upper[r]
        if np.isfinite(low) and np.isfinite(up) and low == up:
            model += expr == float(low)
        else:
            if np.isfinite(low):
                model += expr >= float(low)
            if np.isfinite(up):
                model += expr <= float(up)
    if start.feasible:
        for j in range(k):
            variables[j].setInitialValue(int(start.quantities[j]))
            variables[k + j].setInitialValue(int(start.quantities[j] > 0))
    built = time.perf_counter()
    launched: list[float] = []
    with tempfile.TemporaryDirectory() as scratch, _clock_launch(launched):
        log = Path(scratch) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(
            msg=False,
            gapRel=0.0,
            timeLimit=max(limit - (built - started), 0.1),
            warmStart=start.feasible,
            logPath=str(log),
            threads=1,
            # CBC's log times are CPU seconds by default: wall clock, like the other solvers'
            options=["timeMode elapsed"],
        )
        model.solve(solver)
        text = log.read_text(errors="replace") if log.exists() else ""
    seconds = time.perf_counter() - started
    events, _ = cbc_events(text)
    # CBC's clock starts with its process: every event is shifted by the time until PuLP
    # launched it (building the model, writing the MPS and warm-start files).
    offset = (launched[0] if launched else built) - started
    objective = pulp.value(model.objective)
    return {
        "seconds": seconds,
        "status": pulp.LpStatus[model.status],
        "objective": objective,
        "bound": events[-1][2] if events else math.nan,
        "events": [(t + offset, v, b) for t, v, b in events],
        "offset": offset,
    }


@contextmanager
def _clock_launch(launched: list[float]) -> Iterator[None]:
    """Record when PuLP starts CBC's process (PuLP calls ``subprocess.Popen``)."""
    popen = subprocess.Popen

    def timed(*args: Any, **kwargs: Any) -> Any:
        launched.append(time.perf_counter())
        return popen(*args, **kwargs)

    subprocess.Popen = timed  # type: ignore[misc]
    try:
        yield
    finally:
        subprocess.Popen = popen  # type: ignore[misc]


_NUMBER = r"(-?[\d.]+(?:[eE][+-]?\d+)?)"


def cbc_events(log: str) -> tuple[list[Event], float | None]:
    """(seconds, objective, bound) from CBC's log (its values carry the minimisation's sign,
    hence the absolute values), and CBC's own wall-clock total."""
    events: list[Event] = []
    best, bound = -math.inf, math.inf
    for line in log.splitlines():
        if lp := re.match(rf"Continuous objective value is {_NUMBER} - {_NUMBER} seconds", line):
            bound = abs(float(lp.group(1)))
        elif found := re.search(rf"Integer solution of {_NUMBER} .*\({_NUMBER} seconds\)", line):
            best = max(best, abs(float(found.group(1))))
            events.append((float(found.group(2)), best, bound))
        elif (node := re.search(
            rf"{_NUMBER} best solution, best possible {_NUMBER} \({_NUMBER} seconds\)", line
        )):  # fmt: skip
            best = max(best, abs(float(node.group(1))))
            bound = min(bound, abs(float(node.group(2))))
            events.append((float(node.group(3)), best, bound))
        elif (end := re.search(
            rf"best objective {_NUMBER} \(best possible {_NUMBER}\).*\({_NUMBER} seconds\)", line
        )):  # fmt: skip
            best, bound = abs(float(end.group(1))), abs(float(end.group(2)))
            events.append((float(end.group(3)), best, bound))
        elif (final := re.match(rf"Objective value:\s*{_NUMBER}", line)) and (
            "Optimal solution found" in log
        ):
            best = abs(float(final.group(1)))
            events.append((events[-1][0] if events else 0.0, best, best))
    wall = re.search(rf"Time \(Wallclock seconds\):\s*{_NUMBER}", log)
    return events, float(wall.group(1)) if wall else None


def time_to(events: list[Event], gap: float) -> float:
    """The first time the best incumbent is within ``gap`` of the best bound so far."""
    best, bound = -math.inf, math.inf
    for seconds, value, ceiling in sorted(events):
        best, bound = max(best, value), min(bound, ceiling)
        if best > 0 and (bound - best) / best <= gap * (1 + 1e-9):
            return seconds
    return math.inf


def final_gap(events: list[Event]) -> float:
    if not events:
        return math.nan
    best = max(v for _, v, _ in events)
    bound = min(b for _, _, b in events)
    return max(bound - best, 0.0) / best if best > 0 else math.nan


def _child(solver: str, n: int, seed: int, limit: float) -> None:
    problem = generate(n, seed=seed)
    runs: dict[str, Callable[[PortfolioProblem, float], dict[str, Any]]] = {
        "buildup": run_buildup,
        "buildup-timed": lambda p, s: run_buildup(p, s, deterministic=False),
        "buildup-nodes": lambda p, s: run_buildup(p, s, deterministic=True),
        "highs-plain": run_plain,
        "pulp-cbc": run_pulp,
    }
    out = runs[solver](problem, limit)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_rss_mib"] = max(own, children) / 1024
    print(json.dumps(out))


def measure(solver: str, n: int, seed: int, limit: float) -> dict[str, Any]:
    """One run in a fresh process (so that peak memory is the run's own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", solver, str(n), str(seed), repr(limit)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _seconds(values: list[float], limit: float) -> str:
    shown = [f"> {limit:.0f}" if math.isinf(v) else f"{v:.2f}" for v in values]
    finite = sorted(values)
    middle = statistics.median(finite)
    med = f"> {limit:.0f}" if math.isinf(middle) else f"{middle:.2f}"
    return f"{med} s ({shown[values.index(min(values))]}–{shown[values.index(max(values))]})"


def _gaps(values: list[float]) -> str:
    return f"{statistics.median(values):.1e} ({min(values):.1e}–{max(values):.1e})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103, 104, 105])
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--solvers", nargs="+", default=list(DEFAULT_SOLVERS), choices=SOLVERS)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), int(args.child[2]), float(args.child[3]))
        return 0
    rows = []
    print(
        f"{'N':>6} {'solver':13} {'to gap 1e-2':>24} {'to gap 1e-3':>24} "
        f"{'gap after ' + str(int(args.limit)) + ' s':>26} {'peak MiB':>9}",
        flush=True,
    )
    for n in args.sizes:
        by_solver: dict[str, list[dict[str, Any]]] = {solver: [] for solver in args.solvers}
        for seed in args.seeds:
            for solver in args.solvers:
                run = measure(solver, n, seed, args.limit)
                by_solver[solver].append(run)
                print(
                    f"# N={n} seed={seed} {solver}: to 1e-2 {time_to(run['events'], 1e-2):.2f} s,"
                    f" to 1e-3 {time_to(run['events'], 1e-3):.2f} s,"
                    f" gap at end {final_gap(run['events']):.1e}",
                    flush=True,
                )
        for solver in args.solvers:
            runs = by_solver[solver]
            to = {g: [time_to(r["events"], g) for r in runs] for g in GAPS}
            gaps = [final_gap(r["events"]) for r in runs]
            memory = max(float(r["peak_rss_mib"]) for r in runs)
            print(
                f"{n:>6} {solver:13} {_seconds(to[1e-2], args.limit):>24} "
                f"{_seconds(to[1e-3], args.limit):>24} {_gaps(gaps):>26} {memory:>9.0f}",
                flush=True,
            )
            rows.append(
                {
                    "n": n,
                    "solver": solver,
                    "seeds": args.seeds,
                    "to_1e-2": to[1e-2],
                    "to_1e-3": to[1e-3],
                    "gap_at_end": gaps,
                    "objective": [r["objective"] for r in runs],
                    "status": [r["status"] for r in runs],
                    "peak_rss_mib": memory,
                }
            )
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    (Path(__file__).parent / "results" / "portfolio.json").write_text(
        json.dumps(rows, indent=1, default=str)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
