"""The README's curl session, step by step against a real server: plan, save, update, diff."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.web.conftest import EXAMPLES

from buildup.scenario import read_scenario_document

README = Path(__file__).parents[2] / "README.md"


def _call(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_the_readme_session(server: tuple[str, Path]) -> None:
    base = server[0] + "/api/v1"
    text = README.read_text(encoding="utf-8")
    assert "buildup scenario examples/japan-dbp.toml > dbp.json" in text
    assert re.search(r"If-Match: \"1\"", text)
    dbp = read_scenario_document(EXAMPLES / "japan-dbp.toml")
    accelerated = read_scenario_document(EXAMPLES / "japan-accelerated.toml")
    status, _, plan = _call("POST", f"{base}/plan", dbp)
    assert status == 200
    assert [t["year"] for t in plan["targets"]] == [2027]
    status, headers, saved = _call("POST", f"{base}/scenarios?message=programme", dbp)
    assert (status, headers["etag"]) == (201, '"1"')
    assert headers["location"] == f"/api/v1/scenarios/{saved['id']}"
    url = f"{base}/scenarios/{saved['id']}"
    status, _, updated = _call("PUT", url, accelerated, {"If-Match": '"1"'})
    assert (status, updated["version"]) == (200, 2)
    status, _, refused = _call("PUT", url, accelerated, {"If-Match": '"1"'})
    assert status == 412
    assert "its version is 2" in refused["error"]
    status, _, diff = _call("GET", f"{url}/diff")
    assert status == 200
    moved = [y for y in diff["years"] if y["spending_diff"]]
    # The one change in spending: the FY2025 supplementary the accelerated file adds.
    assert [(y["year"], y["definition"], y["spending_diff"]) for y in moved] == [
        (2025, "defense_related", 1.1e12)
    ]
