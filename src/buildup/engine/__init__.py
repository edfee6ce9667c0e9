"""The orchestrator: ``run(scenario, store) -> Outcome`` with a trace of every value."""

from __future__ import annotations

from buildup.engine.outcome import Outcome, TargetCheck, TraceEntry
from buildup.engine.plan import default_baseline_year, run

__all__ = ["Outcome", "TargetCheck", "TraceEntry", "default_baseline_year", "run"]
