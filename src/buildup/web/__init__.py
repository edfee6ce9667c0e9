"""The web interface: a JSON API under ``/api/v1`` (FastAPI), made by :func:`create_app`.

Each route parses its input into the same models the CLI reads, makes one engine call and
renders the outcome as the CLI's JSON or CSV. ``buildup serve`` runs it under uvicorn.
"""

from __future__ import annotations

from buildup.web.app import create_app
from buildup.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
