"""A chosen portfolio under cost growth, schedule slip and budget execution error.

Each selected programme ``i`` has a planned cost ``cost[i]`` [currency units] paid by its
profile from its start year. A draw multiplies the cost by a lognormal factor (median and
log-sd by capability area), delays the payments by whole years of slip (probabilities by
number of years), and moves each year's envelope by the execution error (actual budget =
envelope / (1 + error)). A year breaks its envelope when the outlays exceed the actual
budget. Value is delivered by programmes whose payments end within the envelope years.

The same block seeding as :mod:`buildup.risk.simulate` applies: block ``k`` draws from
``SeedSequence(seed, spawn_key=(k,))``, integer counts merge exactly and float sums are
added in block order, so results do not depend on chunking or workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from buildup.risk.simulate import BLOCK, block_rng

__all__ = [
    "PORTFOLIO_BLOCK",
    "PortfolioModel",
    "PortfolioResult",
    "draw_costs",
    "merge_portfolio",
    "portfolio_blocks",
    "simulate_portfolio",
    "simulate_portfolio_blocks",
]

Array = NDArray[np.float64]
PORTFOLIO_BLOCK = BLOCK // 4


@dataclass(frozen=True)
class PortfolioModel:
    """Arrays for a portfolio's Monte Carlo.

    ``cost`` [N] planned cost of each selection; ``profile`` [N × L] payment fractions;
    ``start`` [N] index of the start year in ``envelope``'s years; ``area`` [N] index into
    ``cost_median`` / ``cost_logsd``; ``slip`` probabilities of 0, 1, … years;
    ``envelope`` [T]; ``exec_mean`` / ``exec_sd`` [T]; ``value`` [N]. ``active`` switches
    the three drivers (cost growth, slip, execution) for the tornado.
    """

    cost: Array
    profile: Array
    start: NDArray[np.int64]
    area: NDArray[np.int64]
    cost_median: Array
    cost_logsd: Array
    slip: Array
    envelope: Array
    exec_mean: Array
    exec_sd: Array
    value: Array
    active: tuple[bool, bool, bool] = (True, True, True)


RATIO_TOP = 4.0  # the histogram of the worst year's outlays ÷ budget spans [0, 4)
RATIO_BINS = 8_000


@dataclass
class PortfolioResult:
    """Mergeable results: breach counts by year and in any year, value and outlay sums, and
    a histogram of each draw's worst year (outlays ÷ actual budget, the last bin open)."""

    draws: int
    breach: NDArray[np.int64]
    any_breach: int
    value_sums: list[tuple[int, float]] = field(default_factory=list)
    outlay_sums: list[tuple[int, Array]] = field(default_factory=list)
    ratio_counts: NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(RATIO_BINS, dtype=np.int64)
    )

    def ratio_quantile(self, level: float) -> float:
        """The ``level`` quantile of the worst year's outlays ÷ budget (upper bin edge)."""
        rank = int(np.ceil(level * self.draws))
        i = int(np.searchsorted(np.cumsum(self.ratio_counts), max(rank, 1), side="left"))
        return (min(i, RATIO_BINS - 1) + 1) * RATIO_TOP / RATIO_BINS

    def expected_value(self) -> float:
        """Mean value delivered, summing blocks in block order."""
        return sum(v for _, v in sorted(self.value_sums)) / self.draws

    def mean_outlays(self) -> Array:
        """Mean outlays by envelope year, summing blocks in block order."""
        total = np.zeros_like(self.breach, dtype=float)
        for _, values in sorted(self.outlay_sums, key=lambda pair: pair[0]):
            total = total + values
        result: Array = total / self.draws
        return result


def draw_costs(
    model: PortfolioModel, rng: np.random.Generator, n: int
) -> tuple[Array, NDArray[np.int64]]:
    """Cost factors [n × N] and slips in years [n × N] for ``n`` draws."""
    count = len(model.cost)
    normals = rng.standard_normal((n, count))
    uniforms = rng.random((n, count))
    factor = model.cost_median[model.area] * np.exp(model.cost_logsd[model.area] * normals)
    if not model.active[0]:
        factor = np.ones((n, count))
    slips = np.searchsorted(np.cumsum(model.slip), uniforms, side="right")
    slips = np.minimum(slips, len(model.slip) - 1)
    if not model.active[1]:
        slips = np.zeros_like(slips)
    return factor, slips.astype(np.int64)


