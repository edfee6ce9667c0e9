"""Rules every store back end shares: what an import must satisfy, what a query may ask."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from buildup.data.catalogue import (
    Dataset,
    bundled_path,
    file_sha256,
    get_dataset,
    load_catalogue,
    loader_digest,
)
from buildup.data.validate import check_columns, check_unique, check_values
from buildup.errors import ConflictError, DataError, InputError, NotFoundError, StoreError

if TYPE_CHECKING:
    import pandas as pd

    from buildup.data.edition import ImportedEdition

__all__ = [
    "Run",
    "becomes_current",
    "bundled_checksum",
    "check_countries_allowed",
    "check_import",
    "check_new_edition",
    "check_use_edition",
    "current_of",
    "decide_import",
    "edition_origin",
    "last_year",
    "no_current_edition",
    "order_columns",
    "read_only_error",
    "record_edition",
    "replace_bundled",
    "stale_datasets",
    "switch_current",
    "unknown_edition",
    "write_imported",
]

_CHECKSUMS: dict[str, str] = {}


def bundled_checksum(dataset: Dataset) -> str:
    """What the store's copy of a bundled dataset was made from: one checksum over the
    dataset's files, the catalogue and the loaders' code (computed once per process).

    A changed loader — the code that turns a shipped file into the dataset's table, e.g. a
    share in percent into a fraction — changes the table as much as a changed file does, so
    it makes the store stale too and the next first use rebuilds it.
    """
    import hashlib

    if dataset.name not in _CHECKSUMS:
        digest = hashlib.sha256()
        for file in (dataset.file, *dataset.extra_files, "catalogue.toml"):
            digest.update(file_sha256(bundled_path(file)).encode())
        digest.update(loader_digest().encode())
        _CHECKSUMS[dataset.name] = digest.hexdigest()
    return _CHECKSUMS[dataset.name]


def stale_datasets(recorded: Mapping[str, str | None]) -> list[str]:
    """The bundled datasets whose recorded checksum (dataset → sha256 of its bundled edition
    in the store) is missing or differs from the package's: what a build must (re)load."""
    return [
        name
        for name, dataset in load_catalogue().items()
        if recorded.get(name) != bundled_checksum(dataset)
    ]


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


def decide_import(
    dataset: Dataset,
    edition: str,
    full: pd.DataFrame,
    *,
    existing: str | None,
    current: str | None,
    current_frame: Callable[[str], pd.DataFrame],
    replace: bool,
    make_current: bool | None,
) -> bool:
    """Check that an import may write ``edition`` (``existing``: the origin of an edition of
    that name already in the store) and say whether it becomes current (``current``: the
    current edition, read by ``current_frame`` only if needed). Every back end's rule."""
    check_new_edition(dataset.name, edition, existing, replace)
    return becomes_current(
        dataset,
        full,
        current_frame(current) if current is not None else None,
        make_current=make_current,
        replacing_current=current == edition,
    )


# -- the editions table, in one SQL for the DuckDB and PostgreSQL stores -------------------
# ``run(sql, params)`` runs one statement inside the caller's transaction and returns its rows.
Run = Callable[[str, Sequence[Any]], Sequence[tuple[Any, ...]]]


def edition_origin(run: Run, dataset: str, edition: str) -> str | None:
    """``bundled`` or ``imported`` for an edition in the store, ``None`` if it is not there."""
    rows = run("SELECT origin FROM _editions WHERE dataset = ? AND edition = ?", [dataset, edition])
    return str(rows[0][0]) if rows else None


def current_of(run: Run, dataset: str) -> str | None:
    """The current edition of ``dataset``, ``None`` if it has none."""
    rows = run("SELECT edition FROM _editions WHERE dataset = ? AND is_current", [dataset])
    return str(rows[0][0]) if rows else None


def record_edition(run: Run, values: Sequence[Any], *, is_current: bool) -> None:
    """Add an edition's row (dataset, edition, label, publisher, origin, source_file, sha256,
    rows); if current, it takes over from the dataset's current edition."""
    if is_current:
        run("UPDATE _editions SET is_current = false WHERE dataset = ?", [values[0]])
    run(
        "INSERT INTO _editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*values, datetime.now(UTC).replace(tzinfo=None), is_current],
    )


def replace_bundled(run: Run, dataset: Dataset, rows: int, insert: Callable[[], None]) -> None:
    """Replace the bundled edition of ``dataset`` by the package's (``insert()`` writes its
    rows); it is current unless an imported edition is. Imported editions are kept."""
    run(
        f"DELETE FROM {dataset.name} WHERE edition IN "
        "(SELECT edition FROM _editions WHERE dataset = ? AND origin = 'bundled')",
        [dataset.name],
    )
    run(f"DELETE FROM {dataset.name} WHERE edition = ?", [dataset.edition])
    insert()
    imported_current = run(
        "SELECT count(*) FROM _editions WHERE dataset = ? AND is_current AND origin <> 'bundled'",
        [dataset.name],
    )
    run(
        "DELETE FROM _editions WHERE dataset = ? AND (origin = 'bundled' OR edition = ?)",
        [dataset.name, dataset.edition],
    )
    values = [
        dataset.name,
        dataset.edition,
        dataset.edition_label,
        dataset.publisher,
        "bundled",
        dataset.file,
        bundled_checksum(dataset),
        rows,
    ]
    record_edition(run, values, is_current=not imported_current[0][0])


def write_imported(
    run: Run, imported: ImportedEdition, rows: int, is_current: bool, insert: Callable[[], None]
) -> None:
    """Write an imported edition in place of any of the same name (``insert()`` writes its
    rows)."""
    name = imported.dataset
    run(f"DELETE FROM {name} WHERE edition = ?", [imported.edition])
    run("DELETE FROM _editions WHERE dataset = ? AND edition = ?", [name, imported.edition])
    insert()
    values = [
        name,
        imported.edition,
        imported.edition_label,
        imported.publisher,
        "imported",
        imported.source_file,
        None,
        rows,
    ]
    record_edition(run, values, is_current=is_current)


def switch_current(run: Run, dataset: str, edition: str) -> None:
    """Make ``edition`` the current edition of ``dataset`` (see :func:`check_use_edition`)."""
    run("UPDATE _editions SET is_current = (edition = ?) WHERE dataset = ?", [edition, dataset])
