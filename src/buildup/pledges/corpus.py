"""Many items at once: JSON Lines in (``{"id", "text", "date"}``), pledges out.

A line that is not a JSON object with a text is an error naming its line number; nothing
is written until every line has been read.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buildup.errors import InputError
from buildup.pledges.dates import parse_date
from buildup.pledges.text import MAX_BYTES

__all__ = ["Item", "read_items"]

MAX_CORPUS_BYTES = 200_000_000
"""The largest JSON Lines file read [bytes]."""


@dataclass(frozen=True, slots=True)
class Item:
    """One text of a JSON Lines file; ``labels`` are the labelled pledges of a corpus."""

    id: str
    text: str
    date: datetime.date
    line: int
    labels: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def read_items(path: Path, default_date: datetime.date, *, labelled: bool = False) -> list[Item]:
    """Read a JSON Lines file of items; raise :class:`InputError` naming the first bad line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if size > MAX_CORPUS_BYTES:
        raise InputError(
            f"{path} is {size / 1e6:.0f} MB; split it into files of at most "
            f"{MAX_CORPUS_BYTES / 1e6:.0f} MB"
        )
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    items: list[Item] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{where} is not JSON ({exc.msg} at column {exc.colno}): write one "
                'object per line, {"id": ..., "text": ..., "date": "YYYY-MM-DD"}'
            ) from None
        if not isinstance(data, dict):
            raise InputError(
                f"{where} is not a JSON object: write "
                '{"id": ..., "text": ..., "date": "YYYY-MM-DD"}'
            )
        text = data.get("text")
        if not isinstance(text, str):
            raise InputError(f'{where} has no "text" string: give the article\'s text')
        if len(text.encode()) > MAX_BYTES:
            raise InputError(f"{where}: the text is over {MAX_BYTES / 1e6:.0f} MB")
        ident = str(data.get("id", number))
        if ident in seen:
            raise InputError(f'{where} repeats id {ident!r}: give each item its own "id"')
        seen.add(ident)
        date = default_date
        if data.get("date") is not None:
            date = parse_date(str(data["date"]), f'{where} "date"')
        labels = data.get("pledges", [])
        if labelled and not isinstance(labels, list):
            raise InputError(f'{where}: "pledges" must be a list of pledge records')
        extra = {k: v for k, v in data.items() if k not in ("id", "text", "date", "pledges")}
        items.append(Item(ident, text, date, number, tuple(labels) if labelled else (), extra))
    return items
