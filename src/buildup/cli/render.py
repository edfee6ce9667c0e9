"""Render a result frame or record as a rich table, JSON or tidy CSV on stdout."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from buildup.serialize import csv_frame, dumps, plain_value
from buildup.types import OutputFormat

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "csv_frame",
    "emit_frame",
    "emit_object",
    "emit_tables",
    "note",
    "records",
    "terminal_safe",
]

# Characters a terminal would act on rather than show: C0 and C1 controls (ESC starts colour
# and cursor sequences) and the bidirectional overrides, embeddings and isolates that reorder
# text (U+202E can make "gpj.exe" read as "exe.jpg"). Newlines and tabs are kept.
_UNSAFE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}


def terminal_safe(text: str) -> str:
    """``text`` with control and bidirectional-override characters written as visible
    escapes (``\\x1b``, ``\\u202e``), so that a user's string cannot restyle, move or reorder
    what the terminal shows."""
    return text.translate(_UNSAFE)


def note(message: str) -> None:
    """One line for the user on stderr (a chart written, a note), escaped for the terminal."""
    sys.stderr.write(terminal_safe(message) + "\n")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as a list of JSON-safe records (missing values are null, never zero)."""
    cols = list(frame.columns)
    return [
        {c: plain_value(v) for c, v in zip(cols, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


# Table columns of fractions, shown as percentages.
_PERCENT_WORDS = ("share", "growth", "real change", "probability")


def _cell(column: str, value: Any) -> str:
    value = plain_value(value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if any(word in column for word in _PERCENT_WORDS):
            return f"{value * 100:.2f} %"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    if isinstance(value, int) and "year" not in column and abs(value) >= 10000:
        return f"{value:,}"
    return str(value)


def emit_frame(
    frame: pd.DataFrame,
    fmt: OutputFormat,
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Write ``frame`` to stdout in ``fmt``; in a table, shares are shown as percentages."""
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(records(frame)) + "\n")
    elif fmt is OutputFormat.CSV:
        csv_frame(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        _print_table(frame, title, caption)


def emit_tables(
    tables: Mapping[str, pd.DataFrame], fmt: OutputFormat, chosen: str | None, command: str
) -> bool:
    """CSV or JSON of one named table (``--table``); False when ``fmt`` shows every table.

    CSV holds one table: the chosen one, by default the first; stderr says which was written
    and names the others. With JSON, ``--table`` writes that table's records alone.
    """
    names = list(tables)
    if chosen is not None and chosen not in tables:
        from buildup.errors import InputError

        raise InputError(
            f"--table {chosen}: {command} has no such table; choose one of {', '.join(names)}"
        )
    if fmt is OutputFormat.TABLE:
        if chosen is not None:
            from buildup.errors import InputError

            raise InputError(
                "--table picks what --format csv (or json) writes; the table view shows them all"
            )
        return False
    if fmt is OutputFormat.JSON and chosen is None:
        return False
    name = chosen or names[0]
    emit_frame(tables[name], fmt)
    others = [n for n in names if n != name]
    if fmt is OutputFormat.CSV:
        rest = f" (others: {', '.join(others)}; pick one with --table NAME)" if others else ""
        sys.stderr.write(f"note: wrote the {name} table{rest}\n")
    return True


def _print_table(frame: pd.DataFrame, title: str | None, caption: str | None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text, not markup, and escaped: a value such as "components[budget]" must not be read as
    # a style, and a scenario name with ESC sequences or U+202E must not reach the terminal raw.
    table = Table(
        title=Text(terminal_safe(title)) if title is not None else None,
        caption=Text(terminal_safe(caption)) if caption is not None else None,
        caption_justify="left",
    )
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "iuf"
        table.add_column(
            Text(terminal_safe(str(column))),
            justify="right" if numeric else "left",
            overflow="fold",
        )
    for row in frame.itertuples(index=False, name=None):
        cells = (
            Text(terminal_safe(_cell(str(c), v))) for c, v in zip(frame.columns, row, strict=True)
        )
        table.add_row(*cells)
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # A pipe or a CI log has no width of its own: give tables room rather than fold them
        # (COLUMNS, when set, still wins).
        console = Console(width=160)
    console.print(table)


def emit_object(
    obj: Mapping[str, Any], fmt: OutputFormat, *, table_rows: Sequence[tuple[str, str]]
) -> None:
    """Write a single object: JSON as is, a table or CSV as key/value rows."""
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(obj) + "\n")
        return
    import pandas as pd

    frame = pd.DataFrame(table_rows, columns=["field", "value"])
    emit_frame(frame, fmt)
