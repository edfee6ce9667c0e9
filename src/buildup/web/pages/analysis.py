"""The Track and Portfolio pages.

``/track?example=japan-dbp-tracking``: a programme against its plan — execution, the yearly
table, the variance split, the checks against published figures.
``/portfolio?programmes=japan-programmes&envelope=japan-envelope``: the chosen programmes,
each year's spending by capability area against its envelope, the binding years. The Pareto
front of value against the envelope's scale (a solve per scale, ~15 s) runs as a job:
*Compute* (a POST to ``/portfolio/pareto``) starts it on the app's job pool and goes to
``/portfolio?…&pareto=1&job=ID``, where a progress bar follows it until the front is drawn.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.serialize import to_jsonable
from buildup.web.pages.params import Param, Params, Problem, choice, number, read_params, text
from buildup.web.pages.render import example_dir, json_page, kept_outcomes, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _files(pattern: str, must: str) -> list[str]:
    folder = example_dir()
    if folder is None:
        return []
    return sorted(p.stem for p in folder.glob(pattern) if must in p.read_text(encoding="utf-8"))


def _trackings() -> list[str]:
    return _files("*.toml", "[plan]")


def _programmes() -> list[str]:
    return [n for n in _files("*.csv", "area") if "programme" in n]


def _envelopes() -> list[str]:
    return [n for n in _files("*.csv", "year") if "envelope" in n]


TRACK_PARAMS = (Param("example", choice(_trackings), "japan-dbp-tracking", "a tracking file"),)
PORTFOLIO_PARAMS = (
    Param("programmes", choice(_programmes), "japan-programmes", "programmes file"),
    Param("envelope", choice(_envelopes), "japan-envelope", "envelope file"),
    Param("currency", choice(("JPY", "USD", "EUR", "KRW", "AUD", "PHP")), "JPY", "currency"),
    Param("pareto", choice(("0", "1")), "0", "also the Pareto front (a job)"),
    Param("time_limit", number(1, 60, "seconds"), 20.0, "solver time limit [s]"),
    Param("job", text(32), None, "the job that computed the Pareto front"),
)


def _track(store: Any, values: dict[str, Any]) -> Any:
    from buildup.engine.track import track
    from buildup.scenario.tracking import read_tracking

    folder = example_dir()
    assert folder is not None
    return track(read_tracking(folder / f"{values['example']}.toml"), store)


def _guard(work: Any, *args: Any) -> tuple[Any, tuple[Problem, ...]]:
    from buildup.errors import BuildupError

    try:
        return work(*args), ()
    except BuildupError as exc:
        return None, (Problem("inputs", "", " ".join(str(exc).splitlines()[0].split())),)


def _params(request: Request, declared: tuple[Param, ...]) -> Params:
    return read_params(list(request.query_params.multi_items()), declared)


@router.get("/track")
async def track_page(request: Request) -> Response:
    from anyio import to_thread

    from buildup.report.embed import chart_html
    from buildup.report.track_figure import tracking_chart

    params = _params(request, TRACK_PARAMS)
    outcome, problems = await to_thread.run_sync(
        _guard, _track, store_of(request), dict(params.values)
    )
    context: dict[str, Any] = {"outcome": outcome}
    if outcome is not None:
        context["chart"] = chart_html(tracking_chart(outcome), "chart-track")
        context["record"] = to_jsonable(outcome)
    return page(
        request,
        "track.html",
        title="Track",
        params=params,
        problems=problems,
        values=params.values,
        trackings=_trackings(),
        status=200 if outcome is not None else 422,
        **context,
    )


@router.get("/track.json")
async def track_json(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request, TRACK_PARAMS)
    outcome, problems = await to_thread.run_sync(
        _guard, _track, store_of(request), dict(params.values)
    )
    if outcome is None:
        return json_page({"ok": False, "status": 422, "error": problems[0].reason}, params, 422)
    return json_page({"ok": True, "track": outcome}, params)


def _problem(values: dict[str, Any]) -> Any:
    from buildup.engine.programmes import portfolio_problem
    from buildup.scenario.programmes import read_envelope, read_programmes

    folder = example_dir()
    assert folder is not None
    return portfolio_problem(
        read_programmes(folder / f"{values['programmes']}.csv"),
        read_envelope(folder / f"{values['envelope']}.csv", currency=values["currency"]),
    )


def _portfolio(values: dict[str, Any]) -> Any:
    """The optimum and the greedy baseline (the Pareto front is a job: :func:`portfolio_run`)."""
    from buildup.portfolio import optimize_portfolio

    return optimize_portfolio(_problem(values), time_limit=values["time_limit"])


def _pareto_job(request: Request, values: dict[str, Any]) -> tuple[Any, tuple[Problem, ...]]:
    """The job of this view, and the analysis with its front once the job has succeeded."""
    jobs = getattr(request.app.state, "jobs", None)
    job = jobs.get(values["job"]) if jobs is not None else None
    if job is None:
        return None, (
            Problem("job", values["job"], "no such job (finished jobs are kept a while)"),
        )
    if job.finished and str(job.state) != "succeeded":
        return job, (Problem("job", values["job"], _job_error(job)),)
    return job, ()


def _job_error(job: Any) -> str:
    error = job.error or {}
    return str(error.get("error") if isinstance(error, dict) else error) or f"the job {job.state}"


def _view(request: Request, params: Params) -> tuple[Any, Any, tuple[Problem, ...]]:
    """(analysis, job, problems): a finished Pareto job's analysis (which holds the optimum
    too), else the optimum solved now."""
    values = dict(params.values)
    job: Any = None
    problems: tuple[Problem, ...] = ()
    if values["job"]:
        job, problems = _pareto_job(request, values)
        kept = kept_outcomes(request, "pareto").get(values["job"]) if job is not None else None
        if kept is not None and str(job.state) == "succeeded":
            return kept, job, problems
    analysis, solved = _guard(_portfolio, values)
    return analysis, job, problems + solved


@router.get("/portfolio")
async def portfolio_page(request: Request) -> Response:
    from anyio import to_thread

    from buildup.report.embed import chart_html
    from buildup.report.portfolio_figure import pareto_chart, portfolio_chart

    params = _params(request, PORTFOLIO_PARAMS)
    analysis, job, problems = await to_thread.run_sync(_view, request, params)
    record = to_jsonable(analysis) if analysis is not None else None
    context: dict[str, Any] = {"record": record, "pareto": ""}
    if analysis is not None:
        source = f"programmes {params['programmes']}.csv, envelope {params['envelope']}.csv"
        context["chart"] = chart_html(portfolio_chart(analysis, source), "chart-portfolio")
        front = pareto_chart(analysis)
        context["pareto"] = chart_html(front, "chart-pareto") if front is not None else ""
        context["by_year"] = _by_year(analysis)
    return _portfolio_page(
        request, params, problems, 200 if record is not None else 422, job, context
    )


def _by_year(analysis: Any) -> dict[str, Any]:
    """Each year's spending by area, its total, the envelope and what is left [currency]."""
    result = analysis.portfolio
    spent = {a.area: a.spend for a in result.spend_by_year_area if any(a.spend)}
    areas = list(spent)
    rows = []
    for i, year in enumerate(result.years):
        by_area = [spent[a][i] for a in areas]
        rows.append(
            {
                "year": year.year,
                "by_area": by_area,
                "total": year.spend,
                "envelope": year.envelope,
                "slack": year.slack,
                "binding": year.binding,
            }
        )
    totals = {a.area: a.spend for a in result.spend_by_area}
    return {"areas": areas, "rows": rows, "totals": [totals[a] for a in areas]}


