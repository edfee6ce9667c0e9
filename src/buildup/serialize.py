"""The one serialiser: outcomes to JSON and tidy CSV, the same for every interface.

- :func:`to_jsonable` turns an outcome's document (or any value built of mappings, sequences,
  dataclasses, enums, numpy and pandas values) into plain JSON data: NaN, NA and infinities
  become ``null``, numpy numbers Python numbers, years stay ints, enums their values, dates
  ISO strings, frames lists of records.
- :func:`dumps` writes it, refusing any bare ``NaN``/``Infinity`` (``allow_nan=False``).
- :func:`write_csv` writes a tidy frame.
- :func:`outcome_schema` gives the JSON Schema of each outcome's document
  (``plan``, ``track``, ``optimise``, ``risk``, ``compare``), and :func:`check_schema` checks
  a document against one.

>>> import math
>>> dumps({"a": math.nan, "b": (1, 2.5)}, indent=None)
'{"a": null, "b": [1, 2.5]}'
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OUTCOME_KINDS",
    "check_schema",
    "csv_frame",
    "dumps",
    "infer_schema",
    "outcome_schema",
    "to_jsonable",
    "write_csv",
]

OUTCOME_KINDS = ("compare", "optimise", "plan", "risk", "track")


def to_jsonable(value: Any) -> Any:
    """Plain JSON data for ``value`` (see the module's docstring)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if hasattr(value, "to_dict") and callable(value.to_dict) and not _is_frame(value):
        return to_jsonable(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if _is_frame(value):
        return [to_jsonable(r) for r in value.to_dict("records")]
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # numpy values
        return to_jsonable(value.tolist())
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict")


def dumps(value: Any, *, indent: int | None = 1) -> str:
    """JSON text for ``value``; never a bare NaN or Infinity."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)


def write_csv(frame: Any, out: IO[str]) -> None:
    """A tidy frame as CSV (no index; missing values empty)."""
    frame.to_csv(out, index=False, lineterminator="\n")


def plain_value(value: Any) -> Any:
    """A plain Python value: numpy scalars unwrapped, NaN/NA as None, dates as ISO text."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# Column words of amounts of money (full currency units): written to the unit in CSV.
_MONEY = ("_local", "_usd", "_jpy", "budget", "amount", "spending", "cost", "envelope", "spend",
          "slack", "extra", "tail", "_lcu")  # fmt: skip
# Column words of ratios, which keep their digits (a share, a growth rate, a probability).
_RATIO = ("share", "growth", "probability", "rate", "index", "error", "ratio", "gap", "scale",
          "fx_", "per_usd", "price")  # fmt: skip


def _csv_value(column: str, value: Any) -> Any:
    value = plain_value(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, float):
        return value
    name = column.lower()
    if any(w in name for w in _MONEY) and not any(w in name for w in _RATIO):
        # To the currency unit, after 11 significant digits — no published budget has more —
        # so that float noise goes (a solver's 772234799999.9 is 772,234,800,000).
        whole = round(float(f"{value:.11g}"))
        return int(whole) if abs(whole) < 2**63 else value
    short = float(f"{value:.12g}")
    return int(short) if short.is_integer() and abs(short) < 1e15 else short


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as CSV should show it: money to the unit, ratios to 12 significant digits (no
    ``7184142889999.999``), booleans ``true``/``false``, missing values empty."""
    import pandas as pd

    return pd.DataFrame(
        {
            column: pd.Series(
                [_csv_value(str(column), v) for v in frame[column]], dtype=object, index=frame.index
            )
            for column in frame.columns
        }
    )


# ------------------------------------------------------------------------------- schemas


def infer_schema(documents: list[Any]) -> dict[str, Any]:
    """A JSON Schema that every one of ``documents`` satisfies (types, keys, items).

    Used to fix the shipped schemas from the outputs of the shipped examples: an object's
    keys present in every document are required; a key whose values were ``null`` somewhere
    is nullable; arrays describe the union of their items.
    """
    schema = _infer(documents)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _infer(values: list[Any]) -> dict[str, Any]:
    types = {_type(v) for v in values}
    nullable = "null" in types
    types.discard("null")
    if types == {"integer", "number"}:
        types = {"number"}
    if not types:
        return {"type": "null"}
    if len(types) > 1:
        options = [_infer([v for v in values if _type(v) == t]) for t in sorted(types)]
        out: dict[str, Any] = {"anyOf": options}
        if nullable:
            out["anyOf"].append({"type": "null"})
        return out
    (kind,) = types
    present = [v for v in values if v is not None]
    out = {"type": [kind, "null"] if nullable else kind}
    if kind == "object":
        keys: dict[str, list[Any]] = {}
        for obj in present:
            for k, v in obj.items():
                keys.setdefault(k, []).append(v)
        if len(keys) > 40 or any(k.isdigit() for k in keys):  # a map keyed by data (years)
            out["additionalProperties"] = _infer([v for vs in keys.values() for v in vs])
        else:
            out["properties"] = {k: _infer(vs) for k, vs in sorted(keys.items())}
            out["required"] = sorted(k for k in keys if all(k in obj for obj in present))
    elif kind == "array":
        items = [item for arr in present for item in arr]
        if items:
            out["items"] = _infer(items)
    return out


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not JSON data: {type(value).__name__}")


@functools.cache
def _schema_text(kind: str) -> str:
    return (resources.files("buildup") / "schemas" / f"{kind}.json").read_text(encoding="utf-8")


def outcome_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of an outcome's JSON document (``plan``, ``track``, ``optimise``…)."""
    if kind not in OUTCOME_KINDS:
        from buildup.errors import NotFoundError

        raise NotFoundError(
            what="kind", given=kind, problem="no such outcome", expected=", ".join(OUTCOME_KINDS)
        )
    loaded: dict[str, Any] = json.loads(_schema_text(kind))
    return loaded


def check_schema(document: Any, schema: Mapping[str, Any], path: str = "$") -> list[str]:
    """Where ``document`` breaks ``schema`` (the subset :func:`infer_schema` writes)."""
    if "anyOf" in schema:
        if any(not check_schema(document, s, path) for s in schema["anyOf"]):
            return []
        return [f"{path}: matches none of the alternatives"]
    allowed = schema.get("type")
    kinds = set(allowed) if isinstance(allowed, list) else {allowed}
    actual = _type(document)
    if actual not in kinds and not (actual == "integer" and "number" in kinds):
        return [f"{path}: {actual}, expected {' or '.join(sorted(map(str, kinds)))}"]
    problems: list[str] = []
    if actual == "object":
        for key in schema.get("required", ()):
            if key not in document:
                problems.append(f"{path}: missing {key!r}")
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, value in document.items():
            if props is not None and key in props:
                problems += check_schema(value, props[key], f"{path}.{key}")
            elif isinstance(extra, Mapping):  # keys not described are allowed
                problems += check_schema(value, extra, f"{path}.{key}")
    elif actual == "array" and "items" in schema:
        for i, item in enumerate(document):
            problems += check_schema(item, schema["items"], f"{path}[{i}]")
    return problems
