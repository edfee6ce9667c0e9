"""The API's own schema: the scenario document every scenario route takes, as a component.

A scenario document is the :class:`~buildup.scenario.Scenario` model (the keys of a TOML
scenario file) plus ``extends`` — the document it extends, nested — and ``origin``, the name
of the level (a file name), as :func:`buildup.scenario.read_scenario_document` writes them.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["SCENARIO_DOCUMENT", "answers", "document_body", "install_schema"]

_REF = "#/components/schemas/{model}"
SCENARIO_DOCUMENT: dict[str, Any] = {"$ref": _REF.format(model="ScenarioDocument")}


def document_body(description: str) -> dict[str, Any]:
    """``openapi_extra`` for a route whose body is one scenario document."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": SCENARIO_DOCUMENT}},
        }
    }


_OUTCOMES = {
    "plan": "PlanOutcome",
    "track": "TrackOutcome",
    "compare": "CompareOutcome",
    "risk": "RiskOutcome",
    "optimise": "OptimiseOutcome",
    "diff": "DiffOutcome",
}


def answers(*kinds: str, csv: bool = False) -> dict[int | str, dict[str, Any]]:
    """``responses`` for a route answering the outcome of ``kinds`` (the typed outcomes' JSON
    Schemas, :func:`buildup.report.schemas.outcome_schema`), or a tidy CSV."""
    if csv:
        return {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}
    refs = [{"$ref": _REF.format(model=_OUTCOMES[k])} for k in kinds]
    schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
    return {200: {"content": {"application/json": {"schema": schema}}}}


def _outcome_components() -> dict[str, Any]:
    from buildup.report.schemas import outcome_schema

    return {name: outcome_schema(kind) for kind, name in _OUTCOMES.items()}


def _scenario_components() -> dict[str, Any]:
    from buildup.scenario import Scenario

    schema = Scenario.model_json_schema(ref_template=_REF)
    components: dict[str, Any] = dict(schema.pop("$defs", {}))
    components["Scenario"] = schema
    document = copy.deepcopy(schema)
    document["title"] = "ScenarioDocument"
    document["description"] = (
        "A scenario (the keys of a TOML scenario file, see the Scenario schema), optionally "
        "extending another document: keys set here beat those it inherits. Keys a scenario "
        "requires may come from the document it extends."
    )
    document.setdefault("properties", {})
    document["properties"]["extends"] = {
        "$ref": _REF.format(model="ScenarioDocument"),
        "description": "The scenario document this one extends (nested).",
    }
    document["properties"]["origin"] = {
        "type": "string",
        "maxLength": 200,
        "description": "The name of this level (e.g. its file name), used in messages.",
    }
    components["ScenarioDocument"] = document
    return components


def install_schema(app: FastAPI) -> None:
    """Build the OpenAPI schema once, with the scenario components added."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(_scenario_components())
        components.update(_outcome_components())  # the targets of answers()' references
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
