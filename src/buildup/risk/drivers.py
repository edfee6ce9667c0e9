"""The random drivers and their calibration from history.

- Real GDP growth, inflation (GDP deflator) and the exchange rate are drawn jointly: yearly
  shocks in log terms, normal with the covariance of the country's history over a window
  (default 1995–2024), around the deterministic plan's path. Shocks are independent across
  years and accumulate in levels (a random walk around the plan): an assumption that
  ignores mean reversion and so errs on the wide side.
- Budget execution error: horizon-dependent, from CBO's evaluation of its own US
  defence-discretionary outlay projections (bundled ``cbo_errors``: mean error and RMSE by
  years ahead, 1998–2025). The error is defined as (projection − actual) / actual, so actual
  spending = planned / (1 + error), error ~ Normal(mean_h, sd_h) with sd_h² = RMSE_h² − mean_h².
  Applying US projection errors to another country's budget is an assumption.
- Programme cost growth: lognormal factor per capability area; default median 1.20 and
  log-sd 0.15, so that the 5th–95th percentile range (0.94–1.53) covers RAND TR-343's
  procurement cost-growth factors of 1.16–1.65 (Arena et al., 2006) around a mean of about
  1.21; RAND RB-236 reports about 46 % average growth for completed US programmes over their
  Milestone B estimates, a lifetime figure beyond a five-year plan. Analyst's parameters.
- Schedule slip: whole years of delay, default P(0, 1, 2 years) = (0.6, 0.3, 0.1), an
  analyst's assumption.

>>> import numpy as np
>>> mean, sd = execution_error(np.array([1, 2]), np.array([0.0, 0.7]), np.array([1.2, 1.7]))
>>> [round(float(x), 4) for x in sd]
[0.012, 0.0155]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from buildup.errors import InputError

__all__ = [
    "COST_GROWTH_DEFAULT",
    "DRIVERS",
    "SLIP_DEFAULT",
    "MacroFit",
    "cholesky",
    "execution_error",
    "fit_macro",
]

Array = NDArray[np.float64]
DRIVERS = ("gdp_growth", "inflation", "exchange_rate", "execution")
COST_GROWTH_DEFAULT = (1.20, 0.15)  # median factor, log-sd (see the module docstring)
SLIP_DEFAULT = (0.6, 0.3, 0.1)  # P(0, 1, 2 years of delay)
MIN_YEARS = 10


@dataclass(frozen=True)
class MacroFit:
    """Yearly log-shock covariance of (real growth, inflation, exchange rate) and its sample."""

    cov: Array
    years: tuple[int, int]
    observations: int
    source: str


def fit_macro(
    years: NDArray[np.int64],
    real_growth_pct: Array,
    deflator: Array,
    rate: Array,
    window: tuple[int, int],
    source: str,
    units: Sequence[str] = (),
) -> MacroFit:
    """Fit the covariance of yearly log changes over ``window`` (years with all three series).

    ``real_growth_pct`` is in percent; ``deflator`` and ``rate`` are levels. A currency that
    never moves (a peg) gives a zero exchange-rate variance, which is kept. ``units`` (the
    currency code of each year's rate, ``""`` where unknown) leaves out the year the unit
    changes: a euro adoption (1,936.27 lire to the euro) is a new unit, not a market move.
    """
    g = np.log1p(real_growth_pct / 100.0)
    infl = np.log(deflator[1:] / deflator[:-1])
    fx = np.log(rate[1:] / rate[:-1])
    ys = years[1:]
    stack = np.column_stack([g[1:], infl, fx])
    keep = (ys >= window[0]) & (ys <= window[1]) & ~np.isnan(stack).any(axis=1)
    if units:
        code = np.asarray(units, dtype=object)
        keep &= ~((code[1:] != code[:-1]) & (code[1:] != "") & (code[:-1] != ""))
    sample = stack[keep]
    if len(sample) < MIN_YEARS:
        raise InputError(
            what="risk.window",
            given=f"{window[0]}–{window[1]}",
            problem=f"only {len(sample)} years with GDP growth, deflator and exchange rate "
            f"({MIN_YEARS} needed to fit their covariance)",
            fix="widen risk.window or give risk.covariance",
        )
    cov = np.cov(sample, rowvar=False)
    return MacroFit(cov, window, len(sample), source)


def cholesky(cov: Array, what: str) -> Array:
    """The lower Cholesky factor of a covariance, or a one-line error naming its key ``what``
    (``risk.covariance``) if it is not valid.

    Zero variances (a pegged currency) are allowed: their rows and columns are dropped from
    the factorisation and get zero shocks.
    """
    cov = np.asarray(cov, dtype=float)
    if cov.shape != (3, 3) or not np.allclose(cov, cov.T):
        raise InputError(what=what, expected="a symmetric 3×3 matrix")
    if (np.diag(cov) < 0).any():
        raise InputError(
            what=what, problem="the covariance has a negative variance", fix="variances are ≥ 0"
        )
    live = np.diag(cov) > 0
    factor = np.zeros((3, 3))
    if live.any():
        sub = cov[np.ix_(live, live)]
        try:
            factor[np.ix_(live, live)] = np.linalg.cholesky(sub)
        except np.linalg.LinAlgError as exc:
            raise InputError(
                what=what,
                problem="the covariance is not positive definite",
                fix="check the correlations",
            ) from exc
    return factor


def execution_error(
    years_ahead: NDArray[np.int64], mean_pct: Array, rmse_pct: Array
) -> tuple[Array, Array]:
    """Mean and standard deviation of the execution error by horizon [fractions]."""
    mean = mean_pct / 100.0
    sd = np.sqrt(np.maximum(rmse_pct**2 - mean_pct**2, 0.0)) / 100.0
    order = np.argsort(years_ahead)
    return mean[order], sd[order]
