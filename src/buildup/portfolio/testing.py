"""A testing aid, not part of the optimiser: the model's rules written out plainly, and the
optimum of a small problem by enumerating every portfolio.

Nothing here uses the MIP's arrays: the rules are read from the problem as the issue states
them, so that a mistake in the formulation cannot hide in both. For tests and audits of
small catalogues (a few programmes with short windows and small quantities).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from buildup.errors import InputError
from buildup.portfolio.model import PortfolioProblem, Programme

__all__ = ["Choice", "portfolio_value", "portfolio_violations", "solve_brute"]

Choice = tuple[str, int, int]  # (programme id, start year, quantity)
_TOLERANCE = 1e-7  # relative, on money


def _unit_value(problem: PortfolioProblem, p: Programme) -> float:
    weights = problem.strategy
    if weights:
        return sum(w * p.mission_values.get(m, 0.0) for m, w in weights.items())
    return p.value or 0.0


def _effective(p: Programme, quantity: int) -> float:
    if not p.diminishing_returns:
        return float(quantity)
    qs = [0.0, *(q for q, _ in p.diminishing_returns)]
    es = [0.0, *(e for _, e in p.diminishing_returns)]
    return float(np.interp(quantity, qs, es))


def portfolio_value(problem: PortfolioProblem, choices: Iterable[Choice]) -> float:
    """Total value of ``choices`` [value points]."""
    by_id = {p.id: p for p in problem.catalogue.programmes}
    return sum(_unit_value(problem, by_id[i]) * _effective(by_id[i], q) for i, _, q in choices)


def _outlays(problem: PortfolioProblem, choices: Iterable[Choice]) -> dict[int, float]:
    by_id = {p.id: p for p in problem.catalogue.programmes}
    out: dict[int, float] = {}
    for i, start, quantity in choices:
        p = by_id[i]
        for j, share in enumerate(p.payment_profile):
            out[start + j] = out.get(start + j, 0.0) + p.unit_cost * quantity * share
    return out


def portfolio_violations(problem: PortfolioProblem, choices: Sequence[Choice]) -> list[str]:
    """Every rule ``choices`` breaks (empty: a feasible portfolio)."""
    by_id = {p.id: p for p in problem.catalogue.programmes}
    chosen = {i for i, _, q in choices if q > 0}
    broken = []
    if len(chosen) != len([c for c in choices if c[2] > 0]):
        broken.append("a programme is chosen twice")
    for i, start, quantity in choices:
        p = by_id[i]
        if quantity and not max(1, p.min_qty) <= quantity <= p.max_qty:
            broken.append(f"{i}: quantity {quantity} outside {max(1, p.min_qty)}–{p.max_qty}")
        if quantity and not p.earliest_start <= start <= p.latest_start:
            broken.append(f"{i}: start {start} outside {p.earliest_start}–{p.latest_start}")
    for p in problem.catalogue.programmes:
        if p.mandatory and p.id not in chosen:
            broken.append(f"{p.id}: mandatory but not chosen")
        if p.id in chosen:
            broken += [f"{p.id}: requires {j}" for j in p.requires if j not in chosen]
    groups: dict[str, list[str]] = {}
    for i in chosen:
        if by_id[i].exclusive_group:
            groups.setdefault(str(by_id[i].exclusive_group), []).append(i)
    broken += [f"group {g}: {sorted(m)}" for g, m in groups.items() if len(m) > 1]
    outlays = _outlays(problem, choices)
    envelope = problem.envelope
    for year, budget in zip(envelope.years, envelope.budgets, strict=True):
        if outlays.get(year, 0.0) > budget + _TOLERANCE * max(budget, 1.0):
            broken.append(f"FY{year}: {outlays[year]:.6g} over the envelope {budget:.6g}")
    horizon = set(envelope.years)
    total = 0.0
    by_area: dict[str, float] = {}
    for i, start, quantity in choices:
        p = by_id[i]
        inside = sum(
            p.unit_cost * quantity * share
            for j, share in enumerate(p.payment_profile)
            if start + j in horizon
        )
        by_area[p.area] = by_area.get(p.area, 0.0) + inside
        total += inside
    slack = _TOLERANCE * max(total, 1.0)
    for limit in problem.area_limits.limits:
        spent = by_area.get(limit.area, 0.0)
        if not limit.min_share * total - slack <= spent <= limit.max_share * total + slack:
            broken.append(f"area {limit.area}: {spent:.6g} of {total:.6g} outside its limits")
    return broken


def solve_brute(problem: PortfolioProblem, limit: int = 2_000_000) -> tuple[float, list[Choice]]:
    """The best value and a best portfolio, by enumeration (at most ``limit`` portfolios).

    Returns ``(-inf, [])`` if no portfolio is feasible.
    """
    options: list[list[Choice | None]] = []
    for p in problem.catalogue.programmes:
        starts = range(p.earliest_start, p.latest_start + 1)
        some: list[Choice | None] = [
            (p.id, s, q) for s in starts for q in range(max(1, p.min_qty), p.max_qty + 1)
        ]
        options.append(some if p.mandatory else [None, *some])
    count = int(np.prod([len(o) for o in options], dtype=float))
    if count > limit:
        raise InputError(f"{count} portfolios to enumerate, over the limit of {limit}")
    best, best_choices = -np.inf, []
    for combination in itertools.product(*options):
        choices = [c for c in combination if c is not None]
        value = portfolio_value(problem, choices)
        if value > best + 1e-9 and not portfolio_violations(problem, choices):
            best, best_choices = value, choices
    return float(best), best_choices
