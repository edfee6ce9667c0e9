"""A chart as a PNG or SVG file, drawn on the server from the same chart definition as the
interactive chart (and the CLI's PNG): downloads that need no script and no inline style."""

from __future__ import annotations

import io

from fastapi.responses import Response

from buildup.report.figure import Chart

__all__ = ["image_response"]

_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def _draw(chart: Chart, kind: str) -> bytes:
    from buildup.report.static import draw_chart

    figure = draw_chart(chart)
    buffer = io.BytesIO()
    metadata = {"Software": None} if kind == "png" else {"Creator": None, "Date": None}
    figure.savefig(buffer, format=kind, dpi=100, metadata=metadata)
    return buffer.getvalue()


async def image_response(chart: Chart, kind: str, name: str) -> Response:
    from anyio import to_thread

    data = await to_thread.run_sync(_draw, chart, kind)
    return Response(
        data,
        media_type=_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )
