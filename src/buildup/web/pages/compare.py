"""The Compare page: countries or a group on one metric, the cost of a target, counts, ranks.

``/compare?group=NATO&metric=share_gdp&target=nato-3.5&count=2`` and its ``.json`` twin.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.units import METRIC_LABELS
from buildup.web.pages.params import (
    Param,
    Params,
    Problem,
    choice,
    integer,
    percent,
    read_params,
    text,
)
from buildup.web.pages.render import json_page, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

# The metrics and a few words on each, from the one table of their labels.
METRICS = tuple(m.value for m in METRIC_LABELS)
_METRIC_CHOICES = tuple((m.value, label.about) for m, label in METRIC_LABELS.items())


def _groups() -> list[str]:
    from buildup.compare import load_groups

    return sorted(load_groups())


def _years(value: str) -> Any:
    from buildup.errors import BuildupError
    from buildup.types import parse_year_range

    try:
        return parse_year_range(value)
    except BuildupError as exc:
        raise ValueError(str(exc).splitlines()[0]) from None


COMPARE_PARAMS = (
    Param("countries", text(60), [], "countries (ISO3 codes or names)", multiple=True),
    Param("group", choice(_groups, fold=True), None, "a group: its members"),
    Param("metric", choice(METRICS), "share_gdp", "metric"),
    Param("years", _years, None, "years, e.g. 2000:2024"),
    Param("window", integer(1, 70), 10, "years of the real change"),
    Param("target", choice(("nato-2", "nato-3.5", "nato-5")), None, "cost to a target"),
    Param("share", percent(0.01, 50), None, "or a target share of GDP [%]"),
    Param("by", integer(1990, 2100), None, "target year"),
    Param("count", percent(0.01, 50), None, "count members at or above this share [%]"),
    Param("count_year", integer(1949, 2100), None, "year of the count"),
)


def _gather(store: Any, values: dict[str, Any]) -> dict[str, Any]:
    from buildup.compare import (
        Group,
        compare_countries,
        count_at_or_above,
        rank_countries,
        resolve_group,
        resolve_metric,
        resolve_target,
    )
    from buildup.data.countries import resolve_countries

    codes = resolve_countries(values["countries"]) if values["countries"] else []
    group = resolve_group(values["group"]) if values["group"] else None
    if not codes and group is None:
        group = resolve_group("QUAD")
    rows = compare_countries(
        store,
        codes,
        values["metric"],
        values["years"],
        group=group,
        window=values["window"],
        allow_missing=True,
    )
    as_group = group or Group.of_countries(codes)
    info = resolve_metric(store, values["metric"], window=values["window"], group=as_group)
    shown = list(dict.fromkeys(rows["iso3"]))
    wanted = values["target"] is not None or values["share"] is not None
    goal = resolve_target(values["target"], values["share"], values["by"]) if wanted else None
    costs = _costs(store, shown, goal) if goal is not None else ()
    last = (
        int(rows.dropna(subset=["value"])["year"].max())
        if rows["value"].notna().any()
        else int(rows["year"].max())
    )
    counts: tuple[Any, ...] = ()
    if values["count"] is not None:
        year = values["count_year"] or last
        counts = tuple(
            count_at_or_above(store, as_group, year, values["count"], source, rounding)
            for source in ("nato", "sipri")
            for rounding in (None, 1)
        )
    level = rank_countries(store, as_group, values["count_year"] or last, "sipri", rounding=1)
    change = compare_countries(
        store, shown, "real_growth", None, group=group, window=values["window"], allow_missing=True
    )
    latest_change = change.dropna(subset=["value"]).sort_values("year").groupby("iso3").tail(1)
    league = level.merge(
        latest_change[["iso3", "year", "value"]].rename(
            columns={"year": "change_year", "value": "real_change"}
        ),
        on="iso3",
        how="left",
    )
    return {
        "rows": rows,
        "info": info,
        "costs": costs,
        "counts": counts,
        "league": league,
        "group": as_group,
    }


def _costs(store: Any, countries: list[str], goal: Any) -> tuple[Any, ...]:
    """Each country's cost to ``goal``, planned once per country, goal and data version (a
    country's cost does not depend on the others shown beside it)."""
    from functools import partial

    from buildup.compare import compare_cost_to_target
    from buildup.web.snapshot import snapshot_of

    view = snapshot_of(store)

    def one(iso3: str) -> Any:
        return compare_cost_to_target(view, [iso3], goal)[0]

    return tuple(
        view.derived(("cost to target", iso3, goal), partial(one, iso3)) for iso3 in countries
    )


