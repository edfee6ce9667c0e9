"""Checks an edition must pass before it is written to the store.

Each check raises :class:`ImportValidationError` with one line naming the file, the row
(as the user's file numbers it, where known) and the column, and saying how to fix it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from buildup.data.catalogue import SIGNED_COLUMNS, Dataset, load_bundled
from buildup.errors import ImportValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_columns", "check_unique", "check_values", "numeric_columns"]


def numeric_columns(dataset: Dataset) -> tuple[str, ...]:
    """The dataset's numeric columns, as typed in its bundled file."""
    return _numeric_columns(dataset.name)


@functools.cache
def _numeric_columns(name: str) -> tuple[str, ...]:
    import pandas as pd

    frame = load_bundled(name)
    return tuple(
        c for c in frame.columns if c != "year" and pd.api.types.is_numeric_dtype(frame[c])
    )


def check_columns(dataset: Dataset, columns: list[str], where: str) -> None:
    """The file's columns must be the dataset's: its keys present, nothing unknown."""
    unknown = [c for c in columns if c not in dataset.column_names]
    if unknown:
        raise ImportValidationError(
            where=where,
            problem=f"unknown column(s) {', '.join(unknown)} for dataset {dataset.name!r}",
            expected=f"columns among {', '.join(dataset.column_names)}",
        )
    required = list(dataset.keys) or ([dataset.year_column] if dataset.year_column else [])
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportValidationError(
            where=where,
            problem=f"missing column(s) {', '.join(missing)}",
            fix=f"dataset {dataset.name!r} needs {', '.join(required)}",
        )


def check_values(frame: pd.DataFrame, dataset: Dataset, where: str, first_row: int = 2) -> None:
    """Numeric columns hold numbers, and only signed columns may be negative.

    ``first_row`` is the file's row number of the frame's first row (2 for a CSV with a header).
    """
    import pandas as pd

    for column in numeric_columns(dataset):
        if column not in frame.columns:
            continue
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise ImportValidationError(
                where=f"{where}, row {first_row + pos}, column {column}",
                given=raw.iloc[pos],
                problem=f"{raw.iloc[pos]!r} is not a number",
                fix="write a plain number (no thousands separators) or leave the cell empty",
            )
        negative = values < 0
        if column not in SIGNED_COLUMNS and negative.any():
            pos = int(negative.to_numpy().nonzero()[0][0])
            raise ImportValidationError(
                where=f"{where}, row {first_row + pos}, column {column}",
                given=float(values.iloc[pos]),
                problem=f"{values.iloc[pos]} is negative",
                fix=f"{column} cannot be below zero, correct the value or leave it empty",
            )


def check_unique(frame: pd.DataFrame, dataset: Dataset, where: str, first_row: int = 2) -> None:
    """No two rows share the dataset's key (country and year for country datasets)."""
    keys = list(dataset.keys) or list(frame.columns)
    duplicated = frame.duplicated(subset=keys, keep=False)
    if duplicated.any():
        rows = [first_row + int(i) for i in duplicated.to_numpy().nonzero()[0][:2]]
        key = ", ".join(f"{k}={frame[k].iloc[rows[0] - first_row]}" for k in keys)
        raise ImportValidationError(
            where=f"{where}, rows {rows[0]} and {rows[1]}",
            problem=f"duplicate {key}",
            fix=f"keep one row per {' and '.join(keys)}",
        )
