"""The primal heuristic: a near-optimal incumbent from the LP, before HiGHS's branch and bound.

On catalogue-shaped models the LP relaxation's bound is within a fraction of a per cent of
the optimum, but HiGHS's own heuristics find good portfolios slowly: the hard part is which
start year each programme gets, and the integer quantities of the few programmes at the
margin. The heuristic works in three steps, all on the MIP's own arrays:

1. **Start-year diving.** Solve the LP; every programme whose start variables are
   fractional (the LP splits it over two start years, or buys part of it) is fixed — to the
   start year the LP leans to most if its starts sum to at least ½, else off — and the LP is
   solved again from the last basis, a few rounds until the starts are integral.
2. **Core sub-MIP (fix and optimise).** With the starts integral, each programme's value per
   unit is priced at the LP's duals (envelope years and area limits). Programmes far from the
   margin keep what the LP gave them (rounded down); the *core* — programmes whose priced
   value is within a band of zero, or whose LP quantity is fractional — is freed with every
   start year open, and the small MIP that remains is solved by HiGHS from the rounded LP.
   It stops as soon as its incumbent is within the asked gap of the LP bound, which is a
   valid bound of the whole model.
3. **Local search.** While the gap is not reached and time is left, the next neighbourhood
   is solved from the incumbent: a wider band, then RINS (free what the incumbent and the
   LP disagree on, fix what they agree on). Each sub-MIP starts from the best portfolio so far.

The best of this, the greedy ranking and the LP fill (:mod:`~buildup.portfolio.greedy`) is
the incumbent handed to HiGHS for the whole model; if it is already within the asked gap of
the LP bound, the bound proves it and no branch and bound is needed. The heuristic never
changes the answer's exactness: every incumbent is checked against all the model's rows,
and with ``gap = 0`` the whole MIP still proves optimality.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from highspy import HighsModelStatus, HighsSolution, kSolutionStatusFeasible
from highspy._core import _Highs, cb
from numpy.typing import NDArray

from buildup.portfolio.arrays import Formulation
from buildup.portfolio.greedy import fill_from_relaxation, solve_greedy
from buildup.portfolio.highs import new_highs
from buildup.portfolio.results import column_values

__all__ = ["Incumbent", "find_incumbent", "is_feasible", "start_vector"]

Trace = Callable[[float, float, float], None]  # (seconds, objective, bound)

_DIVE_ROUNDS = 8
_BANDS = (0.02, 0.06)  # |priced value − 1| below which a programme is in the core
_TOL = 1e-7
_SUB_MIP_S = 2.0  # the longest one neighbourhood is searched (a timed search)
_LITTLE = 0.2  # a sub-MIP stops when it can add less than this share of the gap
_COLWISE, _MAXIMIZE = 1, -1


@dataclass(frozen=True)
class Incumbent:
    """The best portfolio the heuristic found (column quantities), its value, the LP bound
    of the whole model, and which step found it."""

    quantities: NDArray[np.int64] | None
    objective: float
    bound: float
    found_by: str

    def gap(self) -> float:
        """Relative gap of the incumbent to the LP bound (∞ without an incumbent)."""
        if self.quantities is None:
            return math.inf
        return max(self.bound - self.objective, 0.0) / max(abs(self.objective), 1e-9)


def start_vector(f: Formulation, q_col: NDArray[np.int64]) -> NDArray[np.float64]:
    """The full column vector (quantities, starts, value-curve levels) of column quantities."""
    values = column_values(f, q_col)
    w = [
        float(values[f.first_col[i] : f.first_col[i] + f.n_cols[i]].sum()) for i, _, _ in f.returns
    ]
    return np.concatenate([q_col.astype(float), (q_col > 0).astype(float), np.array(w)])


def is_feasible(f: Formulation, q_col: NDArray[np.int64]) -> bool:
    """Whether column quantities meet every row and bound of the model (within 1e-7)."""
    x = start_vector(f, q_col)
    if x.size != f.matrix.shape[1]:
        return False
    if np.any(x < f.col_lower - _TOL) or np.any(x > f.col_upper + _TOL):
        return False
    activity = f.matrix @ x
    scale = 1.0 + np.abs(activity)
    return bool(
        np.all(activity >= f.row_lower - _TOL * scale)
        and np.all(activity <= f.row_upper + _TOL * scale)
    )


def _new(time_limit: float, gap: float = 0.0) -> _Highs:
    return new_highs(time_limit, gap)


def _pass(highs: _Highs, f: Formulation, lower: NDArray[np.float64], upper: NDArray[np.float64],
          integer: bool) -> None:  # fmt: skip
    m = f.matrix
    highs.passModel(
        m.shape[1], m.shape[0], m.nnz, _COLWISE, _MAXIMIZE, 0.0, f.col_cost, lower, upper,
        f.row_lower, f.row_upper, m.indptr.astype(np.int32), m.indices.astype(np.int32), m.data,
        (f.integer if integer else np.zeros(len(f.col_cost), dtype=bool)).astype(np.int32),
    )  # fmt: skip


class _Search:
    """State of one heuristic run: the LP, the bound, the incumbent, the clock."""

    def __init__(
        self,
        f: Formulation,
        deadline: float,
        gap: float,
        trace: Trace | None,
        sub_mip_nodes: int | None,
    ) -> None:
        self.f = f
        self.sub_mip_nodes = sub_mip_nodes
        self.k = f.n_columns
        self.deadline = deadline
        self.gap = gap
        self.trace = trace
        self.started = time.perf_counter()
        self.bound = math.inf
        self.best: NDArray[np.int64] | None = None
        self.value = -math.inf
        self.found_by = ""

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def done(self) -> bool:
        if self.best is None:
            return False
        return self.bound - self.value <= self.gap * max(abs(self.value), 1e-9)

    def offer(self, q_col: NDArray[np.int64] | None, step: str) -> None:
        if q_col is None or not is_feasible(self.f, q_col):
            return
        value = float(column_values(self.f, q_col).sum())
        if value > self.value + 1e-9:
            self.best, self.value, self.found_by = q_col.copy(), value, step
            if self.trace is not None:
                self.trace(time.perf_counter() - self.started, value, self.bound)

    def rounded(self, x: NDArray[np.float64]) -> NDArray[np.int64]:
        """The LP's quantities rounded down in the columns it starts (below ``lo``: off)."""
        f, k = self.f, self.k
        q = np.where(x[k : 2 * k] > 1 - 1e-6, np.floor(x[:k] + 1e-6), 0.0).astype(np.int64)
        return np.where(q >= f.lo[f.prog], q, 0)


def find_incumbent(
    f: Formulation,
    *,
    gap: float,
    seconds: float,
    trace: Trace | None = None,
    sub_mip_nodes: int | None = None,
) -> Incumbent:
    """The best portfolio found within ``seconds`` (may be ∞), stopping early within ``gap``
    of the LP bound (see the module docstring). ``trace(seconds, objective, bound)`` is
    called for every improvement.

    Each neighbourhood's sub-MIP is searched for at most ``_SUB_MIP_S`` seconds, or, with
    ``sub_mip_nodes``, for at most that many branch-and-bound nodes: then nothing but the
    ``seconds`` deadline reads the clock, and the same model gives the same incumbent on a
    quiet and on a loaded machine unless that deadline stops the search."""
    search = _Search(f, time.perf_counter() + seconds, gap, trace, sub_mip_nodes)
    lp = _new(max(seconds, 0.1))
    lower, upper = f.col_lower.copy(), f.col_upper.copy()
    _pass(lp, f, lower, upper, integer=False)
    lp.run()
    if lp.getModelStatus() != HighsModelStatus.kOptimal:
        search.offer(solve_greedy(f).quantities, "greedy")
        return _result(search)
    solution = lp.getSolution()
    x = np.asarray(solution.col_value)
    search.bound = float(f.col_cost @ x)
    k = search.k
    duals = np.asarray(solution.row_dual)
    prices = np.maximum(duals[slice(*f.blocks["envelope"])], 0.0)
    for candidate, step in (
        (solve_greedy(f), "greedy"),
        (fill_from_relaxation(f, x[:k], x[k : 2 * k], prices), "LP fill"),
    ):
        if candidate.feasible:
            search.offer(candidate.quantities, step)
    if search.done():
        return _result(search)
    x, duals, upper = _dive(search, lp, x, duals, lower, upper)
    search.offer(search.rounded(x), "LP dive")
    if search.done() or search.left() <= 0:
        return _result(search)
    priced = _priced_value(f, duals)
    fractional = _fractional(search, x)
    for band in _BANDS:
        core = fractional | (np.abs(priced) < band)
        _sub_mip(search, _fix_outside(search, core, x, upper), f"core ±{band:g}")
        if search.done() or search.left() <= 0:
            return _result(search)
    if search.best is not None:  # RINS: free where the incumbent and the LP disagree
        rounded = search.rounded(x)
        differ = np.zeros(f.n_programmes, dtype=bool)
        differ[f.prog[search.best != rounded]] = True
        core = differ | fractional | (np.abs(priced) < 2 * _BANDS[-1])
        _sub_mip(search, _fix_outside(search, core, x, upper), "RINS")
    return _result(search)


def _result(search: _Search) -> Incumbent:
    return Incumbent(search.best, search.value, search.bound, search.found_by)


