"""What the routes share: the store and repository of the app, computing off the event loop
under a time limit, and answers serialised as the CLI serialises them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from fastapi import Request, Response

from buildup.web.problems import ProblemError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import Store
    from buildup.store.scenarios import ScenarioRepository
    from buildup.web.jobs import JobManager
    from buildup.web.settings import WebSettings

__all__ = [
    "cached_answer",
    "compute",
    "csv_response",
    "dumps",
    "get_jobs",
    "get_repository",
    "get_settings",
    "get_store",
    "json_response",
]

_T = TypeVar("_T")


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The store for the calling thread (a DuckDB connection is used by one thread at a time)."""
    store: Store = request.app.state.stores.get()
    return store


def get_repository(request: Request) -> ScenarioRepository:
    repo: ScenarioRepository = request.app.state.repository
    return repo


def get_jobs(request: Request) -> JobManager:
    jobs: JobManager = request.app.state.jobs
    return jobs


async def compute(request: Request, work: Callable[..., _T], *args: Any) -> _T:
    """Run ``work(store, *args)`` on a worker thread; 504 past the request time limit.

    ``store`` is the request's snapshot of the app's store (editions read once, each distinct
    read once per data version: :mod:`buildup.web.snapshot`)."""
    state = request.app.state
    limit = state.settings.request_time_limit_s

    def call() -> _T:
        from buildup.web.snapshot import snapshot_of

        with state.busy:
            return work(snapshot_of(state.stores.get(), getattr(state, "reads", None)), *args)

    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(
                call, limiter=state.limiter, abandon_on_cancel=True
            )
    except TimeoutError:
        raise ProblemError(
            504,
            f"the computation took longer than the limit of {limit:g} s",
            fix="ask for less (fewer years, draws or countries), or run it as a job",
        ) from None


def dumps(obj: Any) -> bytes:
    """JSON bytes exactly as ``buildup … --format json`` writes them (non-finite → null)."""
    from buildup.serialize import dumps as serialize

    text = serialize(obj)
    return (text + "\n").encode("utf-8")


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(obj), status, headers=headers, media_type="application/json")


def csv_response(frame: pd.DataFrame, filename: str) -> Response:
    """A tidy CSV, as ``--format csv`` writes it."""
    return Response(
        csv_bytes(frame),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    from buildup.serialize import csv_frame

    buffer = io.StringIO()
    csv_frame(frame).to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode("utf-8")


async def cached_answer(
    request: Request,
    route: str,
    key: Any,
    make: Callable[[Any], tuple[bytes, str]],
    filename: str | None = None,
) -> Response:
    """The answer to ``key`` on ``route``: from the cache if the store's data has not changed
    since it was made, else ``make(store)`` (bytes, media type), computed off the event loop."""
    cache = request.app.state.cache

    def work(store: Any) -> tuple[bytes, str]:
        version = getattr(store, "data_version", None)
        if version is None:
            return make(store)
        digest = cache.key(route, key, version())
        found: tuple[bytes, str] | None = cache.get(digest)
        if found is not None:
            return found
        made = make(store)
        cache.put(digest, *made)
        return made

    payload, media = await compute(request, work)
    headers = {"Content-Disposition": f'inline; filename="{filename}"'} if filename else None
    return Response(payload, media_type=media, headers=headers)
