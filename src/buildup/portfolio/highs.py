"""HiGHS as every portfolio solve creates it: silent, seeded, with the presolve fix."""

from __future__ import annotations

import math
from collections.abc import Mapping

# The wrapper class ``highspy.Highs`` registers a logging callback in its constructor,
# which prints HiGHS's banner on stdout before any option can be set; the core class does
# not, so output can be switched off first.
from highspy._core import _Highs

Option = bool | int | float | str

__all__ = [
    "HEURISTIC_EFFORT",
    "PRESOLVE_RULES_OFF",
    "SEED",
    "Option",
    "highs_options",
    "new_highs",
]

SEED = 20260101
# More of HiGHS's time on primal heuristics (RINS, RENS, sub-MIPs) than its default 0.05:
# on catalogue-shaped instances the bound is tight early and the incumbent lags.
HEURISTIC_EFFORT = 0.5
# HiGHS 1.16's presolve rule 16 cuts off the optimum of some small degenerate portfolio
# models (found by the property tests: a wrong "optimal", or a false "infeasible"); it is off.
PRESOLVE_RULES_OFF = 1 << 16


def highs_options(time_limit: float | None, gap: float = 0.0) -> dict[str, Option]:
    """The options of every portfolio solve."""
    return {
        "output_flag": False,
        "random_seed": SEED,
        "mip_rel_gap": gap,
        "mip_heuristic_effort": HEURISTIC_EFFORT,
        "presolve_rule_off": PRESOLVE_RULES_OFF,
        "time_limit": math.inf if time_limit is None else float(time_limit),
    }


def new_highs(
    time_limit: float | None, gap: float = 0.0, extra: Mapping[str, Option] | None = None
) -> _Highs:
    """A silent HiGHS with the portfolio options (``extra`` overrides them)."""
    highs = _Highs()
    for name, value in {**highs_options(time_limit, gap), **(extra or {})}.items():
        highs.setOptionValue(name, value)
    return highs
