"""Solve the portfolio MIP with HiGHS; shadow prices from the LP with the choices fixed.

The formulation (arrays in :mod:`buildup.portfolio.arrays`). For programme ``i`` with
start years ``s`` in ``S_i = [earliest_i, latest_i]``, one column ``k = (i, s)`` with

- ``y_k ∈ {0, 1}``: ``i`` starts in ``s``; ``Σ_s y_is ≤ 1`` (``= 1`` if mandatory);
- ``q_k`` integer, ``lo_i y_k ≤ q_k ≤ hi'_k y_k`` with ``lo_i = max(1, min_qty_i)`` and
  ``hi'_k = min(max_qty_i, min_t ⌊E_t / (c_i p_i[t − s])⌋)`` (what fits each year alone):
  the quantity is 0 or in range, and only in the chosen start year. Disaggregating the
  quantity by start year makes each programme's own polytope integral (the convex hull of
  "off, or start in ``s`` with ``lo–hi`` units"), the tight link between quantity and start.
- outlays: column ``k`` pays ``c_i q_k p_i[t − s]`` in year ``t`` (``c``: unit cost,
  ``p``: payment profile); ``Σ_k outlay_kt ≤ E_t`` in every envelope year ``t``; outlays
  after the last envelope year are not constrained (the committed tail).
- requires ``i → j``: ``Σ_s y_is ≤ Σ_s y_js``; exclusive group ``g``: ``Σ_{i∈g,s} y_is ≤ 1``.
- area limits (``h_k``: column ``k``'s outlays per unit within the horizon):
  ``Σ_k h_k (1[area_k = a] − min_a) q_k ≥ 0`` and ``Σ_k h_k (1[area_k = a] − max_a) q_k ≤ 0``.
- objective: maximise ``Σ_k v_i q_k`` with ``v_i`` the value per unit (or ``Σ_m w_m v_im``
  with strategy weights); for a programme with diminishing returns, ``v_i e_i(q)`` with
  ``e_i`` concave piecewise linear through (0, 0): a variable ``w_i`` under every segment,
  ``w_i ≤ v_i (slope_j Σ_s q_is + intercept_j Σ_s y_is)``.
- symmetry breaking: of identical, unlinked programmes the earlier is chosen first.

The solve: build the arrays; test necessary conditions (:mod:`~buildup.portfolio.explain`)
and return "infeasible" with a reason in domain words if one fails; run the primal heuristic
(:mod:`~buildup.portfolio.heuristic`: LP, start-year diving, core sub-MIPs and RINS), which
stops early when the LP bound already proves its portfolio within the asked gap; otherwise
run the MIP from its incumbent; fix the chosen programmes and start years and solve the LP
over quantities for the envelopes' shadow prices.
If HiGHS proves infeasibility after the prechecks passed, the elastic model (slack on the
envelopes and area limits, least total slack) says how much money was missing, and where.

HiGHS runs silently (``output_flag`` off) with a fixed random seed, so that the same input
gives the same portfolio (a run stopped by a time limit is the exception: where it stops
depends on the machine; so are the heuristic's neighbourhoods, searched for at most 2 s
each, unless ``deterministic`` bounds them by node counts instead). A solve that is not
optimal returns a status; only a solver failure raises :class:`~buildup.errors.SolverError`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from highspy import HighsModelStatus, HighsSolution, kSolutionStatusFeasible
from highspy._core import _Highs, cb
from numpy.typing import NDArray

from buildup.errors import SolverError
from buildup.portfolio.arrays import Formulation, build_formulation
from buildup.portfolio.explain import area_note, describe_shortfall, precheck
from buildup.portfolio.heuristic import Trace, find_incumbent, is_feasible, start_vector
from buildup.portfolio.highs import new_highs
from buildup.portfolio.model import PortfolioProblem
from buildup.portfolio.results import (
    Portfolio,
    Status,
    column_values,
    empty_portfolio,
    portfolio_from_quantities,
)

__all__ = [
    "DEFAULT_GAP",
    "solve_formulation",
    "solve_heuristic_first",
    "solve_portfolio",
]

DEFAULT_GAP = 1e-4
# The primal heuristic gets at most this share of a time limit (and this long without one).
HEURISTIC_SHARE = 0.5
HEURISTIC_MAX_S = 30.0
# A deterministic solve bounds each heuristic neighbourhood by this many branch-and-bound
# nodes instead of 2 s. On the N = 1,000 benchmark catalogues the 2 s cap stopped the
# slow sub-MIPs at their root (≤ 1 node); 50 nodes took up to 7 s there, and ≤ 0.1 s on the
# Japan catalogue, where every neighbourhood ends at its root.
DETERMINISTIC_SUB_MIP_NODES = 50
_PROVED = 1e-9  # a relative gap at or below this counts as proved optimal
_ABS_GAP = 1e-6  # HiGHS's mip_abs_gap [value points]: within it, optimality is proved
_COLWISE, _MAXIMIZE, _MINIMIZE = 1, -1, 1
_PRESOLVE_TROUBLE = {
    HighsModelStatus.kInfeasible,
    HighsModelStatus.kSolveError,
    HighsModelStatus.kPresolveError,
    HighsModelStatus.kPostsolveError,
}
_STOPPED = {
    HighsModelStatus.kTimeLimit,
    HighsModelStatus.kIterationLimit,
    HighsModelStatus.kSolutionLimit,
    HighsModelStatus.kInterrupt,
    HighsModelStatus.kObjectiveBound,
    HighsModelStatus.kObjectiveTarget,
}


def _highs(time_limit: float | None, gap: float = 0.0) -> _Highs:
    return new_highs(time_limit, gap)


def _pass(
    highs: _Highs,
    matrix: sp.csc_array,
    cost: NDArray[np.float64],
    bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    rows: tuple[NDArray[np.float64], NDArray[np.float64]],
    integer: NDArray[np.bool_],
    sense: int,
) -> None:
    status = highs.passModel(
        matrix.shape[1],
        matrix.shape[0],
        matrix.nnz,
        _COLWISE,
        sense,
        0.0,
        cost,
        bounds[0],
        bounds[1],
        rows[0],
        rows[1],
        matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data,
        integer.astype(np.int32),
    )
    if status.name == "kError":
        raise SolverError("HiGHS rejected the portfolio model; this is a bug, please report it")


def solve_portfolio(
    problem: PortfolioProblem,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    warm_start: bool = True,
    trace: Trace | None = None,
    deterministic: bool = False,
) -> Portfolio:
    """Choose programmes, quantities and start years of the most value within the envelopes.

    ``gap`` is the relative MIP gap at which to stop (0: prove optimality); ``time_limit``
    [seconds]. ``warm_start=False`` skips the primal heuristic (HiGHS alone). ``trace``
    is called with (seconds, objective, bound) as the incumbent or the bound improves.
    ``deterministic``: no step but ``time_limit`` depends on the clock (see
    :func:`solve_heuristic_first`). The result's ``status`` says how the solve ended; it
    never raises for an infeasible problem or a time limit.
    """
    started = time.perf_counter()
    f = build_formulation(problem)
    reason = precheck(f)
    if reason is not None:
        return empty_portfolio(f, Status.INFEASIBLE, reason, time.perf_counter() - started)
    if not warm_start:
        result = solve_formulation(f, gap=gap, time_limit=time_limit, started=started, trace=trace)
    else:
        result = solve_heuristic_first(
            f, gap=gap, time_limit=time_limit, started=started, trace=trace,
            deterministic=deterministic,
        )  # fmt: skip
    if trace is not None and result.has_solution:
        trace(result.seconds, result.objective, result.bound)
    return result


def solve_heuristic_first(
    f: Formulation,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    started: float | None = None,
    trace: Trace | None = None,
    deterministic: bool = False,
) -> Portfolio:
    """The primal heuristic (:mod:`~buildup.portfolio.heuristic`), then HiGHS on the whole
    model from its incumbent — unless the LP bound already proves the incumbent within
    ``gap``. The heuristic gets at most ``HEURISTIC_SHARE`` of ``time_limit``.

    ``deterministic``: the heuristic's neighbourhoods are bounded by node counts
    (``DETERMINISTIC_SUB_MIP_NODES``) and the heuristic by ``time_limit`` alone (none:
    unbounded), so that only ``time_limit`` reads the clock: the same model gives the same
    portfolio on a quiet and on a loaded machine unless ``time_limit`` stops the solve."""
    started = time.perf_counter() if started is None else started
    if deterministic:
        budget = math.inf if time_limit is None else time_limit
    else:
        cap = math.inf if time_limit is None else HEURISTIC_SHARE * time_limit
        budget = min(HEURISTIC_MAX_S, cap)
    since = time.perf_counter() - started

    def shifted(seconds: float, objective: float, bound: float) -> None:
        if trace is not None:
            trace(since + seconds, objective, bound)

    nodes = DETERMINISTIC_SUB_MIP_NODES if deterministic else None
    found = find_incumbent(f, gap=gap, seconds=budget, trace=shifted, sub_mip_nodes=nodes)
    if found.quantities is not None and gap > 0 and found.gap() <= gap:
        return _finish(f, found.quantities, Status.FEASIBLE, found.bound, started)
    left = None if time_limit is None else max(time_limit - (time.perf_counter() - started), 0.1)
    return solve_formulation(
        f, gap=gap, time_limit=left, start=found.quantities, started=started,
        bound=found.bound, trace=trace,
    )  # fmt: skip


def solve_formulation(
    f: Formulation,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
    start: NDArray[np.int64] | None = None,
    started: float | None = None,
    bound: float = math.inf,
    trace: Trace | None = None,
) -> Portfolio:
    """Solve a built formulation, optionally from a feasible start (column quantities);
    ``bound``: a known upper bound of the optimum (e.g. the LP's)."""
    started = time.perf_counter() if started is None else started
    highs = _run(f, gap, time_limit, start, presolve="choose", trace=(trace, started, bound))
    if _suspect(f, highs):
        # HiGHS 1.16's presolve can mis-handle small degenerate models (a false
        # "infeasible", a solve error, or the start returned under a better objective):
        # such a result is checked by solving again without presolve.
        highs = _run(f, gap, time_limit, start, presolve="off", trace=(trace, started, bound))
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    found = info.primal_solution_status == kSolutionStatusFeasible
    if model_status == HighsModelStatus.kInfeasible:
        return empty_portfolio(
            f, Status.INFEASIBLE, _explain(f, time_limit), time.perf_counter() - started
        )
    if model_status not in _STOPPED and model_status != HighsModelStatus.kOptimal:
        raise SolverError(
            f"HiGHS stopped with status {highs.modelStatusToString(model_status)}; "
            "try again with a time limit, or report the input that causes it"
        )
    if not found:
        return empty_portfolio(
            f, Status.TIME_LIMIT, "no portfolio found within the time limit; raise the time limit",
            time.perf_counter() - started,
        )  # fmt: skip
    x = np.asarray(highs.getSolution().col_value)
    k = f.n_columns
    chosen = np.rint(x[k : 2 * k]) > 0
    q_col = np.where(chosen, np.rint(x[:k]), 0).astype(np.int64)
    status = Status.FEASIBLE if model_status == HighsModelStatus.kOptimal else Status.TIME_LIMIT
    return _finish(f, q_col, status, min(float(info.mip_dual_bound), bound), started)


def _finish(
    f: Formulation, q_col: NDArray[np.int64], status: Status, bound: float, started: float
) -> Portfolio:
    """The portfolio of column quantities with its gap to ``bound`` (optimal if proved)."""
    objective = float(column_values(f, q_col).sum())
    bound = max(bound, objective) + 0.0  # no -0.0
    proved = bound - objective <= max(_ABS_GAP, _PROVED * abs(objective))
    achieved = 0.0 if proved else (bound - objective) / max(abs(objective), 1e-9)
    if proved:
        status = Status.OPTIMAL
    note = area_note(f)
    return portfolio_from_quantities(
        f,
        q_col,
        status=status,
        objective=objective,
        bound=bound,
        gap=achieved,
        duals=_shadow_prices(f, q_col),
        seconds=time.perf_counter() - started,
        notes=(note,) if note else (),
    )


def _run(
    f: Formulation,
    gap: float,
    time_limit: float | None,
    start: NDArray[np.int64] | None,
    presolve: str,
    trace: tuple[Trace | None, float, float] = (None, 0.0, math.inf),
) -> _Highs:
    highs = _highs(time_limit, gap)
    highs.setOptionValue("presolve", presolve)
    _pass(
        highs, f.matrix, f.col_cost, (f.col_lower, f.col_upper), (f.row_lower, f.row_upper),
        f.integer, _MAXIMIZE,
    )  # fmt: skip
    if start is not None and is_feasible(f, start):
        solution = HighsSolution()
        solution.col_value = start_vector(f, start)
        highs.setSolution(solution)
    report, started, bound = trace
    if report is not None:
        _follow(highs, report, started, bound)
    highs.run()
    return highs


def _follow(highs: _Highs, report: Trace, started: float, bound: float) -> None:
    """Call ``report(seconds, objective, bound)`` whenever HiGHS's incumbent or bound moves."""
    last = [-math.inf, math.inf]

    def seen(kind: Any, message: str, out: Any, into: Any, data: Any) -> None:
        del kind, message, into, data
        value, ceiling = float(out.mip_primal_bound), min(float(out.mip_dual_bound), bound)
        if math.isfinite(value) and (value > last[0] or ceiling < last[1]):
            last[0], last[1] = value, ceiling
            report(time.perf_counter() - started, value, ceiling)

    highs.setCallback(seen, None)
    highs.startCallback(cb.HighsCallbackType.kCallbackMipImprovingSolution)
    highs.startCallback(cb.HighsCallbackType.kCallbackMipInterrupt)


def _suspect(f: Formulation, highs: _Highs) -> bool:
    """Whether HiGHS's answer contradicts itself or ends in a presolve failure."""
    status = highs.getModelStatus()
    if status in _PRESOLVE_TROUBLE:
        return True
    info = highs.getInfo()
    if info.primal_solution_status != kSolutionStatusFeasible:
        return False
    value = float(f.col_cost @ np.asarray(highs.getSolution().col_value))
    reported = float(info.objective_function_value)
    return abs(value - reported) > 1e-6 * max(1.0, abs(reported))


def _shadow_prices(f: Formulation, q_col: NDArray[np.int64]) -> NDArray[np.float64]:
    """Envelope duals [value per model money unit] of the LP with the programmes and start
    years fixed as chosen and their quantities continuous within [lo, max_qty].

    Only the rows that involve quantities are kept (envelopes, area limits, value curves):
    the links carry the envelope-derived bound hi', which would take the price from the
    envelope's row; the rows on start choices are constant once the choices are fixed.
    """
    k = f.n_columns
    chosen = (q_col > 0).astype(float)
    lower, upper = f.col_lower.copy(), f.col_upper.copy()
    lower[k : 2 * k] = upper[k : 2 * k] = chosen
    lower[:k] = chosen * f.lo[f.prog]  # a chosen programme keeps at least its minimum
    upper[:k] = chosen * f.hi[f.prog]
    rows = np.concatenate([np.arange(*f.blocks[b]) for b in ("envelope", "area", "returns")])
    highs = _highs(None)
    _pass(
        highs, sp.csc_array(f.matrix[rows]), f.col_cost, (lower, upper),
        (f.row_lower[rows], f.row_upper[rows]), np.zeros(len(f.col_cost), dtype=bool),
        _MAXIMIZE,
    )  # fmt: skip
    highs.run()
    solution = highs.getSolution()
    if highs.getModelStatus() != HighsModelStatus.kOptimal or not solution.dual_valid:
        return np.zeros(len(f.years))
    duals = np.asarray(solution.row_dual)[: len(f.years)]
    # For a maximisation HiGHS reports d(objective)/d(bound): ≥ 0 on an upper-bound row.
    return np.asarray(np.maximum(duals, 0.0), dtype=np.float64)


def _explain(f: Formulation, time_limit: float | None) -> str:
    """The elastic model: slack on envelopes and area limits, least total slack."""
    rows = f.matrix.shape[0]
    env = list(f.rows("envelope"))
    area = list(f.rows("area"))
    sign = [-1.0] * len(env) + [1.0 if f.row_lower[r] == 0.0 else -1.0 for r in area]
    slack = sp.csc_array(
        (sign, (env + area, np.arange(len(env) + len(area)))), shape=(rows, len(sign))
    )
    matrix = sp.hstack([f.matrix, slack], format="csc")
    n = f.matrix.shape[1]
    scale = np.concatenate([np.ones(len(env)), np.ones(len(area))])
    cost = np.concatenate([np.zeros(n), scale])
    lower = np.concatenate([f.col_lower, np.zeros(len(sign))])
    upper = np.concatenate([f.col_upper, np.full(len(sign), math.inf)])
    integer = np.concatenate([f.integer, np.zeros(len(sign), dtype=bool)])
    highs = _highs(min(10.0, time_limit or 10.0))
    _pass(
        highs, sp.csc_array(matrix), cost, (lower, upper), (f.row_lower, f.row_upper), integer,
        _MINIMIZE,
    )  # fmt: skip
    highs.run()
    if highs.getInfo().primal_solution_status != kSolutionStatusFeasible:
        return describe_shortfall(f, [], {})
    x = np.asarray(highs.getSolution().col_value)[n:]
    by_area: dict[str, float] = {}
    for j, r in enumerate(area):
        name = f.area_rows[r - area[0]]
        by_area[name] = by_area.get(name, 0.0) + float(x[len(env) + j])
    return describe_shortfall(f, [float(v) for v in x[: len(env)]], by_area)
