"""The web pages: server-rendered views of the same resources as the API.

``install(app)`` adds the page routes (each with its ``.json`` twin) and serves the assets —
plotly.js from the installed plotly package, the chart script from ``buildup.report`` and the
site's CSS and script from this package — nothing from another site.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install"]


def install(app: Any) -> None:
    """Add the pages and their assets to ``app`` (a FastAPI app with ``state.stores``)."""
    from buildup.web.pages import analysis, assets, compare, data, home, plan, risk, scenarios

    for module in (assets, home, plan, compare, data, analysis, risk, scenarios):
        app.include_router(module.router)
