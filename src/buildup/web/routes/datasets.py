"""``/api/v1/datasets``: the list with provenance, one dataset's sources, editions and rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from buildup.web.deps import compute, csv_response, json_response

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])

Countries = Annotated[
    list[str] | None,
    Query(description="ISO3 code or name; repeat for several.", max_length=300),
]
Years = Annotated[
    str | None, Query(description="START:END, one year, or an open side (2015:).", max_length=20)
]
Edition = Annotated[
    str | None, Query(description="Edition (default: the current one).", max_length=100)
]


def _list(store: Any) -> Any:
    from buildup.engine.datasets import list_datasets

    return list_datasets(store)


def _describe(store: Any, name: str) -> Any:
    from buildup.engine.datasets import describe_dataset

    return describe_dataset(store, name)


def _editions(store: Any, name: str) -> Any:
    from buildup.data.catalogue import get_dataset
    from buildup.engine.datasets import edition_records

    get_dataset(name)
    return edition_records(store.editions(name))


def _rows(
    store: Any, name: str, countries: list[str] | None, years: str | None, edition: str | None
) -> Any:
    from buildup.data.catalogue import get_dataset
    from buildup.data.countries import resolve_countries
    from buildup.types import parse_year_range

    get_dataset(name)
    codes = resolve_countries(countries) if countries else None
    year_range = parse_year_range(years) if years is not None else None
    return store.query(name, codes, year_range, edition)


@router.get("", summary="Every dataset with its publisher, current edition and address")
async def list_datasets(request: Request) -> Response:
    return json_response(await compute(request, _list))


@router.get("/{name}", summary="A dataset's provenance: publisher, editions, licence, columns")
async def describe(request: Request, name: str) -> Response:
    return json_response(await compute(request, _describe, name))


@router.get("/{name}/editions", summary="The editions of a dataset in the store")
async def editions(request: Request, name: str) -> Response:
    return json_response(await compute(request, _editions, name))


@router.get("/{name}/rows", summary="A dataset's rows, tidy, filtered by country, years, edition")
async def rows(
    request: Request,
    name: str,
    country: Countries = None,
    years: Years = None,
    edition: Edition = None,
) -> Response:
    from buildup.engine.datasets import edition_records

    frame = await compute(request, _rows, name, country, years, edition)
    return json_response(edition_records(frame))


@router.get("/{name}/rows.csv", summary="The same rows as CSV")
async def rows_csv(
    request: Request,
    name: str,
    country: Countries = None,
    years: Years = None,
    edition: Edition = None,
) -> Response:
    frame = await compute(request, _rows, name, country, years, edition)
    return csv_response(frame, f"{name}.csv")
