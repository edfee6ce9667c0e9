"""Read a tidy CSV as a new edition of a dataset.

The file has a header row of the dataset's column names (see ``buildup data show NAME``);
its key columns are required, other columns may be left out. Country columns accept ISO3
codes or names. Shares of GDP are fractions (0.02 for 2 %); a file of percentages is read
with ``percent`` (divided by 100) and refused without it (:mod:`buildup.data.shares`). A file
without data rows is refused.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from buildup.data.catalogue import get_dataset
from buildup.data.countries import resolve_country
from buildup.data.edition import ImportedEdition
from buildup.data.shares import share_columns, share_divisor
from buildup.data.validate import check_columns, check_unique, check_values, numeric_columns
from buildup.errors import ImportValidationError, UnknownCountryError
from buildup.limits import read_user_bytes

__all__ = ["read_tidy_csv"]


def read_tidy_csv(
    path: Path, dataset_name: str, edition: str | None = None, *, percent: bool = False
) -> ImportedEdition:
    """Read and validate ``path`` as an edition of ``dataset_name``; nothing is written."""
    import pandas as pd

    dataset = get_dataset(dataset_name)
    where = path.name
    if not path.exists():
        raise ImportValidationError(
            where=str(path), problem="no such file", fix="give the path of a CSV file"
        )
    # Within the stated limits (a regular file, at most MAX_FILE_BYTES), then parsed.
    data = read_user_bytes(path, "a CSV file", error=ImportValidationError)
    try:
        frame = pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ImportValidationError(
            where=where,
            problem=f"not a readable CSV file ({str(exc).splitlines()[0]})",
            fix="save it as UTF-8 CSV",
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise ImportValidationError(
            where=where, problem="the header is there but no data rows", fix="add at least one row"
        )
    check_columns(dataset, list(frame.columns), where)
    frame = frame.apply(lambda s: s.str.strip())
    if "iso3" in frame.columns:
        frame["iso3"] = _resolve_column(frame["iso3"].tolist(), where)
    year_column = dataset.year_column
    if year_column is not None:
        years = pd.to_numeric(frame[year_column], errors="coerce")
        bad = years.isna() | (years % 1 != 0)
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise ImportValidationError(
                where=f"{where}, row {pos + 2}, column {year_column}",
                given=frame[year_column].iloc[pos],
                problem=f"{frame[year_column].iloc[pos]!r} is not a year",
                fix="write a four-digit year such as 2024",
            )
        frame[year_column] = years.astype(int)
    frame = frame.replace("", None)
    check_values(frame, dataset, where)
    check_unique(frame, dataset, where)
    for column in numeric_columns(dataset):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column])
    for column in share_columns(dataset):
        if column in frame.columns:
            divisor = share_divisor(
                frame[column].dropna(), where=f"{where}, column {column}", percent=percent
            )
            frame[column] = frame[column] / divisor
    frame = frame.reindex(columns=list(dataset.column_names))
    if "source_id" in dataset.column_names:
        frame["source_id"] = frame["source_id"].fillna(f"CSV:{path.name}")
    name = edition or path.stem
    return ImportedEdition(
        dataset=dataset.name,
        edition=name,
        edition_label=f"tidy CSV {path.name}, imported {date.today().isoformat()}",
        publisher="user file",
        source_file=path.name,
        frame=frame,
    )


def _resolve_column(values: list[str], where: str) -> list[str]:
    resolved: list[str] = []
    for row, value in enumerate(values, start=2):
        try:
            resolved.append(resolve_country(value))
        except UnknownCountryError as exc:
            raise ImportValidationError(
                where=f"{where}, row {row}, column iso3",
                given=exc.given,
                problem=exc.problem,
                expected=exc.expected,
                fix=exc.fix,
            ) from exc
    return resolved