def _run(request: Request, params: Params) -> tuple[Any, tuple[Problem, ...]]:
    from buildup.errors import BuildupError

    try:
        return _gather(store_of(request), dict(params.values)), ()
    except BuildupError as exc:
        return None, (Problem("comparison", "", str(exc).strip().splitlines()[0]),)


def _params(request: Request) -> Params:
    return read_params(list(request.query_params.multi_items()), COMPARE_PARAMS)


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None:
        return []
    return [
        {k: (None if _missing(v) else v) for k, v in r.items()} for r in frame.to_dict("records")
    ]


def _missing(value: Any) -> bool:
    import math

    return isinstance(value, float) and math.isnan(value)


@router.get("/compare")
async def compare_page(request: Request) -> Response:
    from anyio import to_thread

    from buildup.report.compare_charts import cost_rows
    from buildup.report.compare_figure import compare_chart
    from buildup.report.embed import chart_html

    params = _params(request)
    result, problems = await to_thread.run_sync(_run, request, params)
    context: dict[str, Any] = {"result": result}
    if result is not None:
        query = params.query()
        context["chart"] = chart_html(
            compare_chart(result["rows"], result["info"], result["costs"]),
            "chart-compare",
            full_csv_href="/compare.csv" + (f"?{query}" if query else ""),
            image_href="/compare.{format}" + (f"?{query}" if query else ""),
        )
        context["league"] = _records(result["league"])
        context["cost_table"] = cost_rows(result["costs"])
    return page(
        request,
        "compare.html",
        title="Compare",
        params=params,
        problems=problems,
        values=params.values,
        metrics=_METRIC_CHOICES,
        groups=_groups(),
        **context,
    )


async def _image(request: Request, kind: str) -> Response:
    from anyio import to_thread

    from buildup.report.compare_figure import compare_chart
    from buildup.web.pages.images import image_response

    params = _params(request)
    result, problems = await to_thread.run_sync(_run, request, params)
    if result is None:
        return Response(problems[0].reason + "\n", 422, media_type="text/plain; charset=utf-8")
    chart = compare_chart(result["rows"], result["info"], result["costs"])
    return await image_response(chart, kind, "compare")


@router.get("/compare.png")
async def compare_png(request: Request) -> Response:
    return await _image(request, "png")


@router.get("/compare.svg")
async def compare_svg(request: Request) -> Response:
    return await _image(request, "svg")


@router.get("/compare.json")
async def compare_json(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    result, problems = await to_thread.run_sync(_run, request, params)
    if result is None:
        return json_page({"ok": False, "status": 422, "error": problems[0].reason}, params, 422)
    from dataclasses import asdict

    return json_page(
        {
            "ok": True,
            "metric": asdict(result["info"]),
            "rows": _records(result["rows"]),
            "cost_to_target": list(result["costs"]),
            "counts": list(result["counts"]),
            "league_table": _records(result["league"]),
        },
        params,
    )


@router.get("/compare.csv")
async def compare_csv(request: Request) -> Response:
    from anyio import to_thread

    params = _params(request)
    result, problems = await to_thread.run_sync(_run, request, params)
    if result is None:
        return Response(problems[0].reason + "\n", 422, media_type="text/plain; charset=utf-8")
    body = result["rows"].to_csv(index=False, lineterminator="\n")
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="compare.csv"'},
    )
