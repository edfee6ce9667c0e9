"""The app the page tests run against: web's ``create_app`` when it is there, else a bare
FastAPI app holding one store, with the pages installed the same way."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any


class _Locked:
    """The store, one call at a time: a DuckDB store opened for writing is one connection,
    which the threads that serve the pages share."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return call


class _Stores:
    """What web's app keeps in ``app.state.stores``: ``get()`` gives this thread's store."""

    def __init__(self, path: Path) -> None:
        from buildup.store import open_store

        self.base = open_store(path)
        self._shared = _Locked(self.base)

    def get(self) -> Any:
        return self._shared

    def close(self) -> None:
        self.base.close()


def make_app(store_path: Path) -> Any:
    try:
        from buildup.web.app import create_app  # type: ignore[import-not-found]
        from buildup.web.settings import WebSettings  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return create_app(WebSettings(db_path=str(store_path)))
    from fastapi import FastAPI

    from buildup.web.pages import install

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.stores = _Stores(store_path)
        try:
            yield
        finally:
            app.state.stores.close()

    app = FastAPI(lifespan=lifespan)
    install(app)

    @app.middleware("http")
    async def policy(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP  # as strict as web's app
        return response

    return app


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
