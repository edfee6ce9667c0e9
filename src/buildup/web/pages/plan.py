"""The Plan page: a country, a target and a path; the chart, every definition, the checks.

``/plan?country=JPN&share=2&by=2027`` (a quick plan) or ``/plan?example=japan-dbp`` (a
shipped scenario); ``/plan.json`` and ``/plan.csv`` are its twins; ``/plan/explain`` opens
the engine's trace of one figure.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.web.pages.params import (
    Param,
    Params,
    Problem,
    choice,
    integer,
    number,
    percent,
    read_params,
    text,
)
from buildup.web.pages.render import (
    example_dir,
    example_names,
    json_page,
    page,
    run_plan,
    store_of,
)

__all__ = ["PLAN_PARAMS", "build_scenario", "router"]

router = APIRouter(include_in_schema=False)

SHAPES = ("goal-seek", "linear-share", "constant-growth", "front-loaded", "back-loaded")


def _rate(value: str) -> float | str:
    if value == "last":
        return "last"
    return float(percent(-50, 100)(value))


PLAN_PARAMS = (
    Param("example", choice(example_names), None, "a shipped scenario"),
    Param("country", text(60), "JPN", "country (ISO3 code or name)"),
    Param("share", percent(0.01, 50), 0.02, "target share of GDP [%]"),
    Param("amount", number(1, 1e18, "currency units"), None, "target amount [local currency]"),
    Param("by", integer(1990, 2100), 2027, "target year"),
    Param("shape", choice(SHAPES), "goal-seek", "path shape"),
    Param("max_real_growth", percent(0, 100), None, "ramp limit: real growth a year [%]"),
    Param("definition", text(60), None, "definition of the target"),
    Param("gdp_base_year", integer(1950, 2100), None, "GDP base year (fixed denominator)"),
    Param("baseline_year", integer(1950, 2100), None, "baseline year"),
    # A quick plan continues GDP and prices past the data at their last growth unless told
    # otherwise; the plan's assumptions say so.
    Param("gdp_growth", _rate, "last", "nominal GDP growth after the data [%] or last"),
    Param("inflation", _rate, "last", "inflation after the data [%] or last"),
    Param("saved", text(40), None, "a saved scenario's id"),
    Param("saved_version", integer(1, 2**31 - 1), None, "its version (default: the current)"),
    Param("year", integer(1950, 2200), None, "year of the figure to explain"),
    Param("variable", text(80), None, "figure to explain"),
)


def build_scenario(store: Any, values: dict[str, Any]) -> Any:
    """The scenario a plan view asks for: a shipped example, or a quick plan from the fields."""
    from buildup.engine import default_baseline_year
    from buildup.engine.quick import DEFAULT_MAX_REAL_GROWTH
    from buildup.scenario import read_scenario, scenario_from_dict

    if values.get("example"):
        folder = example_dir()
        assert folder is not None  # choice() only accepts names found there
        return read_scenario(folder / f"{values['example']}.toml")
    country, by = values["country"], values["by"]
    target: dict[str, Any] = {"year": by, "definition": values["definition"]}
    if values.get("amount") is not None:
        target["amount"] = values["amount"]
        goal = f"{values['amount']:,.0f}"
    else:
        target["share_gdp"] = values["share"]
        goal = f"{values['share'] * 100:g} % of GDP"
    baseline = values["baseline_year"] or default_baseline_year(store, country, by)
    # The same question as `buildup plan --country`: the same stated ramp limit by default.
    limit, notes = values["max_real_growth"], []
    if limit is None and values["shape"] == "goal-seek":
        limit = DEFAULT_MAX_REAL_GROWTH
        notes.append(
            f"ramp limit: at most {DEFAULT_MAX_REAL_GROWTH:.0%} real growth a year (buildup's "
            "default, an assumption; the max_real_growth option sets another)"
        )
    data: dict[str, Any] = {
        "name": f"{country}: {goal} by {by}",
        "country": country,
        "baseline": {"year": baseline},
        "targets": [target],
        "notes": notes,
        "path": {"shape": values["shape"], "max_real_growth": limit},
        "gdp": {"growth_after_data": values["gdp_growth"]},
        "prices": {"inflation_after_data": values["inflation"]},
    }
    if values["gdp_base_year"] is not None:
        data["denominator"] = {"year": values["gdp_base_year"]}
    if values["definition"] is not None:
        data["definition"] = values["definition"]
    return scenario_from_dict(data, "page")


def _params(request: Request) -> Params:
    return read_params(list(request.query_params.multi_items()), PLAN_PARAMS)


def _run(request: Request, params: Params) -> tuple[Any, tuple[Problem, ...]]:
    """The outcome, or None with the engine's one-line error as a problem of the view."""
    from buildup.errors import BuildupError

    store = store_of(request)
    try:
        if params["saved"]:
            repo = getattr(request.app.state, "repository", None)
            if repo is None:
                return None, (Problem("saved", params["saved"], "this server keeps no scenarios"),)
            saved = repo.version(params["saved"], params["saved_version"])
            scenario = saved.scenario()
        else:
            scenario = build_scenario(store, dict(params.values))
        return run_plan(store, scenario), ()
    except BuildupError as exc:
        first = str(exc).strip().splitlines()[0]
        return None, (Problem("scenario", "", first),)


