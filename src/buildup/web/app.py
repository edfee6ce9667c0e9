"""``create_app(settings)``: the FastAPI app of the JSON API (and the pages, when installed).

The app holds one store for its life (the DuckDB file is held by this process, so a CLI run
against the same file is told so) and hands each worker thread a connection of its own.
Computations run off the event loop on a bounded number of threads, long ones as jobs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from buildup import __version__
from buildup.web.cache import AnswerCache
from buildup.web.jobs import JobManager
from buildup.web.problems import install_handlers
from buildup.web.schemas import install_schema
from buildup.web.security import GuardMiddleware
from buildup.web.settings import WebSettings
from buildup.web.snapshot import ReadCache

__all__ = ["BusyThreads", "StoreHandles", "app_from_env", "create_app"]

API = "/api/v1"


class BusyThreads:
    """Counts computations running on worker threads, so that shutdown waits for them: a
    computation past its time limit is abandoned by its request, not stopped."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._count -= 1

    @property
    def count(self) -> int:
        return self._count


class StoreHandles:
    """The app's store and a handle on it per thread (DuckDB connections are per thread)."""

    def __init__(self, settings: WebSettings) -> None:
        from buildup.store import open_store

        url = settings.database_url or settings.db_path
        self.base: Any = open_store(url, read_only=False)
        hold = getattr(self.base, "hold_for_server", None)
        if hold is not None:
            hold(f"http://{settings.host}:{settings.port}")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._handles: list[Any] = []

    def get(self) -> Any:
        handle = getattr(self._local, "store", None)
        if handle is None:
            for_thread = getattr(self.base, "for_thread", None)
            handle = for_thread() if for_thread is not None else self.base
            self._local.store = handle
            with self._lock:
                self._handles.append(handle)
        return handle

    def repository(self) -> Any:
        from buildup.store import open_repository

        return open_repository(self.base)

    def close(self) -> None:
        with self._lock:
            handles, self._handles = self._handles, []
        for handle in handles:
            if handle is not self.base:
                handle.close()
        self.base.close()


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The API app for ``settings`` (default: loopback, the configured store)."""
    settings = settings or WebSettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stores = await anyio.to_thread.run_sync(StoreHandles, settings)
        app.state.stores = stores
        app.state.repository = await anyio.to_thread.run_sync(stores.repository)
        if app.state.preload is not None:
            await anyio.to_thread.run_sync(app.state.preload)
        app.state.jobs = JobManager(
            settings.job_workers, settings.job_queue, settings.job_keep, settings.job_time_limit_s
        )
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(app.state.jobs.shutdown)
            for _ in range(1200):  # up to a minute for abandoned computations to end
                if app.state.busy.count == 0:
                    break
                await anyio.sleep(0.05)
            stores.close()

    app = FastAPI(
        title="buildup API",
        version=__version__,
        summary="Plan, track and stress-test national defence-spending build-ups.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.limiter = anyio.CapacityLimiter(max(4, settings.job_workers * 4))
    app.state.busy = BusyThreads()
    app.state.cache = AnswerCache(settings.cache_size)
    app.state.reads = ReadCache(settings.cache_size * 8)
    install_handlers(app)
    install_schema(app)

    from buildup.web.routes import analysis, datasets, jobs, plans, pledges, scenarios

    for module in (datasets, plans, analysis, jobs, scenarios, pledges):
        app.include_router(module.router)

    @app.get(f"{API}/health", tags=["meta"], summary="Whether the server is up, and its version")
    async def health() -> dict[str, Any]:
        info = app.state.stores.base.describe() if hasattr(app.state, "stores") else None
        return {
            "ok": True,
            "version": __version__,
            "store": None if info is None else {"backend": info.backend, "name": info.name},
            "jobs_active": app.state.jobs.active() if hasattr(app.state, "jobs") else 0,
            "cache": {"hits": app.state.cache.hits, "misses": app.state.cache.misses},
        }

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def docs() -> HTMLResponse:
        from buildup.web.docs import render_docs

        return HTMLResponse(render_docs(app.openapi()))

    app.state.preload = _install_pages(app)

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location", "Retry-After"],
        )
    app.add_middleware(GuardMiddleware, settings=settings)
    return app


def _install_pages(app: FastAPI) -> Callable[[], None] | None:
    """The pages (issue 14), when the package has them: the API works without. Returns what
    to preload at start."""
    import importlib

    try:
        pages = importlib.import_module("buildup.web.pages")
    except ModuleNotFoundError as exc:
        if exc.name != "buildup.web.pages":
            raise
        return None
    pages.install(app)
    preload: Callable[[], None] = pages.preload
    return preload


def app_from_env() -> FastAPI:
    """The app for uvicorn's worker processes: settings from ``BUILDUP_WEB_SETTINGS`` (JSON)."""
    import os

    raw = os.environ.get("BUILDUP_WEB_SETTINGS", "")
    return create_app(WebSettings.model_validate_json(raw) if raw else WebSettings.from_env())
