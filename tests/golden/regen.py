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
from buildup.serialize import infer_schema  # noqa: E402

SCHEMAS = HERE.parents[1] / "src" / "buildup" / "schemas"


def run(args: list[str]) -> object:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(args)
    return json.loads(out.getvalue())


def write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def regen(names: list[str]) -> None:
    by_kind: dict[str, list[object]] = {}
    for name, (kind, args) in cases().items():
        if names and name not in names:
            continue
        document = run(args)
        write(HERE / f"{name}.json", document)
        by_kind.setdefault(kind, []).append(document)
        print(f"wrote {name}.json")
    if names:
        return
    SCHEMAS.mkdir(exist_ok=True)
    for kind, documents in by_kind.items():
        schema = infer_schema(documents)
        schema["title"] = f"buildup {kind} outcome"
        write(SCHEMAS / f"{kind}.json", schema)
        print(f"wrote schema {kind}.json")


if __name__ == "__main__":
    regen(sys.argv[1:])