@router.post("/portfolio/pareto")
async def portfolio_run(request: Request) -> Response:
    """Start the Pareto front of the posted view as a job and go to the view with its id."""
    from fastapi.responses import RedirectResponse

    async with request.form(max_files=0, max_fields=20) as form:
        items = [(k, str(v)) for k, v in form.multi_items() if k not in ("job", "pareto")]
    params = read_params([*items, ("pareto", "1")], PORTFOLIO_PARAMS)
    jobs = getattr(request.app.state, "jobs", None)
    if params.problems or jobs is None:
        problems = params.problems or (Problem("job", "", "this server runs no jobs"),)
        return _refused(request, params, problems, 422)
    values = dict(params.values)
    kept = kept_outcomes(request, "pareto")
    holder: dict[str, str] = {}

    def work(progress: Any) -> tuple[dict[str, Any], bytes]:
        from buildup.portfolio import optimize_portfolio
        from buildup.portfolio.analysis import DEFAULT_SCALES
        from buildup.serialize import dumps

        steps = len(DEFAULT_SCALES)  # the optimum, then each other scale's solve

        def in_turn(function: Any, items: Any) -> list[Any]:
            done: list[Any] = []
            progress.update(1, steps)  # the optimum at scale 1 is solved by now
            for item in items:
                progress.check()
                done.append(function(*item))
                progress.update(len(done) + 1, steps)
            return done

        progress.update(0, steps)
        analysis = optimize_portfolio(
            _problem(values),
            time_limit=values["time_limit"],
            pareto=DEFAULT_SCALES,
            mapper=in_turn,
        )
        kept.put(holder["id"], analysis)
        body = to_jsonable(analysis)
        return body, (dumps(body) + "\n").encode("utf-8")

    job = jobs.submit("pareto", work, total=0)
    if job is None:
        busy = (Problem("job", "", "the server is busy: try again shortly"),)
        return _refused(request, params, busy, 503)
    holder["id"] = job.id
    return RedirectResponse(f"/portfolio?{params.query(job=job.id)}", status_code=303)


def _refused(
    request: Request, params: Params, problems: tuple[Problem, ...], status: int
) -> Response:
    return _portfolio_page(request, params, problems, status, None, {"record": None, "pareto": ""})


def _portfolio_page(
    request: Request,
    params: Params,
    problems: tuple[Problem, ...],
    status: int,
    job: Any,
    context: dict[str, Any],
) -> Response:
    return page(
        request,
        "portfolio.html",
        title="Portfolio",
        params=params,
        problems=problems,
        values=params.values,
        programmes=_programmes(),
        envelopes=_envelopes(),
        job=job,
        jobs_available=hasattr(request.app.state, "jobs"),
        view_query=params.query(job=None, pareto=None),
        status=status,
        **context,
    )


@router.get("/portfolio.json")
async def portfolio_json(request: Request) -> Response:
    """The view's figures; with ``job`` (a finished Pareto job) the front too."""
    from anyio import to_thread

    params = _params(request, PORTFOLIO_PARAMS)
    analysis, job, problems = await to_thread.run_sync(_view, request, params)
    if analysis is None:
        return json_page({"ok": False, "status": 422, "error": problems[0].reason}, params, 422)
    body: dict[str, Any] = {"ok": True, "portfolio": to_jsonable(analysis)}
    if job is not None:
        body["job"] = {"id": job.id, "state": str(job.state), "fraction": job.fraction}
    elif params["pareto"] == "1":
        body["note"] = "POST /portfolio/pareto (or /api/v1/optimise/jobs) computes the front"
    return json_page(body, params)
