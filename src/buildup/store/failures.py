"""Storage failures are the user's to fix: what happened to the store file, and what to do.

A full disk, a read-only file or folder, a damaged (truncated, corrupted) file or another
process holding the file each become one :class:`~buildup.errors.StoreError` (exit code 2)
naming the file and the fix, never an internal error. Every write is one transaction, so a
failure leaves the store as it was.

A damaged file cannot say what was imported into it; so each successful import is also
recorded in a small journal beside the store (``<store>.imports``, one JSON line per import),
and the damage message lists the editions that must be imported again.
"""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from buildup.errors import StoreError

__all__ = [
    "classify_storage_error",
    "imported_editions",
    "journal_path",
    "record_import",
    "set_aside",
]

_DISK_FULL = ("no space left", "disk full", "disk is full", "not enough space")
_DENIED = ("permission denied", "read-only file system", "operation not permitted")
_DAMAGED = (
    "not a valid duckdb database",
    "corrupt",
    "checksum",
    "truncated",
    "failed to read",
    "invalid block",
    "serialization error",
    "could not read enough bytes",
    "the file is not a valid",
    "database file",
)


def journal_path(store: Path) -> Path:
    """The import journal beside ``store``."""
    return store.with_name(store.name + ".imports")


def record_import(store: Path, dataset: str, edition: str, source_file: str) -> None:
    """Append an import to the journal (best effort: the import itself has committed)."""
    line = json.dumps(
        {
            "dataset": dataset,
            "edition": edition,
            "source_file": source_file,
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
    )
    try:
        with journal_path(store).open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError:
        pass  # a journal that cannot be written must not undo a committed import


def imported_editions(store: Path) -> list[str]:
    """``dataset edition (from FILE)`` for each import the journal records, oldest first."""
    try:
        text = journal_path(store).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    seen: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            seen[(str(entry["dataset"]), str(entry["edition"]))] = str(entry["source_file"])
        except (ValueError, KeyError, TypeError):
            continue
    return [f"{d} {e} (from {f})" for (d, e), f in seen.items()]


def _errno(exc: BaseException) -> int | None:
    for item in (exc, exc.__cause__, exc.__context__):
        if isinstance(item, OSError) and item.errno is not None:
            return item.errno
    return None


def classify_storage_error(exc: BaseException, path: Path, action: str) -> StoreError:
    """The StoreError for an OSError or a DuckDB error met while ``action`` (e.g. "opening",
    "importing into", "building") the store at ``path``."""
    text = " ".join(str(exc).split()).lower()
    code = _errno(exc)
    where = str(path)
    if code == errno.ENOSPC or any(k in text for k in _DISK_FULL):
        return StoreError(
            where=where,
            problem=f"the disk is full while {action} the store; nothing was changed",
            fix="free space on that disk, or pass {option:store} (or set BUILDUP_DB) to a store on "
            "another disk, then try again",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or any(k in text for k in _DENIED):
        return StoreError(
            where=where,
            problem=f"permission denied while {action} the store (the file or its folder is "
            "read-only); nothing was changed",
            fix="reading commands still work on a read-only store; to import or build, make "
            "the file and its folder writable, or pass {option:store} (or set BUILDUP_DB) to a "
            "writable store",
        )
    if code in (errno.EEXIST, errno.ENOTDIR) or "file exists" in text:
        return StoreError(
            where=where,
            problem="the store's folder cannot be created: a file of that name is in the way",
            fix="pass {option:store} (or set BUILDUP_DB) to a path whose folders are folders, "
            "or move the file",
        )
    if any(k in text for k in _DAMAGED):
        lost = imported_editions(path)
        again = (
            f"; imported editions must be imported again: {', '.join(lost)}"
            if lost
            else "; no imported editions are recorded for it"
        )
        return StoreError(
            where=where,
            problem=f"the store is damaged ({_first_line(exc)})",
            fix="`buildup data build` with {option:rebuild} recreates the bundled datasets (the "
            f"damaged file is kept beside it){again}",
        )
    return StoreError(
        where=where,
        problem=f"the store cannot be used while {action} it ({_first_line(exc)})",
        fix="check the file and the disk, or pass {option:store} (or set BUILDUP_DB) to "
        "another store",
    )


def _first_line(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first[:200]


def set_aside(path: Path) -> Path | None:
    """Move a (damaged) store file aside, keeping it for recovery; return its new name."""
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, target)
    for suffix in (".wal", ".imports"):  # the journal goes with the file it describes
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target
