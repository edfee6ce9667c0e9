"""The web server's settings: one frozen model, from options and the environment.

``BUILDUP_DATABASE_URL`` (``postgresql://…``) puts datasets and saved scenarios in
PostgreSQL; otherwise the embedded DuckDB file (``BUILDUP_DB`` or the default path) is used.
``BUILDUP_TOKEN`` is the bearer token that writes need; it is required when the server is
not bound to a loopback address.
"""

from __future__ import annotations

import ipaddress
import os

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DATABASE_URL_ENV", "TOKEN_ENV", "WebSettings", "is_loopback"]

DATABASE_URL_ENV = "BUILDUP_DATABASE_URL"
TOKEN_ENV = "BUILDUP_TOKEN"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.strip().lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class WebSettings(BaseModel):
    """How the app is built: where its store is, what it allows, how much work it takes.

    Sizes in bytes, times in seconds [s].
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    database_url: str | None = None  # postgresql://… ; None: the DuckDB file below
    db_path: str | None = None  # the DuckDB file (None: $BUILDUP_DB or the default)
    token: str | None = None  # bearer token for writes
    max_body_bytes: int = Field(default=1_000_000, ge=1_024)
    request_time_limit_s: float = Field(default=30.0, gt=0)
    job_time_limit_s: float = Field(default=900.0, gt=0)
    job_workers: int = Field(default=2, ge=1, le=64)
    job_queue: int = Field(default=8, ge=0, le=10_000)  # jobs waiting beyond the running ones
    job_keep: int = Field(default=200, ge=1)  # finished jobs kept for GET
    cors_origins: tuple[str, ...] = ()  # CORS off unless origins are given
    scheduler: str | None = None  # a Dask scheduler for jobs (tcp://HOST:PORT)
    max_draws: int = Field(default=5_000_000, ge=1)
    cache_size: int = Field(default=512, ge=0)  # answers kept for identical requests; 0: none

    @property
    def writes_need_token(self) -> bool:
        """Writes need the bearer token when one is set or the host is not loopback."""
        return self.token is not None or not is_loopback(self.host)

    @classmethod
    def from_env(cls, **given: object) -> WebSettings:
        """Settings from the given values, then ``BUILDUP_DATABASE_URL`` and ``BUILDUP_TOKEN``."""
        values = {k: v for k, v in given.items() if v is not None}
        url = os.environ.get(DATABASE_URL_ENV, "")
        if url and "database_url" not in values:
            values["database_url"] = url
        token = os.environ.get(TOKEN_ENV, "")
        if token and "token" not in values:
            values["token"] = token
        return cls.model_validate(values)
