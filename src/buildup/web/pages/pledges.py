"""The Pledges page: the pledge ledger with its revisions, filtered by country in the URL,
and a form that reads the pledges in pasted text (as ``buildup pledges extract`` does).

``/pledges?country=JPN,KOR`` is the ledger view (``.json`` twin); ``POST /pledges/read``
answers the same page with what the text holds. Reading changes nothing; keeping pledges is
``POST /api/v1/pledges/extract`` with ``save`` (or ``buildup pledges extract --save``). A bad
text or date is one line on the page (422), with the text kept in the form.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.web.pages.params import Param, Params, read_params, text
from buildup.web.pages.render import json_page, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PARAMS = (Param("country", text(60), None, "Actor (ISO3 or name, NATO, EUU)", multiple=True),)


def _ledger(store: Any, params: Params) -> tuple[list[dict[str, Any]], str | None]:
    """The ledger rows for the countries asked, and a problem with them (or None)."""
    from buildup.errors import BuildupError
    from buildup.pledges.record import show_value
    from buildup.web.routes.pledges import ledger_rows

    try:
        rows = ledger_rows(store, params["country"])
    except BuildupError as exc:
        return ledger_rows(store, None), " ".join(str(exc).split())
    for row in rows:
        row["shown"] = show_value(row["measure"], row["value"], row["currency"])
    return rows, None


async def _view(request: Request, *, status: int = 200, **reading: Any) -> Response:
    from anyio import to_thread

    from buildup.web.pages.params import Problem

    params = read_params(list(request.query_params.multi_items()), PARAMS)
    rows, problem = await to_thread.run_sync(_ledger, store_of(request), params)
    problems = (Problem("country", ",".join(params["country"] or []), problem),) if problem else ()
    reading.setdefault("reading", None)
    reading.setdefault("error", None)
    reading.setdefault("given_text", "")
    reading.setdefault("given_date", "")
    return page(
        request,
        "pledges.html",
        title="Pledges",
        params=params,
        problems=problems,
        rows=rows,
        countries=params["country"] or [],
        status=status,
        **reading,
    )


@router.get("/pledges")
async def pledges_page(request: Request) -> Response:
    return await _view(request)


@router.get("/pledges.json")
async def pledges_json(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), PARAMS)
    rows, problem = await to_thread.run_sync(_ledger, store_of(request), params)
    body = {"ok": problem is None, "error": problem, "pledges": rows}
    return json_page(body, params, status=422 if problem else 200)


def _read(store: Any, given_text: str, given_date: str) -> dict[str, Any]:
    from buildup.pledges.record import show_value
    from buildup.web.routes.pledges import ExtractRequest, extract_text

    body = ExtractRequest(text=given_text, date=given_date.strip() or None)
    answer = extract_text(store, body)
    for record in answer["pledges"]:
        record["shown"] = show_value(record["measure"], record["value"], record["currency"])
    return answer


@router.post("/pledges/read")
async def read_text(request: Request) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError
    from buildup.pledges.text import MAX_BYTES

    async with request.form(max_files=0, max_fields=5) as form:
        given_text = str(form.get("text", ""))
        given_date = str(form.get("date", ""))
    kept: dict[str, Any] = {"given_text": given_text, "given_date": given_date}
    if len(given_text) > MAX_BYTES:
        error = f"text: longer than {MAX_BYTES:,} characters; read it in parts"
        return await _view(request, status=422, error=error, **kept)
    try:
        answer = await to_thread.run_sync(_read, store_of(request), given_text, given_date)
    except BuildupError as exc:
        return await _view(request, status=422, error=" ".join(str(exc).split()), **kept)
    if "application/json" in request.headers.get("accept", ""):
        return json_page({"ok": True, **answer})
    return await _view(request, reading=answer, **kept)
