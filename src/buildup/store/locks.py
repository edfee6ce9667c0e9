"""Sharing one store file between processes: bounded waits that name who holds the file.

DuckDB lets one process write a file, or many read it. buildup adds ``<file>.lock``: a writer
(an import, a build, ``data use``) holds it exclusively while its store is open and writes its
PID and command line into it; a reader that finds the file busy waits on it. Every wait is
bounded (``BUILDUP_STORE_WAIT`` seconds, default :data:`DEFAULT_WAIT_S`), says once that it is
waiting and for whom, and then fails with a :class:`~buildup.errors.StoreError` naming the
other process: "another buildup process (PID N, `buildup risk …`) is using the store".
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from buildup.errors import StoreError

if TYPE_CHECKING:
    import duckdb

__all__ = ["DEFAULT_WAIT_S", "QUIET", "Waiting", "connect", "file_lock", "wait_s"]

#: How long an open waits for another process that holds the store [s].
DEFAULT_WAIT_S = 60.0
Waiting = Callable[[str], None]
# DuckDB prints a progress bar on stdout for a query slower than 2 s (a busy machine): it
# would corrupt JSON and CSV output. Every connection runs this first.
QUIET = "SET enable_progress_bar = false"
_PID = re.compile(r"\(PID (\d+)\)")


def wait_s() -> float:
    """The bounded wait, from ``BUILDUP_STORE_WAIT`` (read at each open, so tests can set it)."""
    text = os.environ.get("BUILDUP_STORE_WAIT")
    try:
        return max(0.0, float(text)) if text else DEFAULT_WAIT_S
    except ValueError:
        return DEFAULT_WAIT_S


def describe_process(pid: int) -> str:
    """``PID N, `buildup risk x.toml …``` from /proc where it can be read, else ``PID N``."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"PID {pid}"
    # One line: a command's arguments may hold newlines (``python -c "…"``).
    args = [" ".join(a.decode("utf-8", "replace").split()) for a in raw.split(b"\0") if a]
    return f"PID {pid}, `{_command(args)}`" if args else f"PID {pid}"


def _command(args: list[str]) -> str:
    """The command as a user typed it: ``buildup risk x.toml …`` (from the script's name on)."""
    starts = [i for i, arg in enumerate(args) if Path(arg).name == "buildup"]
    shown_args = ["buildup", *args[starts[0] + 1 :]] if starts else [Path(args[0]).name, *args[1:]]
    shown = " ".join(shown_args)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def _busy_error(path: Path, holder: str | None) -> StoreError:
    who = f"another buildup process ({holder})" if holder else "another buildup process"
    return StoreError(
        where=str(path),
        problem=f"{who} is using the store and did not finish within {wait_s():g} s",
        fix="wait for it to finish, or pass {option:store} (or set BUILDUP_DB) to another store; "
        "BUILDUP_STORE_WAIT sets how long to wait",
    )


def _lock_holder(handle: IO[bytes]) -> str | None:
    try:
        handle.seek(0)
        text = handle.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return None
    pid = text.split(" ", 1)[0]
    return describe_process(int(pid)) if pid.isdigit() else None


def _write_holder(handle: IO[bytes]) -> None:
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()} {' '.join(sys.argv)}\n".encode())
        handle.flush()
    except OSError:
        pass  # the record only improves a message


@contextlib.contextmanager
def file_lock(
    path: Path, *, exclusive: bool, waiting: Waiting | None = None
) -> Iterator[IO[bytes] | None]:
    """Hold ``<path>.lock`` (exclusive for writers, shared for readers waiting on them),
    waiting at most :func:`wait_s` for another holder."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux or macOS: DuckDB's own lock only
        yield None
        return
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the caller's block
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait_s()
        told = False
        while True:
            try:
                fcntl.flock(handle, mode)
                break
            except BlockingIOError:
                holder = _lock_holder(handle)
                if holder is not None and " serve" in f" {holder}":
                    # A server holds the file for as long as it runs: say so, do not wait.
                    raise StoreError(
                        where=str(path),
                        problem=f"the store is held by `buildup serve` ({holder})",
                        fix="ask the server's API, stop the server, or use another store file",
                    ) from None
                if time.monotonic() >= deadline:
                    raise _busy_error(path, holder) from None
                if not told and waiting is not None:
                    waiting(_waiting_text(path, holder))
                    told = True
                time.sleep(0.1)
        if exclusive:
            _write_holder(handle)
        yield handle
    finally:
        handle.close()  # releases the lock


def _waiting_text(path: Path, holder: str | None) -> str:
    who = f"another buildup process ({holder})" if holder else "another buildup process"
    return f"{who} is using the store {path.name}; waiting up to {wait_s():g} s…"


def _busy(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set" in text)


def connect(
    path: Path, read_only: bool, waiting: Waiting | None = None
) -> duckdb.DuckDBPyConnection:
    """Connect to the store file, waiting (bounded) while another process holds it."""
    import duckdb

    deadline = time.monotonic() + wait_s()
    delay = 0.02
    told = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute(QUIET)
            return con
        except duckdb.Error as exc:
            if not _busy(exc):
                raise
            match = _PID.search(str(exc))
            holder = describe_process(int(match.group(1))) if match else None
            if time.monotonic() >= deadline:
                raise _busy_error(path, holder) from exc
            if not told and waiting is not None:
                waiting(_waiting_text(path, holder))
                told = True
        if read_only:
            # A writer holds the lock file while it is open: wait (bounded) for it to finish.
            with file_lock(path, exclusive=False, waiting=None):
                pass
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
