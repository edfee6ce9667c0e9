"""The datasets as a user asks about them: the list with provenance, one dataset's sources.

Both are JSON-ready records, for every interface: the CLI's ``data list`` and ``data sources``
render them, the web API's ``/datasets`` serves them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from buildup.data.catalogue import get_dataset, load_catalogue, load_footnotes

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import Store

__all__ = ["describe_dataset", "edition_records", "list_datasets"]


def _clean(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def edition_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The store's editions table as JSON-ready records."""
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def list_datasets(store: Store) -> list[dict[str, Any]]:
    """Every dataset: title, publisher, current edition and its origin, editions, address."""
    editions = store.editions()
    out = []
    for dataset in load_catalogue().values():
        mine = editions[editions["dataset"] == dataset.name]
        current = mine[mine["is_current"]]
        row = current.iloc[0] if len(current) else None
        out.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "publisher": dataset.publisher,
                "edition": None if row is None else str(row["edition"]),
                "edition_origin": None if row is None else str(row["origin"]),
                "editions": [str(e) for e in mine["edition"]],
                "rows": None if row is None else int(row["rows"]),
                "address": dataset.address,
                "licence": dataset.licence,
                "file": dataset.file,
                "sha256": dataset.sha256,
            }
        )
    return out


def describe_dataset(store: Store, name: str) -> dict[str, Any]:
    """One dataset's provenance: publisher, editions, address, licence, columns with units,
    the rows of the current edition per source id (where the dataset has that column) and,
    for SIPRI's ``milex``, SIPRI's footnotes by country."""
    dataset = get_dataset(name)
    editions = store.editions(name)
    info: dict[str, Any] = {
        "name": dataset.name,
        "title": dataset.title,
        "publisher": dataset.publisher,
        "bundled_edition": dataset.edition,
        "bundled_edition_label": dataset.edition_label,
        "address": dataset.address,
        "licence": dataset.licence,
        "read_from": dataset.read_from,
        "file": dataset.file,
        "sha256": dataset.sha256,
        "sources_doc": f"src/buildup/data/files/{dataset.sources_doc}",
        "keys": list(dataset.keys),
        "year_column": dataset.year_column,
        "columns": [
            {"name": c.name, "unit": c.unit, "description": c.description} for c in dataset.columns
        ],
        "editions": edition_records(editions.drop(columns=["dataset"])),
        "source_ids": _source_ids(store, name),
    }
    if dataset.name == "milex":
        info["footnotes"] = load_footnotes()
    return info


def _source_ids(store: Store, name: str) -> dict[str, int]:
    """Rows of the current edition per source id (a cell may list several, ``a; b``)."""
    rows = store.query(name)
    if "source_id" not in rows.columns:
        return {}
    ids = rows["source_id"].str.split(";").explode().str.strip().value_counts().sort_index()
    return {str(k): int(v) for k, v in ids.items()}
