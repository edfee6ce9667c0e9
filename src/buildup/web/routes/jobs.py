"""Long work as jobs: ``POST /api/v1/risk/jobs`` answers 202 and a ``Location``; ``GET`` the job
for its status and progress, then the outcome; ``DELETE`` cancels."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from buildup.engine.tasks import DEFAULT_SEED
from buildup.web.deps import dumps, get_jobs, json_response
from buildup.web.jobs import Job, JobProgress
from buildup.web.problems import ProblemError
from buildup.web.schemas import SCENARIO_DOCUMENT, answers

__all__ = ["RiskJobRequest", "accepted", "job_view", "router"]

router = APIRouter(prefix="/api/v1", tags=["jobs"])

JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="The job's id.")]


class RiskJobRequest(BaseModel):
    """A Monte Carlo of a plan (``buildup risk``): the scenario, draws, seed, chunk size; with
    ``programmes_csv`` also the portfolio's risk (and with ``alpha`` the robust portfolio)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: dict[str, Any] = Field(json_schema_extra={"allOf": [SCENARIO_DOCUMENT]})
    draws: int = Field(default=100_000, ge=1, le=50_000_000)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**63 - 1)
    chunk: int | None = Field(
        default=None,
        ge=1,
        le=50_000_000,
        description="Draws per chunk (default: 262,144 in one process, an even share per worker "
        "on a cluster).",
    )
    programmes_csv: str | None = Field(default=None, max_length=2_000_000)
    programmes_name: str = Field(default="programmes.csv", pattern=r"^[\w.-]{1,80}\.(csv|toml)$")
    envelope_csv: str | None = Field(default=None, max_length=1_000_000)
    envelope_share: float = Field(default=1.0, gt=0, le=1)
    alpha: float | None = Field(default=None, gt=0, lt=1)
    scenarios: int = Field(default=50, ge=1, le=10_000)


def job_view(job: Job) -> dict[str, Any]:
    """A job's status as JSON data (the outcome only once it has succeeded)."""
    view: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "state": str(job.state),
        "progress": {"fraction": round(job.fraction, 6), "done": job.done, "total": job.total},
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "result_url": f"/api/v1/jobs/{job.id}/result" if job.result is not None else None,
        "error": job.error,
    }
    if job.result is not None:
        view["outcome"] = job.result
    return view


def accepted(job: Job | None, retry: int = 10) -> Response:
    if job is None:
        raise ProblemError(
            503,
            "the server is busy: every job slot is taken",
            fix=f"try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )
    location = f"/api/v1/jobs/{job.id}"
    return json_response(job_view(job), 202, headers={"Location": location})


def _risk_work(request: Request, body: RiskJobRequest) -> Any:
    from buildup.web.routes.plans import read_body

    state = request.app.state
    scenario = read_body(body.scenario)
    settings = state.settings
    if body.draws > settings.max_draws:
        from buildup.errors import InputError

        raise InputError(
            what="draws",
            given=body.draws,
            expected=f"at most {settings.max_draws:,} draws on this server",
        )

    from buildup.engine.tasks import PortfolioOptions, RiskOptions, validate_options

    options = validate_options(
        RiskOptions,
        draws=body.draws,
        seed=body.seed,
        chunk=body.chunk,
        scheduler=settings.scheduler,
        source="body",
    )
    section = None
    if body.programmes_csv is not None:
        section = validate_options(
            PortfolioOptions,
            envelope_share=body.envelope_share,
            alpha=body.alpha,
            scenarios=body.scenarios,
        )
    elif body.alpha is not None or body.envelope_csv is not None:
        from buildup.errors import InputError

        raise InputError(
            what="programmes_csv",
            problem="alpha and envelope_csv need the programmes to choose from",
            fix="give programmes_csv (the programmes file's text)",
        )

    def work(progress: JobProgress) -> tuple[dict[str, Any], bytes]:
        from buildup.engine.tasks import stress_test
        from buildup.web.uploads import read_envelope_text, read_programmes_text

        store = state.stores.get()
        progress.check()
        programmes = envelope = None
        if body.programmes_csv is not None:
            programmes = read_programmes_text(body.programmes_csv, body.programmes_name)
        if body.envelope_csv is not None:
            envelope = read_envelope_text(body.envelope_csv, "envelope.csv")
        report = stress_test(
            scenario,
            store,
            options,
            programmes=programmes,
            envelope=envelope,
            portfolio=section,
            progress=progress.update,
        )
        payload = dumps(report)
        import json

        return json.loads(payload), payload

    return work


@router.post(
    "/risk/jobs",
    status_code=202,
    summary="Start a Monte Carlo of a plan as a job (202, Location: the job)",
)
async def start_risk(request: Request, body: RiskJobRequest) -> Response:
    work = _risk_work(request, body)
    return accepted(get_jobs(request).submit("risk", work, total=body.draws))


@router.get("/jobs/{job_id}", summary="A job's status, progress and, when done, its outcome")
async def get_job(request: Request, job_id: JobId) -> Response:
    job = get_jobs(request).get(job_id)
    if job is None:
        raise ProblemError(404, f"no job {job_id} (finished jobs are kept for a while only)")
    headers = {} if job.finished else {"Retry-After": "1"}
    return json_response(job_view(job), headers=headers)


@router.get(
    "/jobs/{job_id}/result",
    summary="A finished job's outcome, byte for byte as the CLI writes it",
    responses=answers("risk", "optimise"),
)
async def get_result(request: Request, job_id: JobId) -> Response:
    job = get_jobs(request).get(job_id)
    if job is None:
        raise ProblemError(404, f"no job {job_id} (finished jobs are kept for a while only)")
    if job.result_bytes is None:
        raise ProblemError(
            409,
            f"job {job_id} has no outcome: it is {job.state}",
            fix=f"GET /api/v1/jobs/{job_id} until its state is succeeded",
        )
    return Response(job.result_bytes, media_type="application/json")


@router.delete("/jobs/{job_id}", summary="Cancel a job (it stops at its next chunk of draws)")
async def cancel_job(request: Request, job_id: JobId) -> Response:
    job = get_jobs(request).cancel(job_id)
    if job is None:
        raise ProblemError(404, f"no job {job_id}")
    return json_response(job_view(job), 202 if not job.finished else 200)
