"""The Track and Portfolio pages.

``/track?example=japan-dbp-tracking``: a programme against its plan — execution, the yearly
table, the variance split, the checks against published figures.
``/portfolio?programmes=japan-programmes&envelope=japan-envelope``: the chosen programmes,
spending against each year's envelope, the binding years, and with ``pareto=1`` the Pareto
front of value against the envelope's scale.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.web.pages.params import Param, Params, Problem, choice, number, read_params
from buildup.web.pages.render import example_dir, json_page, page, store_of

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
    Param("pareto", choice(("0", "1")), "0", "also the Pareto front (slower)"),
    Param("time_limit", number(1, 60, "seconds"), 20.0, "solver time limit [s]"),
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
        context["record"] = outcome.to_dict()
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
    return json_page({"ok": True, "track": outcome.to_dict()}, params)


def _portfolio(values: dict[str, Any]) -> Any:
    from buildup.portfolio import (
        PortfolioProblem,
        optimize_portfolio,
        read_envelope,
        read_programmes,
    )
    from buildup.portfolio.analysis import DEFAULT_SCALES

    folder = example_dir()
    assert folder is not None
    problem = PortfolioProblem(
        catalogue=read_programmes(folder / f"{values['programmes']}.csv"),
        envelope=read_envelope(folder / f"{values['envelope']}.csv", currency=values["currency"]),
    )
    pareto = DEFAULT_SCALES if values["pareto"] == "1" else ()
    return optimize_portfolio(problem, time_limit=values["time_limit"], pareto=pareto).to_dict()


@router.get("/portfolio")
async def portfolio_page(request: Request) -> Response:
    from anyio import to_thread

    from buildup.report.embed import chart_html
    from buildup.report.track_figure import envelope_chart, pareto_chart

    params = _params(request, PORTFOLIO_PARAMS)
    record, problems = await to_thread.run_sync(_guard, _portfolio, dict(params.values))
    context: dict[str, Any] = {"record": record}
    if record is not None:
        title = f"Portfolio: {params['programmes']} within {params['envelope']}"
        context["chart"] = chart_html(
            envelope_chart(record["years"], record["currency"] or "", title), "chart-portfolio"
        )
        front = pareto_chart(record.get("pareto") or [], "Pareto front")
        context["pareto"] = chart_html(front, "chart-pareto") if front is not None else ""
    return page(
        request,
        "portfolio.html",
        title="Portfolio",
        params=params,
        problems=problems,
        values=params.values,
        programmes=_programmes(),
        envelopes=_envelopes(),
        status=200 if record is not None else 422,
        **context,
    )


@router.get("/portfolio.json")
async def portfolio_json(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request, PORTFOLIO_PARAMS)
    record, problems = await to_thread.run_sync(_guard, _portfolio, dict(params.values))
    if record is None:
        return json_page({"ok": False, "status": 422, "error": problems[0].reason}, params, 422)
    return json_page({"ok": True, "portfolio": record}, params)
