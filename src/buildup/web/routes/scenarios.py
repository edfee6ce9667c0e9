"""``/api/v1/scenarios``: saved scenarios with every version kept, no lost update, diffs, runs.

``GET`` gives an ``ETag`` (the version, ``"3"``); ``PUT``, ``PATCH`` (a JSON merge patch,
RFC 7396) and ``DELETE`` need ``If-Match`` with it: a stale one is answered 412, a missing one
428. Every save is a new version; old versions stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response

from buildup.serialize import to_jsonable
from buildup.web.deps import compute, get_repository, json_response
from buildup.web.problems import ProblemError
from buildup.web.schemas import document_body
from buildup.web.security import require_token

__all__ = ["apply_merge_patch", "router"]

router = APIRouter(prefix="/api/v1/scenarios", tags=["scenarios"])

ScenarioId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$", description="The scenario's id.")]
Version = Annotated[int, Path(ge=1, le=2**31 - 1, description="A version number.")]
Message = Annotated[str, Query(max_length=500, description="What this save changes.")]
IfMatch = Annotated[str | None, Header(description='The ETag read last, e.g. "3".')]
Document = Annotated[dict[str, Any], Body()]
_DOC = document_body("A scenario document: the keys of a TOML scenario file, in JSON.")

_BY_ID = {"path.scenario_id": "$response.body#/id"}
_WITH_ETAG = {**_BY_ID, "header.If-Match": "$response.header.ETag"}
_LINKS = {
    "GetScenario": {"operationId": "get_scenario", "parameters": _BY_ID},
    "UpdateScenario": {"operationId": "update_scenario", "parameters": _WITH_ETAG},
    "PatchScenario": {"operationId": "patch_scenario", "parameters": _WITH_ETAG},
    "ListVersions": {"operationId": "list_versions", "parameters": _BY_ID},
    "RunScenario": {"operationId": "run_scenario", "parameters": _BY_ID},
    "DeleteScenario": {"operationId": "delete_scenario", "parameters": _WITH_ETAG},
}


def _etag(version: int) -> str:
    return f'"{version}"'


def _expected_version(if_match: str | None, current: int | None = None) -> int:
    """The version ``If-Match`` names; 428 without one, 412 if it names none we could have."""
    if if_match is None or not if_match.strip():
        raise ProblemError(
            428,
            "this write needs If-Match with the scenario's ETag",
            loc=["header", "if-match"],
            fix='GET the scenario and send its ETag back: If-Match: "3"',
        )
    tags = [t.strip() for t in if_match.split(",")]
    for tag in tags:
        if tag == "*" and current is not None:
            return current
        value = tag.removeprefix("W/").strip('"')
        if value.isdigit() and len(value) < 10:
            return int(value)
    raise ProblemError(
        412,
        f"If-Match {if_match[:60]!r} names no version of this scenario",
        loc=["header", "if-match"],
        fix='send the ETag from the last GET, e.g. If-Match: "3"',
    )


def _summary(saved: Any) -> dict[str, Any]:
    return {
        "id": saved.id,
        "name": saved.name,
        "version": saved.version,
        "spec_hash": saved.spec_hash,
        "created_at": saved.created_at.isoformat() + "Z",
        "updated_at": saved.updated_at.isoformat() + "Z",
        "url": f"/api/v1/scenarios/{saved.id}",
    }


def _version_view(v: Any, *, spec: bool = True) -> dict[str, Any]:
    view = {
        "id": v.scenario_id,
        "version": v.version,
        "name": v.name,
        "spec_hash": v.spec_hash,
        "message": v.message,
        "created_at": v.created_at.isoformat() + "Z",
        "url": f"/api/v1/scenarios/{v.scenario_id}/versions/{v.version}",
    }
    if spec:
        view["spec"] = dict(v.spec)
    return view


def _saved(v: Any, status: int = 200) -> Response:
    headers = {"ETag": _etag(v.version), "Location": f"/api/v1/scenarios/{v.scenario_id}"}
    return json_response(_version_view(v), status, headers=headers)


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge, ``null`` removes a key, anything else replaces.

    >>> apply_merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}})
    {'a': 1, 'b': {'d': 3, 'e': 4}}
    """
    if not isinstance(patch, Mapping):
        return patch
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = apply_merge_patch(out.get(key), value)
    return out