def _context(outcome: Any, params: Params) -> dict[str, Any]:
    from buildup.report.embed import chart_html
    from buildup.report.plan_figure import plan_chart
    from buildup.report.plan_view import plan_view

    query = params.query(year=None, variable=None)
    csv_href = "/plan.csv" + (f"?{query}" if query else "")
    image_href = "/plan.{format}" + (f"?{query}" if query else "")
    return {
        "view": plan_view(outcome),
        "chart": chart_html(
            plan_chart(outcome),
            "chart-plan",
            full_csv_href=csv_href,
            image_href=image_href,  # a query is URL-encoded: it holds no braces
        ),
        "explain_query": params.query(year=None, variable=None),
        "traced": {(e.year, e.key) for e in outcome.trace},
        "definitions": outcome.definitions,
        "primary": outcome.primary,
    }


@router.get("/plan")
async def plan_page(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    context = _context(outcome, params) if outcome is not None else {}
    return page(
        request,
        "plan.html",
        title="Plan",
        params=params,
        problems=problems,
        values=params.values,
        examples=example_names(),
        shapes=SHAPES,
        fields=PLAN_PARAMS,
        outcome=outcome,
        status=200 if outcome is not None else 422,
        report_href="/plan/report" + (f"?{params.query()}" if params.query() else ""),
        **context,
    )


@router.get("/plan.json")
async def plan_json(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    if outcome is None:
        body = {"ok": False, "status": 422, "error": problems[0].reason}
        return json_page(body, params, status=422)
    return json_page({"ok": True, "plan": outcome}, params)


@router.get("/plan.csv")
async def plan_csv(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    if outcome is None:
        return Response(problems[0].reason + "\n", 422, media_type="text/plain; charset=utf-8")
    frame = outcome.years.drop(columns=[], errors="ignore")
    body = frame.to_csv(index=False, lineterminator="\n")
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="plan.csv"'},
    )


async def _image(request: Request, kind: str) -> Response:
    from anyio import to_thread

    from buildup.report.plan_figure import plan_chart
    from buildup.web.pages.images import image_response

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    if outcome is None:
        return Response(problems[0].reason + "\n", 422, media_type="text/plain; charset=utf-8")
    return await image_response(plan_chart(outcome), kind, "plan")


@router.get("/plan.png")
async def plan_png(request: Request) -> Response:
    return await _image(request, "png")


@router.get("/plan.svg")
async def plan_svg(request: Request) -> Response:
    return await _image(request, "svg")


def _explain_context(outcome: Any, year: int, variable: str) -> dict[str, Any]:
    """The trace entry of one figure and, below it, the entries its steps name."""
    from buildup.report.plan_view import sources_of

    entries = {e.key: e for e in outcome.explain(year)}
    chosen = entries.get(variable)
    if chosen is None:
        return {"entry": None, "inputs": (), "datasets": ()}
    seen, inputs, queue = {variable}, [], [chosen]
    while queue:
        current = queue.pop(0)
        words = " ".join(current.steps)
        for name, entry in entries.items():
            if name not in seen and _mentions(words, name):
                seen.add(name)
                inputs.append(entry)
                queue.append(entry)
    used = {s.dataset for e in (chosen, *inputs) for s in e.sources if s.dataset}
    editions = {k: v for k, v in outcome.provenance.dataset_editions.items() if k in used}
    return {
        "entry": chosen,
        "inputs": tuple(inputs),
        "datasets": sources_of(editions),
        "assumptions": outcome.assumptions,
    }


def _mentions(words: str, name: str) -> bool:
    import re

    if name == "budget_local":
        return (
            "budget" in words.split(" ")[0:1] or re.search(r"\bsum of budget\b", words) is not None
        )
    if name.startswith("component:"):
        return re.search(rf"\b{re.escape(name.split(':', 1)[1])}\b", words) is not None
    return re.search(rf"(?<![\w:]){re.escape(name)}(?![\w])", words) is not None


@router.get("/plan/explain")
async def explain_page(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    year, variable = params["year"], params["variable"]
    extra: list[Problem] = list(problems)
    context: dict[str, Any] = {"entry": None, "inputs": (), "datasets": (), "assumptions": ()}
    if outcome is not None:
        if year is None or variable is None:
            extra.append(Problem("year", "", "give year and variable: the figure to explain"))
        else:
            context = _explain_context(outcome, year, variable)
            if context["entry"] is None:
                extra.append(
                    Problem("variable", f"{variable} {year}", "no such figure in this plan's trace")
                )
    back = "/plan" + (
        f"?{params.query(year=None, variable=None)}"
        if params.query(year=None, variable=None)
        else ""
    )
    status = 200 if context["entry"] is not None else 404
    return page(
        request,
        "explain.html",
        title="Where this figure comes from",
        params=params,
        problems=tuple(extra),
        back=back,
        year=year,
        variable=variable,
        fragment=request.headers.get("x-fragment") == "1",
        status=status,
        **context,
    )


@router.get("/plan/report")
async def plan_report(request: Request) -> Response:
    """The report of this view: one self-contained HTML document, as ``buildup report``."""
    from anyio import to_thread

    from buildup.report.document import render_plan_report

    params = _params(request)
    outcome, problems = await to_thread.run_sync(_run, request, params)
    if outcome is None:
        return page(
            request,
            "plan.html",
            title="Plan",
            params=params,
            problems=problems,
            values=params.values,
            examples=example_names(),
            shapes=SHAPES,
            fields=PLAN_PARAMS,
            outcome=None,
            report_href="",
            status=422,
        )
    text_ = await to_thread.run_sync(render_plan_report, outcome)
    return Response(
        text_.encode("utf-8"),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="buildup-report.html"'},
    )
