"""Render a result frame or record as a rich table, JSON or tidy CSV on stdout."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from buildup.serialize import dumps
from buildup.types import OutputFormat

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["emit_frame", "emit_object", "records"]


def _clean(value: Any) -> Any:
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/NA as null."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as a list of JSON-safe records (missing values are null, never zero)."""
    cols = list(frame.columns)
    return [
        {c: _clean(v) for c, v in zip(cols, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _cell(column: str, value: Any) -> str:
    value = _clean(value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if "share" in column:
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
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        _print_table(frame, title, caption)


def _print_table(frame: pd.DataFrame, title: str | None, caption: str | None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, caption=caption, caption_justify="left")
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "iuf"
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False, name=None):
        # Text, not markup: a value such as "components[budget]" must not be read as a style.
        cells = (Text(_cell(str(c), v)) for c, v in zip(frame.columns, row, strict=True))
        table.add_row(*cells)
    console = Console()
    if not console.is_terminal:
        # A pipe or a CI log has no width of its own: give tables room rather than fold them.
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
