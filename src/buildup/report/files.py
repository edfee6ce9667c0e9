"""Writing charts: the path rules, PNG or self-contained HTML, written atomically."""

from __future__ import annotations

import html
import io
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from buildup.errors import InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["check_chart_path", "save_figure", "simple_page", "svg_body", "write_atomic"]


def check_chart_path(path: Path) -> Path:
    """``path`` if it ends in .png or .html and its folder exists; else a one-line error."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".html"):
        raise InputError(f"chart file must end in .png or .html (given {path.name})")
    if not path.parent.is_dir():
        raise InputError(f"chart folder {path.parent} does not exist; create it first")
    return path


def write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write through ``write`` to a temporary file beside ``path``, then move it into place."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # os.open with 0o666 gives the file the user's umask, as a plain open() would
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def svg_body(svg: str) -> str:
    """The ``<svg>`` element of matplotlib's SVG output, without the XML prologue."""
    return svg[svg.index("<svg") :]


def simple_page(title: str) -> Callable[[str], str]:
    """A page builder: the title as a heading above the chart."""
    escaped = html.escape(title)

    def page(svg: str) -> str:
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escaped}</title></head>"
            f"<body><h1>{escaped}</h1>{svg_body(svg)}</body></html>"
        )

    return page


def save_figure(figure: Figure, path: Path, page: Callable[[str], str]) -> Path:
    """Write ``figure`` to ``path``: a PNG, or ``page(svg)`` as HTML; atomically."""
    path = check_chart_path(path)
    if path.suffix.lower() == ".png":
        write_atomic(path, lambda handle: figure.savefig(handle, format="png", dpi=100))
        return path
    svg = io.StringIO()
    figure.savefig(svg, format="svg", metadata=dict.fromkeys(("Creator", "Date", "Format", "Type")))
    document = page(svg.getvalue()).encode("utf-8")
    write_atomic(path, lambda handle: handle.write(document))
    return path
