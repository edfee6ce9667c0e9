"""``buildup serve``: the web API under uvicorn, on loopback unless told otherwise (and safe)."""

from __future__ import annotations

import os

import typer

from buildup.cli.common import DbOption

__all__ = ["serve"]


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (PostgreSQL only)."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler tcp://HOST:PORT for jobs."
    ),
    job_workers: int = typer.Option(2, "--job-workers", min=1, max=64, help="Jobs run at once."),
    cors_origin: list[str] = typer.Option(
        None, "--cors-origin", help="Allow this origin (CORS is off without one); repeat."
    ),
    db: DbOption = None,
) -> None:
    """Serve the JSON API (/api/v1, docs at /docs). Writes need BUILDUP_TOKEN off loopback."""
    import uvicorn

    from buildup.errors import InputError
    from buildup.web.settings import DATABASE_URL_ENV, TOKEN_ENV, WebSettings, is_loopback

    settings = WebSettings.from_env(
        host=host,
        port=port,
        db_path=str(db) if db is not None else None,
        scheduler=scheduler,
        job_workers=job_workers,
        cors_origins=tuple(cors_origin or ()),
    )
    if not is_loopback(host) and not settings.token:
        raise InputError(
            what="host",
            given=host,
            problem="a server reachable from other machines needs a token for writes",
            fix=f"set {TOKEN_ENV} to a long random secret, or bind to 127.0.0.1",
        )
    if workers > 1 and settings.database_url is None:
        raise InputError(
            what="workers",
            given=workers,
            problem="the embedded DuckDB store allows one writing process",
            fix=f"serve with one worker, or put the store in PostgreSQL ({DATABASE_URL_ENV})",
        )
    typer.echo(
        f"buildup: serving http://{host}:{port}/api/v1 (docs at /docs); "
        f"writes {'need the token' if settings.writes_need_token else 'open on loopback'}",
        err=True,
    )
    if workers > 1:
        os.environ["BUILDUP_WEB_SETTINGS"] = settings.model_dump_json()
        uvicorn.run(
            "buildup.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    from buildup.web import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
