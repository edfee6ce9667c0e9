"""The one serialiser: outcomes to JSON and tidy CSV, the same for every interface.

- :func:`to_jsonable` turns an outcome (or any value built of dataclasses, mappings,
  sequences, enums, numpy and pandas values) into plain JSON data: NaN, NA and infinities
  become ``null``, numpy numbers Python numbers, years stay ints, enums their values, dates
  ISO strings. A dataclass is written field by field; a field's metadata (:func:`internal`,
  :func:`renamed`, :func:`table`, :func:`inline`, :func:`via`, given as
  ``field(metadata=…)``) says how, and a class's
  ``__json_extra__`` names properties written beside its fields (a name, or a pair
  ``(key, property)``).
- :func:`dumps` writes it, refusing any bare ``NaN``/``Infinity`` (``allow_nan=False``).
- :func:`json_schema` gives the JSON Schema of a type's document, from the same type hints
  and metadata, and :func:`check_schema` checks a document against one.
- :func:`write_csv` / :func:`csv_frame` write a tidy frame.

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
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "check_schema",
    "csv_frame",
    "document_fields",
    "dumps",
    "inline",
    "internal",
    "json_schema",
    "plain_value",
    "records",
    "renamed",
    "table",
    "to_jsonable",
    "via",
    "write_csv",
]

_META = "buildup.json"


@dataclasses.dataclass(frozen=True)
class _How:
    """How a dataclass field is written: under ``key``; not at all (``skip``); as records of
    ``rows`` (a frame); merged into its parent (``inline``); or as ``attribute`` of the value,
    of type ``kind``."""

    key: str | None = None
    skip: bool = False
    rows: type | None = None
    inline: bool = False
    attribute: str | None = None
    kind: Any = None


def internal() -> dict[str, Any]:
    """Metadata of a field kept out of the JSON document (a spec, arrays for charts, the
    trace): ``trace: tuple[TraceEntry, ...] = field(metadata=internal())``."""
    return {_META: _How(skip=True)}


def renamed(key: str) -> dict[str, Any]:
    """Metadata of a field written under another key (``iso3`` as ``country``)."""
    return {_META: _How(key=key)}


def table(rows: type, key: str | None = None) -> dict[str, Any]:
    """Metadata of a frame written as records of the dataclass ``rows`` (its fields are the
    columns; a column the frame lacks is ``null``)."""
    return {_META: _How(key=key, rows=rows)}


def inline() -> dict[str, Any]:
    """Metadata of a dataclass field whose document is merged into its parent's."""
    return {_META: _How(inline=True)}


def via(attribute: str, kind: Any, key: str | None = None) -> dict[str, Any]:
    """Metadata of a field written as one ``attribute`` of its value (a spec as its
    ``name``, of type ``str``)."""
    return {_META: _How(key=key, attribute=attribute, kind=kind)}


def _how(f: dataclasses.Field[Any]) -> _How:
    how = f.metadata.get(_META)
    return how if isinstance(how, _How) else _How()


def document_fields(cls: type) -> list[tuple[str, str, _How]]:
    """(key, attribute, how) of each part of a dataclass's document, in order: its fields
    (less the internal ones), then the properties of ``__json_extra__``."""
    out = [(_how(f).key or f.name, f.name, _how(f)) for f in dataclasses.fields(cls)]
    out = [part for part in out if not part[2].skip]
    for extra in getattr(cls, "__json_extra__", ()):
        key, name = extra if isinstance(extra, tuple) else (extra, extra)
        out.append((key, name, _How()))
    return out


def to_jsonable(value: Any, default: Callable[[Any], Any] | None = None) -> Any:
    """Plain JSON data for ``value`` (see the module's docstring); a value of no known kind
    is ``default(value)`` if given, else a :class:`TypeError`."""
    return _Writer(default).plain(value)


