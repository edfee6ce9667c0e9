"""Rewrite the golden snapshots and the outcome schemas from the current code.

Usage: ``BUILDUP_DB=… .venv/bin/python tests/golden/regen.py [NAME ...]``. A snapshot changes
only in a commit that says which number changed and why.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from cases import cases  # noqa: E402

from buildup.cli import main  # noqa: E402


def run(args: list[str]) -> object:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(args)
    return json.loads(out.getvalue())


def write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def regen(names: list[str]) -> None:
    """Rewrite the snapshots (all, or those named). The schemas need no regenerating: they
    are generated from the outcome types (:mod:`buildup.report.schemas`)."""
    for name, (_kind, args) in cases().items():
        if names and name not in names:
            continue
        write(HERE / f"{name}.json", run(args))
        print(f"wrote {name}.json")


if __name__ == "__main__":
    regen(sys.argv[1:])
