"""The portfolio MIP as numpy/scipy arrays (the formulation is in the package docstring).

Columns: ``q`` (one integer quantity per programme and start year, "a column" ``k``), then
``y`` (one binary per column: the programme starts that year), then ``w`` (one continuous
value per programme with diminishing returns). Rows, in blocks: yearly envelopes, area
limits, the quantity-to-start links, one start per programme, ``requires``, exclusive
groups, diminishing returns, symmetry breaking. Everything is built by vectorised numpy on
flat index arrays; Python loops run over programmes only where a programme has breakpoints.

Money inside the model is divided by ``money_scale`` so that envelopes are in the thousands:
HiGHS then works on well-scaled coefficients; results are scaled back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from buildup.portfolio.model import PortfolioProblem, Programme
from buildup.portfolio.values import effective_units, unit_values, value_curves

__all__ = ["Formulation", "build_formulation", "expand", "payment_matrix"]

Array = NDArray[np.float64]
Index = NDArray[np.int64]
INF = math.inf


@dataclass(frozen=True)
class Formulation:
    """The arrays of one portfolio problem; money in model units (× ``money_scale``)."""

    problem: PortfolioProblem
    years: Index  # envelope years (T)
    envelope: Array  # [model money units] (T)
    money_scale: float  # [currency units per model money unit]
    ids: tuple[str, ...]
    areas: tuple[str, ...]  # sorted distinct areas
    area_of: Index  # (N) index into areas
    unit_value: Array  # (N) [value points per unit] at full returns
    lo: Index  # (N) smallest quantity if chosen: max(1, min_qty)
    hi: Index  # (N) max_qty
    mandatory: NDArray[np.bool_]  # (N)
    first_col: Index  # (N) first column of each programme; its columns are contiguous
    n_cols: Index  # (N) number of start years
    prog: Index  # (K) programme of each column
    start: Index  # (K) start year of each column
    hi_col: Index  # (K) quantity bound after the envelope test (< lo: the column is closed)
    outlay: sp.csr_array  # (Y × K) outlays per unit [model money] from the first year on
    horizon_cost: Array  # (K) outlays per unit within the envelope years [model money]
    returns: tuple[tuple[int, Array, Array], ...]  # (programme, slopes, intercepts)
    matrix: sp.csc_array  # rows × (2K + D)
    row_lower: Array
    row_upper: Array
    col_lower: Array
    col_upper: Array
    col_cost: Array
    integer: NDArray[np.bool_]
    blocks: dict[str, tuple[int, int]]  # row block name -> [start, stop)
    area_rows: tuple[str, ...]  # the area of each row of the ``area`` block

    @property
    def n_programmes(self) -> int:
        """N."""
        return len(self.ids)

    @property
    def n_columns(self) -> int:
        """K, the programme × start-year columns."""
        return len(self.prog)

    def rows(self, block: str) -> range:
        """The row indices of a block (``envelope``, ``area``, ``link_hi``, ...)."""
        return range(*self.blocks[block])


def expand(rows: Index, progs: Index, coef: Array, first: Index, count: Index) -> tuple[
    Index, Index, Array
]:  # fmt: skip
    """Entries ``(row, column, coef)`` for every column of each ``(row, programme, coef)``."""
    counts = count[progs]
    total = int(counts.sum())
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    cols = np.repeat(first[progs], counts) + within
    return np.repeat(rows, counts), cols, np.repeat(coef, counts)


def _money_scale(envelope: Array) -> float:
    peak = float(envelope.max()) if envelope.size else 0.0
    return 10.0 ** (math.floor(math.log10(peak)) - 3) if peak > 0 else 1.0


def _outlays(
    per_unit: Array, offset: Index, envelope: Array, hi_col: Index
) -> tuple[sp.csr_array, Array, Index]:
    """Outlays per unit by year (column ``k`` pays ``per_unit[k, j]`` in year
    ``offset_k + j``), their part within the horizon, and the tighter quantity bound
    ``hi'_k = min(hi_k, min_t ⌊E_t / outlay_kt⌋)`` (what each year's envelope alone allows)."""
    horizon, k_total = len(envelope), len(offset)
    cols, offs = np.nonzero(per_unit > 0)
    values = per_unit[cols, offs]
    year_idx = offset[cols] + offs
    n_years = max(horizon, int(year_idx.max()) + 1) if year_idx.size else horizon
    outlay = sp.csr_array((values, (year_idx, cols)), shape=(n_years, k_total))
    inside = year_idx < horizon
    horizon_cost = np.bincount(cols[inside], weights=values[inside], minlength=k_total)
    fits = np.floor(envelope[year_idx[inside]] / values[inside] * (1 + 1e-9) + 1e-9)
    tight = hi_col.copy()
    np.minimum.at(tight, cols[inside], np.minimum(fits.astype(np.int64), hi_col[cols[inside]]))
    return outlay, horizon_cost.astype(np.float64), tight


def payment_matrix(programmes: Sequence[Programme]) -> Array:
    """Payment profiles as rows, zero-padded to the longest [fractions of cost by year]."""
    width = max((len(p.payment_profile) for p in programmes), default=1)
    profile = np.zeros((len(programmes), width))
    for i, p in enumerate(programmes):
        profile[i, : len(p.payment_profile)] = p.payment_profile
    return profile


def build_formulation(problem: PortfolioProblem) -> Formulation:
    """Build the MIP's arrays from a validated problem."""
    programmes = problem.catalogue.programmes
    n = len(programmes)
    years = np.array(problem.envelope.years, dtype=np.int64)
    first_year, horizon = int(years[0]), len(years)
    budgets = np.array(problem.envelope.budgets, dtype=float)
    scale = _money_scale(budgets)
    envelope = budgets / scale
    cost = np.array([p.unit_cost for p in programmes], dtype=float) / scale
    lo = np.array([max(1, p.min_qty) for p in programmes], dtype=np.int64)
    hi = np.array([p.max_qty for p in programmes], dtype=np.int64)
    earliest = np.array([p.earliest_start for p in programmes], dtype=np.int64)
    n_cols = np.array([p.latest_start for p in programmes], dtype=np.int64) - earliest + 1
    first_col = np.cumsum(n_cols) - n_cols
    k_total = int(n_cols.sum())
    prog = np.repeat(np.arange(n, dtype=np.int64), n_cols)
    start = earliest[prog] + (np.arange(k_total, dtype=np.int64) - first_col[prog])
    profile = payment_matrix(programmes)
    outlay, horizon_cost, hi_col = _outlays(
        cost[prog, None] * profile[prog], start - first_year, envelope, hi[prog]
    )

    areas = tuple(sorted({p.area for p in programmes}))
    area_of = np.array([areas.index(p.area) for p in programmes], dtype=np.int64)
    values = unit_values(problem)
    returns = value_curves(problem, values)
    parts = _Parts(k_total, len(returns))
    parts.add_block("envelope", *_envelope_rows(outlay, horizon), np.full(horizon, -INF), envelope)
    area_rows = _area_rows(parts, problem, areas, area_of[prog], horizon_cost)
    _link_rows(parts, k_total, lo[prog], hi_col)
    _choice_rows(parts, problem, first_col, n_cols)
    _return_rows(parts, returns, first_col, n_cols)
    _symmetry_rows(parts, problem, first_col, n_cols)

    open_col = hi_col >= lo[prog]
    has_returns = np.zeros(n, dtype=bool)
    has_returns[[i for i, _, _ in returns]] = True
    col_cost = np.concatenate(
        [np.where(has_returns[prog], 0.0, values[prog]), np.zeros(k_total), np.ones(len(returns))]
    )
    w_upper = np.array([values[i] * effective_units(problem, i, hi[i]) for i, _, _ in returns])
    col_upper = np.concatenate(
        [np.where(open_col, hi_col, 0).astype(float), open_col.astype(float), w_upper]
    )
    integer = np.concatenate([np.ones(2 * k_total, dtype=bool), np.zeros(len(returns), bool)])
    matrix, row_lower, row_upper, blocks = parts.assemble()
    return Formulation(
        problem=problem,
        years=years,
        envelope=envelope,
        money_scale=scale,
        ids=tuple(p.id for p in programmes),
        areas=areas,
        area_of=area_of,
        unit_value=values,
        lo=lo,
        hi=hi,
        mandatory=np.array([p.mandatory for p in programmes], dtype=bool),
        first_col=first_col,
        n_cols=n_cols,
        prog=prog,
        start=start,
        hi_col=hi_col,
        outlay=outlay,
        horizon_cost=horizon_cost,
        returns=returns,
        matrix=matrix,
        row_lower=row_lower,
        row_upper=row_upper,
        col_lower=np.zeros(len(col_cost)),
        col_upper=col_upper,
        col_cost=col_cost,
        integer=integer,
        blocks=blocks,
        area_rows=area_rows,
    )


