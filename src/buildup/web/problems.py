"""One error shape for every answer that is not a success, and the handlers that make it.

::

    {"ok": false, "status": 422, "error": "targets[0].share_gdp = 2: …",
     "errors": [{"loc": ["body", "targets", 0, "share_gdp"], "msg": "…", "fix": "…"}]}

A :class:`~buildup.errors.BuildupError` takes its status from the one table in
:mod:`buildup.errors`; a body that fails the request model is a 422 with one entry per fault;
anything unexpected is a 500 that names no internals (and is a bug).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from buildup.errors import BuildupError, http_status

__all__ = ["ErrorBody", "ErrorItem", "ProblemError", "install_handlers", "problem"]

_log = logging.getLogger("buildup.web")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+|[^\]]*)\]")
_SCHEMA_FIX = "see the request schema at /api/v1/openapi.json"


class ErrorItem(BaseModel):
    """One fault: where (a path into the request), what is wrong, how to fix it."""

    model_config = ConfigDict(frozen=True)

    loc: list[str | int]
    msg: str
    fix: str | None = None


class ErrorBody(BaseModel):
    """The body of every error answer."""

    model_config = ConfigDict(frozen=True)

    ok: bool = False
    status: int
    error: str
    errors: list[ErrorItem] = []


class ProblemError(Exception):
    """Raised by the web layer itself: an HTTP status with the one error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        loc: Sequence[str | int] = (),
        fix: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.loc = list(loc)
        self.fix = fix
        self.headers = headers or {}


def problem(
    status: int,
    message: str,
    items: Sequence[ErrorItem] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An error answer in the one shape."""
    body = ErrorBody(status=status, error=message, errors=list(items))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _loc(what: str | None) -> list[str | int]:
    if not what:
        return []
    parts: list[str | int] = []
    for name, index in _PART.findall(what):
        if name:
            parts.append(name)
        elif index.isdigit():
            parts.append(int(index))
        else:
            parts.append(index)
    return parts


def _buildup(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BuildupError)
    status = http_status(exc)
    msg = getattr(exc, "problem", None) or str(exc)
    expected = getattr(exc, "expected", None)
    if expected:
        msg = f"{msg}; expected {expected}" if msg != str(exc) else msg
    item = ErrorItem(loc=_loc(getattr(exc, "what", None)), msg=msg, fix=getattr(exc, "fix", None))
    headers = {"Retry-After": "5"} if status == 503 else None
    return problem(status, " ".join(str(exc).split()), [item], headers)


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = []
    for error in exc.errors():
        loc = [p if isinstance(p, int) else str(p) for p in error.get("loc", ())]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        given = error.get("input")
        if error.get("type") == "extra_forbidden":
            fix = "remove this key or fix its spelling"
        elif error.get("type") == "missing":
            fix = "add this key"
        else:
            fix = _SCHEMA_FIX
        shown = "" if isinstance(given, dict | list) or given is None else f" (given {given!r})"
        items.append(ErrorItem(loc=loc, msg=f"{message}{shown}"[:500], fix=fix))
    first = items[0] if items else None
    where = ".".join(str(p) for p in first.loc) if first else "request"
    headline = f"{where}: {first.msg}" if first else "the request is not valid"
    if len(items) > 1:
        headline += f" (and {len(items) - 1} more)"
    return problem(422, headline, items)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}; see /api/v1/openapi.json for the routes"
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    headers = dict(exc.headers) if exc.headers else None
    return problem(exc.status_code, detail, [ErrorItem(loc=[], msg=detail)], headers)


def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    item = ErrorItem(loc=exc.loc, msg=exc.message, fix=exc.fix)
    return problem(exc.status, exc.message, [item], exc.headers or None)


def _internal(request: Request, exc: Exception) -> JSONResponse:
    _log.exception("internal error on %s %s", request.method, request.url.path)
    message = "internal error (a bug: the server's log has the details; please report it)"
    return problem(500, message, [ErrorItem(loc=[], msg=message)])


def install_handlers(app: FastAPI) -> None:
    """Route every error through the one shape."""
    handlers: dict[Any, Any] = {
        BuildupError: _buildup,
        RequestValidationError: _validation,
        StarletteHTTPException: _http,
        ProblemError: _problem,
        Exception: _internal,
    }
    for cls, handler in handlers.items():
        app.add_exception_handler(cls, handler)
