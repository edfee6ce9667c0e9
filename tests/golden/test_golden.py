"""Golden snapshots: the JSON outcome of every shipped example, and its schema.

The numbers are compared at a stated tolerance (:data:`cases.REL_TOL`); a snapshot changes
only in a commit that says which number changed and why (``tests/golden/regen.py``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from cases import ABS_TOL, REL_TOL, VOLATILE, cases  # noqa: E402

from buildup.report.schemas import OUTCOME_KINDS, outcome_schema, outcome_type  # noqa: E402
from buildup.serialize import (  # noqa: E402
    check_schema,
    document_fields,
    json_schema,
    to_jsonable,
)
from buildup.types import TargetKind  # noqa: E402

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


@pytest.mark.parametrize("kind", OUTCOME_KINDS)
def test_each_schema_has_exactly_the_fields_of_its_type(kind: str) -> None:
    """The schema is generated from the type: every field written is required, and no key
    the type does not declare is allowed."""
    schema = outcome_schema(kind)
    assert sorted(schema["required"]) == sorted(_keys(outcome_type(kind)))
    assert sorted(schema["properties"]) == sorted(_keys(outcome_type(kind)))
    assert schema["additionalProperties"] is False


def _keys(cls: type) -> list[str]:
    """The document's keys by the type's fields, an inlined field's keys in its place."""
    from buildup.serialize import _hints

    out = []
    for key, name, how in document_fields(cls):
        out += _keys(_hints(cls)[name]) if how.inline else [key]
    return out


@dataclass(frozen=True)
class _Row:
    year: int
    share_gdp: float | None
    kind: TargetKind


@dataclass(frozen=True)
class _Doc:
    name: str
    rows: tuple[_Row, ...]


def test_a_field_not_written_or_a_key_not_declared_fails() -> None:
    schema = json_schema(_Doc)
    good = to_jsonable(_Doc("x", (_Row(2024, math.nan, TargetKind.SHARE_GDP),)))
    assert good == {"name": "x", "rows": [{"year": 2024, "share_gdp": None, "kind": "share_gdp"}]}
    assert check_schema(good, schema) == []
    # a field of the type that the document does not carry
    missing = {"name": "x", "rows": [{"year": 2024, "kind": "share_gdp"}]}
    assert check_schema(missing, schema) == ["$.rows[0]: missing 'share_gdp'"]
    # a key in the document that the type does not declare
    extra = {"name": "x", "rows": [], "note": "hand-added"}
    assert check_schema(extra, schema) == ["$: 'note' is not in the schema"]
    # a closed set holds only its values; a year is an integer
    wrong = {"name": "x", "rows": [{"year": 2024.5, "share_gdp": 0.02, "kind": "percent"}]}
    assert check_schema(wrong, schema) == [
        "$.rows[0].year: number, expected integer",
        "$.rows[0].kind: 'percent', expected one of ['share_gdp', 'amount']",
    ]