class _Parts:
    """Row blocks as COO triplets, assembled into one CSC matrix."""

    def __init__(self, k_total: int, n_returns: int) -> None:
        self.k_total = k_total
        self.n_cols = 2 * k_total + n_returns
        self.entries: list[tuple[Index, Index, Array]] = []
        self.lower: list[Array] = []
        self.upper: list[Array] = []
        self.blocks: dict[str, tuple[int, int]] = {}
        self.n_rows = 0

    def add_block(
        self, name: str, rows: Index, cols: Index, coef: Array, lower: Array, upper: Array
    ) -> None:
        """Add ``len(lower)`` rows; ``rows`` are local to the block."""
        self.entries.append((rows + self.n_rows, cols, coef))
        self.blocks[name] = (self.n_rows, self.n_rows + len(lower))
        self.lower.append(np.asarray(lower, dtype=float))
        self.upper.append(np.asarray(upper, dtype=float))
        self.n_rows += len(lower)

    def assemble(self) -> tuple[sp.csc_array, Array, Array, dict[str, tuple[int, int]]]:
        rows = np.concatenate([e[0] for e in self.entries])
        cols = np.concatenate([e[1] for e in self.entries])
        coef = np.concatenate([e[2] for e in self.entries])
        keep = coef != 0
        matrix = sp.csc_array(
            (coef[keep], (rows[keep], cols[keep])), shape=(self.n_rows, self.n_cols)
        )
        matrix.sum_duplicates()
        matrix.sort_indices()
        return matrix, np.concatenate(self.lower), np.concatenate(self.upper), self.blocks


