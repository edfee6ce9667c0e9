"""A page's query string: known parameters parsed, bad ones reported, none silently dropped.

Each page declares its parameters (name, parser, default, label). :func:`read_params` gives
the parsed values and a list of problems — an unknown parameter, a value that does not parse
— each with its reason; the page shows them and uses the default for a bad value, saying so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

__all__ = [
    "Param",
    "Params",
    "Problem",
    "choice",
    "integer",
    "number",
    "percent",
    "read_params",
    "text",
]

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Param:
    """A query parameter: its parser, its default (None: absent) and what it means."""

    name: str
    parse: Parser
    default: Any = None
    label: str = ""
    multiple: bool = False


@dataclass(frozen=True)
class Problem:
    """A parameter that was not used as given, and why."""

    name: str
    given: str
    reason: str


@dataclass(frozen=True)
class Params:
    values: Mapping[str, Any]
    given: Mapping[str, str | list[str]]
    problems: tuple[Problem, ...] = ()
    declared: tuple[Param, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def query(self, **changes: Any) -> str:
        """The query string of this view (as given), with ``changes`` applied."""
        pairs: list[tuple[str, str]] = []
        merged: dict[str, Any] = {k: v for k, v in self.given.items() if k in self.values}
        merged.update(changes)
        for key, value in merged.items():
            if value is None or value == "":
                continue
            for item in value if isinstance(value, list) else [value]:
                pairs.append((key, str(item)))
        return urlencode(pairs)


def read_params(items: Sequence[tuple[str, str]], declared: Sequence[Param]) -> Params:
    """Parse ``items`` (the query's pairs, in order) against ``declared``."""
    known = {p.name: p for p in declared}
    given: dict[str, str | list[str]] = {}
    problems: list[Problem] = []
    for key, value in items:
        param = known.get(key)
        if param is None:
            names = ", ".join(sorted(known))
            problems.append(Problem(key, value, f"unknown parameter (this page reads {names})"))
            continue
        if param.multiple:
            current = given.setdefault(key, [])
            assert isinstance(current, list)
            current.extend(v.strip() for v in value.split(",") if v.strip())
        elif key in given:
            problems.append(
                Problem(key, value, f"given twice; the first value {given[key]!r} is used")
            )
        else:
            given[key] = value.strip()
    values: dict[str, Any] = {}
    for param in declared:
        raw = given.get(param.name)
        if raw is None or raw in ("", []):
            values[param.name] = param.default
            continue
        try:
            if param.multiple:
                assert isinstance(raw, list)
                values[param.name] = [param.parse(v) for v in raw]
            else:
                assert isinstance(raw, str)
                values[param.name] = param.parse(raw)
        except ValueError as exc:
            default = "" if param.default is None else f"; using {param.default!r} instead"
            problems.append(Problem(param.name, _shown(raw), f"{exc}{default}"))
            values[param.name] = param.default
    return Params(values, given, tuple(problems), tuple(declared))


def _shown(raw: str | list[str]) -> str:
    return ",".join(raw) if isinstance(raw, list) else raw


def text(max_length: int = 200) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return value

    return parse


def integer(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"not a whole number; give e.g. {low + (high - low) // 2}") from None
        if not low <= number <= high:
            raise ValueError(f"out of range; give a number from {low} to {high}")
        return number

    return parse


def number(low: float, high: float, unit: str = "") -> Parser:
    def parse(value: str) -> float:
        try:
            result = float(value)
        except ValueError:
            raise ValueError(f"not a number{' in ' + unit if unit else ''}") from None
        if math.isnan(result) or not low <= result <= high:
            raise ValueError(f"out of range; give {low:g} to {high:g}{' ' + unit if unit else ''}")
        return result

    return parse


def percent(low: float, high: float) -> Parser:
    """A percentage in the URL (``2`` = 2 %), as a fraction in the value (0.02)."""
    inner = number(low, high, "percent")

    def parse(value: str) -> float:
        return float(inner(value.rstrip("% "))) / 100

    return parse


def choice(options: Sequence[str] | Callable[[], Sequence[str]], *, fold: bool = False) -> Parser:
    def parse(value: str) -> str:
        allowed = list(options() if callable(options) else options)
        key = value.lower() if fold else value
        for option in allowed:
            if (option.lower() if fold else option) == key:
                return option
        raise ValueError(f"not one of {', '.join(allowed)}")

    return parse


def as_list(values: Mapping[str, Any], name: str) -> list[Any]:
    value = values.get(name)
    return [] if value is None else list(value)
