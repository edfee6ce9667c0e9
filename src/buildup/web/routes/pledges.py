"""``/api/v1/pledges``: the pledge ledger (filtered by country), its revisions, and pledges
read from posted text — the answers of ``buildup pledges list|diff|extract --format json``.

A bad request is one line (what, where, how to fix) with a 4xx: a date that is not
YYYY-MM-DD, an unknown country, text that is not text (NUL or control bytes), a save without
the date the pledges were made. A save is one transaction (all of the text's pledges or
none) and needs the bearer token when the server asks for one for writes.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from buildup.pledges.text import MAX_BYTES
from buildup.serialize import to_jsonable
from buildup.web.deps import compute, csv_response, json_response

__all__ = ["ExtractRequest", "extract_text", "ledger_rows", "router"]

router = APIRouter(prefix="/api/v1/pledges", tags=["pledges"])

Countries = Annotated[
    list[str] | None,
    Query(
        description="Actor: ISO3 code or name, or NATO / EUU; repeat for several.",
        max_length=300,
    ),
]


class ExtractRequest(BaseModel):
    """Text to read pledges from, the date it was written, and whether to keep them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(
        max_length=MAX_BYTES,
        description="Plain text or an HTML page (markup is stripped).",
    )
    date: str | None = Field(
        default=None,
        max_length=40,
        description="The article's date, YYYY-MM-DD: relative years resolve against it "
        "(default: today, UTC). Needed to save.",
    )
    save: bool = Field(default=False, description="Keep the pledges in the ledger.")
    source: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Where the text came from (an address or a name), kept with a save.",
    )


def _codes(countries: list[str] | None) -> list[str] | None:
    if not countries:
        return None
    from buildup.data.countries import resolve_country

    codes = []
    for given in countries:
        for name in (part.strip() for part in given.split(",")):
            if not name:
                continue
            upper = name.upper()
            codes.append(upper if upper in ("NATO", "EUU") else resolve_country(name))
    return list(dict.fromkeys(codes)) or None


def _history(store: Any, countries: list[str] | None) -> list[Any]:
    from buildup.pledges.ledger import build_history
    from buildup.store.pledges import pledge_ledger

    codes = _codes(countries)
    ledger = pledge_ledger(getattr(store, "base", store))
    try:
        entries = ledger.entries()
    finally:
        ledger.close()
    if codes is not None:
        entries = [e for e in entries if e.actor in codes]
    return build_history(entries)


def ledger_rows(store: Any, countries: list[str] | None) -> list[dict[str, Any]]:
    from buildup.pledges.ledger import history_records

    return history_records(_history(store, countries))


def _changes(store: Any, countries: list[str] | None) -> list[dict[str, Any]]:
    from buildup.pledges.ledger import change_records

    return change_records(_history(store, countries))


def extract_text(store: Any, body: ExtractRequest, *, may_save: bool = True) -> dict[str, Any]:
    """Read ``body.text``; save the pledges when asked (and ``may_save``)."""
    from buildup.errors import InputError, located
    from buildup.pledges import extract_document, parse_date, read_document

    if body.save and body.date is None:
        raise InputError(
            what="date",
            problem="saving needs the date the pledges were made",
            fix='give "date": "YYYY-MM-DD" (the article\'s date)',
        )
    date = (
        parse_date(body.date, "date")
        if body.date is not None
        else datetime.datetime.now(datetime.UTC).date()
    )
    with located("text"):
        document = read_document(body.text.encode("utf-8"))
    result = extract_document(document, date)
    records = to_jsonable(result.pledges)
    answer: dict[str, Any] = {
        "date": date.isoformat(),
        "pledges": records,
        "unresolved": to_jsonable(result.unresolved),
    }
    if body.save:
        from buildup.pledges.ledger import save_pledges
        from buildup.store.pledges import pledge_ledger

        ledger = pledge_ledger(getattr(store, "base", store))
        try:
            saved, found = save_pledges(ledger, records, date, body.source or "api")
        finally:
            ledger.close()
        answer["saved"] = saved
        answer["already_saved"] = found
    return answer


@router.get("", summary="The pledge ledger: saved pledges by the date made, with revisions")
async def list_pledges(request: Request, country: Countries = None) -> Response:
    return json_response(await compute(request, ledger_rows, country))


@router.get(".csv", summary="The same ledger as CSV (changes as 'field before → after')")
async def list_pledges_csv(request: Request, country: Countries = None) -> Response:
    import pandas as pd

    rows = await compute(request, ledger_rows, country)
    for row in rows:
        row["changes"] = "; ".join(
            f"{c['field']} {c['before']} → {c['after']}" for c in row["changes"]
        )
    columns = [
        "id", "made_on", "actor", "kind", "measure", "component", "value", "currency", "year",
        "fiscal_year", "start_year", "end_year", "qualifier", "revises", "repeats", "changes",
        "source", "text",
    ]  # fmt: skip
    return csv_response(pd.DataFrame(rows, columns=columns), "pledges.csv")


@router.get("/changes", summary="What changed from each saved pledge to the one revising it")
async def pledge_changes(request: Request, country: Countries = None) -> Response:
    return json_response(await compute(request, _changes, country))


@router.post(
    "/extract",
    summary="The pledges in posted text (and, with save, kept in the ledger)",
)
async def extract(request: Request, body: ExtractRequest) -> Response:
    if body.save:
        from buildup.web.security import require_token

        require_token(request)
    return json_response(await compute(request, extract_text, body))
