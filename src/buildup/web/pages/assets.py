"""The assets of the pages, served from the installed packages with long cache lives."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@cache
def _read(name: str) -> bytes:
    from buildup.report.embed import asset_bytes, plotly_js_path

    if name == "plotly.min.js":
        return Path(plotly_js_path()).read_bytes()
    if name in ("charts.js", "report.css"):
        return asset_bytes(name)
    return resources.files("buildup.web").joinpath("static", name).read_bytes()


_NAMES = frozenset(
    {"plotly.min.js", "charts.js", "report.css", "site.css", "site.js", "plotly-base.css"}
)


@router.get("/static/{name}")
async def asset(name: str) -> Response:
    if name not in _NAMES:
        return Response("no such asset\n", 404, media_type="text/plain; charset=utf-8")
    return Response(
        _read(name),
        media_type=_TYPES[Path(name).suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )
