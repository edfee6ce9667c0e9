"""Options shared by commands, and opening the store for a command."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup import DuckDBStore

__all__ = ["DbOption", "FormatOption", "TableOption", "finite", "open_cli_store"]

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


def finite(
    low: float = -math.inf, high: float = math.inf, *, low_open: bool = False, what: str = ""
) -> Callable[[str], float]:
    """A parser for a number flag: finite (never nan or inf) and within ``low``–``high``.

    Typer reports its ValueError as "Invalid value for '--flag': …", naming the flag.
    """
    shown = what or (
        f"a number above {low:g}"
        if low_open and high == math.inf
        else f"a number from {low:g} to {high:g}"
        if math.isfinite(low) and math.isfinite(high)
        else f"a number of at least {low:g}"
        if math.isfinite(low)
        else "a number"
    )

    def parse(text: str) -> float:
        if isinstance(text, float | int):  # the default value, already a number
            return float(text)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number; give {shown}") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number; give {shown}")
        if high == 1.0 and 1.0 < value <= 100.0:
            raise ValueError(
                f"{text} looks like a percent; give a fraction: write {value / 100:g} for "
                f"{value:g} %"
            )
        if value < low or value > high or (low_open and value <= low):
            raise ValueError(f"{text} is out of range; give {shown}")
        return value

    return parse


@contextlib.contextmanager
def open_cli_store(
    db: Path | None, *, read_only: bool = True, release: bool = False
) -> Iterator[DuckDBStore]:
    """Open the store (read-only unless the command writes), building it first if needed.

    ``release``: load the data into memory and let go of the file at once (for commands that
    compute for long, so that they never keep a writer waiting). A busy store is waited for,
    bounded, with one line on stderr saying for whom.
    """
    from buildup import DuckDBStore
    from buildup.cli.render import note

    def building() -> contextlib.AbstractContextManager[object]:
        from rich.console import Console  # only when a build is needed: rich costs start-up

        return Console(stderr=True).status("Building the data store (first use)…")

    store = DuckDBStore.open(db, read_only=read_only, building=building, waiting=note)
    try:
        if release:
            store.release_file()
        yield store
    finally:
        store.close()
