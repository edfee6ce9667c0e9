"""Monte Carlo of a plan, block by block, with results that merge exactly.

Randomness: block ``k`` of :data:`BLOCK` draws uses its own generator,
``Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``, and draws in a fixed order. A run is
a set of blocks; how blocks are grouped into chunks or spread over workers does not change
any draw. Block results are integer histograms, counts, minima and maxima, exact under any
order — so a seed gives bit-identical results whatever the chunk size and the number of
workers. Memory is
bounded by the chunk.

Quantiles come from fine histograms (share of GDP: 1e-5 wide bins over [0, 0.25]; spending:
2e-4 of the deterministic value over [0, 4)), interpolated within the bin and clamped to the
exact minimum and maximum — so with zero volatility every quantile is the deterministic
value exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from buildup.money import to_usd

__all__ = [
    "BLOCK",
    "BlockResult",
    "PackedCounts",
    "PackedResult",
    "PlanModel",
    "TargetSpec",
    "block_rng",
    "merge",
    "pack",
    "pack_counts",
    "simulate_blocks",
    "simulate_packed",
    "unpack",
]


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The generator of draw stream ``block`` of a run seeded ``seed``: the one place random
    numbers are made (``Generator(PCG64(SeedSequence(seed, spawn_key=(block,))))``), so a
    block's draws depend on the seed and the block's number only — never on chunking or
    workers. Blocks of plan and portfolio draws count from 0; other streams (the robust
    portfolio's in-sample scenarios) use a key of their own far above any block.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


Array = NDArray[np.float64]
BLOCK = 16_384
SHARE_BINS, SHARE_MAX = 25_000, 0.25
RATIO_BINS, RATIO_MAX = 20_000, 4.0
SHORT_BINS, SHORT_MAX = 10_000, 0.10
_MATMUL_ROWS = 8_192


@dataclass(frozen=True)
class TargetSpec:
    """A target: definition index, year index, the share to reach, and the rounding step."""

    definition: int
    year: int
    share: float
    round_to: float | None = None

    def threshold(self) -> float:
        """The share at or above which the target counts as met (after rounding)."""
        if self.round_to is None:
            return self.share
        return self.share - self.round_to / 2.0


@dataclass(frozen=True)
class PlanModel:
    """Everything a draw needs, as arrays over the plan's years (index 0 = first year).

    ``chol`` is the lower Cholesky factor of the yearly log-shock covariance of (real growth,
    inflation, exchange rate); ``macro_active`` / ``budget_active`` mark the years that are
    uncertain; ``a``, ``b`` [definitions × years] give each definition as ``a·budget + b``;
    ``den_fixed`` holds a fixed denominator or NaN where the definition uses current GDP.
    ``active`` switches drivers on (for the tornado): gdp_growth, inflation, exchange_rate,
    execution.
    """

    budget: Array
    gdp: Array
    price: Array
    fx: Array
    macro_active: NDArray[np.bool_]
    budget_active: NDArray[np.bool_]
    chol: Array
    exec_mean: Array
    exec_sd: Array
    a: Array
    b: Array
    den_fixed: Array
    targets: tuple[TargetSpec, ...]
    primary: int
    active: tuple[bool, bool, bool, bool] = (True, True, True, True)


@dataclass
class BlockResult:
    """Mergeable results of some blocks of draws."""

    draws: int
    met: NDArray[np.int64]  # draws that meet each target strictly (share >= target)
    share_hist: NDArray[np.int64]
    share_min: Array
    share_max: Array
    spend_hist: NDArray[np.int64]
    spend_min: Array
    spend_max: Array
    usd_hist: NDArray[np.int64]
    usd_min: Array
    usd_max: Array
    short_hist: NDArray[np.int64]
    # Draws that meet each target once the share is rounded half up to its step (= ``met``
    # for a target without rounding).
    met_rounded: NDArray[np.int64] | None = None


def _empty(model: PlanModel) -> BlockResult:
    d, t = model.a.shape
    k = len(model.targets)
    return BlockResult(
        draws=0,
        met=np.zeros(k, dtype=np.int64),
        met_rounded=np.zeros(k, dtype=np.int64),
        share_hist=np.zeros((d, t, SHARE_BINS), dtype=np.int64),
        share_min=np.full((d, t), np.inf),
        share_max=np.full((d, t), -np.inf),
        spend_hist=np.zeros((t, RATIO_BINS), dtype=np.int64),
        spend_min=np.full(t, np.inf),
        spend_max=np.full(t, -np.inf),
        usd_hist=np.zeros((t, RATIO_BINS), dtype=np.int64),
        usd_min=np.full(t, np.inf),
        usd_max=np.full(t, -np.inf),
        short_hist=np.zeros((k, SHORT_BINS), dtype=np.int64),
    )


def _hist(values: Array, top: float, bins: int) -> NDArray[np.int64]:
    """Counts per bin per row: ``values`` is rows × draws; returns rows × bins.

    Values beyond the range go to the end bins; NaN (a definition without a value that
    year) is counted nowhere.
    """
    rows = values.shape[0]
    scaled = values * (bins / top)
    np.clip(scaled, 0, bins - 1, out=scaled)
    missing = np.isnan(scaled)
    has_missing = bool(missing.any())
    if has_missing:
        scaled[missing] = 0.0
    index = scaled.astype(np.int64)
    if has_missing:
        index[missing] = bins
    index += (np.arange(rows) * (bins + 1))[:, None]
    counts = np.bincount(index.ravel(), minlength=rows * (bins + 1)).reshape(rows, bins + 1)
    return counts[:, :bins]


def draw_block(model: PlanModel, seed: int, block: int, n: int = BLOCK) -> BlockResult:
    """Simulate block ``block`` of ``n`` draws (the last block of a run may be shorter).

    Arrays are years × draws (the running sum over years then adds whole rows), and the
    definitions are handled one at a time, to keep passes over memory few.
    """
    rng = block_rng(seed, block)
    t = len(model.budget)
    on = np.array(model.active[:3], dtype=float)
    normals = rng.standard_normal((t * n, 3))
    factor = (model.chol * on[:, None]).T
    shocks = np.empty_like(normals)
    # In slices that OpenBLAS multiplies on one thread: over the whole array it starts its
    # threads, which on a busy machine spin for a core and made this 3×3 product 25x slower
    # (0.2 s a block). Each row is computed the same way either way: the same numbers.
    for i in range(0, len(normals), _MATMUL_ROWS):
        np.matmul(normals[i : i + _MATMUL_ROWS], factor, out=shocks[i : i + _MATMUL_ROWS])
    shocks = shocks.reshape(t, n, 3)
    errors = rng.standard_normal((t, n))
    if not model.macro_active.all():
        shocks[~model.macro_active] = 0.0
    np.cumsum(shocks, axis=0, out=shocks)
    gdp = model.gdp[:, None] * np.exp(shocks[:, :, 0] + shocks[:, :, 1])
    fx = model.fx[:, None] * np.exp(shocks[:, :, 2])
    if model.active[3] and model.budget_active.any():
        sd = np.where(model.budget_active, model.exec_sd, 0.0)[:, None]
        mean = np.where(model.budget_active, model.exec_mean, 0.0)[:, None]
        budget = model.budget[:, None] / (1.0 + mean + sd * errors)
    else:
        budget = np.broadcast_to(model.budget[:, None], (t, n))
    d_count, k_count = model.a.shape[0], len(model.targets)
    out = BlockResult(
        draws=n,
        met=np.zeros(k_count, dtype=np.int64),
        met_rounded=np.zeros(k_count, dtype=np.int64),
        share_hist=np.empty((d_count, t, SHARE_BINS), dtype=np.int64),
        share_min=np.empty((d_count, t)),
        share_max=np.empty((d_count, t)),
        spend_hist=np.empty((t, RATIO_BINS), dtype=np.int64),
        spend_min=np.empty(t),
        spend_max=np.empty(t),
        usd_hist=np.empty((t, RATIO_BINS), dtype=np.int64),
        usd_min=np.empty(t),
        usd_max=np.empty(t),
        short_hist=np.zeros((k_count, SHORT_BINS), dtype=np.int64),
    )
    targets_by_definition: dict[int, list[int]] = {}
    for k, target in enumerate(model.targets):
        targets_by_definition.setdefault(target.definition, []).append(k)
    for d in range(d_count):
        total = model.a[d][:, None] * budget + model.b[d][:, None]
        den = gdp if np.isnan(model.den_fixed[d]).all() else model.den_fixed[d][:, None]
        share = total / den
        out.share_hist[d] = _hist(share, SHARE_MAX, SHARE_BINS)
        out.share_min[d] = share.min(axis=1)
        out.share_max[d] = share.max(axis=1)
        for k in targets_by_definition.get(d, ()):
            target = model.targets[k]
            row = share[target.year]
            met = row >= target.share
            out.met[k] = int(met.sum())
            assert out.met_rounded is not None
            out.met_rounded[k] = int((row >= target.threshold()).sum())
            out.short_hist[k] = _hist((target.share - row[~met])[None, :], SHORT_MAX, SHORT_BINS)[0]
        if d == model.primary:
            det = (model.a[d] * model.budget + model.b[d])[:, None]
            out.spend_hist = _hist(total / det, RATIO_MAX, RATIO_BINS)
            out.spend_min = total.min(axis=1)
            out.spend_max = total.max(axis=1)
            usd = to_usd(total, fx)
            out.usd_hist = _hist(usd / to_usd(det, model.fx[:, None]), RATIO_MAX, RATIO_BINS)
            out.usd_min = usd.min(axis=1)
            out.usd_max = usd.max(axis=1)
    return out


def merge(into: BlockResult, other: BlockResult) -> BlockResult:
    """Add ``other`` to ``into`` (exact: integer parts add, extremes take the extreme)."""
    into.draws += other.draws
    into.met += other.met
    if into.met_rounded is not None and other.met_rounded is not None:
        into.met_rounded += other.met_rounded
    into.share_hist += other.share_hist
    into.share_min = np.fmin(into.share_min, other.share_min)
    into.share_max = np.fmax(into.share_max, other.share_max)
    into.spend_hist += other.spend_hist
    into.spend_min = np.fmin(into.spend_min, other.spend_min)
    into.spend_max = np.fmax(into.spend_max, other.spend_max)
    into.usd_hist += other.usd_hist
    into.usd_min = np.fmin(into.usd_min, other.usd_min)
    into.usd_max = np.fmax(into.usd_max, other.usd_max)
    into.short_hist += other.short_hist
    return into


def block_sizes(draws: int) -> list[int]:
    """Draws per block for a run of ``draws``: full blocks, then the remainder."""
    full, rest = divmod(draws, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def simulate_blocks(model: PlanModel, seed: int, blocks: Sequence[tuple[int, int]]) -> BlockResult:
    """Simulate the given (block index, size) pairs in order and merge them: one chunk."""
    total: BlockResult | None = None
    for block, n in blocks:
        result = draw_block(model, seed, block, n)
        total = result if total is None else merge(total, result)
    return total if total is not None else _empty(model)


@dataclass(frozen=True)
class PackedCounts:
    """Rows of bin counts cut to the span from each row's first to its last non-empty bin.

    A chunk's histograms travel this way from a worker: most bins are empty (a year's share
    of GDP fills some hundreds of its 25,000 bins), and counts fit in 32 bits; unpacked, the
    counts are exactly the original ones.
    """

    shape: tuple[int, ...]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    values: NDArray[np.signedinteger]

    def dense(self) -> NDArray[np.int64]:
        """The full int64 counts of :attr:`shape`."""
        out = np.zeros(self.shape, dtype=np.int64)
        rows = out.reshape(-1, self.shape[-1])
        offset = 0
        for row, start, end in zip(rows, self.starts.tolist(), self.ends.tolist(), strict=True):
            row[start:end] = self.values[offset : offset + end - start]
            offset += end - start
        return out


def pack_counts(counts: NDArray[np.int64]) -> PackedCounts:
    """``counts`` (… × bins) as :class:`PackedCounts` (32-bit values when they fit)."""
    rows = counts.reshape(-1, counts.shape[-1])
    filled = rows != 0
    used = filled.any(axis=1)
    starts = np.where(used, filled.argmax(axis=1), 0)
    ends = np.where(used, rows.shape[1] - filled[:, ::-1].argmax(axis=1), 0)
    spans = [row[start:end] for row, start, end in zip(rows, starts, ends, strict=True)]
    values = np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)
    if values.size == 0 or int(values.max()) <= np.iinfo(np.int32).max:
        values = values.astype(np.int32)
    return PackedCounts(tuple(counts.shape), starts, ends, values)


@dataclass(frozen=True)
class PackedResult:
    """A :class:`BlockResult` for the wire: its histograms packed, the rest as it is."""

    rest: BlockResult  # its histograms replaced by empty arrays
    share_hist: PackedCounts
    spend_hist: PackedCounts
    usd_hist: PackedCounts
    short_hist: PackedCounts


def pack(result: BlockResult) -> PackedResult:
    """``result`` with its histograms packed (:func:`unpack` gives it back exactly)."""
    empty = np.zeros(0, dtype=np.int64)
    rest = replace(result, share_hist=empty, spend_hist=empty, usd_hist=empty, short_hist=empty)
    return PackedResult(
        rest,
        share_hist=pack_counts(result.share_hist),
        spend_hist=pack_counts(result.spend_hist),
        usd_hist=pack_counts(result.usd_hist),
        short_hist=pack_counts(result.short_hist),
    )


def unpack(packed: PackedResult) -> BlockResult:
    """The :class:`BlockResult` that :func:`pack` packed, bit for bit."""
    return replace(
        packed.rest,
        share_hist=packed.share_hist.dense(),
        spend_hist=packed.spend_hist.dense(),
        usd_hist=packed.usd_hist.dense(),
        short_hist=packed.short_hist.dense(),
    )


def simulate_packed(model: PlanModel, seed: int, blocks: Sequence[tuple[int, int]]) -> PackedResult:
    """:func:`simulate_blocks`, packed to travel: what a worker runs for one chunk."""
    return pack(simulate_blocks(model, seed, blocks))
