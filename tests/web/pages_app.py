"""The app the page tests run against: web's ``create_app`` when it is there, else a bare
FastAPI app holding one store, with the pages installed the same way."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any


class _Stores:
    """One store per thread (a DuckDB connection is used by one thread at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        from buildup.store import Store

        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        for store in self._all:
            store.close()


def make_app(store_path: Path) -> Any:
    try:
        from buildup.web.app import create_app  # type: ignore[import-not-found]
        from buildup.web.settings import WebSettings  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return create_app(WebSettings(db_path=store_path))
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
    return app
