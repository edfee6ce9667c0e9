"""The optimiser's outcome, and envelopes for it from a plan: the planned years' budgets.

Thin wiring: run the plan (``run(scenario, store)``) and hand its ``budget_local`` for the
planned years, times a share, as an :class:`~buildup.scenario.portfolio.Envelope` (the spec
the optimiser's inputs are checked as).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from buildup.engine.plan import run
from buildup.engine.provenance import Provenance, Setting
from buildup.errors import InputError
from buildup.portfolio.analysis import Analysis
from buildup.scenario.portfolio import Envelope
from buildup.serialize import inline, internal

if TYPE_CHECKING:
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = ["Optimisation", "plan_envelope"]


@dataclass(frozen=True)
class Optimisation:
    """The capability portfolio chosen for an envelope, and where the programmes and the
    envelope came from (its document: the analysis's, ``inputs`` and ``provenance``)."""

    analysis: Analysis = field(metadata=inline())
    envelope: Envelope = field(metadata=internal())
    inputs: tuple[Setting, ...]
    provenance: Provenance


def plan_envelope(scenario: Scenario, store: DatasetStore, share: float = 1.0) -> Envelope:
    """The plan's yearly budgets [local currency] for its planned years, × ``share``
    (the slice of the budget the programmes compete for, a fraction).

    The envelope's source names the scenario; an error names its key, and the caller that
    knows the scenario's file attaches it (:func:`~buildup.errors.located`)."""
    if not 0 < share <= 1:
        raise InputError(
            what="envelope_share",
            given=share,
            expected="a fraction in (0, 1]",
            fix="give the fraction of the plan's budget the programmes compete for, e.g. 0.1",
        )
    from buildup.engine.tasks import plan_envelope_of

    return plan_envelope_of(run(scenario, store), share, scenario.name)
