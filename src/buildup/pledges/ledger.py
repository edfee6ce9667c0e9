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

__all__ = [
    "COMPARED",
    "Change",
    "Revision",
    "build_history",
    "change_records",
    "history_records",
    "revision_key",
    "save_pledges",
]

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


def history_records(history: Sequence[Revision]) -> list[dict[str, Any]]:
    """The history as plain records (the API's and the Pledges page's rows): each saved pledge
    with the id it revises or repeats and the fields that changed. Values as saved: shares
    and growth as fractions, amounts in full currency units; dates ISO."""
    rows = []
    for r in history:
        e = r.entry
        rows.append(
            {
                "id": e.id,
                "made_on": e.made_on.isoformat(),
                "actor": e.actor,
                "kind": e.kind,
                "measure": e.measure,
                "component": e.component,
                "value": e.value,
                "currency": e.currency,
                "year": e.year,
                "fiscal_year": e.fiscal_year,
                "start_year": e.start_year,
                "end_year": e.end_year,
                "qualifier": e.qualifier,
                "revises": None if r.previous is None or r.repeat else r.previous.id,
                "repeats": r.previous.id if r.previous is not None and r.repeat else None,
                "changes": [
                    {"field": c.field, "before": c.before, "after": c.after} for c in r.changes
                ],
                "source": e.source,
                "text": e.text,
            }
        )
    return rows


def change_records(history: Sequence[Revision]) -> list[dict[str, Any]]:
    """One record per field that changed from a saved pledge to the one that revised it."""
    return [
        {
            "actor": r.entry.actor,
            "kind": r.entry.kind,
            "measure": r.entry.measure,
            "component": r.entry.component,
            "from_id": r.previous.id,
            "from_made_on": r.previous.made_on.isoformat(),
            "to_id": r.entry.id,
            "to_made_on": r.entry.made_on.isoformat(),
            "field": c.field,
            "before": c.before,
            "after": c.after,
        }
        for r in history
        if r.previous is not None
        for c in r.changes
    ]
