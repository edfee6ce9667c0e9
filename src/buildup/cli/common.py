"""Options shared by commands, and opening the store for a command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup.store import Store

__all__ = ["DbOption", "FormatOption", "open_cli_store"]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: a table, JSON records, or tidy CSV."),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Store file (default: $BUILDUP_DB, else buildup.duckdb in the user data folder).",
        dir_okay=False,
    ),
]


@contextlib.contextmanager
def open_cli_store(db: Path | None) -> Iterator[Store]:
    """Open the store, showing a status line on stderr while it is first built."""
    from rich.console import Console

    from buildup.store import Store

    with Console(stderr=True).status("Opening the data store (built on first use)…"):
        store = Store.open(db)
    try:
        yield store
    finally:
        store.close()
