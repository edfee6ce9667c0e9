"""Heuristic portfolios: the greedy baseline, and the LP-guided fill that warm-starts the MIP.

:func:`solve_greedy` is what an analyst with a spreadsheet would do: mandatory programmes
first (their prerequisites before them), then programmes ranked by value per unit of cost,
each bought at the start year allowing the most units (ties: the earliest), as many as the
remaining envelopes allow. A programme whose prerequisites are not yet chosen is retried in
a second pass; an exclusive group's first pick closes the group. Area maxima cap quantities
as they go; area minima are repaired at the end by dropping the lowest-ranked programmes
outside the short area, then refilling within every limit.

:func:`fill_from_relaxation` starts from the LP relaxation instead: each programme keeps the
start year the LP leans to most, with its LP quantity rounded down, and the slack left is
filled column by column ranked by value per unit of *priced* cost — each year's outlays
weighed by that year's shadow price in the LP, so money goes where it is scarce last.

Both results meet every constraint whenever ``feasible`` is true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from buildup.portfolio.arrays import Formulation
from buildup.portfolio.results import column_values

__all__ = ["Greedy", "fill_from_relaxation", "solve_greedy"]

_EPS = 1e-9


@dataclass(frozen=True)
class Greedy:
    """Column quantities of a heuristic portfolio, its value, and whether it meets every
    constraint (``feasible``; if not, ``note`` says which)."""

    quantities: NDArray[np.int64]
    objective: float
    feasible: bool
    note: str


class _State:
    """A portfolio under construction: quantities, remaining envelopes, area spending."""

    def __init__(self, f: Formulation) -> None:
        self.f = f
        programmes = f.problem.catalogue.programmes
        self.per_year = f.outlay[: len(f.years)].T.toarray()  # (K × T) outlays per unit
        self.remaining = f.envelope.astype(float).copy()
        self.area_spend = np.zeros(len(f.areas))
        self.q = np.zeros(f.n_columns, dtype=np.int64)
        self.column = np.full(f.n_programmes, -1, dtype=np.int64)  # chosen column or -1
        self.groups: set[str] = set()
        self.group = [p.exclusive_group for p in programmes]
        index = {p.id: i for i, p in enumerate(programmes)}
        self.requires = [[index[j] for j in p.requires] for p in programmes]
        self.min_share = np.zeros(len(f.areas))
        self.max_share = np.ones(len(f.areas))
        for limit in f.problem.area_limits.limits:
            a = f.areas.index(limit.area)
            self.min_share[a], self.max_share[a] = limit.min_share, limit.max_share
        self.floors = np.nonzero(self.min_share > 0)[0]

    def cap(self, k: int, strict: bool) -> int:
        """The most units column ``k`` can gain within the envelopes and, if ``strict``,
        without breaking an area limit that holds now."""
        f = self.f
        fit = int(f.hi_col[k] - self.q[k])
        a_k = self.per_year[k]
        paid = a_k > 0
        if paid.any():
            fit = min(fit, int(np.floor(np.min(self.remaining[paid] / a_k[paid]) + _EPS)))
        h = float(f.horizon_cost[k])
        if not strict or h <= 0 or fit <= 0:
            return max(fit, 0)
        a = int(f.area_of[f.prog[k]])
        total = float(self.area_spend.sum())
        m = self.max_share[a]
        if m < 1:
            fit = min(fit, int(np.floor((m * total - self.area_spend[a]) / (h * (1 - m)) + _EPS)))
        for b in self.floors:
            if b != a:
                room = self.area_spend[b] - self.min_share[b] * total
                fit = min(fit, int(np.floor(room / (self.min_share[b] * h) + _EPS)))
        return max(fit, 0)

    def allowed(self, i: int) -> bool:
        """Whether programme ``i`` may be added: prerequisites in, its group still open."""
        group = self.group[i]
        return (
            self.column[i] < 0
            and not (group and group in self.groups)
            and all(self.column[j] >= 0 for j in self.requires[i])
        )

    def add(self, k: int, units: int) -> None:
        i = int(self.f.prog[k])
        self.q[k] += units
        self.remaining -= self.per_year[k] * units
        self.area_spend[self.f.area_of[i]] += self.f.horizon_cost[k] * units
        if self.column[i] < 0:
            self.column[i] = k
            if self.group[i]:
                self.groups.add(str(self.group[i]))

    def take(self, k: int, limit: int, strict: bool) -> bool:
        """Add up to ``limit`` units to column ``k`` (a new programme needs ``lo``)."""
        i = int(self.f.prog[k])
        if self.column[i] >= 0 and self.column[i] != k:
            return False
        if self.column[i] < 0 and not self.allowed(i):
            return False
        units = min(self.cap(k, strict), limit)
        if units <= 0 or (self.q[k] == 0 and units < self.f.lo[i]):
            return False
        self.add(k, units)
        return True

    def remove(self, i: int) -> None:
        k = int(self.column[i])
        units = int(self.q[k])
        self.remaining += self.per_year[k] * units
        self.area_spend[self.f.area_of[i]] -= self.f.horizon_cost[k] * units
        self.q[k] = 0
        self.column[i] = -1
        if self.group[i]:
            self.groups.discard(str(self.group[i]))

    def off_share(self) -> tuple[int, bool] | None:
        """An area outside its limits: (area, True if above its maximum), or ``None``."""
        total = self.area_spend.sum()
        tolerance = 1e-9 * max(total, 1.0)
        over = self.area_spend > self.max_share * total + tolerance
        if over.any():
            return int(np.argmax(over)), True
        short = self.area_spend < self.min_share * total - tolerance
        return (int(np.argmax(short)), False) if short.any() else None

    def repair_shares(self, ranked: Sequence[int], keep: set[int]) -> str:
        """Drop the lowest-ranked programmes — inside an area above its maximum, outside an
        area below its minimum — until every area is within its limits; a note if not."""
        dependants: dict[int, list[int]] = {}
        for i, needs in enumerate(self.requires):
            for j in needs:
                dependants.setdefault(j, []).append(i)
        for _ in range(self.f.n_programmes):
            off = self.off_share()
            if off is None:
                return ""
            area, above = off
            for i in reversed(ranked):
                if (
                    self.column[i] >= 0
                    and i not in keep
                    and (self.f.area_of[i] == area) == above
                    and self.f.horizon_cost[self.column[i]] > 0
                    and not any(self.column[j] >= 0 for j in dependants.get(i, ()))
                ):
                    self.remove(i)
                    break
            else:
                side = "above its maximum" if above else "below its minimum"
                return f"area {self.f.areas[area]} stays {side} share"
        return ""

    def result(self, notes: Iterable[str]) -> Greedy:
        text = "; ".join(n for n in notes if n)
        return Greedy(self.q.copy(), float(column_values(self.f, self.q).sum()), not text, text)


def _per_unit_value(f: Formulation) -> NDArray[np.float64]:
    """Value per unit [value points]: the average over ``max_qty`` on a value curve."""
    per_unit = f.unit_value.copy()
    for i, slopes, intercepts in f.returns:
        q = float(f.hi[i])
        per_unit[i] = float(np.min(intercepts + slopes * q)) / q
    return per_unit


def _needed(f: Formulation, ranked: Sequence[int]) -> list[int]:
    """Mandatory programmes with their prerequisites, prerequisites first."""
    programmes = f.problem.catalogue.programmes
    index = {p.id: i for i, p in enumerate(programmes)}
    first: dict[int, None] = {}  # an ordered set

    def visit(i: int) -> None:
        if i not in first:
            for j in programmes[i].requires:
                visit(index[j])
            first[i] = None

    for i in ranked:
        if programmes[i].mandatory:
            visit(i)
    return list(first)


def _columns(f: Formulation, i: int) -> range:
    return range(int(f.first_col[i]), int(f.first_col[i] + f.n_cols[i]))


def solve_greedy(f: Formulation) -> Greedy:
    """The greedy portfolio of a formulation (see the module docstring)."""
    cost = np.array([p.unit_cost for p in f.problem.catalogue.programmes], dtype=float)
    ratio = np.where(cost > 0, _per_unit_value(f) / np.where(cost > 0, cost, 1.0), np.inf)
    ranked = [int(i) for i in np.argsort(-ratio, kind="stable")]
    needed = _needed(f, ranked)
    state = _State(f)
    # what must be chosen comes first, at its minimum; it competes for more units in rank
    notes = [
        f"{f.ids[i]} (mandatory, or required by one) does not fit"
        for i in needed
        if not _take_best(state, i, strict=False, limit=int(f.lo[i]))
    ]
    for strict in (False, True):
        for _ in range(2):  # a second pass picks up programmes whose prerequisites came later
            for i in ranked:
                if state.column[i] >= 0:
                    state.take(int(state.column[i]), int(f.hi[i]), strict)
                elif state.allowed(i):
                    _take_best(state, i, strict)
        if not strict:
            notes.append(state.repair_shares(ranked, set(needed)))
            if notes[-1]:
                break
    return state.result(notes)


def _take_best(state: _State, i: int, strict: bool, limit: int | None = None) -> bool:
    """Add programme ``i`` at the start year allowing the most units (up to ``limit``)."""
    if not state.allowed(i):
        return False
    best, most = -1, 0
    for k in _columns(state.f, i):
        units = state.cap(k, strict)
        if units > most:
            best, most = k, units
    most = most if limit is None else min(most, limit)
    return best >= 0 and most >= state.f.lo[i] and state.take(best, most, strict)


def fill_from_relaxation(
    f: Formulation,
    q_lp: NDArray[np.float64],
    y_lp: NDArray[np.float64],
    year_prices: NDArray[np.float64],
) -> Greedy:
    """Round the LP relaxation down and fill the slack by priced value per cost."""
    state = _State(f)
    per_unit = _per_unit_value(f)
    prices = np.maximum(year_prices, 0.0)
    floor = 1e-3 * float(prices.max()) if prices.max() > 0 else 1.0
    priced = state.per_year @ (prices + floor)
    ratio = per_unit[f.prog] / np.maximum(priced, 1e-12)
    programme_rank = [int(i) for i in np.argsort(-ratio[f.first_col], kind="stable")]
    needed = _needed(f, programme_rank)
    lean = np.full(f.n_programmes, -1, dtype=np.int64)  # the column the LP leans to most
    for i in np.unique(f.prog[y_lp > 1e-6]):
        cols = _columns(f, int(i))
        lean[i] = cols[int(np.argmax(y_lp[cols.start : cols.stop]))]
    notes = []
    for i in needed:  # must-choose first, at the LP's column or the one allowing most
        k = int(lean[i])
        placed = k >= 0 and state.take(k, max(int(q_lp[k] + 1e-6), int(f.lo[i])), False)
        if not placed and not _take_best(state, i, strict=False):
            notes.append(f"{f.ids[i]} (mandatory, or required by one) does not fit")
    weight = np.where(lean >= 0, y_lp[np.maximum(lean, 0)], 0.0)
    # A prerequisite counts as much as what requires it: rounding it below its minimum
    # quantity would shut out its dependants.
    for _ in range(f.n_programmes):
        lifted = False
        for i in np.nonzero(weight >= 0.5)[0]:
            for j in state.requires[i]:
                if lean[j] >= 0 and weight[j] < weight[i]:
                    weight[j], lifted = weight[i], True
        if not lifted:
            break

    total = np.bincount(f.prog, weights=q_lp, minlength=f.n_programmes)

    def units(k: int) -> int:
        # the whole LP quantity of the programme, also what it put in other start years
        i = int(f.prog[k])
        rounded = int(np.floor(total[i] + 1e-6))
        return max(rounded, int(f.lo[i])) if weight[i] >= 0.5 else rounded

    for _ in range(2):  # the second pass picks up programmes whose prerequisites came later
        for i in np.argsort(-weight, kind="stable"):
            k = int(lean[i])
            if k >= 0 and weight[i] > 1e-6 and state.column[i] < 0:
                state.take(k, units(k), strict=False)
    ranked_cols = [int(k) for k in np.argsort(-ratio, kind="stable")]
    for strict in (False, True):
        for _ in range(2):
            for k in ranked_cols:
                state.take(k, int(f.hi_col[k]), strict)
        if not strict:
            notes.append(state.repair_shares(programme_rank, set(needed)))
            if notes[-1]:
                break
    return state.result(notes)
