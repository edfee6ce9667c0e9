"""The API and the CLI give the same answers for the same input: every shipped example.

Both sides are run here, now, on the same store; no number is written down, so the test
holds whatever the engines compute.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import CliResult
from tests.web.conftest import EXAMPLES, scenario_json

PLANS = sorted(p.name for p in EXAMPLES.glob("*.toml") if "tracking" not in p.name)


def _without_origin(document: dict[str, object]) -> dict[str, object]:
    """The outcome, less what names where it ran (the store file of each side)."""
    out = dict(document)
    provenance = dict(out.get("provenance", {}))  # type: ignore[call-overload]
    provenance.pop("store", None)
    out["provenance"] = provenance
    return out


@pytest.mark.parametrize("name", PLANS)
def test_plan_equals_cli(name: str, client: TestClient, cli: Callable[..., CliResult]) -> None:
    via_cli = cli("plan", str(EXAMPLES / name), "--format", "json")
    assert via_cli.code == 0, via_cli.err
    answer = client.post("/api/v1/plan", json=scenario_json(name))
    assert answer.status_code == 200, answer.text
    assert _without_origin(answer.json()) == _without_origin(json.loads(via_cli.out))
    # The answer is what the schema says it is (the response model of the route).
    from buildup.report.schemas import outcome_schema
    from buildup.serialize import check_schema

    assert check_schema(answer.json(), outcome_schema("plan")) == []


@pytest.mark.parametrize("name", PLANS)
def test_plan_csv_equals_cli(name: str, client: TestClient, cli: Callable[..., CliResult]) -> None:
    via_cli = cli("plan", str(EXAMPLES / name), "--format", "csv")
    assert via_cli.code == 0, via_cli.err
    answer = client.post("/api/v1/plan.csv", json=scenario_json(name))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text == via_cli.out


def test_explain_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    name = "japan-dbp.toml"
    via_cli = cli("plan", str(EXAMPLES / name), "--explain", "2025", "--format", "json")
    assert via_cli.code == 0, via_cli.err
    answer = client.post("/api/v1/plan/explain?year=2025", json=scenario_json(name))
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(via_cli.out)


def test_diff_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    a, b = "japan-dbp.toml", "japan-3.5pct-2035.toml"
    via_cli = cli("diff", str(EXAMPLES / a), str(EXAMPLES / b), "--format", "json")
    assert via_cli.code == 0, via_cli.err
    body = {"a": scenario_json(a), "b": scenario_json(b), "label_a": a, "label_b": b}
    answer = client.post("/api/v1/diff", json=body)
    assert answer.status_code == 200, answer.text
    assert _without_origin(answer.json()) == _without_origin(json.loads(via_cli.out))


def _wait(client: TestClient, location: str, limit_s: float = 120.0) -> dict[str, object]:
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        status = client.get(location).json()
        if status["state"] in {"succeeded", "failed", "cancelled"}:
            return status  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"job {location} did not finish in {limit_s} s")


@pytest.mark.parametrize("name", ["japan-dbp.toml", "korea-3.5pct-2035.toml"])
def test_risk_job_is_byte_identical_to_cli(
    name: str, client: TestClient, cli: Callable[..., CliResult]
) -> None:
    args = ["--draws", "20000", "--seed", "7"]
    via_cli = cli("risk", str(EXAMPLES / name), *args, "--format", "json")
    assert via_cli.code == 0, via_cli.err
    body = {"scenario": scenario_json(name), "draws": 20000, "seed": 7}
    started = client.post("/api/v1/risk/jobs", json=body)
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    status = _wait(client, location)
    assert status["state"] == "succeeded", status
    assert status["progress"] == {"fraction": 1.0, "done": 20000, "total": 20000}
    result = client.get(f"{location}/result")
    cli_doc = _without_origin(json.loads(via_cli.out))
    api_doc = _without_origin(json.loads(result.content))
    assert api_doc == cli_doc
    if "store" not in json.loads(via_cli.out).get("provenance", {}):
        assert result.content == via_cli.out.encode()  # byte for byte


def test_cached_answers_follow_the_data(client: TestClient) -> None:
    """An identical plan is served from the cache, until the data it was made from changes."""
    from buildup.data.edition import ImportedEdition

    body = scenario_json("japan-dbp.toml")
    first = client.post("/api/v1/plan", json=body)
    again = client.post("/api/v1/plan", json=body)
    assert again.content == first.content
    assert client.get("/api/v1/health").json()["cache"]["hits"] == 1
    store = client.app.state.stores.base  # type: ignore[attr-defined]
    gdp = store.query("gdp")
    bigger = gdp.assign(gdp_local_current=gdp["gdp_local_current"] * 1.5)
    store.import_edition(
        ImportedEdition(
            dataset="gdp",
            edition="test-bigger",
            edition_label="GDP × 1.5 (test)",
            publisher="test",
            source_file="test.csv",
            frame=bigger,
        ),
        make_current=True,  # the same years: current only when asked
    )
    changed = client.post("/api/v1/plan", json=body)
    assert changed.status_code == 200
    assert changed.json()["years"] != first.json()["years"]
    assert client.get("/api/v1/health").json()["cache"]["hits"] == 1


def test_quick_plan_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    args = {"country": "KOR", "target_share": "0.035", "by": "2035"}
    via_cli = cli(
        "plan", "--country", "KOR", "--target-share", "0.035", "--by", "2035", "--format", "json"
    )
    assert via_cli.code == 0, via_cli.err
    answer = client.get("/api/v1/plan/quick", params=args)
    assert answer.status_code == 200, answer.text
    assert _without_origin(answer.json()) == _without_origin(json.loads(via_cli.out))
    as_csv = cli(
        "plan", "--country", "KOR", "--target-share", "0.035", "--by", "2035", "--format", "csv"
    )
    assert client.get("/api/v1/plan/quick.csv", params=args).text == as_csv.out


def test_track_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    import tomllib

    name = "japan-dbp-tracking.toml"
    via_cli = cli("track", str(EXAMPLES / name), "--format", "json")
    assert via_cli.code == 0, via_cli.err
    tracking = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    answer = client.post("/api/v1/track", json={"tracking": tracking, "source": name})
    assert answer.status_code == 200, answer.text
    assert _without_origin(answer.json()) == _without_origin(json.loads(via_cli.out))


@pytest.mark.parametrize(
    ("args", "params"),
    [
        (
            ["JPN", "KOR", "AUS", "--metric", "share_gdp", "--years", "2015:2024"],
            {"countries": ["JPN", "KOR", "AUS"], "metric": "share_gdp", "years": "2015:2024"},
        ),
        (
            ["JPN", "KOR", "--metric", "share_gdp", "--target", "nato-3.5", "--by", "2035"],
            {"countries": ["JPN", "KOR"], "metric": "share_gdp", "target": "nato-3.5", "by": 2035},
        ),
        (
            ["--group", "G7", "--metric", "nato_share_gdp", "--count-threshold", "0.02"],
            {"group": "G7", "metric": "nato_share_gdp", "count_threshold": 0.02},
        ),
    ],
)
def test_compare_equals_cli(
    args: list[str], params: dict[str, object], client: TestClient, cli: Callable[..., CliResult]
) -> None:
    via_cli = cli("compare", *args, "--format", "json")
    answer = client.get("/api/v1/compare", params=params)
    if via_cli.code != 0:  # the same refusal, as a 4xx
        assert 400 <= answer.status_code < 500, answer.text
        return
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(via_cli.out)


def test_optimise_job_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    programmes, envelope = EXAMPLES / "japan-programmes.csv", EXAMPLES / "japan-envelope.csv"
    via_cli = cli(
        "optimize",
        "--programmes",
        str(programmes),
        "--envelope",
        str(envelope),
        "--currency",
        "JPY",
        "--format",
        "json",
    )
    assert via_cli.code == 0, via_cli.err
    body = {
        "programmes_csv": programmes.read_text(encoding="utf-8"),
        "programmes_name": programmes.name,
        "envelope_csv": envelope.read_text(encoding="utf-8"),
        "currency": "JPY",
    }
    started = client.post("/api/v1/optimise/jobs", json=body)
    assert started.status_code == 202, started.text
    status = _wait(client, started.headers["location"])
    assert status["state"] == "succeeded", status
    result = client.get(started.headers["location"] + "/result")
    # The solver's wall-clock time is the one thing that differs between two solves.
    assert _without_timing(json.loads(result.content)) == _without_timing(json.loads(via_cli.out))


def _without_timing(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_timing(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_timing(v) for v in value]
    return value


def test_portfolio_risk_job_equals_cli(client: TestClient, cli: Callable[..., CliResult]) -> None:
    programmes, envelope = EXAMPLES / "japan-programmes.csv", EXAMPLES / "japan-envelope.csv"
    name = "japan-dbp.toml"
    via_cli = cli(
        "risk",
        str(EXAMPLES / name),
        "--draws",
        "16384",
        "--seed",
        "3",
        "--portfolio",
        str(programmes),
        "--envelope",
        str(envelope),
        "--alpha",
        "0.8",
        "--scenarios",
        "20",
        "--format",
        "json",
    )
    assert via_cli.code == 0, via_cli.err
    body = {
        "scenario": scenario_json(name),
        "draws": 16384,
        "seed": 3,
        "programmes_csv": programmes.read_text(encoding="utf-8"),
        "programmes_name": programmes.name,
        "envelope_csv": envelope.read_text(encoding="utf-8"),
        "alpha": 0.8,
        "scenarios": 20,
    }
    started = client.post("/api/v1/risk/jobs", json=body)
    assert started.status_code == 202, started.text
    status = _wait(client, started.headers["location"], 300)
    assert status["state"] == "succeeded", status
    result = client.get(started.headers["location"] + "/result")
    api_doc = _without_timing(json.loads(result.content))
    cli_doc = _without_timing(json.loads(via_cli.out))
    assert _differences(api_doc, cli_doc) == []


def _differences(a: object, b: object, path: str = "$") -> list[str]:
    """Where two JSON documents differ (paths), for a readable assertion."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only on one side" for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += _differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {str(a)[:80]} != {str(b)[:80]}"]


