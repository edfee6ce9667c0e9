"""Read the portfolio's input files: programmes (CSV or TOML), envelopes and area limits.

CSV files are UTF-8 with a header row; lines starting with ``#`` are comments, and rows are
numbered as lines of the file (the header of a file without comments is row 1). Lists in a
cell are joined by ``;``. Errors are one line naming the file, the row and the column: each
item read keeps where it came from (``locations``: ``japan-programmes.csv, row 5``), so the
rules checked later (:mod:`buildup.scenario.portfolio`) name it too.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from buildup.errors import InputError
from buildup.limits import (
    MAX_MONEY,
    MAX_PROGRAMMES,
    MAX_ROWS,
    MAX_WEIGHT,
    YEAR_MAX,
    YEAR_MIN,
    describe_invalid,
    read_user_text,
    read_user_toml,
)
from buildup.scenario.portfolio import AreaLimit, AreaLimits, Catalogue, Envelope, Programme

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
    text = read_user_text(path, what)
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
            raise InputError(
                where=path.name, problem="no header row", fix="the first line must name the columns"
            )
        for index, cells in enumerate(reader, start=1):
            row = numbers[min(reader.line_num - 1, len(numbers) - 1)] if numbers else index
            if len(cells) > len(header):
                raise InputError(
                    where=f"{path.name}, row {row}",
                    problem=f"{len(cells)} cells for {len(header)} columns",
                    fix="quote cells that contain commas",
                )
            if index > MAX_ROWS:
                raise InputError(
                    where=path.name,
                    problem=f"more than {MAX_ROWS:,} rows",
                    fix="split the file (see the limits in the README)",
                )
            yield row, {h: c.strip() for h, c in zip(header, cells, strict=False)}
    except csv.Error as exc:
        raise InputError(
            where=path.name, problem=f"not a readable CSV ({exc})", fix="fix the quoting"
        ) from exc


def _header(path: Path, what: str) -> list[str]:
    """The header row's column names (also of a file with no data rows)."""
    text = read_user_text(path, what)
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                return [h.strip() for h in next(csv.reader([line]))]
            except csv.Error as exc:
                raise InputError(
                    where=path.name, problem=f"not a readable CSV ({exc})", fix="fix the quoting"
                ) from exc
    return []


def _convert(text: str, parse: Callable[[str], _T], where: str, expected: str) -> _T:
    try:
        return parse(text)
    except ValueError as exc:
        raise InputError(
            where=where, problem=f"{text!r} is not {expected}", fix=f"write {expected}"
        ) from exc