def _dive(
    search: _Search,
    lp: _Highs,
    x: NDArray[np.float64],
    duals: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Fix fractional starts round by round (module docstring, step 1); the last LP
    solution, its row duals, and the column upper bounds with the closed starts."""
    f, k = search.f, search.k
    index = np.arange(len(lower), dtype=np.int32)
    for _ in range(_DIVE_ROUNDS):
        if search.left() <= 0:
            break
        y = x[k : 2 * k]
        total = np.bincount(f.prog, weights=y, minlength=f.n_programmes)
        most = np.maximum.reduceat(y, f.first_col)
        split = np.nonzero((total > 1e-6) & (most < 1 - 1e-6))[0]
        if split.size == 0:
            break
        trial_lower, trial_upper = lower.copy(), upper.copy()
        for i in split:
            cols = np.arange(f.first_col[i], f.first_col[i] + f.n_cols[i])
            keep = cols[int(np.argmax(y[cols]))] if total[i] >= 0.5 else -1
            for c in cols:
                if c == keep:
                    trial_lower[k + c] = 1.0
                else:
                    trial_upper[c] = trial_upper[k + c] = 0.0
        lp.changeColsBounds(len(index), index, trial_lower, trial_upper)
        lp.run()
        if lp.getModelStatus() != HighsModelStatus.kOptimal:
            break  # the forced starts do not fit together: keep the last LP
        lower, upper = trial_lower, trial_upper
        solution = lp.getSolution()
        x, duals = np.asarray(solution.col_value), np.asarray(solution.row_dual)
    return x, duals, upper


def _priced_value(f: Formulation, duals: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per programme, the best start column's (value − priced cost) / value at the duals
    of the envelope and area rows: ≫ 0 surely in, ≪ 0 surely out, near 0 the margin."""
    k = f.n_columns
    rows = np.concatenate([np.arange(*f.blocks["envelope"]), np.arange(*f.blocks["area"])])
    cost = f.matrix[rows][:, :k].T @ duals[rows]
    value = f.unit_value[f.prog]
    relative = np.where(value > 0, (value - cost) / np.maximum(value, 1e-12), -np.inf)
    relative = np.where(f.hi_col >= f.lo[f.prog], relative, -np.inf)
    best: NDArray[np.float64] = np.maximum.reduceat(relative, f.first_col)
    return best


def _fractional(search: _Search, x: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Programmes with a fractional start or quantity in the LP."""
    f, k = search.f, search.k
    q, y = x[:k], x[k : 2 * k]
    odd = (np.abs(q - np.rint(q)) > 1e-6) | ((y > 1e-6) & (y < 1 - 1e-6))
    mask = np.zeros(f.n_programmes, dtype=bool)
    mask[f.prog[odd]] = True
    return mask


def _fix_outside(
    search: _Search, core: NDArray[np.bool_], x: NDArray[np.float64], upper: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Bounds that fix every programme outside ``core`` at the rounded LP and open every
    start of the core; and the sub-MIP's start (the incumbent where it fits the fixing,
    else the rounded LP)."""
    f, k = search.f, search.k
    rounded = search.rounded(x)
    fixed = ~core[f.prog]
    lower, up = f.col_lower.copy(), f.col_upper.copy()
    lower[:k][fixed] = up[:k][fixed] = rounded[fixed]
    lower[k : 2 * k][fixed] = up[k : 2 * k][fixed] = (rounded[fixed] > 0).astype(float)
    del upper  # the core is opened to all its starts; the dive's closures stay outside it
    start = rounded
    if search.best is not None and np.array_equal(search.best[fixed], rounded[fixed]):
        start = search.best
    return lower, up, start


def _sub_mip(
    search: _Search,
    bounds: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]],
    step: str,
) -> None:
    """Solve the model with the given bounds from a start; offer what it finds."""
    f = search.f
    lower, upper, start = bounds
    left = search.left()
    if left <= 0.05:
        return
    target = search.bound / (1.0 + search.gap) if math.isfinite(search.bound) else math.inf
    sub_gap = max(search.gap / 4, 1e-6)
    if search.sub_mip_nodes is None:
        highs = _new(min(left, _SUB_MIP_S), sub_gap)
    else:
        highs = new_highs(left, sub_gap, {"mip_max_nodes": search.sub_mip_nodes})
    _pass(highs, f, lower, upper, integer=True)
    x0 = start_vector(f, start)
    if np.all(x0 >= lower - _TOL) and np.all(x0 <= upper + _TOL) and is_feasible(f, start):
        solution = HighsSolution()
        solution.col_value = x0
        highs.setSolution(solution)

    bound = search.bound

    def stop(kind: Any, message: str, out: Any, into: Any, data: Any) -> None:
        """Stop at the target, or once this neighbourhood cannot reach it and has little
        left to give: less than a fifth of what separates its incumbent from the bound."""
        del kind, message, data
        value, ceiling = float(out.mip_primal_bound), float(out.mip_dual_bound)
        if value >= target or (
            ceiling < target and ceiling - value < _LITTLE * max(bound - value, 0.0)
        ):
            into.user_interrupt = True

    highs.setCallback(stop, None)
    highs.startCallback(cb.HighsCallbackType.kCallbackMipInterrupt)
    highs.run()
    if highs.getInfo().primal_solution_status != kSolutionStatusFeasible:
        return
    x = np.asarray(highs.getSolution().col_value)
    k = search.k
    chosen = np.rint(x[k : 2 * k]) > 0
    search.offer(np.where(chosen, np.rint(x[:k]), 0).astype(np.int64), step)
