"""``/api/v1/pledges``: read pledges from posted text, keep them, list and filter the ledger,
its revisions — on the DuckDB file and on a real PostgreSQL server; every bad request is one
line with a 4xx and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.postgres_cluster import fresh_database

EXAMPLES = Path(__file__).parents[2] / "examples"
API = "/api/v1/pledges"
KOREA = "Seoul will raise next year's defence budget by 7.5 %."
ISSUE = (
    "Japan is in the middle of a five-year build-up that will double its defence budget to "
    "2 % of GDP by 2027. Seoul will raise next year's defence budget by 7.5 %. Washington urged "
    "Tokyo to spend 3.5 %. Japan spent 1.4 % of GDP in 2024."
)


def _article(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _one_line_error(answer: object, status: int, *words: str) -> None:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert body["ok"] is False
    assert "\n" not in body["error"]
    for word in words:
        assert word in body["error"], body["error"]


def test_extract_reads_the_pledges_of_posted_text(client: TestClient) -> None:
    answer = client.post(f"{API}/extract", json={"text": ISSUE, "date": "2025-06-25"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["date"] == "2025-06-25"
    assert [(p["actor"], p["kind"], p["measure"], p["value"], p["year"]) for p in body["pledges"]] == [
        ("JPN", "commitment", "share_gdp", 0.02, 2027),
        ("KOR", "commitment", "growth", 0.075, 2026),
        ("JPN", "demand", "share_gdp", 0.035, None),
    ]  # fmt: skip
    first = body["pledges"][0]
    start, end = first["span"]
    assert ISSUE[start:end] == first["text"]
    assert "saved" not in body
    assert client.get(API).json() == []  # nothing kept without save


def test_text_without_pledges_and_empty_text_are_empty_answers(client: TestClient) -> None:
    for text in ("", "The weather in Tokyo was mild."):
        answer = client.post(f"{API}/extract", json={"text": text, "date": "2025-06-25"})
        assert answer.status_code == 200
        assert answer.json()["pledges"] == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"text": ISSUE, "date": "25/06/2025"}, ("date", "YYYY-MM-DD")),
        ({"text": "Japan will spend 2 %\x00 of GDP", "date": "2025-06-25"}, ("not text",)),
        ({"text": ISSUE, "save": True}, ("date", "saving needs")),
        ({"text": ISSUE, "date": "2025-06-25", "colour": "red"}, ("colour",)),
        ({"date": "2025-06-25"}, ("text",)),
    ],
)
def test_a_bad_request_is_one_line_and_saves_nothing(
    client: TestClient, body: dict[str, object], words: tuple[str, ...]
) -> None:
    _one_line_error(client.post(f"{API}/extract", json={**body, "save": True}), 422, *words)
    assert client.get(API).json() == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    answer = client.post(f"{API}/extract", json={"text": "x" * 1_200_000, "date": "2025-06-25"})
    _one_line_error(answer, 413, "larger than the limit")


def _save_both_articles(client: TestClient) -> None:
    for name, date in (
        ("japan-buildup-article.txt", "2022-12-16"),
        ("japan-acceleration-article.txt", "2025-10-24"),
    ):
        body = {"text": _article(name), "date": date, "save": True, "source": name}
        answer = client.post(f"{API}/extract", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["saved"], answer.text
    korea = {"text": KOREA, "date": "2025-08-29", "save": True, "source": "yonhap"}
    assert client.post(f"{API}/extract", json=korea).status_code == 200


def _check_ledger(client: TestClient) -> None:
    everything = client.get(API).json()
    assert {row["actor"] for row in everything} == {"JPN", "KOR"}
    japan = client.get(API, params={"country": "Japan"}).json()
    assert {row["actor"] for row in japan} == {"JPN"}
    assert japan == client.get(API, params={"country": "jpn"}).json()
    both = client.get(API, params=[("country", "JPN"), ("country", "KOR")]).json()
    assert len(both) == len(everything)
    revised = [r for r in japan if r["revises"] is not None and r["measure"] == "share_gdp"]
    (speedup,) = [r for r in revised if r["kind"] == "commitment"]
    assert speedup["year"] == 2025
    assert speedup["made_on"] == "2025-10-24"
    assert {"field": "year", "before": 2027, "after": 2025} in speedup["changes"]
    changes = client.get(f"{API}/changes", params={"country": "JPN"}).json()
    assert ("year", 2027, 2025) in [(c["field"], c["before"], c["after"]) for c in changes]
    csv = client.get(f"{API}.csv", params={"country": "KOR"})
    assert csv.status_code == 200
    assert csv.text.splitlines()[0].startswith("id,made_on,actor,kind,measure")
    assert len(csv.text.splitlines()) == 2  # the header and Korea's one pledge
    # the same text and date again saves nothing
    again = client.post(
        f"{API}/extract",
        json={"text": KOREA, "date": "2025-08-29", "save": True, "source": "yonhap"},
    ).json()
    assert again["saved"] == []
    assert again["already_saved"]
    assert len(client.get(API).json()) == len(everything)
    _one_line_error(client.get(API, params={"country": "Atlantis"}), 422, "Atlantis")


def test_save_list_filter_and_revisions_on_duckdb(client: TestClient) -> None:
    _save_both_articles(client)
    _check_ledger(client)


def test_the_same_ledger_on_postgresql(
    make_client: Callable[..., TestClient], postgres_url: str
) -> None:
    pg = make_client(database_url=fresh_database(postgres_url))
    assert pg.get("/api/v1/health").json()["store"]["backend"] == "postgresql"
    _save_both_articles(pg)
    _check_ledger(pg)


def test_a_save_needs_the_token_when_the_server_asks_for_one(
    make_client: Callable[..., TestClient],
) -> None:
    guarded = make_client(token="s3cret")
    body = {"text": ISSUE, "date": "2025-06-25", "save": True}
    _one_line_error(guarded.post(f"{API}/extract", json=body), 401, "bearer token")
    assert guarded.get(API).json() == []
    reading = guarded.post(f"{API}/extract", json={**body, "save": False})
    assert reading.status_code == 200  # reading needs no token
    ok = guarded.post(f"{API}/extract", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert ok.json()["saved"]