class _Writer:
    def __init__(self, default: Callable[[Any], Any] | None) -> None:
        self.default = default

    def plain(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | str):
            return value.value if isinstance(value, enum.Enum) else value
        if isinstance(value, enum.Enum):
            return self.plain(value.value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else None
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.document(value)
        if isinstance(value, Mapping):
            return {str(k): self.plain(v) for k, v in value.items()}
        if _is_frame(value):
            return [self.plain(r) for r in value.to_dict("records")]
        if isinstance(value, list | tuple | set | frozenset):
            return [self.plain(v) for v in value]
        if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # numpy values
            return self.plain(value.tolist())
        if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if self.default is not None:
            return self.plain(self.default(value))
        raise TypeError(f"cannot serialise {type(value).__name__} to JSON")

    def document(self, value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, name, how in document_fields(type(value)):
            part = getattr(value, name)
            if how.attribute is not None:
                part = getattr(part, how.attribute)
            if how.rows is not None:
                out[key] = None if part is None else records(part, how.rows)
            elif how.inline:
                out |= self.document(part)
            else:
                out[key] = self.plain(part)
        return out


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict")


def records(frame: Any, rows: type) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON records of the dataclass ``rows``: its fields, in its
    order, each coerced to its type (a year read back as 2024.0 is written 2024); a column
    the frame lacks is ``null``."""
    hints = _hints(rows)
    names = [f.name for f in dataclasses.fields(rows)]
    missing = [None] * len(frame)
    columns = {n: frame[n].tolist() if n in frame.columns else missing for n in names}
    return [
        {name: _coerce(columns[name][i], hints[name]) for name in names} for i in range(len(frame))
    ]


def _coerce(value: Any, hint: Any) -> Any:
    value = to_jsonable(value)
    if value is None:
        return None
    wanted = {a for a in _union(hint) if a is not type(None)}
    if int in wanted and float not in wanted and isinstance(value, float):
        return int(value) if value.is_integer() else value
    if bool in wanted and not isinstance(value, bool) and isinstance(value, int | float):
        return bool(value)
    return value


def _union(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def dumps(
    value: Any, *, indent: int | None = 1, default: Callable[[Any], Any] | None = None
) -> str:
    """JSON text for ``value``; never a bare NaN or Infinity."""
    plain = to_jsonable(value, default)
    return json.dumps(plain, ensure_ascii=False, indent=indent, allow_nan=False)


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

_SCALARS: dict[Any, dict[str, Any]] = {
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": ["number", "null"]},  # NaN and infinities are written as null
    str: {"type": "string"},
    type(None): {"type": "null"},
    Any: {},
}


def json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document :func:`to_jsonable` writes for a value
    of type ``tp``: a dataclass is an object with exactly its document's keys, all required;
    ``X | None`` may be null; a float may be null (NaN); a ``StrEnum`` is one of its values;
    a tuple or sequence an array; a frame written with :func:`table` an array of its rows.
    """
    schema = _schema(tp)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _schema(tp: Any) -> dict[str, Any]:
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"type": "string", "enum": [str(m.value) for m in tp]}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_schema(a) for a in args if a is not type(None)]
        nullable = type(None) in args
        if len(options) == 1:
            return _nullable(options[0]) if nullable else options[0]
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (tuple, list, Sequence, set, frozenset) or (
        isinstance(origin, type) and issubclass(origin, Sequence) and origin is not str
    ):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": "array", "prefixItems": [_schema(a) for a in args],
                    "minItems": len(args), "maxItems": len(args)}  # fmt: skip
        return {"type": "array", "items": _schema(args[0]) if args else {}}
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return {"type": "object", "additionalProperties": _schema(args[1]) if args else {}}
    if dataclasses.is_dataclass(tp):
        return _object(tp)
    raise TypeError(f"no JSON Schema for {tp!r}")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**schema, "type": list(dict.fromkeys([*kind, "null"]))}
    return {"anyOf": [schema, {"type": "null"}]}


def _object(cls: Any) -> dict[str, Any]:
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    for key, name, how in document_fields(cls):
        hint = hints[name]
        if how.rows is not None:
            properties[key] = {"type": "array", "items": _schema(how.rows)}
            if hint is None:  # an optional table
                properties[key] = _nullable(properties[key])
        elif how.attribute is not None:
            properties[key] = _schema(how.kind)
        elif how.inline:
            properties |= _object(hint)["properties"]
        else:
            properties[key] = _schema(hint)
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    """The resolved type of each field and ``__json_extra__`` property of a dataclass."""
    module = vars(sys.modules[cls.__module__])
    names = dict(vars(typing))
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        how = _how(f)
        if how.skip:
            continue
        if how.rows is not None or how.attribute is not None:  # the metadata gives the type
            out[f.name] = None if "None" in str(f.type) else Any
            continue
        out[f.name] = _resolve(f.type, module, names, cls, f.name)
    for extra in getattr(cls, "__json_extra__", ()):
        name = extra[1] if isinstance(extra, tuple) else extra
        getter = getattr(cls, name)
        annotation = getter.fget.__annotations__.get("return")
        out[name] = _resolve(annotation, module, names, cls, name)
    return out


def _resolve(annotation: Any, module: dict[str, Any], names: dict[str, Any], cls: Any,
             name: str) -> Any:  # fmt: skip
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, module, names)  # a type hint of our own code
    except NameError as exc:
        raise TypeError(
            f"{cls.__name__}.{name}: its type {annotation!r} is not importable at run time "
            f"({exc}); import it outside TYPE_CHECKING or keep the field out of the document"
        ) from exc


def check_schema(document: Any, schema: Mapping[str, Any], path: str = "$") -> list[str]:
    """Where ``document`` breaks ``schema`` (the subset :func:`json_schema` writes)."""
    if "anyOf" in schema:
        if any(not check_schema(document, s, path) for s in schema["anyOf"]):
            return []
        return [f"{path}: matches none of the alternatives"]
    if "enum" in schema and document not in schema["enum"]:
        return [f"{path}: {document!r}, expected one of {schema['enum']}"]
    allowed = schema.get("type")
    if allowed is None:
        return []
    kinds = set(allowed) if isinstance(allowed, list) else {allowed}
    actual = _type(document)
    if actual not in kinds and not (actual == "integer" and "number" in kinds):
        return [f"{path}: {actual}, expected {' or '.join(sorted(map(str, kinds)))}"]
    problems: list[str] = []
    if actual == "object":
        for key in schema.get("required", ()):
            if key not in document:
                problems.append(f"{path}: missing {key!r}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in document.items():
            if key in props:
                problems += check_schema(value, props[key], f"{path}.{key}")
            elif extra is False:
                problems.append(f"{path}: {key!r} is not in the schema")
            elif isinstance(extra, Mapping):
                problems += check_schema(value, extra, f"{path}.{key}")
    elif actual == "array":
        if "prefixItems" in schema:
            if len(document) != len(schema["prefixItems"]):
                problems.append(f"{path}: {len(document)} items, expected "
                                f"{len(schema['prefixItems'])}")  # fmt: skip
            for i, (item, sub) in enumerate(zip(document, schema["prefixItems"], strict=False)):
                problems += check_schema(item, sub, f"{path}[{i}]")
        elif "items" in schema:
            for i, item in enumerate(document):
                problems += check_schema(item, schema["items"], f"{path}[{i}]")
    return problems


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
