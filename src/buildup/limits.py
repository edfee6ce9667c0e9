"""Limits on what buildup accepts from outside, stated once; the README lists them.

Every number that enters from a file, a flag or a request is finite and within its range,
checked where it enters (the pydantic models forbid NaN and infinity; the ranges below bound
the rest). Every file a user names is read through :func:`read_user_text`, which refuses
devices, pipes and directories and anything larger than :data:`MAX_FILE_BYTES`, so that no
input can make buildup read forever or run out of memory.
"""

from __future__ import annotations

import math
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildup.errors import BuildupError, InputError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "MAX_DRAWS",
    "MAX_EXTENDS",
    "MAX_FILE_BYTES",
    "MAX_MONEY",
    "MAX_NESTING",
    "MAX_PLAN_YEARS",
    "MAX_PROFILE_YEARS",
    "MAX_PROGRAMMES",
    "MAX_QUANTITY",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SAA_SCENARIOS",
    "MAX_TARGETS",
    "MAX_VALUE",
    "MAX_WEIGHT",
    "MAX_WORKBOOK_BYTES",
    "MIN_RATIO",
    "MIN_UNIT_COST",
    "YEAR_MAX",
    "YEAR_MIN",
    "Invalid",
    "check_finite",
    "check_nesting",
    "describe_invalid",
    "explain_error",
    "parse_user_toml",
    "read_user_bytes",
    "read_user_text",
    "read_user_toml",
]

#: Years anywhere in an input [years]: a plan, a target, a key of a yearly table.
YEAR_MIN, YEAR_MAX = 1900, 2100
#: A scenario's planned years, baseline to its last year; a 30-year search horizon follows.
MAX_PLAN_YEARS = 100
#: ``[[targets]]`` in one scenario.
MAX_TARGETS = 100
#: Programmes in one catalogue (the MIP has one binary per programme and start year).
MAX_PROGRAMMES = 10_000
#: Units of one programme, and years of its payment profile.
MAX_QUANTITY = 1_000_000
MAX_PROFILE_YEARS = 50
#: A programme's unit cost is 0 or at least this [currency units].
MIN_UNIT_COST = 1e-3
#: A programme's value score per unit [value points] and a strategy weight: the MIP solver
#: treats coefficients near 1e20 as infinite, so their product stays far below it.
MAX_VALUE, MAX_WEIGHT = 1e9, 1e6
#: Data rows in one user CSV (programmes, envelopes, actuals, tidy imports).
MAX_ROWS = 1_000_000
#: Scenario, tracking, programme and CSV files [bytes].
MAX_FILE_BYTES = 16 * 1024 * 1024
#: A workbook to import (SIPRI publishes about 2 MB) [bytes].
MAX_WORKBOOK_BYTES = 128 * 1024 * 1024
#: Tables and arrays nested inside one another in a TOML or JSON input.
MAX_NESTING = 16
#: Any amount of money [currency units]; the largest figure in the bundled data is about
#: 2.4e22 (a local-currency series before a redenomination), so 1e24 refuses only typos.
MAX_MONEY = 1e24
#: Exchange rates [local per US$] and price indices lie in [MIN_RATIO, MAX_RATIO]; the
#: bundled data spans 3e-5 to 2.2e16. A value of 1e-308 would turn every amount into inf.
MIN_RATIO, MAX_RATIO = 1e-9, 1e20
#: Files in one ``extends`` chain of scenarios.
MAX_EXTENDS = 16
#: Monte Carlo draws in one run, and cost scenarios of a robust (``--alpha``) portfolio.
MAX_DRAWS = 50_000_000
MAX_SAA_SCENARIOS = 1_000
#: ``optimize`` stops after this long unless ``--time-limit`` says otherwise [s].
DEFAULT_TIME_LIMIT_S = 300.0


def check_finite(value: float, what: str, *, error: type[BuildupError] = InputError) -> float:
    """``value`` if it is a finite number, else ``error`` naming ``what``."""
    if not math.isfinite(value):
        raise error(f"{what}: {value!r} is not a finite number; give a plain number")
    return value


def read_user_bytes(
    path: str | Path,
    what: str,
    *,
    error: type[BuildupError] = InputError,
    limit: int = MAX_FILE_BYTES,
) -> bytes:
    """The bytes of a regular file the user named, at most ``limit`` of them.

    Refuses a missing file, a directory, a device or a pipe (``/dev/zero`` would never end)
    and a file larger than ``limit``, each with one line naming the file.
    """
    file = Path(path)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise error(f"no such file {file}; give the path of {what}") from None
    except OSError as exc:
        raise error(f"{file}: cannot be read ({exc.strerror or exc}); give {what}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{file} is a folder; give the path of {what}") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{file} is not a regular file (a device or a pipe); give the path of {what}"
        ) from None
    if info.st_size > limit:
        raise error(
            f"{file.name}: {info.st_size:,} bytes is more than the {limit:,} a file may have; "
            f"give a smaller file (the limits are in the README)"
        )
    try:
        with file.open("rb") as handle:
            # Read one byte past the limit: a file that grew after stat() is still refused.
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{file}: cannot be read ({exc.strerror or exc}); give {what}") from None
    if len(data) > limit:
        raise error(f"{file.name}: more than {limit:,} bytes; give a smaller file")
    return data


