"""Saving a shipped example that ``extends`` another from the Scenarios page (issue 14).

It is saved with its parent nested (``extends`` as a table, the API's scenario document), so
that its plan is the CLI's plan of the file — not a flattened copy whose own keys no longer
beat the inherited ones.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import CliResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _created_id(client: TestClient, data: dict[str, str]) -> str:
    answer = client.post("/scenarios/new", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text[-600:]
    found = re.fullmatch(r"/scenarios/([0-9a-f]+)", answer.headers["location"])
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("example", ["japan-3.5pct-2035", "japan-accelerated"])
def test_an_example_that_extends_another_saves_and_plans_as_the_cli(
    client: TestClient, cli: Callable[..., CliResult], example: str
) -> None:
    scenario_id = _created_id(client, {"example": example, "message": "from the example"})
    saved = client.get(f"/scenarios/{scenario_id}.json").json()["scenario"]
    assert isinstance(saved["extends"], dict)  # the parent, nested
    assert saved["extends"]["origin"] == "japan-dbp.toml"
    ran = client.post(f"/api/v1/scenarios/{scenario_id}/runs")
    assert ran.status_code == 201, ran.text
    via_cli = cli("plan", str(EXAMPLES / f"{example}.toml"), "--format", "json")
    assert via_cli.code == 0, via_cli.err
    plan, expected = ran.json()["outcome"], json.loads(via_cli.out)
    assert plan["years"] == expected["years"]
    assert plan["targets"] == expected["targets"]


def test_the_saved_toml_reads_back_and_an_edit_of_an_inherited_target_is_kept(
    client: TestClient,
) -> None:
    scenario_id = _created_id(client, {"example": "japan-accelerated"})
    page = client.get(f"/scenarios/{scenario_id}").text
    area = re.search(r'<textarea[^>]*id="e-toml"[^>]*>(.*?)</textarea>', page, re.S)
    assert area is not None
    import html

    text = html.unescape(area.group(1))
    document = tomllib.loads(text)
    assert "extends" in document
    assert "[extends]" in text
    # the first target's share, set in the form, lands in the child even if inherited
    saved = client.post(
        f"/scenarios/{scenario_id}/save",
        data={"toml": text, "expected_version": "1", "target_share": "2.5"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[-600:]
    now = client.get(f"/scenarios/{scenario_id}.json").json()
    assert now["version"] == 2
    assert now["scenario"]["targets"][0]["share_gdp"] == pytest.approx(0.025)


@pytest.mark.parametrize("parent", ["/etc/passwd", "../pyproject.toml", "nowhere.toml"])
def test_extends_names_only_a_shipped_example(client: TestClient, parent: str) -> None:
    text = f'extends = "{parent}"\nname = "x"\n'
    answer = client.post("/scenarios/new", data={"toml": text})
    assert answer.status_code == 422
    assert "is not a shipped example" in answer.text
    assert client.get("/scenarios.json").json()["scenarios"] == []  # nothing saved


def test_pasted_toml_may_extend_a_shipped_example(client: TestClient) -> None:
    text = 'extends = "japan-dbp.toml"\nname = "DBP, pasted"\n'
    scenario_id = _created_id(client, {"toml": text})
    saved = client.get(f"/scenarios/{scenario_id}.json").json()["scenario"]
    assert saved["name"] == "DBP, pasted"
    assert saved["extends"]["origin"] == "japan-dbp.toml"
