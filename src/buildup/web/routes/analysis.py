"""The other questions: a quick plan from a few parameters, tracking a programme against its
plan, comparing allies, and the capability portfolio (as a job) — each one task call."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from buildup.serialize import to_jsonable
from buildup.web.deps import cached_answer, csv_bytes, dumps, get_jobs
from buildup.web.jobs import JobProgress
from buildup.web.routes.jobs import accepted
from buildup.web.schemas import SCENARIO_DOCUMENT, answers

__all__ = ["OptimiseJobRequest", "TrackRequest", "router"]

router = APIRouter(prefix="/api/v1", tags=["analysis"])

_JSON = "application/json"
_CSV = "text/csv; charset=utf-8"
Share = Annotated[float, Query(gt=0, le=1, description="A fraction (0.02 = 2 %).")]
Year = Annotated[int, Query(ge=1900, le=2100)]
Rate = Annotated[str | None, Query(max_length=20, description='A fraction, or "last".')]


def _rate(value: str | None, key: str) -> float | str | None:
    if value is None or value == "last":
        return value
    try:
        number = float(value)
    except ValueError:
        from buildup.errors import InputError

        raise InputError(
            what=key, given=value, expected='a fraction such as 0.03, or "last"'
        ) from None
    return number


def _quick(store: Any, query: dict[str, Any]) -> Any:
    from buildup.engine.tasks import QuickPlanOptions, quick_plan, validate_options

    values = dict(query)
    values["gdp_growth"] = _rate(values.get("gdp_growth"), "gdp_growth")
    values["inflation"] = _rate(values.get("inflation"), "inflation")
    return quick_plan(validate_options(QuickPlanOptions, **values), store)


async def _quick_answer(request: Request, query: dict[str, Any], csv: bool) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        outcome = _quick(store, query)
        return (csv_bytes(outcome.years), _CSV) if csv else (dumps(outcome), _JSON)

    route = "quick.csv" if csv else "quick"
    return await cached_answer(request, route, query, make, "plan.csv" if csv else None)


def _quick_query(
    country: Annotated[str, Query(min_length=1, max_length=100, description="ISO3 or name.")],
    target_share: Share,
    by: Year,
    gdp_base_year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    shape: Annotated[str, Query(max_length=30)] = "goal-seek",
    max_real_growth: Annotated[float | None, Query(ge=-1, le=10)] = None,
    baseline_year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    baseline_amount: Annotated[float | None, Query(ge=0, le=1e18)] = None,
    definition: Annotated[str | None, Query(max_length=100)] = None,
    gdp_growth: Rate = None,
    inflation: Rate = None,
) -> dict[str, Any]:
    """The quick plan's query parameters (shared by its JSON and CSV routes), those given."""
    return {k: v for k, v in locals().items() if v is not None}


QuickQuery = Annotated[dict[str, Any], Depends(_quick_query)]


@router.get(
    "/plan/quick",
    summary="A one-line question: a share of GDP by a year (quick plan)",
    responses=answers("plan"),
)
async def quick(request: Request, query: QuickQuery) -> Response:
    return await _quick_answer(request, query, csv=False)


@router.get("/plan/quick.csv", summary="The quick plan's yearly table as CSV")
async def quick_csv(request: Request, query: QuickQuery) -> Response:
    return await _quick_answer(request, query, csv=True)


