"""An in-memory :class:`~buildup.store.DatasetStore`: the fake that engine tests run on.

It holds frames, not a database: built from the bundled catalogue (:meth:`MemoryStore.bundled`)
or from frames a test gives (:meth:`MemoryStore.from_frames`), it answers the same queries with
the same rules (validation of imports, editions, filters, order) as the DuckDB store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from buildup.data.catalogue import get_dataset, load_bundled, load_catalogue
from buildup.store.common import (
    bundled_checksum,
    check_countries_allowed,
    check_import,
    check_use_edition,
    decide_import,
    no_current_edition,
    order_columns,
    read_only_error,
    unknown_edition,
)
from buildup.store.protocol import EDITION_COLUMNS, StoreInfo

if TYPE_CHECKING:
    import pandas as pd

    from buildup.data.edition import ImportedEdition
    from buildup.store.protocol import DatasetStore
    from buildup.types import YearRange

__all__ = ["GatheredStore", "MemoryStore"]


class MemoryStore:
    """Datasets as frames in memory, one current edition per dataset."""

    def __init__(self, *, name: str = "memory", read_only: bool = False) -> None:
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}
        self._editions: list[dict[str, Any]] = []
        self._name = name
        self.read_only = read_only

    @classmethod
    def bundled(cls, datasets: Sequence[str] | None = None) -> MemoryStore:
        """A store holding the bundled edition of every dataset (or of ``datasets``)."""
        store = cls(name="bundled")
        for name, dataset in load_catalogue().items():
            if datasets is not None and name not in datasets:
                continue
            store._put(
                name,
                dataset.edition,
                load_bundled(name),
                label=dataset.edition_label,
                publisher=dataset.publisher,
                origin="bundled",
                source_file=dataset.file,
                sha256=bundled_checksum(dataset),
            )
        return store

    @classmethod
    def from_frames(
        cls, frames: Mapping[str, pd.DataFrame], *, edition: str = "test"
    ) -> MemoryStore:
        """A store holding ``frames`` (dataset name → rows in the catalogue's columns)."""
        store = cls(name="frames")
        for name, frame in frames.items():
            dataset = get_dataset(name)
            store._put(
                name,
                edition,
                frame.reindex(columns=list(dataset.column_names)),
                label=edition,
                publisher=dataset.publisher,
                origin="bundled",
                source_file="(in memory)",
                sha256=None,
            )
        return store

    def _put(
        self,
        dataset: str,
        edition: str,
        frame: pd.DataFrame,
        *,
        label: str,
        publisher: str,
        origin: str,
        source_file: str,
        sha256: str | None,
    ) -> None:
        for row in self._editions:
            if row["dataset"] == dataset:
                row["is_current"] = False
        self._editions = [
            r for r in self._editions if not (r["dataset"] == dataset and r["edition"] == edition)
        ]
        self._frames[dataset, edition] = frame.drop(columns=["edition"], errors="ignore")
        self._editions.append(
            {
                "dataset": dataset,
                "edition": edition,
                "label": label,
                "publisher": publisher,
                "origin": origin,
                "source_file": source_file,
                "sha256": sha256,
                "rows": len(frame),
                "loaded_at": datetime.now(UTC).replace(tzinfo=None),
                "is_current": True,
            }
        )

    def describe(self) -> StoreInfo:
        return StoreInfo(backend="memory", name=self._name, read_only=self.read_only)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _current_or_none(self, dataset: str) -> str | None:
        return next(
            (str(r["edition"]) for r in self._editions if r["dataset"] == dataset
             and r["is_current"]),
            None,
        )  # fmt: skip

    def current_edition(self, dataset: str) -> str:
        current = self._current_or_none(dataset)
        if current is None:
            raise no_current_edition(dataset)
        return current

    def editions(self, dataset: str | None = None) -> pd.DataFrame:
        import pandas as pd

        if dataset is not None:
            get_dataset(dataset)
        rows = [r for r in self._editions if dataset is None or r["dataset"] == dataset]
        frame = pd.DataFrame(rows, columns=list(EDITION_COLUMNS))
        if frame.empty:
            return frame
        return frame.sort_values(
            ["dataset", "is_current", "edition"], ascending=[True, False, True]
        ).reset_index(drop=True)

    def import_edition(
        self, imported: ImportedEdition, *, replace: bool = False, make_current: bool | None = None
    ) -> int:
        if self.read_only:
            raise read_only_error(self._name)
        dataset, full = check_import(imported)
        existing = next(
            (
                str(r["origin"])
                for r in self._editions
                if r["dataset"] == dataset.name and r["edition"] == imported.edition
            ),
            None,
        )
        current = self._current_or_none(dataset.name)
        is_current = decide_import(
            dataset,
            imported.edition,
            full,
            existing=existing,
            current=current,
            current_frame=lambda edition: self._frames[dataset.name, edition],
            replace=replace,
            make_current=make_current,
        )
        self._put(
            dataset.name,
            imported.edition,
            full,
            label=imported.edition_label,
            publisher=imported.publisher,
            origin="imported",
            source_file=imported.source_file,
            sha256=None,
        )
        if not is_current and current is not None:
            self.use_edition(dataset.name, current)
        return len(full)

    def use_edition(self, dataset: str, edition: str) -> None:
        """Make ``edition`` the one queries of ``dataset`` use."""
        if self.read_only:
            raise read_only_error(self._name)
        available = [str(r["edition"]) for r in self._editions if r["dataset"] == dataset]
        check_use_edition(dataset, edition, available)
        for row in self._editions:
            if row["dataset"] == dataset:
                row["is_current"] = row["edition"] == edition

    def query(
        self,
        dataset: str,
        countries: Sequence[str] | None = None,
        years: YearRange | None = None,
        edition: str | None = None,
    ) -> pd.DataFrame:
        entry = get_dataset(dataset)
        chosen = edition or self.current_edition(dataset)
        if (dataset, chosen) not in self._frames:
            available = [r["edition"] for r in self._editions if r["dataset"] == dataset]
            raise unknown_edition(dataset, chosen, available)
        check_countries_allowed(entry, countries)
        frame = self._frames[dataset, chosen]
        mask = frame.index == frame.index
        if countries:
            mask &= frame["iso3"].isin(list(countries)).to_numpy()
        if years is not None and entry.year_column is not None:
            col = frame[entry.year_column]
            if years.start is not None:
                mask &= (col >= years.start).to_numpy()
            if years.end is not None:
                mask &= (col <= years.end).to_numpy()
        out = frame.loc[mask, list(entry.column_names)]
        order = order_columns(entry)
        if order:
            out = out.sort_values(order, kind="stable")
        return out.reset_index(drop=True).copy()


class GatheredStore(MemoryStore):
    """What a task read from a store in one step: the current edition of each dataset it
    needs (for ``countries``, or every country), read-only, in memory.

    A query the snapshot cannot answer from what was read — another country, a whole
    dataset when only some countries were read, an edition that is not the current one, a
    dataset left out — is a fault of the task that gathered it, and raises
    :class:`LookupError` rather than answering from less data than asked.
    """

    def __init__(self, *, name: str, countries: Sequence[str] | None) -> None:
        super().__init__(name=name, read_only=True)
        self.countries = None if countries is None else frozenset(countries)

    @classmethod
    def read(
        cls,
        store: DatasetStore,
        *,
        countries: Sequence[str] | None = None,
        datasets: Sequence[str] | None = None,
    ) -> GatheredStore:
        """Read from ``store``: its editions table, then the current edition of each of
        ``datasets`` (default: every dataset it holds), for ``countries`` where the dataset
        has a country column (default: every country)."""
        snapshot = cls(name=store.describe().name, countries=countries)
        table = store.editions()
        snapshot._editions = [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]
        current = {
            str(r["dataset"]): str(r["edition"]) for r in snapshot._editions if r["is_current"]
        }
        for name, entry in load_catalogue().items():
            if (datasets is not None and name not in datasets) or name not in current:
                continue
            wanted = list(countries) if countries is not None and entry.has_countries else None
            if wanted == []:
                continue  # no country to read (e.g. a country name that does not resolve)
            snapshot._frames[name, current[name]] = store.query(name, wanted)
        return snapshot

    def query(
        self,
        dataset: str,
        countries: Sequence[str] | None = None,
        years: YearRange | None = None,
        edition: str | None = None,
    ) -> pd.DataFrame:
        entry = get_dataset(dataset)
        chosen = edition or self.current_edition(dataset)
        if (dataset, chosen) not in self._frames:
            raise LookupError(f"dataset {dataset!r} (edition {chosen}) was not gathered")
        if self.countries is not None and entry.has_countries:
            missing = set(countries or ()) - self.countries
            if not countries or missing:
                asked = ", ".join(sorted(missing)) if countries else "every country"
                raise LookupError(f"dataset {dataset!r} was gathered without {asked}")
        return super().query(dataset, countries, years, chosen)
