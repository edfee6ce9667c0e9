"""``/api/v1/plan``: a scenario (the same model the CLI reads from TOML) to its budget path;
``/plan/explain`` for one year's trace; ``/diff`` for two scenarios side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from buildup.web.deps import cached_answer, csv_bytes, dumps
from buildup.web.schemas import SCENARIO_DOCUMENT, answers, document_body

__all__ = ["DiffRequest", "explain_records", "read_body", "router"]

router = APIRouter(prefix="/api/v1", tags=["plan"])

ScenarioBody = Annotated[dict[str, Any], Body()]
_JSON = "application/json"
_CSV = "text/csv; charset=utf-8"
_DOC = document_body("A scenario document: the keys of a TOML scenario file, in JSON.")


class DiffRequest(BaseModel):
    """Two scenarios to compare (B − A), with the labels to show for them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    a: dict[str, Any] = Field(json_schema_extra={"allOf": [SCENARIO_DOCUMENT]})
    b: dict[str, Any] = Field(json_schema_extra={"allOf": [SCENARIO_DOCUMENT]})
    label_a: str = Field(default="A", max_length=200)
    label_b: str = Field(default="B", max_length=200)


def read_body(document: dict[str, Any], origin: str = "body") -> Any:
    """The scenario a posted document validates into (a 422 if it does not)."""
    from buildup.scenario import scenario_from_document

    return scenario_from_document(document, origin)


def _plan(store: Any, document: dict[str, Any]) -> Any:
    from buildup.engine.tasks import PlanOptions, plan

    return plan(read_body(document), store, PlanOptions(source="body"))


def explain_records(outcome: Any, year: int) -> list[dict[str, Any]]:
    """One year's trace as the CLI's ``--explain YEAR --format json`` writes it."""
    from buildup.errors import InputError

    entries = outcome.explain(year)
    if not entries:
        years = outcome.years["year"].tolist()
        raise InputError(
            what="year",
            given=year,
            problem="not a year of the plan",
            expected=f"one of {years[0]}–{years[-1]}",
        )
    return [e.record() for e in entries]


def _explain(store: Any, scenario: dict[str, Any], year: int) -> Any:
    return explain_records(_plan(store, scenario), year)


def _diff(store: Any, body: DiffRequest) -> Any:
    from buildup.engine.diff import diff_scenarios

    a, b = read_body(body.a, body.label_a), read_body(body.b, body.label_b)
    return diff_scenarios(a, b, store, (body.label_a, body.label_b))


@router.post(
    "/plan",
    summary="Plan a scenario: each year's budget, spending and shares, targets",
    openapi_extra=_DOC,
    responses=answers("plan"),
)
async def plan(request: Request, scenario: ScenarioBody) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return dumps(_plan(store, scenario)), _JSON

    return await cached_answer(request, "plan", scenario, make)


@router.post(
    "/plan.csv",
    summary="The plan's yearly table as CSV",
    openapi_extra=_DOC,
    responses=answers(csv=True),
)
async def plan_csv(request: Request, scenario: ScenarioBody) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return csv_bytes(_plan(store, scenario).years), _CSV

    return await cached_answer(request, "plan.csv", scenario, make, "plan.csv")


@router.post(
    "/plan/explain",
    summary="How each figure of one year of the plan was made",
    openapi_extra=_DOC,
)
async def explain(
    request: Request,
    scenario: ScenarioBody,
    year: Annotated[int, Query(ge=1900, le=2100, description="A year of the plan.")],
) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return dumps(_explain(store, scenario, year)), _JSON

    return await cached_answer(request, f"explain/{year}", scenario, make)


@router.post(
    "/diff",
    summary="Two scenarios: the keys that differ, both plans side by side",
    responses=answers("diff"),
)
async def diff(request: Request, body: DiffRequest) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return dumps(_diff(store, body)), _JSON

    return await cached_answer(request, "diff", body.model_dump(mode="json"), make)


@router.post("/diff.csv", summary="The per-year table of a diff as CSV")
async def diff_csv(request: Request, body: DiffRequest) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return csv_bytes(_diff(store, body).years_frame()), _CSV

    return await cached_answer(request, "diff.csv", body.model_dump(mode="json"), make, "diff.csv")
