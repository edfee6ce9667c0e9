"""A chart as HTML: the figure element, its Plotly JSON and its downloads.

The markup is the same in a web page and in a report; ``charts.js`` (shipped beside this
module) draws it. Data travels in ``<script type="application/json">`` blocks, which a browser
never runs, so a content-security policy without inline scripts holds.
"""

from __future__ import annotations

import html
import importlib.util
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from buildup.errors import BuildupError
from buildup.report.figure import Chart, chart_csv, to_plotly

__all__ = ["asset_bytes", "chart_html", "json_block", "plotly_js_path"]


def json_block(element_id: str, value: Any) -> str:
    """``value`` as a JSON data block that no text in it can close or turn into markup."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{html.escape(element_id)}">{text}</script>'


def chart_html(
    chart: Chart,
    element_id: str,
    *,
    full_csv_href: str | None = None,
    image_href: str | None = None,
) -> str:
    """The figure element for ``chart``: plot area, caption (the source line), downloads.

    ``full_csv_href`` links the CSV of the full series (a page's ``.csv`` twin); without it
    the chart's own CSV is embedded and downloaded from the page (a report has no server).
    ``image_href`` (``/plan.{format}?…``, with ``{format}`` for png or svg) serves the images
    from the server, drawn from the same chart definition; without it the browser draws them.
    """
    e = html.escape
    figure = to_plotly(chart)
    name = e(chart.key)
    blocks = [json_block(f"{element_id}-figure", figure)]
    if full_csv_href is None:
        blocks.append(json_block(f"{element_id}-csv", chart_csv(chart)))
        full = '<button type="button" data-download="csv-full">CSV (full series)</button>'
    else:
        full = (
            f'<a class="button" data-full-csv href="{e(full_csv_href)}" download>'
            "CSV (full series)</a>"
        )
    source = "<br>".join(e(line) for line in chart.source.split("\n") if line)
    return (
        f'<figure class="chart" data-chart="{e(element_id)}" data-filename="{name}" '
        f'aria-labelledby="{e(element_id)}-title">'
        f'<figcaption id="{e(element_id)}-title" class="chart-title">{e(chart.title)}'
        f"{'<span> — ' + e(chart.subtitle) + '</span>' if chart.subtitle else ''}</figcaption>"
        f'<div class="plot" role="img" aria-label="{e(chart.title)}: interactive chart"></div>'
        f'<p class="source">{source}</p>'
        f'<div class="downloads" role="group" aria-label="Download {e(chart.title)}">'
        f"{_images(image_href)}"
        '<button type="button" data-download="csv-shown">CSV (what is shown)</button>'
        f"{full}</div>{''.join(blocks)}</figure>"
    )


def _images(image_href: str | None) -> str:
    if image_href is None:
        return (
            '<button type="button" data-download="png">PNG</button>'
            '<button type="button" data-download="svg">SVG</button>'
        )
    return "".join(
        f'<a class="button" href="{html.escape(image_href.format(format=kind))}" download '
        f'data-image="{kind}">{kind.upper()}</a>'
        for kind in ("png", "svg")
    )


@cache
def asset_bytes(name: str) -> bytes:
    """A file shipped in ``buildup/report/assets`` (``charts.js``, ``report.css``)."""
    return resources.files("buildup.report").joinpath("assets", name).read_bytes()


def plotly_js_path() -> str:
    """The path of ``plotly.min.js`` inside the installed plotly package (no CDN)."""
    spec = importlib.util.find_spec("plotly")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise BuildupError("plotly is not installed: reinstall buildup (make setup)")
    return str(Path(spec.origin).parent / "package_data" / "plotly.min.js")