def _envelope_rows(outlay: sp.csr_array, horizon: int) -> tuple[Index, Index, Array]:
    coo = outlay[:horizon].tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data


def _area_rows(
    parts: _Parts,
    problem: PortfolioProblem,
    areas: tuple[str, ...],
    col_area: Index,
    horizon_cost: Array,
) -> tuple[str, ...]:
    """Σ h_k (1[area] − share) q_k ≥ 0 for a minimum, ≤ 0 for a maximum (h: in-horizon cost)."""
    spending = np.nonzero(horizon_cost > 0)[0]
    rows: list[Index] = []
    cols: list[Index] = []
    coefs: list[Array] = []
    lower: list[float] = []
    upper: list[float] = []
    names: list[str] = []
    for limit in problem.area_limits.limits:
        a = areas.index(limit.area)
        member = (col_area[spending] == a).astype(float)
        for share, low, up in ((limit.min_share, 0.0, INF), (limit.max_share, -INF, 0.0)):
            if (low == 0.0 and share <= 0.0) or (up == 0.0 and share >= 1.0):
                continue  # a minimum of 0 or a maximum of 1 is no limit
            rows.append(np.full(len(spending), len(lower), dtype=np.int64))
            cols.append(spending)
            coefs.append(horizon_cost[spending] * (member - share))
            lower.append(low)
            upper.append(up)
            names.append(limit.area)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
    parts.add_block(
        "area",
        np.concatenate(rows) if rows else empty_i,
        np.concatenate(cols) if cols else empty_i,
        np.concatenate(coefs) if coefs else empty_f,
        np.array(lower),
        np.array(upper),
    )
    return tuple(names)


def _link_rows(parts: _Parts, k: int, lo_col: Index, hi_col: Index) -> None:
    """q_k − hi'_k y_k ≤ 0 and q_k − lo_k y_k ≥ 0: a column is 0 or within [lo, hi']."""
    local = np.arange(k, dtype=np.int64)
    for name, bound, low, up in (("link_hi", hi_col, -INF, 0.0), ("link_lo", lo_col, 0.0, INF)):
        parts.add_block(
            name,
            np.concatenate([local, local]),
            np.concatenate([local, local + k]),
            np.concatenate([np.ones(k), -np.maximum(bound, 0).astype(float)]),
            np.full(k, low),
            np.full(k, up),
        )


def _choice_rows(parts: _Parts, problem: PortfolioProblem, first: Index, count: Index) -> None:
    """One start year (exactly one if mandatory); requires; one per exclusive group."""
    programmes = problem.catalogue.programmes
    n, k = len(programmes), parts.k_total
    everyone = np.arange(n, dtype=np.int64)
    r, c, v = expand(everyone, everyone, np.ones(n), first, count)
    mandatory = np.array([p.mandatory for p in programmes], dtype=float)
    parts.add_block("start", r, c + k, v, mandatory, np.ones(n))

    index = {p.id: i for i, p in enumerate(programmes)}
    pairs = np.array(
        [(i, index[j]) for i, p in enumerate(programmes) for j in p.requires], dtype=np.int64
    ).reshape(-1, 2)
    local = np.arange(len(pairs), dtype=np.int64)
    r1, c1, v1 = expand(local, pairs[:, 0], np.ones(len(pairs)), first, count)
    r2, c2, v2 = expand(local, pairs[:, 1], -np.ones(len(pairs)), first, count)
    parts.add_block(
        "requires",
        np.concatenate([r1, r2]),
        np.concatenate([c1, c2]) + k,
        np.concatenate([v1, v2]),
        np.full(len(pairs), -INF),
        np.zeros(len(pairs)),
    )

    groups: dict[str, list[int]] = {}
    for i, p in enumerate(programmes):
        if p.exclusive_group:
            groups.setdefault(p.exclusive_group, []).append(i)
    members = [m for m in groups.values() if len(m) > 1]
    group_row = np.concatenate(
        [np.full(len(m), g, dtype=np.int64) for g, m in enumerate(members)] or [np.zeros(0, int)]
    ).astype(np.int64)
    progs = np.array([i for m in members for i in m], dtype=np.int64)
    r, c, v = expand(group_row, progs, np.ones(len(progs)), first, count)
    parts.add_block("exclusive", r, c + k, v, np.full(len(members), -INF), np.ones(len(members)))


def _return_rows(
    parts: _Parts, returns: tuple[tuple[int, Array, Array], ...], first: Index, count: Index
) -> None:
    """w_i ≤ slope Σ q + intercept Σ y for each segment (value points): the hypograph."""
    k = parts.k_total
    sizes = [len(slopes) for _, slopes, _ in returns]
    progs = np.repeat(np.array([i for i, _, _ in returns], dtype=np.int64), sizes)
    slope = np.concatenate([s for _, s, _ in returns]) if returns else np.zeros(0)
    intercept = np.concatenate([c for _, _, c in returns]) if returns else np.zeros(0)
    local = np.arange(len(progs), dtype=np.int64)
    rq, cq, vq = expand(local, progs, -slope, first, count)
    ry, cy, vy = expand(local, progs, -intercept, first, count)
    w_col = 2 * k + np.repeat(np.arange(len(returns), dtype=np.int64), sizes)
    parts.add_block(
        "returns",
        np.concatenate([rq, ry, local]),
        np.concatenate([cq, cy + k, w_col]),
        np.concatenate([vq, vy, np.ones(len(local))]),
        np.full(len(local), -INF),
        np.zeros(len(local)),
    )


def _symmetry_rows(parts: _Parts, problem: PortfolioProblem, first: Index, count: Index) -> None:
    """Identical interchangeable programmes are chosen in order: Σy_b ≤ Σy_a for a < b."""
    programmes = problem.catalogue.programmes
    linked = {j for p in programmes for j in p.requires} | {p.id for p in programmes if p.requires}
    seen: dict[tuple[object, ...], int] = {}
    pairs = []
    for i, p in enumerate(programmes):
        if p.id in linked or p.exclusive_group or p.mandatory:
            continue
        signature = tuple(
            (f.name, repr(getattr(p, f.name)))
            for f in fields(p)
            if f.name not in ("id", "name", "source", "note")
        )
        if signature in seen:
            pairs.append((i, seen[signature]))
        seen[signature] = i
    pair = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    local = np.arange(len(pair), dtype=np.int64)
    r1, c1, v1 = expand(local, pair[:, 0], np.ones(len(pair)), first, count)
    r2, c2, v2 = expand(local, pair[:, 1], -np.ones(len(pair)), first, count)
    parts.add_block(
        "symmetry",
        np.concatenate([r1, r2]),
        np.concatenate([c1, c2]) + parts.k_total,
        np.concatenate([v1, v2]),
        np.full(len(pair), -INF),
        np.zeros(len(pair)),
    )
