"""Saved scenarios over HTTP: ETag and If-Match (412/428), versions, diff, runs, the token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import scenario_json


def _create(client: TestClient, name: str = "japan-dbp.toml") -> tuple[str, str]:
    answer = client.post("/api/v1/scenarios?message=first", json=scenario_json(name))
    assert answer.status_code == 201, answer.text
    assert answer.headers["etag"] == '"1"'
    body = answer.json()
    assert answer.headers["location"] == f"/api/v1/scenarios/{body['id']}"
    return body["id"], answer.headers["etag"]


def test_create_read_update_with_if_match(client: TestClient) -> None:
    sid, etag = _create(client)
    read = client.get(f"/api/v1/scenarios/{sid}")
    assert read.status_code == 200
    assert read.headers["etag"] == etag
    assert read.json()["spec"] == scenario_json("japan-dbp.toml")
    changed = scenario_json("japan-accelerated.toml")
    put = client.put(f"/api/v1/scenarios/{sid}", json=changed, headers={"If-Match": etag})
    assert put.status_code == 200, put.text
    assert put.headers["etag"] == '"2"'
    assert put.json()["version"] == 2
    versions = client.get(f"/api/v1/scenarios/{sid}/versions").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    old = client.get(f"/api/v1/scenarios/{sid}/versions/1")
    assert old.json()["spec"] == scenario_json("japan-dbp.toml")
    assert old.headers["etag"] == '"1"'
    listed = client.get("/api/v1/scenarios").json()
    assert listed["total"] == 1
    assert listed["scenarios"][0]["version"] == 2


def test_stale_if_match_is_412_and_missing_is_428(client: TestClient) -> None:
    sid, etag = _create(client)
    body = scenario_json("japan-accelerated.toml")
    assert (
        client.put(f"/api/v1/scenarios/{sid}", json=body, headers={"If-Match": etag}).status_code
        == 200
    )
    stale = client.put(f"/api/v1/scenarios/{sid}", json=body, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["ok"] is False
    assert "version is 2" in stale.json()["error"]
    missing = client.put(f"/api/v1/scenarios/{sid}", json=body)
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["loc"] == ["header", "if-match"]
    assert client.delete(f"/api/v1/scenarios/{sid}").status_code == 428
    assert client.delete(f"/api/v1/scenarios/{sid}", headers={"If-Match": '"1"'}).status_code == 412
    assert client.patch(f"/api/v1/scenarios/{sid}", json={"name": "x"}).status_code == 428
    garbage = client.put(f"/api/v1/scenarios/{sid}", json=body, headers={"If-Match": "nonsense"})
    assert garbage.status_code == 412
    # Nothing was written by any refused request.
    assert [
        v["version"] for v in client.get(f"/api/v1/scenarios/{sid}/versions").json()["versions"]
    ] == [1, 2]


def test_patch_is_a_merge_patch_and_a_new_version(client: TestClient) -> None:
    sid, etag = _create(client)
    patch = {"name": "patched", "path": {"max_real_growth": 0.2}}
    answer = client.patch(
        f"/api/v1/scenarios/{sid}",
        json=patch,
        headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"},
    )
    assert answer.status_code == 200, answer.text
    spec = answer.json()["spec"]
    assert spec["name"] == "patched"
    assert spec["path"]["max_real_growth"] == 0.2
    assert spec["country"] == scenario_json("japan-dbp.toml")["country"]  # untouched keys stay
    bad = client.patch(
        f"/api/v1/scenarios/{sid}",
        json={"targets": [{"year": 2027, "share_gdp": 2}]},
        headers={"If-Match": '"2"'},
    )
    assert bad.status_code == 422
    assert "percent" in bad.text or "fraction" in bad.text


def test_delete_with_if_match(client: TestClient) -> None:
    sid, etag = _create(client)
    assert client.delete(f"/api/v1/scenarios/{sid}", headers={"If-Match": etag}).status_code == 204
    gone = client.get(f"/api/v1/scenarios/{sid}")
    assert gone.status_code == 404
    assert gone.json()["status"] == 404


def test_diff_two_versions_and_two_scenarios(client: TestClient) -> None:
    sid, etag = _create(client)
    client.put(
        f"/api/v1/scenarios/{sid}",
        json=scenario_json("japan-accelerated.toml"),
        headers={"If-Match": etag},
    )
    previous = client.get(f"/api/v1/scenarios/{sid}/diff")
    assert previous.status_code == 200, previous.text
    body = previous.json()
    assert body["a"]["label"] == f"{sid}@1"
    assert body["b"]["label"] == f"{sid}@2"
    assert any(k["key"].startswith("components[supplementary]") for k in body["keys"])
    explicit = client.get(f"/api/v1/scenarios/{sid}/diff?version=1&against=@2")
    assert explicit.json()["keys"] == body["keys"]
    other, _ = _create(client, "japan-3.5pct-2035.toml")
    across = client.get(f"/api/v1/scenarios/{sid}/diff?against={other}@1")
    assert across.status_code == 200
    assert across.json()["b"]["label"] == f"{other}@1"
    first = client.get(f"/api/v1/scenarios/{other}/diff")
    assert first.status_code == 422  # version 1 has nothing before it


def test_runs_record_the_version(client: TestClient) -> None:
    sid, etag = _create(client)
    client.put(
        f"/api/v1/scenarios/{sid}",
        json=scenario_json("japan-accelerated.toml"),
        headers={"If-Match": etag},
    )
    run = client.post(f"/api/v1/scenarios/{sid}/runs?version=1")
    assert run.status_code == 201, run.text
    body = run.json()
    assert body["version"] == 1
    plan = client.post("/api/v1/plan", json=scenario_json("japan-dbp.toml")).json()
    assert body["outcome"]["years"] == plan["years"]
    listed = client.get(f"/api/v1/scenarios/{sid}/runs").json()["runs"]
    assert [r["version"] for r in listed] == [1]
    assert client.get(body["url"]).json()["outcome"]["targets"] == plan["targets"]


@pytest.mark.parametrize("token_given", [True, False])
def test_writes_need_the_token_when_one_is_set(
    make_client: Callable[..., TestClient], token_given: bool
) -> None:
    client = make_client(token="s3cret-token")
    headers = {"Authorization": "Bearer s3cret-token"} if token_given else {}
    answer = client.post("/api/v1/scenarios", json=scenario_json("japan-dbp.toml"), headers=headers)
    assert answer.status_code == (201 if token_given else 401)
    if not token_given:
        assert answer.headers["www-authenticate"] == "Bearer"
        wrong = client.post(
            "/api/v1/scenarios",
            json=scenario_json("japan-dbp.toml"),
            headers={"Authorization": "Bearer s3cret-tokeX"},
        )
        assert wrong.status_code == 401
    # Reads stay open.
    assert client.get("/api/v1/scenarios").status_code == 200
    assert client.post("/api/v1/plan", json=scenario_json("japan-dbp.toml")).status_code == 200


def test_writes_need_a_token_off_loopback(make_client: Callable[..., TestClient]) -> None:
    client = make_client(host="0.0.0.0", token="abc")
    assert client.post("/api/v1/scenarios", json=scenario_json("japan-dbp.toml")).status_code == 401
