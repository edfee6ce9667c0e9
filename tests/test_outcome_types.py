"""Every public outcome type is typed all the way down: no dict, Mapping or Any field.

The walk starts at each dataclass the package root exports (``buildup.__all__``: the task
outcomes and the records they hold) and follows every field's type through unions, tuples
and nested dataclasses. Leaves are scalars, enums, numpy arrays and pandas frames (tidy
tables), and pydantic models (the validated input a result carries, not a result).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pydantic
import pytest

import buildup
from buildup.report.schemas import OUTCOME_KINDS, outcome_type


def _names_for(cls: type) -> dict[str, Any]:
    """The module's globals plus what it imports only for type checking."""
    module = sys.modules[cls.__module__]
    names = dict(vars(module))
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            block = ast.Module(body=node.body, type_ignores=[])
            exec(compile(block, module.__name__, "exec"), names)  # imports only
    return names


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, globalns=_names_for(cls))


def _leaf(tp: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and (
        issubclass(origin, np.ndarray | pd.DataFrame | pydantic.BaseModel)
    )


def untyped_fields(tp: Any, where: str, seen: set[type]) -> list[str]:
    """Where a dict, Mapping or Any field is reachable from ``tp`` (``Class.field: type``)."""
    if tp is Any:
        return [f"{where}: Any"]
    if _leaf(tp):
        return []
    origin = typing.get_origin(tp)
    if isinstance(origin or tp, type) and issubclass(origin or tp, Mapping):
        return [f"{where}: {tp}"]
    if origin is not None or isinstance(tp, types.UnionType):
        return [p for arg in typing.get_args(tp) for p in untyped_fields(arg, where, seen)]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type) and tp not in seen:
        seen.add(tp)
        return [
            p
            for name, hint in _hints(tp).items()
            for p in untyped_fields(hint, f"{tp.__name__}.{name}", seen)
        ]
    return []


PUBLIC = sorted(
    name
    for name in buildup.__all__
    if isinstance(getattr(buildup, name), type) and dataclasses.is_dataclass(getattr(buildup, name))
)


def test_the_walk_covers_the_task_outcomes() -> None:
    for name in ("Outcome", "TrackOutcome", "ScenarioDiff", "SweepResult", "Comparison",
                 "Optimisation", "RiskOutcome", "RiskReport", "PortfolioRiskOutcome",
                 "Provenance", "Evaluation"):  # fmt: skip
        assert name in PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_no_public_outcome_has_a_dict_mapping_or_any_field(name: str) -> None:
    assert untyped_fields(getattr(buildup, name), name, set()) == []


@pytest.mark.parametrize("kind", OUTCOME_KINDS)
def test_no_outcome_with_a_schema_has_a_dict_mapping_or_any_field(kind: str) -> None:
    assert untyped_fields(outcome_type(kind), kind, set()) == []


@dataclasses.dataclass(frozen=True)
class _Inner:
    values: dict[str, float]


@dataclasses.dataclass(frozen=True)
class _Outer:
    ok: tuple[int, ...]
    table: pd.DataFrame
    inner: tuple[_Inner, ...] | None
    loose: Any
    named: Mapping[str, int]


def test_the_walk_finds_a_mapping_or_any_however_deep() -> None:
    assert untyped_fields(_Outer, "_Outer", set()) == [
        "_Inner.values: dict[str, float]",
        "_Outer.loose: Any",
        "_Outer.named: collections.abc.Mapping[str, int]",
    ]
