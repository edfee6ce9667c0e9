"""Quantiles and probabilities from merged block results."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["LEVELS", "hist_quantiles", "standard_error", "wilson_interval"]

Array = NDArray[np.float64]
LEVELS = (0.05, 0.25, 0.50, 0.75, 0.95)


def hist_quantiles(
    counts: NDArray[np.int64], top: float, low: float, high: float, scale: float = 1.0
) -> Array:
    """Quantiles at :data:`LEVELS` from bin counts over [0, top), clamped to [low, high].

    Within a bin the quantile is interpolated linearly; ``scale`` multiplies bin values (for
    histograms of ratios to a deterministic value).

    >>> import numpy as np
    >>> hist_quantiles(np.array([0, 10, 0, 0]), 4.0, 1.2, 1.2).tolist()
    [1.2, 1.2, 1.2, 1.2, 1.2]
    """
    total = counts.sum()
    if total == 0:
        return np.full(len(LEVELS), np.nan)
    width = top / len(counts)
    cumulative = np.cumsum(counts)
    out = []
    for level in LEVELS:
        rank = level * total
        i = int(np.searchsorted(cumulative, rank, side="left"))
        i = min(i, len(counts) - 1)
        before = cumulative[i - 1] if i > 0 else 0
        inside = counts[i]
        frac = (rank - before) / inside if inside else 0.0
        out.append((i + frac) * width * scale)
    clipped: Array = np.clip(np.array(out), low, high)
    return clipped


def standard_error(probability: float, draws: int) -> float:
    """Monte Carlo standard error of an estimated probability."""
    return float(np.sqrt(max(probability * (1 - probability), 0.0) / max(draws, 1)))


def wilson_interval(successes: int, draws: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a binomial probability (default 95 %).

    >>> [round(x, 4) for x in wilson_interval(900, 1000)]
    [0.8798, 0.9171]
    """
    if draws <= 0:
        return (0.0, 1.0)
    p = successes / draws
    denominator = 1 + z * z / draws
    centre = (p + z * z / (2 * draws)) / denominator
    half = z * float(np.sqrt(p * (1 - p) / draws + z * z / (4 * draws * draws))) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))
