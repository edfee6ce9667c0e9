"""The API on the team-server back end: PostgreSQL for datasets and saved scenarios."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.postgres_cluster import fresh_database
from tests.web.conftest import scenario_json


def test_same_answers_and_no_lost_update_on_postgresql(
    make_client: Callable[..., TestClient], postgres_url: str
) -> None:
    pg = make_client(database_url=fresh_database(postgres_url))
    duck = make_client()
    health = pg.get("/api/v1/health").json()
    assert health["store"]["backend"] == "postgresql"
    body = scenario_json("japan-3.5pct-2035.toml")
    a, b = pg.post("/api/v1/plan", json=body).json(), duck.post("/api/v1/plan", json=body).json()
    for doc in (a, b):
        doc["provenance"].pop("store", None)
    assert a == b
    rows = "/api/v1/datasets/milex/rows.csv?country=JPN&years=2015:2024"
    assert pg.get(rows).text == duck.get(rows).text
    created = pg.post("/api/v1/scenarios", json=body)
    assert created.status_code == 201, created.text
    sid, etag = created.json()["id"], created.headers["etag"]
    changed = scenario_json("japan-accelerated.toml")
    assert (
        pg.put(f"/api/v1/scenarios/{sid}", json=changed, headers={"If-Match": etag}).status_code
        == 200
    )
    assert (
        pg.put(f"/api/v1/scenarios/{sid}", json=changed, headers={"If-Match": etag}).status_code
        == 412
    )
    assert pg.put(f"/api/v1/scenarios/{sid}", json=changed).status_code == 428
    diff = pg.get(f"/api/v1/scenarios/{sid}/diff")
    assert diff.status_code == 200, diff.text
    assert pg.get(f"/api/v1/scenarios/{sid}/versions/1").json()["spec"] == body