def outlays_for(
    model: PortfolioModel,
    factor: Array,
    slips: NDArray[np.int64],
    keep: NDArray[np.bool_] | None = None,
) -> tuple[Array, Array]:
    """Outlays [n × T] within the envelope years, and the share of each programme's
    payments (its profile) that falls within them [n × N]."""
    n = factor.shape[0]
    t = len(model.envelope)
    length = model.profile.shape[1]
    outlays = np.zeros((n, t))
    paid = np.zeros((n, len(model.cost)))
    begins = model.start[None, :] + slips
    chosen = np.ones(len(model.cost), dtype=bool) if keep is None else keep
    for lag in range(length):
        year = begins + lag
        amount = model.cost * factor * model.profile[:, lag] * chosen
        inside = year < t
        paid += np.where(inside, model.profile[:, lag], 0.0)
        rows, cols = np.nonzero(inside & (amount > 0))
        np.add.at(outlays, (rows, year[rows, cols]), amount[rows, cols])
    return outlays, paid


def _block(model: PortfolioModel, seed: int, block: int, n: int) -> PortfolioResult:
    rng = block_rng(seed, block)
    factor, slips = draw_costs(model, rng, n)
    errors = rng.standard_normal((n, len(model.envelope)))
    outlays, paid = outlays_for(model, factor, slips)
    budget = model.envelope
    if model.active[2]:
        budget = model.envelope / (1.0 + model.exec_mean + model.exec_sd * errors)
    over = outlays > budget * (1 + 1e-12)
    value = float((paid * model.value).sum())
    worst = (outlays / np.maximum(budget, 1e-300)).max(axis=1) if len(model.envelope) else []
    bins = np.minimum(
        (np.asarray(worst) * (RATIO_BINS / RATIO_TOP)).astype(np.int64), RATIO_BINS - 1
    )
    return PortfolioResult(
        n,
        over.sum(axis=0).astype(np.int64),
        int(over.any(axis=1).sum()),
        [(block, value)],
        [(block, outlays.sum(axis=0))],
        np.bincount(bins, minlength=RATIO_BINS).astype(np.int64),
    )


def merge_portfolio(into: PortfolioResult, other: PortfolioResult) -> PortfolioResult:
    """Add ``other`` to ``into`` exactly."""
    into.draws += other.draws
    into.breach = into.breach + other.breach
    into.any_breach += other.any_breach
    into.ratio_counts = into.ratio_counts + other.ratio_counts
    into.value_sums.extend(other.value_sums)
    into.outlay_sums.extend(other.outlay_sums)
    return into


def simulate_portfolio(
    model: PortfolioModel, seed: int, draws: int, first_block: int = 0
) -> PortfolioResult:
    """Simulate ``draws`` in blocks numbered from ``first_block`` (another first block gives
    fresh draws from the same seed, e.g. for out-of-sample checks) and merge them."""
    return simulate_portfolio_blocks(model, seed, portfolio_blocks(draws, first_block))


def simulate_portfolio_blocks(
    model: PortfolioModel, seed: int, blocks: list[tuple[int, int]]
) -> PortfolioResult:
    """Simulate the given ``(block number, draws)`` blocks and merge them (a chunk)."""
    total = PortfolioResult(0, np.zeros(len(model.envelope), dtype=np.int64), 0)
    for block, size in blocks:
        merge_portfolio(total, _block(model, seed, block, size))
    return total


def portfolio_blocks(draws: int, first_block: int = 0) -> list[tuple[int, int]]:
    """``(block number, draws)`` of a run of ``draws`` starting at ``first_block``."""
    return [(first_block + i, size) for i, size in enumerate(block_sizes_for(draws))]


def block_sizes_for(draws: int) -> list[int]:
    """Draws per block for a portfolio run (smaller blocks: N × T per draw is larger)."""
    full, rest = divmod(draws, PORTFOLIO_BLOCK)
    return [PORTFOLIO_BLOCK] * full + ([rest] if rest else [])
