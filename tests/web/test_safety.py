"""No input gives a 500: garbage, huge numbers, NaN, unknown countries, wrong media types;
limits (413, 504, a failed job, 503 with Retry-After); headers on every answer; CORS off."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import scenario_json


def _shape(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str)
    assert body["error"]
    assert "\n" not in body["error"]
    assert all({"loc", "msg"} <= set(e) for e in body["errors"])
    return body


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[]", b"null", b"42", b'"text"', b"\xff\xfe", b'{"country": NaN}', b"{}" * 10],
)
def test_garbage_bodies_are_4xx(client: TestClient, raw: bytes) -> None:
    answer = client.post("/api/v1/plan", content=raw, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text
    _shape(answer, answer.status_code)


def test_nan_and_infinity_are_refused(client: TestClient) -> None:
    text = '{"country": "JPN", "baseline": {"year": 2022}, "targets": [{"year": 2027, "share_gdp": NaN}]}'
    body = _shape(
        client.post("/api/v1/plan", content=text, headers={"Content-Type": "application/json"}), 422
    )
    assert "NaN" in body["error"]
    inf = text.replace("NaN", "Infinity")
    _shape(
        client.post("/api/v1/plan", content=inf, headers={"Content-Type": "application/json"}), 422
    )


@pytest.mark.parametrize(
    "change",
    [
        {"targets": [{"year": 2027, "share_gdp": 1e308}]},
        {"targets": [{"year": 10**30, "share_gdp": 0.02}]},
        {"path": {"max_real_growth": -1e300}},
        {"country": "Atlantis"},
        {"country": ""},
        {"targets": [{"year": 2027, "share_gdp": 2}]},
        {"unknown_key": 1},
    ],
)
def test_bad_scenarios_are_422(client: TestClient, change: dict[str, Any]) -> None:
    body = scenario_json("japan-dbp.toml") | change
    answer = client.post("/api/v1/plan", json=body)
    assert answer.status_code in {400, 404, 422}, answer.text
    _shape(answer, answer.status_code)


def test_a_huge_baseline_is_computed_or_refused_never_a_500(client: TestClient) -> None:
    body = scenario_json("japan-dbp.toml") | {"baseline": {"year": 2022, "amount": 1e308}}
    answer = client.post("/api/v1/plan", json=body)
    assert answer.status_code < 500, answer.text
    # Whatever comes back is JSON with finite numbers or null, never NaN or Infinity.
    assert "NaN" not in answer.text
    assert "Infinity" not in answer.text
    answer.json()


def test_unknown_country_in_rows_is_422(client: TestClient) -> None:
    body = _shape(client.get("/api/v1/datasets/milex/rows?country=Atlantis"), 422)
    assert "Atlantis" in body["error"]
    _shape(client.get("/api/v1/datasets/milex/rows?years=2030:2020"), 422)
    _shape(client.get("/api/v1/datasets/nope"), 404) if client.get(
        "/api/v1/datasets/nope"
    ).status_code == 404 else _shape(client.get("/api/v1/datasets/nope"), 422)


def test_wrong_media_type_is_415(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/plan", content=b"country=JPN", headers={"Content-Type": "text/plain"}
    )
    _shape(answer, 415)


def test_large_body_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=2048)
    big = scenario_json("japan-dbp.toml") | {"description": "x" * 5000}
    _shape(client.post("/api/v1/plan", json=big), 413)

    # Without Content-Length too (a streamed body).
    def chunks() -> Any:
        for _ in range(10):
            yield b" " * 1000

    answer = client.post(
        "/api/v1/plan", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _shape(answer, 413)


def test_security_headers_on_every_answer(client: TestClient) -> None:
    for answer in (
        client.get("/api/v1/datasets"),
        client.get("/api/v1/nowhere"),
        client.post("/api/v1/plan", json={}),
        client.get("/docs"),
        client.get("/api/v1/openapi.json"),
    ):
        headers = answer.headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
    _shape(client.get("/api/v1/nowhere"), 404)


def test_cors_is_off_unless_configured(
    client: TestClient, make_client: Callable[..., TestClient], store_path: Path
) -> None:
    other_store = store_path  # a second server needs a file of its own
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    answer = client.options("/api/v1/plan", headers=preflight)
    assert "access-control-allow-origin" not in answer.headers
    got = client.get("/api/v1/datasets", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in got.headers
    allowed = make_client(cors_origins=("https://team.example",), db_path=str(other_store))
    got = allowed.get("/api/v1/datasets", headers={"Origin": "https://team.example"})
    assert got.headers["access-control-allow-origin"] == "https://team.example"


def test_slow_computation_is_504(make_client: Callable[..., TestClient]) -> None:
    client = make_client(request_time_limit_s=0.001)
    body = _shape(client.post("/api/v1/plan", json=scenario_json("japan-dbp.toml")), 504)
    assert "limit" in body["error"]


def test_job_past_its_time_limit_fails_with_504(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_time_limit_s=0.01)
    body = {"scenario": scenario_json("japan-dbp.toml"), "draws": 2_000_000, "chunk": 65536}
    location = client.post("/api/v1/risk/jobs", json=body).headers["location"]
    status = _until_finished(client, location)
    assert status["state"] == "failed"
    assert status["error"]["status"] == 504
    assert client.get(f"{location}/result").status_code == 409


def _until_finished(client: TestClient, location: str) -> dict[str, Any]:
    for _ in range(2000):
        status: dict[str, Any] = client.get(location).json()
        if status["state"] in {"succeeded", "failed", "cancelled"}:
            return status
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_cancel_a_job(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_workers=1)
    body = {"scenario": scenario_json("japan-dbp.toml"), "draws": 5_000_000, "chunk": 65536}
    location = client.post("/api/v1/risk/jobs", json=body).headers["location"]
    cancelled = client.delete(location)
    assert cancelled.status_code in {200, 202}
    status = _until_finished(client, location)
    assert status["state"] == "cancelled"
    assert status.get("outcome") is None


def test_full_queue_is_503_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(job_workers=1, job_queue=1)
    body = {"scenario": scenario_json("japan-dbp.toml"), "draws": 5_000_000, "chunk": 65536}
    first = client.post("/api/v1/risk/jobs", json=body)
    second = client.post("/api/v1/risk/jobs", json=body)
    third = client.post("/api/v1/risk/jobs", json=body)
    assert (first.status_code, second.status_code) == (202, 202)
    _shape(third, 503)
    assert int(third.headers["retry-after"]) > 0
    for answer in (first, second):
        client.delete(answer.headers["location"])


def test_too_many_draws_is_422(client: TestClient) -> None:
    body = {"scenario": scenario_json("japan-dbp.toml"), "draws": 10**12}
    _shape(client.post("/api/v1/risk/jobs", json=body), 422)


def test_unknown_job_is_404(client: TestClient) -> None:
    _shape(client.get("/api/v1/jobs/0123456789abcdef"), 404)
    _shape(client.get("/api/v1/jobs/not-a-job"), 422)
