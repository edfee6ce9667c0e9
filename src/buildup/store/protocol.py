"""The seam between the engines and wherever datasets live: :class:`DatasetStore`.

Every back end — the embedded DuckDB file (:mod:`buildup.store.duck`), the in-memory fake for
tests (:mod:`buildup.store.memory`), a team server later — offers these methods and nothing
else is used above the store layer. Frames are tidy, in the catalogue's columns and units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from buildup.data.edition import ImportedEdition
    from buildup.types import YearRange

__all__ = ["EDITION_COLUMNS", "DatasetStore", "StoreInfo"]

# The columns of :meth:`DatasetStore.editions`, in order.
EDITION_COLUMNS = (
    "dataset",
    "edition",
    "label",
    "publisher",
    "origin",  # 'bundled' or 'imported'
    "source_file",
    "sha256",
    "rows",
    "loaded_at",
    "is_current",
)


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What a store is, without saying where on this machine it lives.

    ``backend`` is ``duckdb`` or ``memory``; ``name`` is the file's name (never its folder) or
    a URL without credentials; ``read_only`` says whether writes are refused.
    """

    backend: str
    name: str
    read_only: bool


@runtime_checkable
class DatasetStore(Protocol):
    """Every edition of every dataset, one of them current per dataset."""

    def query(
        self,
        dataset: str,
        countries: Sequence[str] | None = None,
        years: YearRange | None = None,
        edition: str | None = None,
    ) -> pd.DataFrame:
        """Rows of ``dataset`` (ISO3 ``countries``, ``years``, ``edition`` or the current one)."""
        ...

    def current_edition(self, dataset: str) -> str:
        """The edition that queries of ``dataset`` use by default."""
        ...

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        """The editions (columns :data:`EDITION_COLUMNS`), by dataset, current first."""
        ...

    def import_edition(
        self, imported: ImportedEdition, *, replace: bool = False, make_current: bool | None = None
    ) -> int:
        """Write an edition, all or nothing; return its rows. It becomes current if newer
        (its data run to a later year) or if ``make_current``; see
        :func:`buildup.store.common.becomes_current`."""
        ...

    def use_edition(self, dataset: str, edition: str) -> None:
        """Make ``edition`` the current edition of ``dataset``."""
        ...

    def describe(self) -> StoreInfo:
        """What this store is (back end, name, read-only)."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...
