"""The JSON Schema of every outcome's document, generated from its type.

Each outcome kind is a frozen dataclass; :func:`buildup.serialize.json_schema` walks its
type hints (and the serialiser's field metadata) to the schema of exactly the document
:func:`buildup.serialize.to_jsonable` writes for it — the CLI's ``--format json`` and the
web API's answers alike. Nothing here is inferred from example outputs.
"""

from __future__ import annotations

import copy
import functools
import importlib
from typing import Any

from buildup.errors import NotFoundError

__all__ = ["OUTCOME_KINDS", "outcome_schema", "outcome_type"]

_TYPES = {
    "compare": "buildup.compare.task:Comparison",
    "diff": "buildup.engine.diff:ScenarioDiff",
    "optimise": "buildup.engine.optimize:Optimisation",
    "plan": "buildup.engine.outcome:Outcome",
    "pledge-check": "buildup.pledges.check:PledgeCheck",
    "risk": "buildup.engine.risk_portfolio:RiskReport",
    "sweep": "buildup.compare.sweep:SweepResult",
    "track": "buildup.engine.track:TrackOutcome",
}
OUTCOME_KINDS = tuple(sorted(_TYPES))


def outcome_type(kind: str) -> type:
    """The outcome type whose document the kind's answers are (``plan`` → ``Outcome``;
    ``pledge-check`` is one item of the list ``pledges check`` writes)."""
    where = _TYPES.get(kind)
    if where is None:
        raise NotFoundError(
            what="kind", given=kind, problem="no such outcome", expected=", ".join(OUTCOME_KINDS)
        )
    module, _, name = where.partition(":")
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, type)
    return found


@functools.cache
def _schema(kind: str) -> dict[str, Any]:
    from buildup.serialize import json_schema

    schema = json_schema(outcome_type(kind))
    schema["title"] = f"buildup {kind} outcome"
    return schema


def outcome_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of an outcome's JSON document (``plan``, ``track``, ``optimise``…)."""
    return copy.deepcopy(_schema(kind))
