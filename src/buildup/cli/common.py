"""Options shared by commands, and opening the store for a command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup import DuckDBStore

__all__ = ["DbOption", "FormatOption", "TableOption", "open_cli_store"]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: a table, JSON records, or tidy CSV."),
]
TableOption = Annotated[
    str | None,
    typer.Option(
        "--table",
        help="With --format csv (one table per file) or json: which table to write; the "
        "note on stderr names them (default: the first).",
    ),
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
def open_cli_store(db: Path | None, *, read_only: bool = True) -> Iterator[DuckDBStore]:
    """Open the store (read-only unless the command writes), building it first if needed."""
    from rich.console import Console

    from buildup import DuckDBStore

    def building() -> contextlib.AbstractContextManager[object]:
        return Console(stderr=True).status("Building the data store (first use)…")

    store = DuckDBStore.open(db, read_only=read_only, building=building)
    try:
        yield store
    finally:
        store.close()
