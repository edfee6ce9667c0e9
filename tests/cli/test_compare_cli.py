"""``buildup compare``, run in-process against a private store (see conftest.cli)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from PIL import Image

ASKED = ["JPN", "KOR", "AUS", "PHL", "USA", "CHN"]
Cli = Callable[..., Any]


def test_done_when_the_chart_and_the_cost_to_3_5_table(cli: Cli, tmp_path: Path) -> None:
    chart = tmp_path / "out.png"
    result = cli(
        "compare", *ASKED, "--metric", "share_gdp", "--years", "2000:2024", "--chart", str(chart)
    )
    assert result.code == 0, result.err
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(chart) as image:
        assert image.size[0] >= 1000
    assert f"chart written to {chart}" in result.err
    for iso3 in ASKED:
        assert iso3 in result.out
    costs = cli("compare", *ASKED, "--years", "2024", "--target", "nato-3.5", "-f", "json")
    assert costs.code == 0, costs.err
    records = json.loads(costs.out)["cost_to_target"]
    assert [r["iso3"] for r in records] == ASKED
    for record in records:
        assert record["target_share"] == 0.035
        assert record["target_year"] == 2035
        assert record["extra_total_usd"] > 0
        assert record["required_real_growth"] > 0
    table = cli("compare", *ASKED, "--years", "2024", "--target", "nato-3.5")
    assert "Cost to target: NATO 3.5 % core defence by 2035" in table.out


def test_json_shape(cli: Cli) -> None:
    result = cli(
        "compare", "JPN", "KOR", "--group", "QUAD", "--years", "2023:2024", "--target-share",
        "0.03", "--by", "2030", "--count-threshold", "0.02", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert set(out) == {
        "metric",
        "rows",
        "notes",
        "cost_to_target",
        "counts",
        "league_table",
        "provenance",
    }
    assert out["metric"]["name"] == "share_gdp"
    row = out["rows"][0]
    assert {"iso3", "year", "metric", "value", "source"} <= set(row)
    assert [r["iso3"] for r in out["rows"][::2]] == ["JPN", "KOR", "AUS", "IND", "USA"]
    assert {c["iso3"] for c in out["cost_to_target"]} == {"JPN", "KOR", "AUS", "IND", "USA"}
    usa = next(c for c in out["cost_to_target"] if c["iso3"] == "USA")
    assert usa["already_met"] is True
    assert usa["extra_total_usd"] == 0.0
    assert usa["required_real_growth"] is None
    assert [(c["source"], c["rounding"]) for c in out["counts"]] == [
        ("nato", None),
        ("nato", 1),
        ("sipri", None),
        ("sipri", 1),
    ]
    assert out["counts"][2]["at_or_above"] == ["IND", "USA"]  # counts are over the group
    assert out["counts"][2]["members"] == 4


def test_nato_counts_in_the_table(cli: Cli) -> None:
    result = cli(
        "compare", "--group", "NATO", "--years", "2024", "--count-threshold", "0.02",
        "--count-year", "2024", "--allow-missing",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Members of NATO at or above 2 % of GDP in 2024" in result.out
    assert "League table 2024" in result.out
    assert "NATO (nato, edition 2025-08)" in result.out
    assert "SIPRI (milex, edition 2025)" in result.out
    assert "note: 1 value(s) are missing" in result.err


def test_missing_values_are_null_in_json(cli: Cli) -> None:
    result = cli(
        "compare", "JPN", "-m", "per_capita_usd", "--years", "1988:1991", "--allow-missing",
        "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    values = [r["value"] for r in out["rows"]]
    assert values[:2] == [None, None]
    assert all(v > 0 for v in values[2:])
    assert "2 value(s) are missing" in out["notes"][0]


def test_csv_is_tidy(cli: Cli) -> None:
    result = cli("compare", "JPN", "USA", "-m", "constant_usd", "--years", "2020:2021", "-f", "csv")
    assert result.code == 0, result.err
    frame = pd.read_csv(io.StringIO(result.out), keep_default_na=False)
    assert list(frame.columns) == ["iso3", "year", "metric", "value", "source", "note"]
    assert frame[["iso3", "year"]].values.tolist() == [
        ["JPN", 2020],
        ["JPN", 2021],
        ["USA", 2020],
        ["USA", 2021],
    ]


def test_a_groups_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text('[groups.PAIR]\nsource = "test"\nmembers = ["JPN", "KOR"]\n', encoding="utf-8")
    result = cli(
        "compare", "--group", "pair", "--groups-file", str(path), "-m", "share_of_group",
        "--years", "2024", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = json.loads(result.out)["rows"]
    assert [r["iso3"] for r in rows] == ["JPN", "KOR"]
    assert sum(r["value"] for r in rows) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["Atlantis"], "unknown country 'Atlantis'"),
        (["JPN", "--group", "AUKUS"], "--group AUKUS: unknown group; expected one of EU"),
        (["JPN", "-m", "gdp"], "unknown metric 'gdp'"),
        (["JPN", "--years", "2024:2000"], "year range '2024:2000' is empty"),
        (["JPN", "--years", "20x"], "year range '20x' is not valid"),
        (["PRK", "--years", "2020:2024"], "share_gdp for PRK in 2020: SIPRI's share of GDP"),
        (
            ["JPN", "-m", "per_capita_usd", "--years", "1985:1990"],
            "per_capita_usd for JPN in 1985: population (population, edition 2025-04) has no value",
        ),
        (["JPN", "-m", "nato_share_gdp"], "nato_share_gdp for JPN in 2014"),
        (
            ["JPN", "--target", "nato-2"],
            "--target nato-2: the target has no date; give its year (--by 2030)",
        ),
        (["JPN", "--target", "nato-4"], "--target nato-4: unknown target; expected one of nato-2"),
        (["JPN", "--target-share", "3.5", "--by", "2035"], "write 0.035 for 3.5 %"),
        (["JPN", "--groups-file", "x.toml"], "--groups-file needs --group NAME"),
        (["JPN", "--chart", "out.pdf"], "chart file must end in .png or .html"),
        (["--years", "2024"], "no countries to compare"),
        (["JPN", "--window", "0"], "Invalid value for '--window'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Cli, args: list[str], fragment: str) -> None:
    result = cli("compare", *args)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith("buildup: error: ")
    assert fragment in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_a_bad_groups_file_names_file_and_key(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text('[groups.X]\nsource = "s"\nmembers = ["JPN", "Atlantis"]\n', encoding="utf-8")
    result = cli("compare", "--group", "X", "--groups-file", str(path))
    assert result.code == 2
    assert f"groups file {path}: groups.X.members: unknown country 'Atlantis'" in result.err