def _repo_call(request: Request, name: str, *args: Any, **kwargs: Any) -> Any:
    return getattr(get_repository(request), name)(*args, **kwargs)


async def _repo(request: Request, name: str, *args: Any, **kwargs: Any) -> Any:
    return await compute(request, lambda _store: _repo_call(request, name, *args, **kwargs))


@router.post(
    "",
    status_code=201,
    summary="Save a new scenario (version 1)",
    operation_id="create_scenario",
    dependencies=[Depends(require_token)],
    responses={201: {"description": "Saved", "links": _LINKS}},
    openapi_extra=_DOC,
)
async def create_scenario(request: Request, scenario: Document, message: Message = "") -> Response:
    return _saved(await _repo(request, "create", scenario, message=message), 201)


@router.get(
    "", summary="Saved scenarios, the most recently saved first", operation_id="list_scenarios"
)
async def list_scenarios(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    items = await _repo(request, "list", limit=limit, offset=offset)
    total = await _repo(request, "count")
    return json_response({"scenarios": [_summary(s) for s in items], "total": total})


async def _version_to_replace(request: Request, scenario_id: str, if_match: str | None) -> int:
    """The version a PUT or DELETE replaces: the one If-Match names, or the current one for
    ``If-Match: *`` (read only then, so a named version costs no extra query)."""
    current = None
    if if_match is not None and if_match.strip() == "*":
        current = (await _repo(request, "get", scenario_id)).version
    return _expected_version(if_match, current)


@router.get(
    "/{scenario_id}", summary="A saved scenario's current version", operation_id="get_scenario"
)
async def get_scenario(request: Request, scenario_id: ScenarioId) -> Response:
    return _saved(await _repo(request, "version", scenario_id))


@router.put(
    "/{scenario_id}",
    summary="Save a new version (If-Match: the version it replaces)",
    operation_id="update_scenario",
    dependencies=[Depends(require_token)],
    openapi_extra=_DOC,
)
async def update_scenario(
    request: Request,
    scenario_id: ScenarioId,
    scenario: Document,
    if_match: IfMatch = None,
    message: Message = "",
) -> Response:
    expected = await _version_to_replace(request, scenario_id, if_match)
    saved = await _repo(
        request, "update", scenario_id, scenario, expected_version=expected, message=message
    )
    return _saved(saved)


@router.patch(
    "/{scenario_id}",
    summary="Change some keys (a JSON merge patch) as a new version (If-Match)",
    operation_id="patch_scenario",
    dependencies=[Depends(require_token)],
)
async def patch_scenario(
    request: Request,
    scenario_id: ScenarioId,
    patch: Annotated[dict[str, Any], Body(description="RFC 7396 merge patch of the scenario.")],
    if_match: IfMatch = None,
    message: Message = "",
) -> Response:
    current = await _repo(request, "version", scenario_id)
    expected = _expected_version(if_match, current.version)
    merged = apply_merge_patch(current.spec, patch)
    saved = await _repo(
        request, "update", scenario_id, merged, expected_version=expected, message=message
    )
    return _saved(saved)


@router.delete(
    "/{scenario_id}",
    status_code=204,
    summary="Delete a scenario with its versions and runs (If-Match)",
    operation_id="delete_scenario",
    dependencies=[Depends(require_token)],
)
async def delete_scenario(
    request: Request, scenario_id: ScenarioId, if_match: IfMatch = None
) -> Response:
    expected = await _version_to_replace(request, scenario_id, if_match)
    await _repo(request, "delete", scenario_id, expected_version=expected)
    return Response(status_code=204)


@router.get(
    "/{scenario_id}/versions", summary="Every version, oldest first", operation_id="list_versions"
)
async def list_versions(request: Request, scenario_id: ScenarioId) -> Response:
    versions = await _repo(request, "versions", scenario_id)
    return json_response(
        {"id": scenario_id, "versions": [_version_view(v, spec=False) for v in versions]}
    )


@router.get("/{scenario_id}/versions/{version}", summary="One version", operation_id="get_version")
async def get_version(request: Request, scenario_id: ScenarioId, version: Version) -> Response:
    v = await _repo(request, "version", scenario_id, version)
    return json_response(_version_view(v), headers={"ETag": _etag(v.version)})


def _diff(store: Any, request: Request, a: Any, b: Any) -> Any:
    from buildup.engine.diff import diff_scenarios

    labels = (f"{a.scenario_id}@{a.version}", f"{b.scenario_id}@{b.version}")
    return diff_scenarios(a.scenario(), b.scenario(), store, labels)


@router.get(
    "/{scenario_id}/diff",
    summary="This scenario (a version of it) against another scenario or another version",
    operation_id="diff_scenario",
)
async def diff_scenario(
    request: Request,
    scenario_id: ScenarioId,
    against: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9a-f]{12}(@[0-9]{1,9})?$|^@?[0-9]{1,9}$",
            description="Another scenario (ID or ID@VERSION) or a version of this one (@2 or 2).",
        ),
    ] = None,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    a = await _repo(request, "version", scenario_id, version)
    if against is None:
        if a.version == 1:
            raise ProblemError(
                422,
                "version 1 has no earlier version to compare with",
                loc=["query", "against"],
                fix="give against=ID, against=ID@VERSION or against=@VERSION",
            )
        other_id, other_version = scenario_id, a.version - 1
    elif "@" in against and not against.startswith("@"):
        other_id, _, number = against.partition("@")
        other_version = int(number)
    elif against.lstrip("@").isdigit() and len(against.lstrip("@")) < 12:
        other_id, other_version = scenario_id, int(against.lstrip("@"))
    else:
        other_id, other_version = against, None
    b = await _repo(request, "version", other_id, other_version)
    # Older first: "B − A" reads as what the later save changed.
    first, second = (b, a) if against is None else (a, b)
    result = await compute(request, _diff, request, first, second)
    return json_response(result)


