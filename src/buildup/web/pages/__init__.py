"""The web pages: server-rendered views of the same resources as the API.

``install(app)`` adds the page routes (each with its ``.json`` twin) and serves the assets —
plotly.js from the installed plotly package, the chart script from ``buildup.report`` and the
site's CSS and script from this package — nothing from another site.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install", "preload"]

# What a page's first answer would otherwise import (half a second of it for Plan): the
# engine, the comparisons, the chart definitions and the templates.
_PRELOAD = (
    "buildup.engine",
    "buildup.engine.quick",
    "buildup.compare",
    "buildup.report.embed",
    "buildup.report.plan_figure",
    "buildup.report.plan_view",
    "buildup.report.compare_figure",
    "buildup.report.risk_figure",
    "buildup.report.track_figure",
)
_TEMPLATES = ("home.html", "plan.html", "compare.html", "explain.html")


def install(app: Any) -> None:
    """Add the pages and their assets to ``app`` (a FastAPI app with ``state.stores``)."""
    from buildup.web.pages import (
        analysis,
        assets,
        compare,
        data,
        home,
        plan,
        pledges,
        risk,
        scenarios,
    )

    for module in (assets, home, plan, compare, data, analysis, risk, scenarios, pledges):
        app.include_router(module.router)


def preload() -> None:
    """Import what the pages compute with and compile their templates (at server start, off
    the event loop), so that the first visitor is not the one who waits for it."""
    import importlib

    from buildup.web.pages.render import environment

    for name in _PRELOAD:
        importlib.import_module(name)
    for template in _TEMPLATES:
        environment().get_template(template)
