"""One request's view of the store: the editions read once, each distinct read made once.

A plan asks the store for the current edition of a dataset about a dozen times and a comparison
reads the same budget series once per country and per question (163 reads for the Quad's cost
to 3.5 %): on DuckDB each read is a few milliseconds, most of a page's time. A request instead
works on a :class:`StoreSnapshot`: the editions table is read once when it starts (so every
answer of the request uses the same editions, even if an import lands meanwhile), and each
distinct query's frame is kept in the app's :class:`ReadCache` under the snapshot's
:attr:`~StoreSnapshot.version` — a digest of every edition's name, rows, load time and
currency. An import, a replaced edition or a change of the current one changes the version,
so nothing read before a data change is ever served after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from buildup.web.cache import BoundedCache

if TYPE_CHECKING:
    import pandas as pd

    from buildup.types import YearRange

__all__ = ["ReadCache", "StoreSnapshot", "snapshot_of"]

_T = TypeVar("_T")


class ReadCache(BoundedCache):
    """Frames read from the store, by data version and query."""

    def __init__(self, size: int = 4096) -> None:
        super().__init__(size)

    def put(self, key: Hashable, value: Any) -> None:
        self.keep(key, value)


def _digest(editions: pd.DataFrame) -> str:
    """The data version: every edition with its rows, load time and whether it is current."""
    columns = [
        c for c in ("dataset", "edition", "rows", "loaded_at", "is_current") if c in editions
    ]
    text = editions[columns].astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class StoreSnapshot:
    """The :class:`~buildup.store.DatasetStore` of one request (reads only; writes pass on).

    ``current_edition`` and ``editions`` answer from the editions read at the start; ``query``
    answers each distinct question once per data version (a copy each time, so no caller can
    change another's frame). Errors (an unknown dataset or edition) come from the store itself,
    word for word.
    """

    def __init__(self, store: Any, cache: ReadCache | None = None) -> None:
        self._store = store
        self._cache = cache if cache is not None else ReadCache(256)
        self._read: tuple[pd.DataFrame, str, dict[str, str]] | None = None

    def _state(self) -> tuple[pd.DataFrame, str, dict[str, str]]:
        # Read on first use, on the thread that computes (not the event loop's).
        if self._read is None:
            editions = self._store.editions()
            current = editions[editions["is_current"].astype(bool)]
            pairs = zip(current["dataset"], current["edition"], strict=True)
            by_dataset = {str(d): str(e) for d, e in pairs}
            self._read = (editions, _digest(editions), by_dataset)
        return self._read

    @property
    def version(self) -> str:
        """The digest of the editions this request sees."""
        return self._state()[1]

    @property
    def base(self) -> Any:
        """The store this snapshot reads."""
        return self._store

    def data_version(self) -> str:
        """The version of the data this request sees (for caches of answers)."""
        return self.version

    def current_edition(self, dataset: str) -> str:
        found = self._state()[2].get(dataset)
        if found is None:
            return str(self._store.current_edition(dataset))  # its own error
        return found

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        editions = self._state()[0]
        if dataset is None:
            return editions.copy()
        if dataset not in set(editions["dataset"]):
            named: pd.DataFrame = self._store.editions(dataset)  # the store's check of the name
            return named
        return editions[editions["dataset"] == dataset].reset_index(drop=True)

    def import_edition(self, imported: Any, **options: Any) -> int:
        """Write through to the store; later reads of this request see the new editions."""
        try:
            return int(self._store.import_edition(imported, **options))
        finally:
            self._read = None

    def use_edition(self, dataset: str, edition: str) -> None:
        try:
            self._store.use_edition(dataset, edition)
        finally:
            self._read = None

    def query(
        self,
        dataset: str,
        countries: Sequence[str] | None = None,
        years: YearRange | None = None,
        edition: str | None = None,
    ) -> pd.DataFrame:
        chosen = edition or self._state()[2].get(dataset)
        span = None if years is None else (years.start, years.end)
        key = (
            self.version,
            dataset,
            None if countries is None else tuple(countries),
            span,
            chosen,
        )
        found: pd.DataFrame | None = self._cache.get(key)
        if found is None:
            found = self._store.query(dataset, countries, years, chosen)
            self._cache.put(key, found)
        return found.copy()

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """``make()``, computed once per data version for ``key`` (a plan, a country's cost to
        a target: pure functions of their question and the data). The value is shared, so it
        must not be changed by its users (outcomes are frozen)."""
        full = ("derived", self.version, key)
        found = self._cache.get(full)
        if found is None:
            found = make()
            self._cache.put(full, found)
        return found  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def snapshot_of(store: Any, cache: ReadCache | None = None) -> StoreSnapshot:
    """A snapshot of ``store`` (a snapshot's own base if given one: never nested)."""
    if isinstance(store, StoreSnapshot):
        return store
    return StoreSnapshot(store, cache)