def _run_plan(store: Any, request: Request, v: Any) -> Any:
    from buildup.engine import run

    outcome = run(v.scenario(), store, f"{v.scenario_id}@{v.version}")
    document = to_jsonable(outcome)
    return get_repository(request).record_run(v.scenario_id, v.version, "plan", document)


def _run_view(r: Any, *, outcome: bool = True) -> dict[str, Any]:
    view = {
        "run_id": r.id,
        "id": r.scenario_id,
        "version": r.version,
        "task": r.task,
        "spec_hash": r.spec_hash,
        "created_at": r.created_at.isoformat() + "Z",
        "url": f"/api/v1/scenarios/{r.scenario_id}/runs/{r.id}",
    }
    if outcome:
        view["outcome"] = dict(r.outcome)
    return view


@router.post(
    "/{scenario_id}/runs",
    status_code=201,
    summary="Plan a saved scenario (its current or a given version) and keep the run",
    operation_id="run_scenario",
    dependencies=[Depends(require_token)],
)
async def run_scenario(
    request: Request,
    scenario_id: ScenarioId,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    v = await _repo(request, "version", scenario_id, version)
    run = await compute(request, _run_plan, request, v)
    return json_response(_run_view(run), 201, headers={"Location": _run_view(run)["url"]})


@router.get(
    "/{scenario_id}/runs", summary="The runs of a scenario, newest first", operation_id="list_runs"
)
async def list_runs(request: Request, scenario_id: ScenarioId) -> Response:
    runs = await _repo(request, "runs", scenario_id)
    return json_response({"id": scenario_id, "runs": [_run_view(r, outcome=False) for r in runs]})


@router.get(
    "/{scenario_id}/runs/{run_id}", summary="One run with its outcome", operation_id="get_run"
)
async def get_run(
    request: Request,
    scenario_id: ScenarioId,
    run_id: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")],
) -> Response:
    return json_response(_run_view(await _repo(request, "run", scenario_id, run_id)))
