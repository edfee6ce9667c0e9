"""The Scenarios pages: list, open, edit (a form and the TOML side by side), save (every save a
version, no lost update), the version history, and a diff of any two versions.

The saved scenarios live in the app's repository (``app.state.repository``, web's store);
writes follow the API's rules: the bearer token when the server asks for one, and the version
the edit started from (a stale one is refused, the edit shown again, nothing lost).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from buildup.web.pages.params import Param, Problem, integer, read_params
from buildup.web.pages.render import example_dir, example_names, json_page, page, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MAX_TOML_CHARS = 200_000


def _repository(request: Request) -> Any:
    return getattr(request.app.state, "repository", None)


def _write_allowed(request: Request) -> str | None:
    """None, or why this write is refused (the API's token rule)."""
    settings = getattr(request.app.state, "settings", None)
    if settings is None or not getattr(settings, "writes_need_token", False):
        return None
    from buildup.web.security import require_token  # type: ignore[import-untyped,unused-ignore]

    try:
        require_token(request)
    except Exception:  # the API's ProblemError: a 401 for this request
        return "saving needs the server's bearer token (send Authorization: Bearer TOKEN)"
    return None


def _to_toml(document: dict[str, Any]) -> str:
    """The saved document as TOML text (read back by ``tomllib`` to the same data); a parent
    it extends is written as nested tables (``[extends]``, ``[extends.baseline]``, …)."""
    flat = _drop_none({k: v for k, v in document.items() if k != "origin"})
    return "\n".join(_table_lines(flat, ())).lstrip("\n") + "\n"


def _table_lines(table: dict[str, Any], path: tuple[str, ...]) -> list[str]:
    lines = [f"{_key(k)} = {_value(v)}" for k, v in table.items() if not _is_table(v)]
    for key, value in table.items():
        name = ".".join(_key(p) for p in (*path, key))
        if isinstance(value, dict):
            lines += ["", f"[{name}]", *_table_lines(value, (*path, key))]
        elif _is_table(value):
            for item in value:
                lines += ["", f"[[{name}]]"]
                lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
    return lines


def _is_table(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: Any) -> str:
    import json
    import re

    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text)


def _value(value: Any) -> str:
    import json
    import math

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a saved scenario holds only finite numbers")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _parse(text: str) -> dict[str, Any]:
    from buildup.errors import ScenarioError

    if len(text) > MAX_TOML_CHARS:
        raise ScenarioError(f"toml: longer than {MAX_TOML_CHARS:,} characters")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"toml: not valid TOML: {exc}") from None


