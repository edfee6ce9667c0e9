"""The Data page: datasets, editions, sources and licences; upload a newer release.

An upload goes through the same readers and validation as ``buildup data import``; on
failure the one-line error is shown and nothing in the store changes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from buildup.web.pages.params import Problem, read_params
from buildup.web.pages.render import json_page, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

KINDS = {
    "sipri": ("SIPRI workbook (.xlsx)", ".xlsx"),
    "worldbank": ("World Bank WDI CSV", ".csv"),
}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _datasets(store: Any) -> list[dict[str, Any]]:
    from buildup.data.catalogue import load_catalogue

    editions = store.editions()
    out = []
    for dataset in load_catalogue().values():
        mine = editions[editions["dataset"] == dataset.name]
        current = mine[mine["is_current"]]
        out.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "publisher": dataset.publisher,
                "edition": str(current.iloc[0]["edition"]) if len(current) else "",
                "editions": [
                    {
                        "edition": str(r["edition"]),
                        "origin": str(r["origin"]),
                        "rows": int(r["rows"]),
                        "current": bool(r["is_current"]),
                    }
                    for r in mine.to_dict("records")
                ],
                "address": dataset.address,
                "licence": dataset.licence,
                "edition_label": dataset.edition_label,
            }
        )
    return out


@router.get("/data")
async def data_page(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), ())
    datasets = await to_thread.run_sync(_datasets, store_of(request))
    return page(
        request,
        "data.html",
        title="Data",
        params=params,
        datasets=datasets,
        kinds=KINDS,
        result=None,
        error=None,
    )


@router.get("/data.json")
async def data_json(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), ())
    datasets = await to_thread.run_sync(_datasets, store_of(request))
    return json_page({"ok": True, "datasets": datasets}, params)


def _import(store: Any, kind: str, name: str, content: bytes) -> dict[str, Any]:
    from buildup.data.sipri_workbook import read_sipri_workbook
    from buildup.data.worldbank import read_worldbank_csv

    suffix = KINDS[kind][1]
    with tempfile.TemporaryDirectory(prefix="buildup-upload-") as folder:
        path = Path(folder) / (Path(name).name or f"upload{suffix}")
        path.write_bytes(content)
        imported = read_sipri_workbook(path) if kind == "sipri" else read_worldbank_csv(path)
        rows = store.import_edition(imported, replace=False)
    return {
        "dataset": imported.dataset,
        "edition": imported.edition,
        "rows": rows,
        "notes": list(imported.notes),
    }


async def _accept(request: Request, kind: str, upload: Any) -> tuple[str | None, Any]:
    """Validate and import an upload: (the one-line error, None) or (None, what was imported)."""
    from anyio import to_thread

    from buildup.errors import BuildupError

    if kind not in KINDS:
        return f"kind {kind!r}: choose one of {', '.join(KINDS)}", None
    if upload is None or isinstance(upload, str) or not upload.filename:
        return "file: choose a file to upload", None
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        return f"file: larger than {MAX_UPLOAD_BYTES // 2**20} MiB; nothing was imported", None
    try:
        result = await to_thread.run_sync(
            _import, store_of(request), kind, upload.filename, content
        )
    except BuildupError as exc:
        return " ".join(str(exc).strip().splitlines()[0].split()), None
    return None, result


@router.post("/data/upload")
async def upload(request: Request) -> Response:
    from anyio import to_thread

    async with request.form(max_files=1, max_fields=10) as form:
        kind = str(form.get("kind", ""))
        upload = form.get("file")
        error, result = await _accept(request, kind, upload)
    datasets = await to_thread.run_sync(_datasets, store_of(request))
    problems = (Problem("file", "", error),) if error else ()
    wants_json = "application/json" in request.headers.get("accept", "")
    if wants_json:
        body = {
            "ok": error is None,
            "status": 422 if error else 200,
            "error": error,
            "imported": result,
        }
        return json_page(body, status=422 if error else 200)
    return page(
        request,
        "data.html",
        title="Data",
        problems=problems,
        datasets=datasets,
        kinds=KINDS,
        result=result,
        error=error,
        status=422 if error else 200,
    )
