"""What every request and answer passes through: size limit, strict JSON, headers, the token.

- A body over ``max_body_bytes`` is refused with 413 before it is read in full.
- A JSON body must be JSON (no ``NaN``/``Infinity``, which Python's parser would accept);
  a body on the API in another media type is a 415.
- Every answer carries the security headers (CSP, ``nosniff``, frame denial, referrer
  policy); CORS is off unless origins are configured (FastAPI's middleware, added by the app).
- Writes — routes that change what is stored — need ``Authorization: Bearer TOKEN`` when the
  settings say so; the token is compared in constant time.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import Request

from buildup.web.problems import ErrorBody, ErrorItem, ProblemError
from buildup.web.settings import WebSettings

__all__ = ["SECURITY_HEADERS", "GuardMiddleware", "require_token"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_JSON_TYPES = ("application/json", "application/merge-patch+json")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; send a finite number or null")


class GuardMiddleware:
    """A pure ASGI middleware: body limit and strict JSON on the way in, headers on the way out."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {h for h, _ in SECURITY_HEADERS}
                ]
                message["headers"] = [*headers, *SECURITY_HEADERS]
            await send(message)

        try:
            await self._guarded(scope, receive, send_with_headers)
        except Exception:
            # Anything unexpected is a bug: log it, answer the one shape, with the headers.
            logging.getLogger("buildup.web").exception(
                "internal error on %s %s", scope.get("method"), scope.get("path")
            )
            if started:
                raise
            message = "internal error (a bug: the server's log has the details; please report it)"
            body = ErrorBody(status=500, error=message, errors=[ErrorItem(loc=[], msg=message)])
            await self._refuse(send_with_headers, 500, body)

    async def _guarded(self, scope: Scope, receive: Receive, send_with_headers: Send) -> None:
        method = scope.get("method", "GET")
        if method not in _BODY_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await self._refuse(send_with_headers, 413, self._too_large())
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            more = bool(message.get("more_body"))
            if len(body) > self.max_body:
                await self._refuse(send_with_headers, 413, self._too_large())
                return
        fault = _check_body(scope.get("path", ""), headers.get("content-type", ""), bytes(body))
        if fault is not None:
            await self._refuse(send_with_headers, *fault)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    def _too_large(self) -> ErrorBody:
        msg = f"the request body is larger than the limit of {self.max_body:,} bytes"
        return ErrorBody(
            status=413,
            error=msg,
            errors=[ErrorItem(loc=["body"], msg=msg, fix="send a smaller body")],
        )

    async def _refuse(self, send: Send, status: int, body: ErrorBody) -> None:
        payload = json.dumps(body.model_dump(mode="json")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _check_body(path: str, content_type: str, body: bytes) -> tuple[int, ErrorBody] | None:
    if not path.startswith("/api/") or not body:
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _JSON_TYPES:
        shown = media or "none"
        msg = f"the request body's media type is {shown}; send JSON (application/json)"
        item = ErrorItem(loc=["header", "content-type"], msg=msg, fix="set Content-Type")
        return 415, ErrorBody(status=415, error=msg, errors=[item])
    try:
        json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        msg = f"the request body is not valid JSON: {str(exc).splitlines()[0]}"[:300]
        item = ErrorItem(loc=["body"], msg=msg, fix="send a JSON document (UTF-8)")
        return 422, ErrorBody(status=422, error=msg, errors=[item])
    return None


def require_token(request: Request) -> None:
    """A dependency of every write route: the bearer token when the settings ask for one."""
    settings: WebSettings = request.app.state.settings
    if not settings.writes_need_token:
        return
    expected = settings.token
    given = request.headers.get("authorization", "")
    scheme, _, credential = given.partition(" ")
    ok = (
        expected is not None
        and scheme.lower() == "bearer"
        and hmac.compare_digest(credential.strip().encode(), expected.encode())
    )
    if not ok:
        raise ProblemError(
            401,
            "this write needs a bearer token",
            loc=["header", "authorization"],
            fix="send Authorization: Bearer TOKEN (the server's BUILDUP_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )
