"""Golden snapshots: the JSON outcome of every shipped example, and its schema.

The numbers are compared at a stated tolerance (:data:`cases.REL_TOL`); a snapshot changes
only in a commit that says which number changed and why (``tests/golden/regen.py``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from cases import ABS_TOL, REL_TOL, VOLATILE, cases  # noqa: E402

from buildup.serialize import check_schema, outcome_schema  # noqa: E402

CASES = cases()


def differences(new: Any, old: Any, path: str = "$") -> list[str]:
    if isinstance(new, dict) and isinstance(old, dict):
        out = []
        for key in sorted(set(new) | set(old)):
            if key in VOLATILE:
                continue
            if key not in new or key not in old:
                out.append(f"{path}.{key}: only in the {'output' if key in new else 'snapshot'}")
                continue
            out += differences(new[key], old[key], f"{path}.{key}")
        return out
    if isinstance(new, list) and isinstance(old, list):
        if len(new) != len(old):
            return [f"{path}: {len(new)} items, the snapshot has {len(old)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(new, old, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    if isinstance(new, int | float) and isinstance(old, int | float) and not isinstance(new, bool):
        if math.isclose(new, old, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
        return [f"{path}: {new!r}, the snapshot has {old!r}"]
    return [] if new == old else [f"{path}: {new!r}, the snapshot has {old!r}"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_its_snapshot_and_schema(cli: Any, name: str) -> None:
    kind, args = CASES[name]
    result = cli(*args)
    assert result.code == 0, result.err
    assert "NaN" not in result.out
    assert "Infinity" not in result.out
    document = json.loads(result.out)
    snapshot = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    assert differences(document, snapshot) == []
    assert check_schema(document, outcome_schema(kind)) == []
    assert isinstance(document["provenance"], dict)
    assert not re.search(r'"(/|[A-Za-z]:\\\\)', json.dumps(document["provenance"]))  # no paths


def test_the_comparison_sees_a_moved_number() -> None:
    assert differences({"a": [1.0, 2.0]}, {"a": [1.0, 2.0 + 1e-6]}) == [
        "$.a[1]: 2.0, the snapshot has 2.000001"
    ]
    assert differences({"seconds": 1.0}, {"seconds": 2.0}) == []


def test_the_schema_check_sees_a_wrong_type() -> None:
    schema = outcome_schema("plan")
    snapshot = json.loads((HERE / "plan-japan-dbp.json").read_text(encoding="utf-8"))
    snapshot["years"][0]["year"] = "2022"
    del snapshot["targets"]
    problems = check_schema(snapshot, schema)
    assert "$: missing 'targets'" in problems
    assert any(p.startswith("$.years[0].year: string") for p in problems)