def _number(text: str) -> float:
    """A finite float (``nan`` and ``inf`` are not numbers a user means)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _fractions(text: str) -> tuple[float, ...]:
    return tuple(_number(x) for x in text.split(";") if x.strip())


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
        out.append((_number(q), _number(e)))
    return tuple(out)


def _programme(path: Path, line: int, row: Mapping[str, str]) -> Programme:
    def where(column: str) -> str:
        return f"{path.name}, row {line}, column {column}"

    def get(column: str) -> str:
        return row.get(column) or ""

    for column in _REQUIRED:
        if not get(column):
            raise InputError(where=where(column), problem="empty", fix="give a value")
    number, whole = "a number", "a whole number"
    fields: dict[str, Any] = {
        "id": get("id"),
        "name": get("name"),
        "area": get("area"),
        "unit_cost": _convert(get("unit_cost"), _number, where("unit_cost"), number),
        "min_qty": _convert(get("min_qty") or "0", int, where("min_qty"), whole),
        "max_qty": _convert(get("max_qty"), int, where("max_qty"), whole),
        "payment_profile": _convert(
            get("payment_profile"),
            _fractions,
            where("payment_profile"),
            "fractions joined by ';' (e.g. 0.4;0.6)",
        ),
        "earliest_start": _convert(get("earliest_start"), int, where("earliest_start"), "a year"),
        "latest_start": _convert(get("latest_start"), int, where("latest_start"), "a year"),
        "value": _convert(get("value"), _number, where("value"), number) if get("value") else None,
        "mission_values": {
            c.removeprefix(_MISSION): _convert(get(c) or "0", _number, where(c), number)
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
        found = describe_invalid(exc, model, missing_fix="add it", unknown_fix="remove it")
        column = found.key or "?"
        fix = found.fix or "fix the value"
        raise InputError(where=f"{where}, column {column}", problem=found.problem, fix=fix) from exc


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
            where=f"{file.name}, row 1, column {unknown[0]}",
            problem="unknown column",
            expected=f"one of {', '.join(_REQUIRED + _OPTIONAL)} or value_<mission>",
        )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise InputError(
            where=file.name,
            problem=f"missing column(s) {', '.join(missing)}",
            fix=f"the header needs {', '.join(_REQUIRED)}",
        )
    programmes, locations = [], []
    for line, row in _rows(file, what):
        programmes.append(_programme(file, line, row))
        locations.append(f"{file.name}, row {line}")
    if not programmes:
        raise InputError(where=file.name, problem="no programmes", fix="add one row per programme")
    _check_count(file, len(programmes))
    return Catalogue(programmes=tuple(programmes), locations=tuple(locations))


def _check_count(file: Path, count: int) -> None:
    if count > MAX_PROGRAMMES:
        raise InputError(
            where=file.name,
            problem=f"{count:,} programmes; at most {MAX_PROGRAMMES:,} fit one solve",
            fix="split the catalogue",
        )


def _read_toml(file: Path) -> dict[str, Any]:
    return read_user_toml(file, "a programmes file (TOML)")


def _read_programmes_toml(file: Path) -> Catalogue:
    data = _read_toml(file)
    extra = sorted(set(data) - {"programmes", "weights"})
    if extra:
        raise InputError(
            where=file.name,
            what=extra[0],
            problem="unknown key",
            fix="use [[programmes]] and [weights]",
        )
    rows = data.get("programmes", [])
    if not isinstance(rows, list) or not rows:
        raise InputError(
            where=file.name, problem="no [[programmes]] tables", fix="add one per programme"
        )
    programmes = []
    for i, raw in enumerate(rows):
        item = dict(raw)
        missions = {k.removeprefix(_MISSION): item.pop(k) for k in list(item) if k[:6] == _MISSION}
        if missions:
            item["mission_values"] = missions
        programmes.append(_validate(Programme, item, f"{file.name}: programmes[{i}]"))
    weights = data.get("weights", {})
    if not isinstance(weights, dict):
        raise InputError(where=file.name, what="weights", fix="give a table of mission = weight")
    for mission, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise InputError(
                where=file.name, what=f"weights.{mission}", fix="give a number (e.g. 0.5)"
            )
        if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
            raise InputError(
                where=file.name,
                what=f"weights.{mission}",
                given=weight,
                expected=f"a finite weight from 0 to {MAX_WEIGHT:g}",
            )
    _check_count(file, len(programmes))
    return Catalogue(
        programmes=tuple(programmes),
        weights={str(k): float(v) for k, v in weights.items()},
        locations=tuple(f"{file.name}: programmes[{i}]" for i in range(len(programmes))),
    )


def read_envelope(path: str | Path, currency: str = "") -> Envelope:
    """Read yearly envelopes: a CSV with columns ``year, budget`` [currency units]."""
    file = Path(path)
    years, budgets, locations, sources = [], [], [], []
    header = _header(file, "an envelope CSV")
    missing = [c for c in ("year", "budget") if c not in header]
    if missing:
        raise InputError(
            where=file.name,
            problem=f"missing column(s) {', '.join(missing)}",
            fix="the header must be year,budget[,source]",
        )
    for line, row in _rows(file, "an envelope CSV"):
        where = f"{file.name}, row {line}, column"
        years.append(_convert(row.get("year", ""), int, f"{where} year", "a four-digit year"))
        budgets.append(_convert(row.get("budget", ""), _number, f"{where} budget", "a number"))
        locations.append(f"{file.name}, row {line}")
        if row.get("source"):
            sources.append(row["source"])
    if not years:
        raise InputError(where=file.name, problem="no years", fix="add one row per year")
    for i, (year, budget) in enumerate(zip(years, budgets, strict=True)):
        where = f"{locations[i]}, column"
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise InputError(
                where=f"{where} year", problem=f"{year} is not a year from {YEAR_MIN} to {YEAR_MAX}"
            )
        if budget > MAX_MONEY:
            raise InputError(
                where=f"{where} budget",
                problem=f"{budget:g} is above {MAX_MONEY:g}",
                fix="check the units",
            )
    return Envelope(
        years=tuple(years),
        budgets=tuple(budgets),
        currency=currency,
        source="; ".join(dict.fromkeys(sources)) or f"CSV:{file.name}",
        locations=tuple(locations),
    )


def read_area_limits(path: str | Path) -> AreaLimits:
    """Read area limits: a CSV with columns ``area, min_share, max_share`` [fractions]."""
    file = Path(path)
    header = _header(file, "an area-limits CSV")
    if "area" not in header:
        raise InputError(
            where=file.name,
            problem="missing column area",
            fix="the header must be area,min_share,max_share",
        )
    limits, locations = [], []
    for line, row in _rows(file, "an area-limits CSV"):
        where = f"{file.name}, row {line}, column"
        limits.append(
            AreaLimit(
                area=row.get("area", "") or "?",
                min_share=_convert(row.get("min_share") or "0", _number, f"{where} min_share",
                                   "a fraction"),
                max_share=_convert(row.get("max_share") or "1", _number, f"{where} max_share",
                                   "a fraction"),
            )
        )  # fmt: skip
        locations.append(f"{file.name}, row {line}")
    return AreaLimits(limits=tuple(limits), locations=tuple(locations))


def parse_weights(text: str) -> dict[str, float]:
    """Parse strategy weights ``"deterrence=0.6,resilience=0.4"``."""
    weights: dict[str, float] = {}
    for part in (p for p in text.split(",") if p.strip()):
        mission, sep, number = part.partition("=")
        try:
            if not sep or not mission.strip():
                raise ValueError(part)
            weights[mission.strip()] = _number(number)
            if not 0 <= weights[mission.strip()] <= MAX_WEIGHT:
                raise ValueError(part)
        except ValueError as exc:
            raise InputError(
                what="weights",
                given=part.strip(),
                expected=f"mission=weight with a weight from 0 to {MAX_WEIGHT:g}",
                fix="write e.g. deterrence=0.6,resilience=0.4",
            ) from exc
    return weights
