"""The portfolio's checked specs as the pure engine's plain data.

The spec layer reads and checks programmes, envelopes and area limits
(:mod:`buildup.scenario.programmes`, :mod:`buildup.scenario.portfolio`); the optimiser
(:mod:`buildup.portfolio`) takes plain dataclasses. This is the one place that checks the
parts against each other and hands their values over.
"""

from __future__ import annotations

from collections.abc import Mapping

from buildup.portfolio.model import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioProblem,
    Programme,
)
from buildup.scenario import portfolio as spec

__all__ = ["envelope_of", "portfolio_problem"]


def envelope_of(envelope: spec.Envelope) -> Envelope:
    """The engine's envelope of a checked spec [currency units by fiscal year]."""
    return Envelope(
        years=envelope.years,
        budgets=envelope.budgets,
        currency=envelope.currency,
        source=envelope.source,
    )


def portfolio_problem(
    catalogue: spec.Catalogue,
    envelope: spec.Envelope,
    area_limits: spec.AreaLimits | None = None,
    weights: Mapping[str, float] | None = None,
) -> PortfolioProblem:
    """Check the parts against each other (start windows within the envelope's years, known
    areas and missions, a value for every programme) and return the engine's problem.

    Raises :class:`~buildup.errors.InputError` naming the row (or key) at fault.
    """
    limits = area_limits if area_limits is not None else spec.AreaLimits()
    checked = spec.PortfolioSpec(
        catalogue=catalogue,
        envelope=envelope,
        area_limits=limits,
        weights=dict(weights) if weights is not None else None,
    )
    return PortfolioProblem(
        catalogue=Catalogue(
            programmes=tuple(Programme(**p.model_dump()) for p in checked.catalogue.programmes),
            weights=checked.catalogue.weights,
        ),
        envelope=envelope_of(checked.envelope),
        area_limits=AreaLimits(
            limits=tuple(AreaLimit(**a.model_dump()) for a in checked.area_limits.limits)
        ),
        weights=checked.weights,
    )
