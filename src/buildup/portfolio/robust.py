"""A portfolio that holds: a chance-constrained choice by sample-average approximation.

Given ``S`` cost scenarios — per programme a cost factor and a slip in whole years, per
year the factor by which the actual budget differs from the envelope — the portfolio must
fit the envelopes as planned (the deterministic rows stay) and, in at least ``⌈α·S⌉`` of
the scenarios, fit every year's actual budget at the scenario's costs and timing. Each
scenario ``m`` gets a binary ``z_m`` and rows

    Σ_k A_m[t, k] · q_k + M_mt · z_m ≤ B_mt + M_mt      for every envelope year t
    Σ_m z_m ≥ ⌈α·S⌉

where ``A_m[t, k]`` is column ``k``'s outlay per unit in year ``t`` under scenario ``m``,
``B_mt`` the scenario's budget and ``M_mt`` the most the year could overshoot it (each
programme at its largest quantity in its costliest start year, minus ``B``, never negative):
with ``z_m = 1`` scenario ``m`` must hold. The result
is an ordinary :class:`~buildup.portfolio.results.Portfolio` of the original problem.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from buildup.errors import InputError
from buildup.portfolio.arrays import build_formulation, payment_matrix
from buildup.portfolio.explain import precheck
from buildup.portfolio.model import PortfolioProblem
from buildup.portfolio.results import Portfolio, Status, empty_portfolio
from buildup.portfolio.solve import DEFAULT_GAP, solve_formulation

__all__ = ["solve_robust"]


def solve_robust(
    problem: PortfolioProblem,
    factors: NDArray[np.float64],
    slips: NDArray[np.int64],
    budget_scale: NDArray[np.float64],
    alpha: float,
    *,
    gap: float = DEFAULT_GAP,
    time_limit: float | None = None,
) -> Portfolio:
    """The most valuable portfolio that holds in at least ``alpha`` of the scenarios.

    ``factors`` and ``slips`` are scenarios × programmes (the catalogue's order);
    ``budget_scale`` is scenarios × envelope years (actual budget / envelope).
    """
    if not 0.0 < alpha < 1.0:
        raise InputError(
            what="alpha", given=alpha, expected="a probability strictly between 0 and 1"
        )
    f = build_formulation(problem)
    reason = precheck(f)
    if reason is not None:
        return empty_portfolio(f, Status.INFEASIBLE, reason, 0.0)
    s_count, t_count, k_count = factors.shape[0], len(f.years), f.n_columns
    programmes = problem.catalogue.programmes
    profile = payment_matrix(programmes)
    width = profile.shape[1]
    unit = np.array([p.unit_cost for p in programmes]) / f.money_scale
    per_unit = unit[f.prog, None] * profile[f.prog]  # K × width
    base_year = f.start - int(f.years[0])
    rows, cols, coef = [], [], []
    for m in range(s_count):
        year = base_year[:, None] + np.arange(width)[None, :] + slips[m, f.prog][:, None]
        keep = (per_unit > 0) & (year < t_count)
        k_idx, j_idx = np.nonzero(keep)
        rows.append(m * t_count + year[k_idx, j_idx])
        cols.append(k_idx)
        coef.append(per_unit[k_idx, j_idx] * factors[m, f.prog[k_idx]])
    scenario_outlays = sp.csr_array(
        (np.concatenate(coef), (np.concatenate(rows), np.concatenate(cols))),
        shape=(s_count * t_count, k_count),
    )
    budget = (f.envelope[None, :] * budget_scale).ravel()
    # The most a year can cost: each programme at its largest quantity in its costliest start
    # year (only one start column of a programme can be open), summed over programmes.
    q_max = np.asarray(f.col_upper[:k_count])
    per_column = (scenario_outlays @ sp.diags_array(q_max)).toarray()
    worst = np.maximum.reduceat(per_column, f.first_col, axis=1).sum(axis=1)
    big_m = np.maximum(worst - budget, 0.0)
    n_old = f.matrix.shape[1]
    z_cols = n_old + np.repeat(np.arange(s_count), t_count)
    outlay_part = sp.hstack(
        [scenario_outlays, sp.csr_array((s_count * t_count, n_old - k_count))], format="csr"
    )
    z_part = sp.csr_array(
        (big_m, (np.arange(s_count * t_count), z_cols - n_old)), shape=(s_count * t_count, s_count)
    )
    count_row = sp.hstack([sp.csr_array((1, n_old)), sp.csr_array(np.ones((1, s_count)))])
    matrix = sp.vstack(
        [
            sp.hstack([f.matrix, sp.csr_array((f.matrix.shape[0], s_count))]),
            sp.hstack([outlay_part, z_part]),
            count_row,
        ],
        format="csc",
    )
    need = math.ceil(alpha * s_count - 1e-9)
    augmented = replace(
        f,
        matrix=matrix,
        row_lower=np.concatenate([f.row_lower, np.full(s_count * t_count, -np.inf), [need]]),
        row_upper=np.concatenate([f.row_upper, budget + big_m, [np.inf]]),
        col_lower=np.concatenate([f.col_lower, np.zeros(s_count)]),
        col_upper=np.concatenate([f.col_upper, np.ones(s_count)]),
        col_cost=np.concatenate([f.col_cost, np.zeros(s_count)]),
        integer=np.concatenate([f.integer, np.ones(s_count, dtype=bool)]),
    )
    return solve_formulation(augmented, gap=gap, time_limit=time_limit)
