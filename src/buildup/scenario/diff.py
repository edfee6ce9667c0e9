"""The keys in which two scenarios differ, after ``extends`` and defaults are resolved.

Both scenarios are compared as validated models, so a key written out with its default value
in one file and left out of the other is no difference: they plan the same thing. Lists of
tables are matched by identity, not by position: components and definitions by ``name``,
targets by ``year`` and ``definition``; so inserting a target before another shows one target
added, not every later target changed.

>>> from buildup.scenario import scenario_from_dict
>>> a = scenario_from_dict({"country": "JPN", "baseline": {"year": 2022}}, "a")
>>> b = scenario_from_dict({"country": "JPN", "baseline": {"year": 2023}}, "b")
>>> [(c.key, c.a, c.b, str(c.change)) for c in diff_specs(a, b)]
[('baseline.year', 2022, 2023, 'changed')]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from buildup.scenario.model import Scenario

__all__ = ["KeyChange", "KeyChangeKind", "diff_spec_dicts", "diff_specs", "flatten_spec"]

_MISSING: Any = object()


class KeyChangeKind(StrEnum):
    """How a key differs between A and B."""

    ADDED = "added"  # in B only
    REMOVED = "removed"  # in A only
    CHANGED = "changed"


@dataclass(frozen=True)
class KeyChange:
    """One key that differs: its dotted path, its value in A and in B (None when absent)."""

    key: str
    a: Any
    b: Any
    change: KeyChangeKind


def _item_key(item: Mapping[str, Any], index: int) -> str:
    if isinstance(item.get("name"), str):
        return str(item["name"])
    if "year" in item:
        definition = item.get("definition")
        return f"{item['year']}" + (f" {definition}" if definition else "")
    return str(index)


def _is_table_list(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def flatten_spec(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of a JSON-like spec by dotted path; lists of tables keyed by identity.

    >>> flatten_spec({"a": {"b": 1}, "t": [{"year": 2027, "share_gdp": 0.02}]})
    {'a.b': 1, 't[2027].year': 2027, 't[2027].share_gdp': 0.02}
    """
    out: dict[str, Any] = {}
    if isinstance(value, Mapping | list | tuple) and not value:
        return out  # an empty table or list has no leaves: [] and [x] differ by x alone
    if isinstance(value, Mapping):
        for key, inner in value.items():
            out.update(flatten_spec(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if _is_table_list(value):
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            name = _item_key(item, index)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # two items with one identity: keep both, by occurrence
                name = f"{name}#{seen[name]}"
            out.update(flatten_spec(item, f"{prefix}[{name}]"))
        return out
    out[prefix] = list(value) if isinstance(value, tuple) else value
    return out


def diff_spec_dicts(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[KeyChange, ...]:
    """The differing leaves of two JSON-like specs, in A's key order then B's new keys."""
    flat_a, flat_b = flatten_spec(a), flatten_spec(b)
    changes = []
    for key in [*flat_a, *(k for k in flat_b if k not in flat_a)]:
        va, vb = flat_a.get(key, _MISSING), flat_b.get(key, _MISSING)
        if va is _MISSING:
            if vb is not None:  # an unset key of a new table is no change worth a line
                changes.append(KeyChange(key, None, vb, KeyChangeKind.ADDED))
        elif vb is _MISSING:
            if va is not None:
                changes.append(KeyChange(key, va, None, KeyChangeKind.REMOVED))
        elif _canonical(va) != _canonical(vb):
            changes.append(KeyChange(key, va, vb, KeyChangeKind.CHANGED))
    return tuple(changes)


def diff_specs(a: Scenario, b: Scenario) -> tuple[KeyChange, ...]:
    """The keys in which two validated scenarios differ (see the module's docstring)."""
    return diff_spec_dicts(a.model_dump(mode="json"), b.model_dump(mode="json"))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
