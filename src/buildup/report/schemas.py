"""The JSON Schema of every outcome's document, generated from its type.

Each outcome kind is a frozen dataclass; :func:`buildup.serialize.json_schema` walks its
type hints (and the serialiser's field metadata) to the schema of exactly the document
:func:`buildup.serialize.to_jsonable` writes for it — the CLI's ``--format json`` and the
web API's answers alike. Nothing here is inferred from example outputs.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from buildup.errors import NotFoundError

__all__ = ["OUTCOME_KINDS", "outcome_schema", "outcome_type"]

OUTCOME_KINDS = ("compare", "optimise", "plan", "risk", "track")


def outcome_type(kind: str) -> type:
    """The outcome type whose document the kind's answers are (``plan`` → ``Outcome``)."""
    if kind == "plan":
        from buildup.engine.outcome import Outcome

        return Outcome
    if kind == "track":
        from buildup.engine.track import TrackOutcome

        return TrackOutcome
    if kind == "risk":
        from buildup.engine.risk_portfolio import RiskReport

        return RiskReport
    if kind == "optimise":
        from buildup.engine.optimize import Optimisation

        return Optimisation
    if kind == "compare":
        from buildup.compare.task import Comparison

        return Comparison
    raise NotFoundError(
        what="kind", given=kind, problem="no such outcome", expected=", ".join(OUTCOME_KINDS)
    )


@functools.cache
def _schema(kind: str) -> dict[str, Any]:
    from buildup.serialize import json_schema

    schema = json_schema(outcome_type(kind))
    schema["title"] = f"buildup {kind} outcome"
    return schema


def outcome_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of an outcome's JSON document (``plan``, ``track``, ``optimise``…)."""
    return copy.deepcopy(_schema(kind))
