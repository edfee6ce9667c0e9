"""The Risk page: a plan's Monte Carlo run as a job — a progress bar while it runs, then the
fan chart, the probability of each target and the tornado (each driver alone).

``/risk?example=japan-dbp&draws=20000`` shows the question; *Run* (a POST) starts the job on
the app's bounded job pool and goes to ``/risk?…&job=ID``, which polls the API's
``/api/v1/jobs/ID`` for progress and shows the outcome when the job has finished.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from buildup.serialize import dumps
from buildup.web.pages.params import Param, Params, Problem, integer, read_params, text
from buildup.web.pages.plan import PLAN_PARAMS, SHAPES, build_scenario
from buildup.web.pages.render import example_names, json_page, kept_outcomes, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

DEFAULT_SEED = 20251028  # the CLI's documented default

RISK_PARAMS = (
    *(p for p in PLAN_PARAMS if p.name not in ("year", "variable", "saved", "saved_version")),
    Param("draws", integer(1_000, 5_000_000), 20_000, "Monte Carlo draws"),
    Param("seed", integer(0, 2**63 - 1), DEFAULT_SEED, "seed"),
    Param("job", text(32), None, "the job that ran this view"),
)


def _params(items: list[tuple[str, str]]) -> Params:
    return read_params(items, RISK_PARAMS)


def _risk_context(outcome: Any, view_query: str) -> dict[str, Any]:
    from buildup.report.embed import chart_html
    from buildup.report.numbers import format_percent
    from buildup.report.risk_figure import fan_chart, tornado_chart

    tornado = tornado_chart(outcome)
    fy = "FY" if outcome.plan.fiscal_year != "calendar" else ""
    return {
        "fan": chart_html(fan_chart(outcome), "chart-fan"),
        "tornado_chart": chart_html(tornado, "chart-tornado") if tornado is not None else "",
        "targets": [
            {
                "label": f"{format_percent(t.share_gdp, 1)} in {fy}{t.year} ({t.definition})",
                "probability": f"{t.probability_met:.1%}",
                "se": f"{t.standard_error:.1%}",
            }
            for t in outcome.targets
        ],
        "tornado": [
            {
                "driver": r.driver.replace("_", " "),
                "probability": f"{r.probability_met:.1%}",
                "low": format_percent(r.share_p5),
                "high": format_percent(r.share_p95),
            }
            for r in outcome.tornado
        ],
        "draws": f"{outcome.draws:,}",
        "seed": outcome.seed,
    }


@router.get("/risk")
async def risk_page(request: Request) -> Response:
    params = _params(list(request.query_params.multi_items()))
    problems: list[Problem] = []
    job_id = params["job"]
    job = None
    context: dict[str, Any] = {}
    if job_id:
        jobs = getattr(request.app.state, "jobs", None)
        job = jobs.get(job_id) if jobs is not None else None
        if job is None:
            problems.append(Problem("job", job_id, "no such job (finished jobs are kept a while)"))
        elif str(job.state) == "succeeded":
            outcome = kept_outcomes(request, "risk").get(job_id)
            if outcome is not None:
                context = _risk_context(outcome, params.query(job=None))
        elif job.finished:
            problems.append(Problem("job", job_id, job.error or f"the job {job.state}"))
    return page(
        request,
        "risk.html",
        title="Risk",
        params=params,
        problems=tuple(problems),
        values=params.values,
        examples=example_names(),
        shapes=SHAPES,
        job=job,
        jobs_available=hasattr(request.app.state, "jobs"),
        view_query=params.query(job=None),
        **context,
    )


@router.post("/risk/run")
async def risk_run(request: Request) -> Response:
    """Start the job for the view posted (the same fields as the page's query) and go to it."""
    async with request.form(max_files=0, max_fields=40) as form:
        items = [(k, str(v)) for k, v in form.multi_items() if k != "job" and str(v) != ""]
    params = _params(items)
    jobs = getattr(request.app.state, "jobs", None)
    if params.problems or jobs is None:
        problems = params.problems or (Problem("job", "", "this server runs no jobs"),)
        return page(
            request,
            "risk.html",
            title="Risk",
            params=params,
            problems=problems,
            values=params.values,
            examples=example_names(),
            shapes=SHAPES,
            job=None,
            jobs_available=jobs is not None,
            view_query=params.query(),
            status=422,
        )
    values = dict(params.values)
    outcomes = kept_outcomes(request, "risk")
    holder: dict[str, str] = {}

    def work(progress: Any) -> tuple[dict[str, Any], bytes]:
        import json

        from buildup.engine.risk import simulate_plan

        store = store_of(request)
        progress.check()
        scenario = build_scenario(store, values)
        outcome = simulate_plan(
            scenario,
            store,
            draws=values["draws"],
            seed=values["seed"],
            origin="page",
            progress=progress.update,
        )
        outcomes.put(holder["id"], outcome)
        text_ = dumps(outcome)
        return json.loads(text_), text_.encode("utf-8")

    job = jobs.submit("risk", work, total=values["draws"])
    if job is None:
        return page(
            request,
            "risk.html",
            title="Risk",
            params=params,
            problems=(Problem("job", "", "the server is busy: try again shortly"),),
            values=params.values,
            examples=example_names(),
            shapes=SHAPES,
            job=None,
            jobs_available=True,
            view_query=params.query(),
            status=503,
        )
    holder["id"] = job.id
    return RedirectResponse(f"/risk?{params.query(job=job.id)}", status_code=303)


@router.get("/risk.json")
async def risk_json(request: Request) -> Response:
    params = _params(list(request.query_params.multi_items()))
    job_id = params["job"]
    outcome = kept_outcomes(request, "risk").get(job_id) if job_id else None
    if outcome is None:
        return json_page(
            {"ok": True, "risk": None, "note": "POST /risk/run (or /api/v1/risk/jobs) runs it"},
            params,
        )
    return json_page({"ok": True, "risk": outcome}, params)
