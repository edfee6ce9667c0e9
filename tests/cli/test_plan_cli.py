from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_quick_mode_japan_two_percent_json(cli) -> None:
    result = cli(
        "plan",
        "--country",
        "JPN",
        "--target-share",
        "0.02",
        "--by",
        "2027",
        "--gdp-base-year",
        "2022",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert set(out) >= {"years", "totals", "targets", "provenance"}
    fy2027 = next(y for y in out["years"] if y["year"] == 2027)
    assert round(fy2027["spending_local"] / 1e12) == 11
    assert fy2027["share_gdp"] == 0.02  # the primary definition's, defence-related
    by_definition = {r["definition"]: r for r in out["by_definition"] if r["year"] == 2027}
    assert by_definition["defense_related"]["share_gdp"] == 0.02
    assert set(by_definition) == {"defense_related", "national", "national_incl_saco", "sipri"}
    (target,) = out["targets"]
    assert target["met"]
    assert target["year"] == 2027
    prov = out["provenance"]
    assert len(prov["scenario_hash"]) == 64
    assert prov["package_version"] == "0.1.0"
    assert prov["dataset_editions"]["gdp"] == "2025-04"


def test_scenario_file_table(cli) -> None:
    result = cli("plan", str(EXAMPLES / "japan-dbp.toml"))
    assert result.code == 0, result.err
    assert "Defense Buildup Program" in result.out
    assert "Targets" in result.out
    # Strict and rounded side by side, never a bare "met" (issue 11, fault 7).
    assert "1.96 %: below 2 %; 2.0 % at 1" in result.out
    assert "met (rounded" not in result.out
    assert "Assumptions" in result.out


def test_csv_is_one_row_per_year(cli) -> None:
    result = cli("plan", str(EXAMPLES / "korea-3.5pct-2035.toml"), "-f", "csv")
    frame = pd.read_csv(io.StringIO(result.out))
    assert frame["year"].tolist() == list(range(2024, 2036))
    assert frame["share_gdp"].iloc[-1] == 0.035


def test_explain_a_year_names_the_data_rows(cli) -> None:
    result = cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--explain", "2027", "-f", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    entries = {(e["variable"], e["definition"], e["component"]): e for e in rows}
    assert len(entries) == len(rows)  # the variable with its definition or component is a key
    assert not any(":" in e["variable"] for e in rows)  # tidy: no definition inside a name
    assert ("gdp_local", None, None) in entries
    assert ("budget_local", None, None) in entries
    assert '"dataset": "gdp"' in entries[("gdp_local", None, None)]["sources"]
    component = entries[("spending_local", None, "coast_guard_pko")]
    assert "MOD-WP2024-2PCT" in component["sources"]
    assert entries[("budget_local", None, None)]["how"] == "given"
    share = entries[("share_gdp", "defense_related", None)]
    assert "fixed GDP of 2022" in share["how"]


def test_explain_outside_the_plan(cli) -> None:
    result = cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--explain", "1999")
    assert result.code == 2
    assert "--explain 1999: not a year of the plan; choose one of 2022–2027" in result.err


def test_quick_mode_needs_its_options(cli) -> None:
    result = cli("plan", "--country", "JPN")
    assert result.code == 2
    assert "--target-share, --by" in result.err


def test_quick_mode_percent_is_explained(cli) -> None:
    result = cli("plan", "--country", "KOR", "--target-share", "3.5", "--by", "2030")
    assert result.code == 2
    assert "--target-share 3.5: looks like a percent" in result.err
    assert "write 0.035" in result.err


def test_file_and_quick_mode_together(cli) -> None:
    result = cli("plan", str(EXAMPLES / "japan-dbp.toml"), "--country", "JPN")
    assert result.code == 2
    assert "not both" in result.err


def test_unreachable_target_is_said_not_raised(cli) -> None:
    result = cli("plan", str(EXAMPLES / "philippines-3.5pct-2035.toml"))
    assert result.code == 0
    assert "OUT OF REACH" in result.out
    assert "met in 2037 at the limits" in result.out
