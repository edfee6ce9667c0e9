from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
TRACKING = Path(__file__).parents[1] / "fixtures" / "tracking"


def _inputs(document: dict) -> dict:
    return {s["name"]: s["value"] for s in document["provenance"]["inputs"]}


def test_track_json_has_the_documented_fields(cli) -> None:
    result = cli("track", str(EXAMPLES / "japan-dbp-tracking.toml"), "-f", "json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert {"execution", "years", "variance", "provenance"} <= set(out)
    assert {"used", "remaining", "required_run_rate"} <= set(out["execution"])
    assert {"plan", "appropriated", "outlays", "committed_as_of"} <= set(out["years"][0])
    assert set(out["variance"]["parts"]) == {
        "policy",
        "price",
        "exchange_rate",
        "quantity",
        "schedule",
        "underspend",
    }
    assert sum(out["variance"]["parts"].values()) == pytest.approx(out["variance"]["total"])
    assert _inputs(out)["actual 2023 supplementary"].startswith("DERIVED")
    assert out["provenance"]["task"] == "track"
    assert len(out["provenance"]["scenario_hash"]) == 64


def test_track_table_and_chart(cli, tmp_path: Path) -> None:
    chart = tmp_path / "track.png"
    result = cli("track", str(EXAMPLES / "japan-dbp-tracking.toml"), "--chart", str(chart))
    assert result.code == 0, result.err
    assert "Outturn minus plan to FY2026" in result.out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_actuals_from_csv(cli) -> None:
    result = cli(
        "track",
        str(TRACKING / "base.toml"),
        "--actuals",
        str(TRACKING / "actuals.csv"),
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["execution"]["used"] == 95 + 10 + 98
    assert _inputs(out)["actual 2023 initial"] == "csv test"


BROKEN = {
    "actual_outside_plan.toml": "actuals[0]: fiscal year 2030 is outside the plan's years 2022–2025",
    "profile_not_one.toml": "contracts.categories[0].profile: payment profile of 'fms' sums to 0.95 (off by -0.05)",
    "negative_budget.toml": "actuals[0]: amount -95 is negative",
    "duplicate_year.toml": "actuals[1]: duplicate initial for 2022 (also actuals[0])",
    "unknown_area.toml": "actuals[0]: area 'space' is not in the plan",
    "unknown_category.toml": "contracts.signed[0].category: unknown category 'domestic'; the plan has fms",
}


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN.items()))
def test_broken_tracking_files(cli, file: str, fragment: str) -> None:
    result = cli("track", str(TRACKING / "broken" / file))
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"buildup: error: {file}: ")
    assert fragment in line


BROKEN_CSV = {
    "actuals_bad_value.csv": "actuals_bad_value.csv, row 3: could not convert string to float: 'lots'",
    "actuals_outside.csv": "actuals_outside.csv: row 3: fiscal year 2031 is outside",
    "actuals_bad_kind.csv": "row 2: kind: Input should be 'initial', 'supplementary' or 'executed'",
}


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN_CSV.items()))
def test_broken_actuals_csv(cli, file: str, fragment: str) -> None:
    result = cli("track", str(TRACKING / "base.toml"), "--actuals", str(TRACKING / "broken" / file))
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert fragment in line


def test_every_broken_tracking_fixture_has_a_case() -> None:
    names = {p.name for p in (TRACKING / "broken").iterdir()}
    assert names == set(BROKEN) | set(BROKEN_CSV)
