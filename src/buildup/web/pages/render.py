"""Rendering pages: the Jinja environment (autoescaped), the page frame, answers as HTML or JSON."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from buildup.web.pages.params import Params, Problem

__all__ = [
    "NAV",
    "KeptOutcomes",
    "environment",
    "example_dir",
    "json_page",
    "kept_outcomes",
    "page",
    "run_plan",
    "store_of",
]

NAV = (
    ("/", "Home"),
    ("/plan", "Plan"),
    ("/compare", "Compare"),
    ("/track", "Track"),
    ("/portfolio", "Portfolio"),
    ("/risk", "Risk"),
    ("/scenarios", "Scenarios"),
    ("/pledges", "Pledges"),
    ("/data", "Data"),
)


@cache
def environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("buildup.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["nav"] = NAV
    return env


def page(
    request: Request,
    template: str,
    *,
    title: str,
    params: Params | None = None,
    problems: tuple[Problem, ...] = (),
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page: the frame (navigation, problems with the parameters, footer) around ``template``."""
    from buildup import __version__

    shown = tuple(params.problems if params is not None else ()) + tuple(problems)
    path = request.url.path
    query = request.url.query
    twin = f"{path.rstrip('/') or '/index'}.json" + (f"?{query}" if query else "")
    if path == "/":
        twin = "/index.json" + (f"?{query}" if query else "")
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            title=title,
            problems=shown,
            path=path,
            query=query,
            json_twin=twin,
            version=__version__,
            markup=Markup,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


def json_page(body: dict[str, Any], params: Params | None = None, status: int = 200) -> Response:
    """A page's ``.json`` twin: the same figures, with the parameters and their problems."""
    if params is not None:
        body = {
            "parameters": dict(params.values),
            "problems": [p.__dict__ for p in params.problems],
            **body,
        }
    from buildup.serialize import dumps

    text = dumps(body, default=str)
    return Response((text + "\n").encode("utf-8"), status, media_type="application/json")


class KeptOutcomes:
    """Finished jobs' outcomes (the objects a page draws its charts from), the newest kept."""

    def __init__(self, keep: int = 32) -> None:
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._keep:
                self._items.popitem(last=False)

    def get(self, key: str) -> Any:
        with self._lock:
            return self._items.get(key)


def kept_outcomes(request: Request, kind: str) -> KeptOutcomes:
    """The app's table of finished ``kind`` jobs' outcomes (risk, pareto)."""
    state = request.app.state
    with _KEPT_LOCK:
        tables: dict[str, KeptOutcomes] = getattr(state, "pages_outcomes", None) or {}
        state.pages_outcomes = tables
        return tables.setdefault(kind, KeptOutcomes())


_KEPT_LOCK = threading.Lock()


def store_of(request: Request) -> Any:
    """This request's view of the app's store: a :class:`~buildup.web.snapshot.StoreSnapshot`
    (the editions read once, each distinct read once per data version)."""
    from buildup.web.snapshot import snapshot_of

    return snapshot_of(request.app.state.stores.get(), getattr(request.app.state, "reads", None))


def example_dir() -> Path | None:
    """The shipped example scenarios: beside the package in a checkout, or inside it."""
    import os

    given = os.environ.get("BUILDUP_EXAMPLES")
    candidates = [Path(given)] if given else []
    here = Path(__file__).resolve()
    candidates += [here.parents[4] / "examples", here.parents[2] / "examples"]
    return next((c for c in candidates if c.is_dir()), None)


def example_names() -> list[str]:
    """The stems of the shipped plan scenarios (``japan-dbp``, …), sorted."""
    folder = example_dir()
    if folder is None:
        return []
    names = []
    for path in sorted(folder.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        # a plan scenario: its own [baseline] or one it extends; a tracking file has a [plan]
        if "\n[plan]" not in text and ("\n[baseline]" in text or "\nextends" in text):
            names.append(path.stem)
    return names


def run_plan(store: Any, scenario: Any, origin: str = "page") -> Any:
    """The engine's plan of ``scenario``, computed once per scenario and data version.

    The key is the scenario's hash under the snapshot's data version, so an import of a new
    edition is never answered from before it.
    """
    from buildup.engine import run
    from buildup.scenario import scenario_hash
    from buildup.web.snapshot import snapshot_of

    view = snapshot_of(store)
    return view.derived(
        ("plan", scenario_hash(scenario), origin), lambda: run(scenario, view, origin)
    )
