"""Seeded synthetic catalogues shaped like real ones, for benchmarks and tests.

Payment profiles of one to five years, quantities up to three dozen units, unit costs over
two orders of magnitude (¥1–100 billion), start windows of one to four years, a tenth of
the programmes with a prerequisite, exclusive groups of three (a tenth of the programmes in
each), two area limits (a floor and a cap), and envelopes that bind: together a sixth of
what the whole catalogue would cost, rising 3 % a year. Values are random (cost × a
lognormal factor): these catalogues test the optimiser, they describe no real programme.
"""

from __future__ import annotations

import math

import numpy as np

from buildup.portfolio.model import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
)

__all__ = ["generate"]

AREAS = (
    "stand-off",
    "air and missile defence",
    "unmanned",
    "cross-domain",
    "command and intelligence",
    "mobile deployment",
    "sustainability",
)
FIRST_YEAR = 2026


def generate(n: int, years: int = 10, seed: int = 0) -> PortfolioProblem:
    """A synthetic catalogue of ``n`` programmes over ``years`` envelope years."""
    rng = np.random.default_rng(seed)
    last = FIRST_YEAR + years - 1
    programmes = []
    groups = rng.permutation(n)[: 3 * (n // 30)].reshape(-1, 3)  # a tenth, in groups of three
    group_of = {int(i): f"g{g}" for g, members in enumerate(groups) for i in members}
    for i in range(n):
        length = int(rng.integers(1, 6))
        profile = np.round(rng.dirichlet(np.full(length, 2.0)), 4)
        profile[-1] = round(1.0 - float(profile[:-1].sum()), 4)
        if profile[-1] < 0:  # rounding pushed the last share below zero: put it all first
            profile = np.zeros(length)
            profile[0] = 1.0
        max_qty = int(rng.integers(1, 37))
        min_qty = math.ceil(max_qty * rng.uniform(0.1, 0.5)) if rng.random() < 0.4 else 0
        window = int(rng.integers(1, 5))
        earliest = int(rng.integers(FIRST_YEAR, last - window + 2))
        unit_cost = round(float(10 ** rng.uniform(0, 2)), 3) * 1e9
        value = round(unit_cost / 1e9 * float(rng.lognormal(0.0, 0.5)), 2)
        requires = (f"p{int(rng.integers(0, i))}",) if i > 0 and rng.random() < 0.1 else ()
        area = AREAS[int(rng.integers(0, len(AREAS)))]  # the first ones cover every area
        programmes.append(
            Programme(
                id=f"p{i}",
                area=AREAS[i] if i < len(AREAS) else area,
                unit_cost=unit_cost,
                min_qty=min_qty,
                max_qty=max_qty,
                payment_profile=tuple(float(x) for x in profile),
                earliest_start=earliest,
                latest_start=earliest + window - 1,
                value=value,
                requires=requires,
                exclusive_group=group_of.get(i),
            )
        )
    whole = sum(p.unit_cost * p.max_qty for p in programmes)
    ramp = 1.03 ** np.arange(years)
    budgets = whole / 6 * ramp / ramp.sum()
    return PortfolioProblem(
        catalogue=Catalogue(programmes=tuple(programmes)),
        envelope=Envelope(
            years=tuple(range(FIRST_YEAR, last + 1)),
            budgets=tuple(float(b) for b in budgets),
            currency="JPY",
        ),
        area_limits=AreaLimits(
            limits=(
                AreaLimit(area="sustainability", min_share=0.15),
                AreaLimit(area="stand-off", max_share=0.2),
            )
        ),
    )
