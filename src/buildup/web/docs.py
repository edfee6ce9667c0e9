"""``/docs``: the API's operations rendered from its own OpenAPI schema, on the server.

No script and nothing from outside: a plain page (the CSP allows only this origin), with each
operation's method, path, summary and parameters, and the link to the schema itself.
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["render_docs"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "code{background:#f3f3f3;padding:0 .2rem}h2{margin-top:2rem}td,th{text-align:left;"
    "padding:.2rem .6rem;vertical-align:top}.m{font-weight:bold;text-transform:uppercase}"
)


def render_docs(schema: dict[str, Any]) -> str:
    """The HTML of the docs page for ``schema``."""
    info = schema.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info.get('title', 'API'))} — docs</title></head><body>",
        f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))}</h1>",
        f"<p>{escape(info.get('summary', ''))}</p>",
        "<p>Schema: <a href='/api/v1/openapi.json'><code>/api/v1/openapi.json</code></a>. "
        "Writes need <code>Authorization: Bearer TOKEN</code> when the server asks for one; "
        "scenario updates need <code>If-Match</code> with the ETag read last.</p>",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append((method, path, op))
    for tag, ops in by_tag.items():
        parts.append(f"<h2>{escape(tag)}</h2><table>")
        for method, path, op in ops:
            params = ", ".join(
                f"{escape(p['name'])} ({escape(p.get('in', ''))})" for p in op.get("parameters", [])
            )
            body = " · JSON body" if "requestBody" in op else ""
            parts.append(
                f"<tr><td class='m'>{escape(method)}</td><td><code>{escape(path)}</code></td>"
                f"<td>{escape(op.get('summary', ''))}<br><small>{params}{body}</small></td></tr>"
            )
        parts.append("</table>")
    parts.append(f"<style>{_STYLE}</style></body></html>")
    return "".join(parts)
