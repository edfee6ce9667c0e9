"""The history of pledges: which saved pledge revises which, and what changed.

A later pledge by the same actor, of the same kind, on the same measure and component is a
revision of the one before it — Japan's 2 % of GDP by FY2027 (December 2022) revised to FY2025
(October 2025). Amounts are revised only within the same budget year or the same programme
(first year), so that the FY2025 and FY2026 budgets are two pledges, not one revised. The same
pledge saved again (same value, years and qualifier) is a repeat, not a revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from buildup.store import LedgerEntry

__all__ = ["COMPARED", "Change", "Revision", "build_history", "revision_key", "save_pledges"]

COMPARED = ("value", "currency", "year", "fiscal_year", "start_year", "end_year", "qualifier")
"""The fields whose change makes a revision."""


@dataclass(frozen=True, slots=True)
class Change:
    """One field that changed between two saved pledges."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Revision:
    """A saved pledge and what it revised (``previous`` is ``None`` for the first)."""

    entry: LedgerEntry
    previous: LedgerEntry | None
    changes: tuple[Change, ...]
    repeat: bool


def revision_key(entry: LedgerEntry) -> tuple[Any, ...]:
    """The identity a revision keeps: actor, kind, measure, component (and an amount's year)."""
    base: tuple[Any, ...] = (entry.actor, entry.kind, entry.measure, entry.component)
    if entry.measure == "amount":
        programme = entry.start_year is not None and entry.end_year != entry.start_year
        return (*base, "programme" if programme else "year",
                entry.start_year if programme else entry.year)  # fmt: skip
    return base


def _changes(before: LedgerEntry, after: LedgerEntry) -> tuple[Change, ...]:
    out = []
    for name in COMPARED:
        a, b = getattr(before, name), getattr(after, name)
        if name == "value" and a is not None and b is not None:
            if abs(a - b) <= 1e-9 * max(1.0, abs(a)):
                continue
        elif a == b:
            continue
        out.append(Change(name, a, b))
    return tuple(out)


def build_history(entries: Sequence[LedgerEntry]) -> list[Revision]:
    """Each saved pledge with the one it revises, in the order the pledges were made."""
    last: dict[tuple[Any, ...], LedgerEntry] = {}
    history = []
    for entry in sorted(entries, key=lambda e: (e.made_on, e.id)):
        key = revision_key(entry)
        previous = last.get(key)
        changes = _changes(previous, entry) if previous is not None else ()
        history.append(Revision(entry, previous, changes, previous is not None and not changes))
        last[key] = entry
    return history


def save_pledges(
    ledger: Any, records: list[dict[str, Any]], made_on: Any, source: str
) -> tuple[list[int], list[int]]:
    """Save records not already saved from the same source on the same date.

    Returns the new ids and the ids of the identical entries that were found instead (saving
    the same article twice changes nothing).
    """
    existing = [e for e in ledger.entries() if e.made_on == made_on and e.source == source]
    fresh, found = [], []
    for record in records:
        same = [
            e for e in existing
            if (e.actor, e.kind, e.measure, e.component) == (
                record["actor"], record["kind"], record["measure"], record.get("component"))
            and all(_same(getattr(e, f), record.get(f)) for f in COMPARED)
        ]  # fmt: skip
        if same:
            found.append(same[0].id)
        else:
            fresh.append(record)
    return (ledger.add(fresh, made_on, source) if fresh else []), found


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float):
        return abs(a - float(b)) <= 1e-9 * max(1.0, abs(a))
    return bool(a == b)
