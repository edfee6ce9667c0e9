"""Read the portfolio's input files: programmes (CSV or TOML), envelopes and area limits.

CSV files are UTF-8 with a header row; lines starting with ``#`` are comments, and rows are
numbered as lines of the file (the header of a file without comments is row 1). Lists in a
cell are joined by ``;``. Errors are one line naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import difflib
import io
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from buildup.errors import InputError
from buildup.portfolio.model import AreaLimit, AreaLimits, Catalogue, Envelope, Programme

__all__ = ["parse_weights", "read_area_limits", "read_envelope", "read_programmes"]

_T = TypeVar("_T")
_REQUIRED = (
    "id", "area", "unit_cost", "max_qty", "payment_profile", "earliest_start", "latest_start"
)  # fmt: skip
_OPTIONAL = (
    "name", "min_qty", "value", "requires", "exclusive_group", "mandatory",
    "diminishing_returns", "source", "note",
)  # fmt: skip
_MISSION = "value_"


def _rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV, skipping comment and blank lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"no such file {path}; give the path of {what}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: cannot be read ({exc}); save it as UTF-8 CSV") from exc
    kept: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            kept.append(line)
            numbers.append(number)
    reader = csv.reader(io.StringIO("\n".join(kept)))
    try:
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise InputError(f"{path.name}: no header row; the first line must name the columns")
        for index, cells in enumerate(reader, start=1):
            row = numbers[min(reader.line_num - 1, len(numbers) - 1)] if numbers else index
            if len(cells) > len(header):
                raise InputError(
                    f"{path.name}, row {row}: {len(cells)} cells for {len(header)} columns; "
                    "quote cells that contain commas"
                )
            yield row, {h: c.strip() for h, c in zip(header, cells, strict=False)}
    except csv.Error as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc}); fix the quoting") from exc


def _header(path: Path, what: str) -> list[str]:
    for _, row in _rows(path, what):
        return list(row)
    return []


def _convert(text: str, parse: Callable[[str], _T], where: str, expected: str) -> _T:
    try:
        return parse(text)
    except ValueError as exc:
        raise InputError(f"{where}: {text!r} is not {expected}; write {expected}") from exc


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n", ""):
        return False
    raise ValueError(text)


def _pairs(text: str) -> tuple[tuple[float, float], ...]:
    out = []
    for part in (p for p in text.split(";") if p.strip()):
        q, _, e = part.partition(":")
        out.append((float(q), float(e)))
    return tuple(out)


def _programme(path: Path, line: int, row: Mapping[str, str]) -> Programme:
    def where(column: str) -> str:
        return f"{path.name}, row {line}, column {column}"

    def get(column: str) -> str:
        return row.get(column) or ""

    for column in _REQUIRED:
        if not get(column):
            raise InputError(f"{where(column)}: empty; give a value")
    number, whole = "a number", "a whole number"
    fields: dict[str, Any] = {
        "id": get("id"),
        "name": get("name"),
        "area": get("area"),
        "unit_cost": _convert(get("unit_cost"), float, where("unit_cost"), number),
        "min_qty": _convert(get("min_qty") or "0", int, where("min_qty"), whole),
        "max_qty": _convert(get("max_qty"), int, where("max_qty"), whole),
        "payment_profile": _convert(
            get("payment_profile"),
            lambda t: tuple(float(x) for x in t.split(";") if x.strip()),
            where("payment_profile"),
            "fractions joined by ';' (e.g. 0.4;0.6)",
        ),
        "earliest_start": _convert(get("earliest_start"), int, where("earliest_start"), "a year"),
        "latest_start": _convert(get("latest_start"), int, where("latest_start"), "a year"),
        "value": _convert(get("value"), float, where("value"), number) if get("value") else None,
        "mission_values": {
            c.removeprefix(_MISSION): _convert(get(c) or "0", float, where(c), number)
            for c in row
            if c.startswith(_MISSION)
        },
        "requires": tuple(x.strip() for x in get("requires").split(";") if x.strip()),
        "exclusive_group": get("exclusive_group") or None,
        "mandatory": _convert(get("mandatory"), _bool, where("mandatory"), "true or false"),
        "diminishing_returns": _convert(
            get("diminishing_returns"),
            _pairs,
            where("diminishing_returns"),
            "quantity:effective-units pairs joined by ';' (e.g. 4:4;8:6)",
        ),
        "source": get("source"),
        "note": get("note"),
    }
    programme: Programme = _validate(Programme, fields, f"{path.name}, row {line}")
    return programme


def _validate(model: type[BaseModel], data: Mapping[str, Any], where: str) -> Any:
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        error = exc.errors()[0]
        column = ".".join(str(part) for part in error["loc"]) or "?"
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(column, list(model.model_fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"{where}, column {column}: unknown key{hint}; remove it") from exc
        if error["type"] == "missing":
            raise InputError(f"{where}, column {column}: missing; add it") from exc
        given = error.get("input")
        shown = "" if isinstance(given, dict | list) else f" (given {given!r})"
        raise InputError(f"{where}, column {column}: {error['msg']}{shown}; fix the value") from exc


def read_programmes(path: str | Path) -> Catalogue:
    """Read a programmes table: CSV (one row per programme) or TOML (``[[programmes]]``
    tables with the same keys, lists as arrays, and an optional ``[weights]`` table)."""
    file = Path(path)
    if file.suffix.lower() == ".toml":
        return _read_programmes_toml(file)
    what = "a programmes CSV"
    header = _header(file, what)
    unknown = [c for c in header if c not in _REQUIRED + _OPTIONAL and not c.startswith(_MISSION)]
    if unknown:
        raise InputError(
            f"{file.name}, row 1, column {unknown[0]}: unknown column; known: "
            f"{', '.join(_REQUIRED + _OPTIONAL)} and value_<mission>"
        )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"{file.name}: missing column(s) {', '.join(missing)}; the header needs "
            f"{', '.join(_REQUIRED)}"
        )
    programmes, locations = [], []
    for line, row in _rows(file, what):
        programmes.append(_programme(file, line, row))
        locations.append(f"row {line}")
    if not programmes:
        raise InputError(f"{file.name}: no programmes; add one row per programme")
    return Catalogue(programmes=tuple(programmes), origin=file.name, locations=tuple(locations))


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"no such file {file}; give the path of a programmes file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file.name}: cannot be read ({exc}); give a UTF-8 TOML file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file.name}: not valid TOML ({exc}); fix the syntax there") from exc


def _read_programmes_toml(file: Path) -> Catalogue:
    data = _read_toml(file)
    extra = sorted(set(data) - {"programmes", "weights"})
    if extra:
        raise InputError(f"{file.name}: {extra[0]}: unknown key; use [[programmes]] and [weights]")
    rows = data.get("programmes", [])
    if not isinstance(rows, list) or not rows:
        raise InputError(f"{file.name}: no [[programmes]] tables; add one per programme")
    programmes = []
    for i, raw in enumerate(rows):
        item = dict(raw)
        missions = {k.removeprefix(_MISSION): item.pop(k) for k in list(item) if k[:6] == _MISSION}
        if missions:
            item["mission_values"] = missions
        programmes.append(_validate(Programme, item, f"{file.name}: programmes[{i}]"))
    weights = data.get("weights", {})
    if not isinstance(weights, dict):
        raise InputError(f"{file.name}: weights: give a table of mission = weight")
    return Catalogue(
        programmes=tuple(programmes),
        weights={str(k): float(v) for k, v in weights.items()},
        origin=file.name,
        locations=tuple(f"programmes[{i}]" for i in range(len(programmes))),
    )


def read_envelope(path: str | Path, currency: str = "") -> Envelope:
    """Read yearly envelopes: a CSV with columns ``year, budget`` [currency units]."""
    file = Path(path)
    years, budgets, locations, sources = [], [], [], []
    header = _header(file, "an envelope CSV")
    missing = [c for c in ("year", "budget") if c not in header]
    if missing:
        raise InputError(
            f"{file.name}: missing column(s) {', '.join(missing)}; the header must be "
            "year,budget[,source]"
        )
    for line, row in _rows(file, "an envelope CSV"):
        where = f"{file.name}, row {line}, column"
        years.append(_convert(row.get("year", ""), int, f"{where} year", "a four-digit year"))
        budgets.append(_convert(row.get("budget", ""), float, f"{where} budget", "a number"))
        locations.append(f"row {line}")
        if row.get("source"):
            sources.append(row["source"])
    if not years:
        raise InputError(f"{file.name}: no years; add one row per year")
    return Envelope(
        years=tuple(years),
        budgets=tuple(budgets),
        currency=currency,
        source="; ".join(dict.fromkeys(sources)) or f"CSV:{file.name}",
        origin=file.name,
        locations=tuple(locations),
    )


def read_area_limits(path: str | Path) -> AreaLimits:
    """Read area limits: a CSV with columns ``area, min_share, max_share`` [fractions]."""
    file = Path(path)
    header = _header(file, "an area-limits CSV")
    if "area" not in header:
        raise InputError(
            f"{file.name}: missing column area; the header must be area,min_share,max_share"
        )
    limits, locations = [], []
    for line, row in _rows(file, "an area-limits CSV"):
        where = f"{file.name}, row {line}, column"
        limits.append(
            AreaLimit(
                area=row.get("area", "") or "?",
                min_share=_convert(row.get("min_share") or "0", float, f"{where} min_share",
                                   "a fraction"),
                max_share=_convert(row.get("max_share") or "1", float, f"{where} max_share",
                                   "a fraction"),
            )
        )  # fmt: skip
        locations.append(f"row {line}")
    return AreaLimits(limits=tuple(limits), origin=file.name, locations=tuple(locations))


def parse_weights(text: str) -> dict[str, float]:
    """Parse strategy weights ``"deterrence=0.6,resilience=0.4"``."""
    weights: dict[str, float] = {}
    for part in (p for p in text.split(",") if p.strip()):
        mission, sep, number = part.partition("=")
        try:
            if not sep or not mission.strip():
                raise ValueError(part)
            weights[mission.strip()] = float(number)
        except ValueError as exc:
            raise InputError(
                what="weights",
                given=part.strip(),
                expected="mission=weight",
                fix="write e.g. deterrence=0.6,resilience=0.4",
            ) from exc
    return weights
