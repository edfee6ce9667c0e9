"""The orchestrator: ``run(scenario, store) -> Outcome`` with a trace of every value."""

from __future__ import annotations

from buildup.engine.outcome import Outcome, TargetCheck, TraceEntry
from buildup.engine.run import run

__all__ = ["Outcome", "TargetCheck", "TraceEntry", "run"]