def _with_form(document: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The TOML's document with the form's fields applied where they were changed."""
    out = dict(document)
    for key in ("name", "description", "country"):
        value = form.get(key, "").strip()
        if value and value != str(document.get(key, "")):
            out[key] = value
    share, year = form.get("target_share", "").strip(), form.get("target_year", "").strip()
    # Targets inherited from the parent: an edit of the first sets the list here (a child's
    # list replaces its parent's), never silently nothing.
    targets = [dict(t) for t in _inherited(document, "targets") or []]
    if targets and (share or year):
        first = targets[0]
        if share:
            fraction = float(share) / 100
            old = first.get("share_gdp")
            if old is None or abs(fraction - float(old)) > 1e-12:
                first["share_gdp"] = fraction
                first.pop("amount", None)
        if year and int(year) != first.get("year"):
            first["year"] = int(year)
        out["targets"] = targets
    return out


def _inherited(document: Any, key: str) -> Any:
    """``key`` of the document, or of the nearest parent it extends that sets it."""
    level = document
    while isinstance(level, Mapping):
        if level.get(key) is not None:
            return level[key]
        level = level.get("extends")
    return None


def _document_of(text: str, form: dict[str, str]) -> dict[str, Any]:
    """The scenario document to save from TOML text (a shipped example's when it is empty).

    A file that ``extends`` another is saved with its parent nested in it (``extends`` as a
    table: the API's scenario document), not flattened: the keys the file sets itself keep
    beating those it inherits, as they do in the CLI. An ``extends`` given as a file name may
    only name a shipped example (never a path on the server).
    """
    from buildup.errors import ScenarioError
    from buildup.scenario.load import read_scenario_document

    folder, names = example_dir(), example_names()
    if not text.strip() and form.get("example"):
        if folder is None or form["example"] not in names:
            raise ScenarioError(f"example: not one of {', '.join(names)}")
        return _with_form(read_scenario_document(folder / f"{form['example']}.toml"), form)
    document = _parse(text)
    parent = document.get("extends")
    if isinstance(parent, str):
        shipped = {f"{n}.toml" for n in names}
        if folder is None or parent not in shipped:
            raise ScenarioError(
                f"extends: {parent!r} is not a shipped example; name one of "
                f"{', '.join(sorted(shipped))}, or give the parent as an [extends] table"
            )
        document["extends"] = read_scenario_document(folder / parent)
    return _with_form(document, form)


def _validate(document: dict[str, Any]) -> Any:
    from buildup.scenario.load import scenario_from_document

    return scenario_from_document(document, "the edit")


def _list_context(repo: Any) -> dict[str, Any]:
    items = repo.list(limit=200) if repo is not None else ()
    return {"items": items}


@router.get("/scenarios")
async def scenarios_page(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), ())
    repo = _repository(request)
    context = await to_thread.run_sync(_list_context, repo)
    return page(
        request,
        "scenarios.html",
        title="Scenarios",
        params=params,
        repo=repo,
        examples=example_names(),
        **context,
    )


@router.get("/scenarios.json")
async def scenarios_json(request: Request) -> Response:
    from anyio import to_thread

    params = read_params(list(request.query_params.multi_items()), ())
    context = await to_thread.run_sync(_list_context, _repository(request))
    items = [
        {"id": s.id, "name": s.name, "version": s.version, "updated_at": s.updated_at.isoformat()}
        for s in context["items"]
    ]
    return json_page({"ok": True, "scenarios": items}, params)


@router.post("/scenarios/new")
async def create(request: Request) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    async with request.form(max_files=0, max_fields=20) as form:
        fields = {k: str(v) for k, v in form.items()}
    repo = _repository(request)
    refused = _write_allowed(request) or (None if repo is not None else "no scenario store")
    problems: tuple[Problem, ...] = ()
    if refused is None:
        try:
            document = _document_of(fields.get("toml", ""), fields)
            _validate(document)
            saved = await to_thread.run_sync(
                lambda: repo.create(document, message=fields.get("message", "")[:500])
            )
            return RedirectResponse(f"/scenarios/{saved.scenario_id}", status_code=303)
        except (BuildupError, ValueError) as exc:
            problems = (Problem("scenario", "", " ".join(str(exc).splitlines()[0].split())),)
    else:
        problems = (Problem("save", "", refused),)
    context = await to_thread.run_sync(_list_context, repo)
    return page(
        request,
        "scenarios.html",
        title="Scenarios",
        problems=problems,
        repo=repo,
        examples=example_names(),
        status=422 if refused is None else 401,
        **context,
    )


DETAIL_PARAMS = (Param("version", integer(1, 2**31 - 1), None, "a version to open"),)


def _detail(repo: Any, scenario_id: str, version: int | None) -> dict[str, Any]:
    saved = repo.get(scenario_id)
    shown = repo.version(scenario_id, version)
    return {
        "saved": saved,
        "shown": shown,
        "versions": repo.versions(scenario_id),
        "toml": _to_toml(dict(shown.spec)),
    }


def _first_target(spec: Any) -> dict[str, Any]:
    targets = list(_inherited(dict(spec), "targets") or [])
    return dict(targets[0]) if targets else {}


# before the page's route, whose {scenario_id} would match "ID.json" too
@router.get("/scenarios/{scenario_id}.json")
async def scenario_json(request: Request, scenario_id: str) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    params = read_params(list(request.query_params.multi_items()), DETAIL_PARAMS)
    try:
        context = await to_thread.run_sync(
            _detail, _repository(request), scenario_id, params["version"]
        )
    except BuildupError as exc:
        return json_page({"ok": False, "status": 404, "error": str(exc)}, params, 404)
    shown = context["shown"]
    return json_page(
        {
            "ok": True,
            "id": scenario_id,
            "version": shown.version,
            "current_version": context["saved"].version,
            "scenario": dict(shown.spec),
            "versions": [
                {"version": v.version, "message": v.message, "created_at": v.created_at.isoformat()}
                for v in context["versions"]
            ],
        },
        params,
    )


@router.get("/scenarios/{scenario_id}")
async def scenario_page(request: Request, scenario_id: str) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    params = read_params(list(request.query_params.multi_items()), DETAIL_PARAMS)
    repo = _repository(request)
    try:
        context = await to_thread.run_sync(_detail, repo, scenario_id, params["version"])
    except BuildupError as exc:
        return page(
            request,
            "scenarios.html",
            title="Scenarios",
            params=params,
            repo=repo,
            problems=(Problem("scenario", scenario_id, str(exc).splitlines()[0]),),
            examples=example_names(),
            items=(),
            status=404,
        )
    return page(
        request,
        "scenario.html",
        title=context["saved"].name,
        params=params,
        first=_first_target(context["shown"].spec),
        edit=None,
        **context,
    )


@router.post("/scenarios/{scenario_id}/save")
async def save(request: Request, scenario_id: str) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    async with request.form(max_files=0, max_fields=20) as form:
        fields = {k: str(v) for k, v in form.items()}
    repo = _repository(request)
    refused = _write_allowed(request)
    problems: list[Problem] = []
    status = 422
    if refused is not None:
        problems.append(Problem("save", "", refused))
        status = 401
    else:
        try:
            expected = int(fields.get("expected_version", ""))
            document = _document_of(fields.get("toml", ""), {**fields, "example": ""})
            _validate(document)
            await to_thread.run_sync(
                lambda: repo.update(
                    scenario_id,
                    document,
                    expected_version=expected,
                    message=fields.get("message", "")[:500],
                )
            )
            return RedirectResponse(f"/scenarios/{scenario_id}", status_code=303)
        except (BuildupError, ValueError) as exc:
            text = " ".join(str(exc).splitlines()[0].split())
            if "version" in text and ("stale" in text or "now" in text or "current" in text):
                status = 412
                text += (
                    " — your edit is kept below: review it against the new version and save again"
                )
            problems.append(Problem("scenario", "", text))
    try:
        context = await to_thread.run_sync(_detail, repo, scenario_id, None)
    except BuildupError as exc:
        return page(
            request,
            "scenarios.html",
            title="Scenarios",
            repo=repo,
            items=(),
            problems=(Problem("scenario", scenario_id, str(exc).splitlines()[0]),),
            examples=example_names(),
            status=404,
        )
    context["toml"] = fields.get("toml", context["toml"])  # the edit is never lost
    if status == 412:  # a second, deliberate save goes onto the version now current
        fields = {**fields, "expected_version": str(context["saved"].version)}
    return page(
        request,
        "scenario.html",
        title=context["saved"].name,
        problems=tuple(problems),
        first=_first_target(context["shown"].spec),
        edit=fields,
        status=status,
        **context,
    )


DIFF_PARAMS = (
    Param("a", integer(1, 2**31 - 1), None, "the earlier version"),
    Param("b", integer(1, 2**31 - 1), None, "the later version"),
)


def _diff(store: Any, repo: Any, scenario_id: str, a: int | None, b: int | None) -> dict[str, Any]:
    from buildup.engine.diff import diff_scenarios

    saved = repo.get(scenario_id)
    b = b or saved.version
    a = a or max(b - 1, 1)
    first, second = repo.version(scenario_id, a), repo.version(scenario_id, b)
    result = diff_scenarios(
        first.scenario(), second.scenario(), store, (f"version {a}", f"version {b}")
    )
    return {"saved": saved, "a": a, "b": b, "diff": result, "versions": repo.versions(scenario_id)}


@router.get("/scenarios/{scenario_id}/diff")
async def diff_page(request: Request, scenario_id: str) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    params = read_params(list(request.query_params.multi_items()), DIFF_PARAMS)
    repo = _repository(request)
    try:
        context = await to_thread.run_sync(
            _diff, store_of(request), repo, scenario_id, params["a"], params["b"]
        )
    except BuildupError as exc:
        return page(
            request,
            "scenarios.html",
            title="Scenarios",
            params=params,
            repo=repo,
            items=(),
            examples=example_names(),
            problems=(Problem("diff", "", str(exc).splitlines()[0]),),
            status=404,
        )
    return page(
        request, "diff.html", title=f"Diff — {context['saved'].name}", params=params, **context
    )


@router.get("/scenarios/{scenario_id}/diff.json")
async def diff_json(request: Request, scenario_id: str) -> Response:
    from anyio import to_thread

    from buildup.errors import BuildupError

    params = read_params(list(request.query_params.multi_items()), DIFF_PARAMS)
    try:
        context = await to_thread.run_sync(
            _diff, store_of(request), _repository(request), scenario_id, params["a"], params["b"]
        )
    except BuildupError as exc:
        return json_page({"ok": False, "status": 404, "error": str(exc)}, params, 404)
    return json_page({"ok": True, "diff": context["diff"]}, params)
