"""Portfolio optimiser benchmark: buildup (HiGHS) against the same model in PuLP with CBC.

Synthetic instances shaped like real catalogues (:func:`generate`, seeded): payment
profiles of one to five years, quantities up to three dozen units, unit costs over two
orders of magnitude (¥1–100 billion), start windows of one to four years, a tenth of the
programmes with a prerequisite, exclusive groups of three (a tenth of the programmes in
each), two area limits (a floor and a cap), and envelopes that bind: together a sixth of
what the whole catalogue would cost, rising 3 % a year.

For N = 100, 1,000 and 5,000 at T = 10 it reports the wall time to a relative gap of 1e-2
and of 1e-3 (each a run that stops at that gap, model building included), the gap reached
after 60 s, and the peak memory of each run (its own process; CBC's counted as a child).
Both solvers get the same model (the arrays of :mod:`buildup.portfolio.arrays`) and the same
greedy warm start; CBC runs through PuLP as a PuLP user would build it, row by row.

Usage: ``python benchmarks/portfolio_bench.py [--sizes 100 1000 5000] [--limit 60]``
(several minutes); ``benchmarks/run.py`` runs a small case as a smoke test.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from buildup.portfolio import PortfolioProblem, solve_portfolio
from buildup.portfolio.synthetic import generate


def run_buildup(problem: PortfolioProblem, gap: float, limit: float) -> dict[str, object]:
    """One buildup solve: seconds (building included), status, objective, gap."""
    started = time.perf_counter()
    result = solve_portfolio(problem, gap=gap, time_limit=limit)
    return {
        "seconds": time.perf_counter() - started,
        "status": str(result.status),
        "objective": result.objective,
        "gap": result.gap,
    }


def run_pulp(problem: PortfolioProblem, gap: float, limit: float) -> dict[str, object]:
    """The same model built in PuLP (row by row) and solved by CBC, warm-started."""
    import pulp

    from buildup.portfolio.arrays import build_formulation
    from buildup.portfolio.greedy import solve_greedy

    started = time.perf_counter()
    f = build_formulation(problem)
    start = solve_greedy(f)
    model = pulp.LpProblem("portfolio", pulp.LpMaximize)
    k = f.n_columns
    variables = [
        pulp.LpVariable(
            f"x{j}",
            lowBound=float(f.col_lower[j]),
            upBound=float(f.col_upper[j]),
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
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(
            msg=False,
            gapRel=gap,
            timeLimit=limit,
            warmStart=start.feasible,
            logPath=str(log),
            threads=2,
        )
        model.solve(solver)
        text = log.read_text(errors="replace") if log.exists() else ""
    objective = pulp.value(model.objective)
    return {
        "seconds": time.perf_counter() - started,
        "status": pulp.LpStatus[model.status],
        "objective": objective,
        "gap": _cbc_gap(text, gap),
    }


def _cbc_gap(log: str, gap: float) -> float:
    """The relative gap CBC reached, from its log (its own ``Gap:`` line has two decimals):
    the best objective against the best bound when it stopped early; when it reports an
    optimal solution, the integer gap it exited on, else the gap it was asked to close."""
    number = r"(-?[\d.]+(?:[eE][+-]?\d+)?)"
    found = re.search(rf"^Objective value:\s*{number}", log, flags=re.MULTILINE)
    bound = re.search(rf"^(?:Upper|Lower) bound:\s*{number}", log, flags=re.MULTILINE)
    if found is not None and bound is not None:
        best = float(found.group(1))
        return abs(float(bound.group(1)) - best) / max(abs(best), 1e-9)
    partial = re.findall(rf"best objective {number} \(best possible {number}\)", log)
    if partial and "Optimal solution found" not in log:
        best, possible = (float(x) for x in partial[-1])
        return abs(possible - best) / max(abs(best), 1e-9)
    exited = re.search(rf"integer gap of {number}", log)
    if found is not None and exited is not None:
        return abs(float(exited.group(1))) / max(abs(float(found.group(1))), 1e-9)
    if "Result - Optimal solution found" in log:
        return gap
    return math.nan


def _child(solver: str, n: int, gap: float, limit: float) -> None:
    problem = generate(n)
    out = (run_buildup if solver == "buildup" else run_pulp)(problem, gap, limit)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_rss_mib"] = max(own, children) / 1024
    print(json.dumps(out))


def measure(solver: str, n: int, gap: float, limit: float) -> dict[str, object]:
    """One run in a fresh process (so that peak memory is the run's own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", solver, str(n), repr(gap), repr(limit)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _cell(run: dict[str, object], gap: float, limit: float) -> str:
    reached = float(str(run["gap"])) <= gap * (1 + 1e-9)
    seconds = float(str(run["seconds"]))
    return f"{seconds:7.2f} s" if reached and seconds < limit else f"  > {limit:.0f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--solvers", nargs="+", default=["buildup", "pulp-cbc"])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), float(args.child[2]), float(args.child[3]))
        return 0
    header = (
        f"{'N':>6} {'solver':9} {'to gap 1e-2':>12} {'to gap 1e-3':>12} "
        f"{'gap after ' + str(int(args.limit)) + ' s':>16} {'peak MiB':>9}"
    )
    print(header)
    rows = []
    for n in args.sizes:
        for solver in args.solvers:
            runs = {g: measure(solver, n, g, args.limit) for g in (1e-2, 1e-3)}
            if float(str(runs[1e-3]["gap"])) <= 1e-4 and runs[1e-3]["status"] == "optimal":
                final = runs[1e-3]  # proved optimal already: nothing left to close
            else:
                final = measure(solver, n, 0.0, args.limit)
            memory = max(float(str(r["peak_rss_mib"])) for r in (*runs.values(), final))
            line = (
                f"{n:>6} {solver:9} {_cell(runs[1e-2], 1e-2, args.limit):>12} "
                f"{_cell(runs[1e-3], 1e-3, args.limit):>12} "
                f"{float(str(final['gap'])):>16.2e} {memory:>9.0f}"
            )
            print(line, flush=True)
            rows.append({"n": n, "solver": solver, "runs": runs, "final": final})
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    (Path(__file__).parent / "results" / "portfolio.json").write_text(
        json.dumps(rows, indent=1, default=str)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
