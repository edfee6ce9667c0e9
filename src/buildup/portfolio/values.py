"""Value per unit of each programme and its value curve (diminishing returns).

With strategy weights, a programme's value per unit is ``Σ_m weight_m × value_m``;
otherwise its ``value``. A value curve is concave piecewise linear through (0, 0) over the
breakpoints ``(quantity, effective units)`` and flat after the last: value = value per unit ×
effective units. As segments: ``value(q) = min_j (intercept_j + slope_j q)`` [value points].
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from buildup.portfolio.model import PortfolioProblem

__all__ = ["effective_units", "unit_values", "value_curves"]

Array = NDArray[np.float64]


def unit_values(problem: PortfolioProblem) -> Array:
    """Value per unit of each programme [value points]."""
    weights = problem.strategy
    programmes = problem.catalogue.programmes
    if not weights:
        return np.array([p.value or 0.0 for p in programmes], dtype=float)
    return np.array(
        [sum(w * p.mission_values.get(m, 0.0) for m, w in weights.items()) for p in programmes],
        dtype=float,
    )


def value_curves(problem: PortfolioProblem, values: Array) -> tuple[tuple[int, Array, Array], ...]:
    """(programme, slopes, intercepts) of each concave value curve [value points]."""
    out = []
    for i, p in enumerate(problem.catalogue.programmes):
        if not p.diminishing_returns or values[i] <= 0:
            continue
        points = np.array(((0.0, 0.0), *p.diminishing_returns))
        slopes = np.diff(points[:, 1]) / np.diff(points[:, 0])
        intercepts = points[:-1, 1] - slopes * points[:-1, 0]
        # flat after the last breakpoint: more units add nothing
        curve = (np.append(slopes, 0.0), np.append(intercepts, points[-1, 1]))
        out.append((i, curve[0] * values[i], curve[1] * values[i]))
    return tuple(out)


def effective_units(problem: PortfolioProblem, i: int, quantity: float) -> float:
    """Effective units of ``quantity`` units of programme ``i`` (its value curve)."""
    points = problem.catalogue.programmes[i].diminishing_returns
    if not points:
        return float(quantity)
    qs = np.array([0.0, *(q for q, _ in points)])
    es = np.array([0.0, *(e for _, e in points)])
    return float(np.interp(quantity, qs, es))
