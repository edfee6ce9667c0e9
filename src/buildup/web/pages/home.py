"""Home: Japan's build-up at a glance — the headline answers with their chart, and links into
each page with that question filled in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.web.pages.params import read_params
from buildup.web.pages.render import example_dir, json_page, page, run_plan, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

HEADLINES = (
    ("japan-dbp", "Does Japan reach 2 % of GDP by FY2027?"),
    ("japan-accelerated", "What if the build-up is accelerated?"),
    ("japan-3.5pct-2035", "What would 3.5 % of GDP by 2035 take?"),
)
LINKS = (
    ("/plan?example=japan-dbp", "Plan Japan's path, definition by definition"),
    ("/compare?group=QUAD&metric=share_gdp&target=nato-3.5", "Compare the Quad against 3.5 %"),
    ("/compare?group=NATO&metric=share_gdp&count=2", "Count NATO members at 2 %"),
    ("/track?example=japan-dbp-tracking", "Track the programme against its ¥43 trillion"),
    ("/portfolio", "Allocate the programme across capability areas"),
    ("/risk?example=japan-dbp&draws=20000", "How likely is 2 %? (Monte Carlo)"),
    ("/scenarios", "Saved scenarios, versions and diffs"),
    ("/data", "Datasets, editions, sources and licences"),
)


def _headlines(store: Any) -> list[dict[str, Any]]:
    from buildup.errors import BuildupError
    from buildup.report.plan_view import plan_view
    from buildup.scenario import read_scenario

    folder = example_dir()
    out: list[dict[str, Any]] = []
    if folder is None:
        return out
    for name, question in HEADLINES:
        path = folder / f"{name}.toml"
        if not path.exists():
            continue
        try:
            outcome = run_plan(store, read_scenario(path), path.name)
        except BuildupError as exc:
            out.append({"name": name, "question": question, "error": str(exc).splitlines()[0]})
            continue
        view = plan_view(outcome)
        out.append(
            {
                "name": name,
                "question": question,
                "answer": view.answer,
                "outcome": outcome,
                "href": f"/plan?example={name}",
            }
        )
    return out


@router.get("/")
async def home(request: Request) -> Response:
    from anyio import to_thread

    from buildup.report.embed import chart_html
    from buildup.report.plan_figure import plan_chart

    params = read_params(list(request.query_params.multi_items()), ())
    headlines = await to_thread.run_sync(_headlines, store_of(request))
    chart = ""
    first = next((h for h in headlines if "outcome" in h), None)
    if first is not None:
        chart = chart_html(
            plan_chart(first["outcome"]),
            "chart-home",
            full_csv_href=f"/plan.csv?example={first['name']}",
        )
    return page(
        request,
        "home.html",
        title="Japan's build-up at a glance",
        params=params,
        headlines=headlines,
        chart=chart,
        links=LINKS,
    )


@router.get("/index.json")
async def home_json(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), ())
    headlines = await to_thread.run_sync(_headlines, store_of(request))
    return json_page(
        {
            "ok": True,
            "headlines": [
                {
                    "name": h["name"],
                    "question": h["question"],
                    "answer": h.get("answer"),
                    "error": h.get("error"),
                    "plan": h.get("outcome"),
                }
                for h in headlines
            ],
            "links": [{"href": href, "label": label} for href, label in LINKS],
        },
        params,
    )
