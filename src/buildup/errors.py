"""The exceptions buildup raises, under one root, and what each means to an interface.

::

    BuildupError                 root: every error a user can cause or meet
     ├── InputError              a value given on the command line or in a file is malformed
     │    └── UnknownCountryError   a country name or code that no source knows
     ├── DataError               a dataset, edition, column or file is missing or invalid
     │    └── ImportValidationError  an imported file fails validation (file, sheet, row, column)
     ├── ScenarioError           a scenario file is invalid
     ├── NotFoundError           a named thing (dataset, edition, saved scenario) does not exist
     ├── ConflictError           a write would overwrite something that exists
     │    └── StaleVersionError   a save based on a version that is no longer the current one
     ├── InfeasibleError         a plan or portfolio cannot meet its constraints
     ├── SolverError             a solver failed for a reason other than infeasibility
     └── StoreError              the store cannot be opened, built or written

An error carries fields, not only a sentence: ``what`` (the key or field path of the value at
fault, in the vocabulary of the spec and the options — ``draws``, ``targets[0].share_gdp`` —
never an interface's: no flag, no route), ``given`` (the value, as given), ``expected`` (what
would have been accepted), ``fix`` (how to put it right), ``where`` (the file or input the
key belongs to, if any) and ``problem`` (what is wrong, when ``expected`` alone does not say
it). Interfaces render these: the CLI names the flag the user typed for ``what`` or the file
key when it came from a file; the web app returns the fields as they are. A message that points to
another option writes it as ``{option:name}`` (``{option:allow_missing}``), which each
interface renders in its own words.

:data:`ERROR_TABLE` maps each class to its CLI exit code and HTTP status, in one place.
Anything else that escapes is an internal error (exit code 1, HTTP 500).

>>> e = InputError(what="draws", given=0, expected="a positive number of draws")
>>> str(e)
'draws = 0: expected a positive number of draws'
>>> exit_code(e), http_status(e)
(2, 422)
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = [
    "ERROR_TABLE",
    "BuildupError",
    "ConflictError",
    "DataError",
    "ErrorCode",
    "ImportValidationError",
    "InfeasibleError",
    "InputError",
    "NotFoundError",
    "ScenarioError",
    "SolverError",
    "StaleVersionError",
    "StoreError",
    "UnknownCountryError",
    "exit_code",
    "http_status",
    "located",
]

_UNSET: Any = object()


class BuildupError(Exception):
    """Root of buildup's exceptions; its message is one line meant for the user.

    Either a whole sentence (``BuildupError("…")``, for errors that concern no one key) or
    fields that an interface renders in its own words (see the module's docstring).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        what: str | None = None,
        given: Any = _UNSET,
        expected: str | None = None,
        fix: str | None = None,
        where: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.what = what
        self.given = None if given is _UNSET else given
        self.has_given = given is not _UNSET
        self.expected = expected
        self.fix = fix
        self.where = where
        self.problem = problem if problem is not None else message
        super().__init__(self.render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the fields when the error crosses a process (a Dask worker's error).
        kwargs = {
            "what": self.what,
            "expected": self.expected,
            "fix": self.fix,
            "where": self.where,
            "problem": self.problem,
        }
        if self.has_given:
            kwargs["given"] = self.given
        return (_rebuild, (type(self), kwargs))

    def at(self, where: str) -> BuildupError:
        """Say where the input at fault came from (a file's name), unless the error already
        does; the boundary that knows the input (a task, an interface) calls this."""
        if self.where is None:
            self.where = where
            self.args = (self.render(),)
        return self

    @property
    def fields(self) -> dict[str, Any]:
        """The fields as plain data (for an API's error body)."""
        given = self.given if self.has_given else None
        if given is not None and not isinstance(given, str | int | float | bool):
            given = str(given)
        return {
            "error": type(self).__name__,
            "what": self.what,
            "given": given,
            "expected": self.expected,
            "fix": self.fix,
            "where": self.where,
            "problem": self.problem,
            "message": str(self),
        }

    def render(
        self,
        key: Callable[[str], str | None] | None = None,
        option: Callable[[str], str] | None = None,
    ) -> str:
        """The one-line message; ``key`` may rename ``what`` (e.g. to the flag the user typed).

        ``key(what)`` returns the interface's name for the key — then the value is shown after
        it (``--draws 0``) and ``where`` is left out, since the value did not come from a
        file — or ``None`` to keep the spec's key (``japan.toml: targets[0].share_gdp = 2``).
        ``option(name)`` names an option that a message mentions as ``{option:name}`` (the
        interface's word for it: a flag, a query parameter); by default, the option's key.
        """
        renamed = key(self.what) if key is not None and self.what is not None else None
        head = ""
        if renamed is not None:
            head = renamed + (f" {_show(self.given)}" if self.has_given else "")
        elif self.what is not None:
            head = self.what + (f" = {_show(self.given)}" if self.has_given else "")
        if self.where and renamed is None:
            head = f"{self.where}: {head}" if head else self.where
        body = [p for p in (self.problem,) if p]
        if self.expected:
            body.append(f"expected {self.expected}")
        if self.fix:
            body.append(self.fix)
        text = _OPTION.sub(lambda m: (option or _plain)(m.group(1)), "; ".join(body))
        if head and text:
            return f"{head}: {text}"
        return head or text or type(self).__name__


_OPTION = re.compile(r"\{option:([a-z_]+)\}")


def _plain(name: str) -> str:
    return f"`{name}`"


@contextlib.contextmanager
def located(where: str) -> Iterator[None]:
    """Attach ``where`` (:meth:`BuildupError.at`) to a buildup error raised in the block."""
    try:
        yield
    except BuildupError as exc:
        exc.at(where)
        raise


def _rebuild(cls: type[BuildupError], kwargs: dict[str, Any]) -> BuildupError:
    return cls(**kwargs)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return value if value and " " not in value and "," not in value else repr(value)
    return str(value)


class InputError(BuildupError):
    """A value given by the user is malformed (a year range, a format, an option)."""


class UnknownCountryError(InputError):
    """A country name or code that cannot be resolved to ISO 3166-1 alpha-3."""


class DataError(BuildupError):
    """A dataset, edition or column is missing, or a data file is invalid."""


class ImportValidationError(DataError):
    """An imported file fails validation; nothing has been written."""


class ScenarioError(BuildupError):
    """A scenario file is invalid."""


class NotFoundError(BuildupError):
    """A named thing — a dataset, an edition, a saved scenario — does not exist."""


class ConflictError(BuildupError):
    """A write would overwrite something that exists (an edition, a saved version)."""


class StaleVersionError(ConflictError):
    """A save names the version it replaces, and another save came first (no lost update)."""


class InfeasibleError(BuildupError):
    """A plan or portfolio cannot meet its constraints."""


class SolverError(BuildupError):
    """A solver failed for a reason other than infeasibility."""


class StoreError(BuildupError):
    """The store cannot be opened, built or written."""


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """What an error class means to each interface."""

    exit_code: int
    http_status: int


# One table: each class's exit code (the CLI) and HTTP status (the web app). A class not
# listed takes its nearest listed ancestor's entry.
ERROR_TABLE: Mapping[type[BuildupError], ErrorCode] = MappingProxyType(
    {
        BuildupError: ErrorCode(2, 400),
        InputError: ErrorCode(2, 422),
        UnknownCountryError: ErrorCode(2, 422),
        DataError: ErrorCode(2, 422),
        ImportValidationError: ErrorCode(2, 422),
        ScenarioError: ErrorCode(2, 422),
        NotFoundError: ErrorCode(2, 404),
        ConflictError: ErrorCode(2, 409),
        StaleVersionError: ErrorCode(2, 412),
        InfeasibleError: ErrorCode(2, 422),
        SolverError: ErrorCode(2, 503),
        StoreError: ErrorCode(2, 503),
    }
)


def _code(error: BaseException) -> ErrorCode:
    for cls in type(error).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return ErrorCode(1, 500)


def exit_code(error: BaseException) -> int:
    """The CLI's exit code for ``error`` (1 for anything that is not a :class:`BuildupError`)."""
    return _code(error).exit_code


def http_status(error: BaseException) -> int:
    """The HTTP status for ``error`` (500 for anything that is not a :class:`BuildupError`)."""
    return _code(error).http_status