def read_user_text(
    path: str | Path,
    what: str,
    *,
    error: type[BuildupError] = InputError,
    limit: int = MAX_FILE_BYTES,
) -> str:
    """The UTF-8 text (a byte-order mark is dropped) of a file the user named; see
    :func:`read_user_bytes` for what is refused."""
    data = read_user_bytes(path, what, error=error, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{Path(path).name}: cannot be read as UTF-8 text (byte {exc.start + 1}); "
            "save it as UTF-8"
        ) from None


def check_nesting(
    value: Any, where: str, *, error: type[BuildupError] = InputError, limit: int = MAX_NESTING
) -> None:
    """Refuse tables or arrays nested more than ``limit`` deep (no input of buildup needs
    more than four levels)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise error(
                f"{where}: tables or arrays nested more than {limit} deep; no buildup input "
                "needs that many, check the file"
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list | tuple):
            stack.extend((v, depth + 1) for v in item)


def parse_user_toml(
    text: str, where: str, *, error: type[BuildupError] = InputError
) -> dict[str, Any]:
    """Parse TOML a user wrote: one line on a syntax error or on nesting too deep."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{where}: not valid TOML ({exc}); fix the syntax there") from None
    except RecursionError:
        raise error(
            f"{where}: tables or arrays nested more than {MAX_NESTING} deep; no buildup input "
            "needs that many, check the file"
        ) from None
    check_nesting(data, where, error=error)
    return data


def read_user_toml(
    path: str | Path, what: str, *, error: type[BuildupError] = InputError
) -> dict[str, Any]:
    """Read and parse a TOML file the user named, within the limits above."""
    return parse_user_toml(read_user_text(path, what, error=error), Path(path).name, error=error)


_BOUND_WORDS = {
    "greater_than": ("gt", "must be above"),
    "greater_than_equal": ("ge", "must be at least"),
    "less_than": ("lt", "must be below"),
    "less_than_equal": ("le", "must be at most"),
}


def explain_error(error: Mapping[str, Any]) -> str:
    """One user-facing phrase for a pydantic error (its ``type``, ``msg``, ``ctx``, ``input``),
    with numbers written as a person would (1e+24, not 1000000000000000000000000)."""
    kind = str(error.get("type", ""))
    given = error.get("input")
    if kind == "finite_number":
        return f"{given!r} is not a finite number; give a plain number"
    if kind in _BOUND_WORDS:
        key, words = _BOUND_WORDS[kind]
        bound = (error.get("ctx") or {}).get(key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            shown = f"{given:g}" if isinstance(given, float) else repr(given)
            return f"{shown} {words} {bound:g}"
    if kind == "too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        return (
            f"more than {limit} items; at most {limit} are allowed (see the limits in the README)"
        )
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


@dataclass(frozen=True, slots=True)
class Invalid:
    """The first error of a pydantic validation, as an error's fields: ``key`` (the field path
    in the input's own words, ``targets[0].share_gdp``; empty for a rule about the whole),
    ``message`` (what is wrong), ``given`` (the value, when a plain one was given; ``None``
    otherwise), ``shows_given`` (whether ``problem`` should name it) and ``fix``."""

    key: str
    message: str
    given: Any
    shows_given: bool
    fix: str | None

    @property
    def problem(self) -> str:
        """``message``, with the value given where the message does not already name it."""
        return f"{self.message} (given {self.given!r})" if self.shows_given else self.message


_UNION_TAGS = ("float", "int", "str", "bool", "none")


def describe_invalid(
    exc: ValidationError,
    model: type[BaseModel] | None = None,
    *,
    missing_fix: str = "add it",
    unknown_fix: str = "remove it or fix its spelling",
) -> Invalid:
    """The one reading of a pydantic error for every input (scenario and tracking files,
    programme tables, task options): its key, a phrase a person understands
    (:func:`explain_error`), the value given, and the fix — an unknown key names the closest
    known one of ``model`` (the model validated) where there is one."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    key = _key_of(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = _did_you_mean(loc, model) if model is not None else ""
        return Invalid(key, f"unknown key{hint}", None, False, unknown_fix)
    if kind == "missing":
        return Invalid(key, "missing", None, False, missing_fix)
    message = explain_error(error)
    given = error.get("input")
    plain = message == str(error["msg"]).removeprefix("Value error, ")
    scalar = isinstance(given, str | int | float | bool)
    shown = plain and not isinstance(given, dict | list)
    return Invalid(key, message, given if scalar else None, shown, None)


def _key_of(loc: list[str]) -> str:
    out = ""
    for part in loc:
        if part in _UNION_TAGS or part.startswith(("literal[", "function-", "tuple[")):
            continue  # pydantic's name of a branch of a union: not a key of the input
        if part == "[key]":
            # pydantic's marker for a bad key of a table: say "key", not "[key]".
            out = f"{out.rsplit('[', 1)[0]} key {out.rsplit('[', 1)[1][:-1]}" if "[" in out else out
            continue
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def _did_you_mean(loc: list[str], model: type[BaseModel]) -> str:
    import difflib

    for part in loc[:-1]:
        if part.isdigit():
            continue
        field = model.model_fields.get(part)
        inner = _model_of(field.annotation) if field is not None else None
        if inner is None:
            return ""
        model = inner
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _model_of(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
