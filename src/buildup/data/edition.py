"""An edition of a dataset ready to be written to the store, as read from a user's file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ImportedEdition"]


@dataclass(frozen=True)
class ImportedEdition:
    """A validated table for one dataset, with what is known of where it came from.

    ``frame`` holds the dataset's columns (those of its catalogue entry, in its units:
    shares as fractions, money in full units), tidy, one row per key.
    """

    dataset: str
    edition: str
    edition_label: str
    publisher: str
    source_file: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