@pytest.mark.parametrize("name", ["milex", "gdp", "japan_budget"])
def test_dataset_sources_equal_cli(
    name: str, client: TestClient, cli: Callable[..., CliResult]
) -> None:
    # One description of a dataset (engine.datasets.describe_dataset) behind both. The
    # editions' load times differ by store; the rest is the same record.
    via_cli = cli("data", "sources", name, "--format", "json")
    assert via_cli.code == 0, via_cli.err
    answer = client.get(f"/api/v1/datasets/{name}")
    assert answer.status_code == 200, answer.text

    def timeless(info: dict[str, Any]) -> dict[str, Any]:
        editions = [{k: v for k, v in e.items() if k != "loaded_at"} for e in info["editions"]]
        return {**info, "editions": editions}

    assert timeless(answer.json()) == timeless(json.loads(via_cli.out))


def test_every_outcome_reference_in_the_openapi_schema_resolves(client: TestClient) -> None:
    """The responses name the outcomes' generated schemas; each named one is a component."""
    schema = client.get("/api/v1/openapi.json").json()
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert {"PlanOutcome", "TrackOutcome", "DiffOutcome"} <= refs
    assert refs <= set(schema["components"]["schemas"])
    diff = schema["paths"]["/api/v1/diff"]["post"]["responses"]["200"]
    assert diff["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DiffOutcome"
    }