class TrackRequest(BaseModel):
    """A tracking file's keys (as in ``buildup track FILE.toml``), and optional actuals CSV."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracking: dict[str, Any] = Field(description="The tracking file's tables, in JSON.")
    actuals_csv: str | None = Field(default=None, max_length=2_000_000)
    source: str = Field(default="tracking", max_length=200)


def _track(store: Any, body: TrackRequest) -> Any:
    from pydantic import ValidationError

    from buildup.engine.tasks import TrackOptions, track
    from buildup.errors import ScenarioError
    from buildup.scenario.tracking import TrackingSpec, check_tracking
    from buildup.web.uploads import read_actuals_text

    try:
        spec = TrackingSpec.model_validate(body.tracking)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        raise ScenarioError(f"{body.source}: {where}: {error['msg']}") from exc
    check_tracking(spec, body.source)
    extra = read_actuals_text(body.actuals_csv, spec) if body.actuals_csv is not None else ()
    return track(spec, store, TrackOptions(source=body.source, actuals=tuple(extra)))


@router.post(
    "/track",
    summary="A programme against its plan: execution, outlays, variance",
    responses=answers("track"),
)
async def track_route(request: Request, body: TrackRequest) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return dumps(_track(store, body)), _JSON

    return await cached_answer(request, "track", body.model_dump(mode="json"), make)


@router.post("/track.csv", summary="The tracking table as CSV")
async def track_csv(request: Request, body: TrackRequest) -> Response:
    def make(store: Any) -> tuple[bytes, str]:
        return csv_bytes(_track(store, body).years), _CSV

    return await cached_answer(
        request, "track.csv", body.model_dump(mode="json"), make, "track.csv"
    )


def _compare(store: Any, query: dict[str, Any]) -> dict[str, Any]:
    import buildup

    group = buildup.resolve_group(query.pop("group")) if query.get("group") else None
    codes = buildup.resolve_countries(query.pop("countries", None) or [])
    years = query.pop("years", None)
    options = buildup.validate_options(
        buildup.CompareOptions,
        countries=tuple(codes),
        group=group,
        years=buildup.parse_year_range(years) if years is not None else None,
        **query,
    )
    result: dict[str, Any] = to_jsonable(buildup.compare_allies(store, options))
    return result


@router.get(
    "/compare",
    summary="Countries side by side on a metric; cost to a target; counts",
    responses=answers("compare"),
)
async def compare(
    request: Request,
    countries: Annotated[
        list[str] | None, Query(max_length=200, description="ISO3 or names.")
    ] = None,
    group: Annotated[str | None, Query(max_length=60)] = None,
    metric: Annotated[str, Query(max_length=40)] = "share_gdp",
    years: Annotated[str | None, Query(max_length=20)] = None,
    window: Annotated[int, Query(ge=1, le=70)] = 10,
    allow_missing: bool = False,
    target: Annotated[Literal["nato-2", "nato-3.5", "nato-5"] | None, Query()] = None,
    target_share: Annotated[float | None, Query(gt=0, le=1)] = None,
    by: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    count_threshold: Annotated[float | None, Query(gt=0, le=1)] = None,
    count_year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    max_real_growth: Annotated[float | None, Query(ge=-1, le=10)] = None,
) -> Response:
    query = {k: v for k, v in locals().items() if v is not None and k != "request"}

    def make(store: Any) -> tuple[bytes, str]:
        return dumps(_compare(store, dict(query))), _JSON

    return await cached_answer(request, "compare", query, make)


class OptimiseJobRequest(BaseModel):
    """The capability portfolio (``buildup optimize``): programmes and envelopes as file text,
    or the envelopes from a plan (a scenario document and the share open to programmes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programmes_csv: str = Field(max_length=2_000_000, description="The programmes file's text.")
    programmes_name: str = Field(default="programmes.csv", pattern=r"^[\w.-]{1,80}\.(csv|toml)$")
    envelope_csv: str | None = Field(default=None, max_length=1_000_000)
    plan: dict[str, Any] | None = Field(
        default=None, json_schema_extra={"allOf": [SCENARIO_DOCUMENT]}
    )
    currency: str = Field(default="", pattern=r"^([A-Za-z]{3})?$")
    envelope_share: float = Field(default=1.0, gt=0, le=1)
    gap: float = Field(default=1e-4, ge=0, le=1)
    time_limit: float | None = Field(default=None, gt=0, le=3600)
    pareto: bool = False
    weights: dict[str, float] | None = None


@router.post(
    "/optimise/jobs",
    status_code=202,
    summary="Choose the portfolio as a job (202, Location: the job)",
)
async def start_optimise(request: Request, body: OptimiseJobRequest) -> Response:
    import buildup
    from buildup.errors import InputError

    if (body.envelope_csv is None) == (body.plan is None):
        raise InputError(
            what="envelope_csv", problem="give the envelopes as envelope_csv or as a plan (one)"
        )
    if body.plan is None and body.envelope_share != 1.0:
        raise InputError(what="envelope_share", problem="applies to a plan's envelopes only")
    options = buildup.validate_options(
        buildup.OptimiseOptions,
        envelope_share=body.envelope_share,
        gap=body.gap,
        time_limit=body.time_limit,
        pareto=body.pareto,
        weights=body.weights,
    )
    state = request.app.state

    def work(progress: JobProgress) -> tuple[dict[str, Any], bytes]:
        from buildup.web.routes.plans import read_body
        from buildup.web.uploads import read_envelope_text, read_programmes_text

        catalogue = read_programmes_text(body.programmes_csv, body.programmes_name)
        progress.check()
        if body.plan is not None:
            chosen = buildup.optimise(
                catalogue,
                options,
                plan_spec=read_body(body.plan, "plan"),
                store=state.stores.get(),
                source=body.programmes_name,
                plan_source="plan",
            )
        else:
            assert body.envelope_csv is not None
            budgets = read_envelope_text(body.envelope_csv, "envelope.csv", body.currency.upper())
            chosen = buildup.optimise(
                catalogue, options, envelope=budgets, source=body.programmes_name
            )
        payload = dumps(chosen)
        return json.loads(payload), payload

    return accepted(get_jobs(request).submit("optimise", work, total=1))
