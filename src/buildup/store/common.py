"""Rules every store back end shares: what an import must satisfy, what a query may ask."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from buildup.data.catalogue import Dataset, bundled_path, file_sha256, get_dataset
from buildup.data.validate import check_columns, check_unique, check_values
from buildup.errors import ConflictError, DataError, InputError, NotFoundError, StoreError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.data.edition import ImportedEdition

__all__ = [
    "becomes_current",
    "bundled_checksum",
    "check_countries_allowed",
    "check_import",
    "check_new_edition",
    "check_use_edition",
    "last_year",
    "no_current_edition",
    "order_columns",
    "read_only_error",
    "unknown_edition",
]

_CHECKSUMS: dict[str, str] = {}


def bundled_checksum(dataset: Dataset) -> str:
    """One checksum over the dataset's files and the catalogue (computed once per process)."""
    import hashlib

    if dataset.name not in _CHECKSUMS:
        digest = hashlib.sha256()
        for file in (dataset.file, *dataset.extra_files, "catalogue.toml"):
            digest.update(file_sha256(bundled_path(file)).encode())
        _CHECKSUMS[dataset.name] = digest.hexdigest()
    return _CHECKSUMS[dataset.name]


def check_import(imported: ImportedEdition) -> tuple[Dataset, pd.DataFrame]:
    """Validate an imported edition; return its catalogue entry and the frame to write."""
    dataset = get_dataset(imported.dataset)
    frame = imported.frame
    where = imported.source_file
    check_columns(dataset, list(frame.columns), where)
    check_values(frame, dataset, where)
    check_unique(frame, dataset, where)
    if frame.empty:
        raise DataError(
            where=where, problem=f"no rows to import into {dataset.name}", fix="check the file"
        )
    full = frame.reindex(columns=list(dataset.column_names)).assign(edition=imported.edition)
    return dataset, full


def check_new_edition(dataset: str, edition: str, existing: str | None, replace: bool) -> None:
    """An edition name already in the store may be replaced only if imported and asked for."""
    if existing == "bundled" or (existing is not None and not replace):
        hint = "" if existing == "bundled" else ", or replace the imported one"
        raise ConflictError(
            what="edition",
            given=edition,
            problem=f"dataset {dataset!r} already has this edition ({existing})",
            fix=f"import it under another edition name{hint}",
        )


def unknown_edition(dataset: str, edition: str, available: Sequence[str]) -> NotFoundError:
    return NotFoundError(
        what="edition",
        given=edition,
        problem=f"dataset {dataset!r} has no such edition",
        expected=f"one of {', '.join(available)}",
    )


def no_current_edition(dataset: str) -> StoreError:
    return StoreError(
        problem=f"the store has no current edition of {dataset!r}",
        fix="rebuild the bundled datasets",
    )


def check_countries_allowed(dataset: Dataset, countries: Sequence[str] | None) -> None:
    if countries and not dataset.has_countries:
        raise InputError(
            what="countries",
            given=",".join(countries),
            problem=f"dataset {dataset.name!r} has no country column (it covers Japan only)",
            fix="leave the countries out",
        )


def read_only_error(name: str) -> StoreError:
    return StoreError(
        problem=f"the store {name} was opened read-only", fix="open it for writing to import"
    )


def last_year(dataset: Dataset, frame: pd.DataFrame) -> int | None:
    """The last year with data in ``frame`` (None: the dataset has no year column)."""
    column = dataset.year_column
    if column is None or column not in frame.columns or frame.empty:
        return None
    import pandas as pd

    value = frame[column].max()
    return None if pd.isna(value) else int(value)


def becomes_current(
    dataset: Dataset,
    new: pd.DataFrame,
    current: pd.DataFrame | None,
    *,
    make_current: bool | None,
    replacing_current: bool,
) -> bool:
    """Whether an imported edition becomes the one queries use.

    Editions never switch behind the user's back: an import becomes current when asked
    (``make_current``), when it replaces the current edition under the same name, when there
    is no current edition, or when it is newer — its data run to a later year than the
    current edition's. An older or equally recent release stays selectable (``--edition``,
    ``buildup data use``) without changing what every command uses.
    """
    if make_current is not None:
        return make_current or replacing_current
    if current is None or replacing_current:
        return True
    new_last, current_last = last_year(dataset, new), last_year(dataset, current)
    return new_last is not None and (current_last is None or new_last > current_last)


def check_use_edition(dataset: str, edition: str, available: Sequence[str]) -> None:
    """``edition`` must be one of the dataset's editions to be made current."""
    get_dataset(dataset)
    if edition not in available:
        raise unknown_edition(dataset, edition, available)


def order_columns(dataset: Dataset) -> list[str]:
    """The order of a query's rows: country, year, then the dataset's other keys — the keys are
    unique, so every back end gives the rows in one order."""
    first = [k for k in ("iso3", dataset.year_column) if k and k in dataset.column_names]
    return [*first, *(k for k in dataset.keys if k in dataset.column_names and k not in first)]
