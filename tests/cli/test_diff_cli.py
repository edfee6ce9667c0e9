"""``buildup diff``: keys and results side by side, as a table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

from buildup.report.schemas import outcome_schema
from buildup.serialize import check_schema

EXAMPLES = Path(__file__).parents[2] / "examples"
DBP = str(EXAMPLES / "japan-dbp.toml")
ACCEL = str(EXAMPLES / "japan-accelerated.toml")


def test_diff_json_matches_the_two_plans(cli: Callable[..., CliResult]) -> None:
    result = cli("diff", DBP, ACCEL, "--format", "json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    plan_a = json.loads(cli("plan", DBP, "--format", "json").out)
    plan_b = json.loads(cli("plan", ACCEL, "--format", "json").out)
    rows = {(r["year"], r["definition"]): r for r in body["years"]}
    for plan, side in ((plan_a, "a"), (plan_b, "b")):
        for one in plan["by_definition"]:
            share, name = one["share_gdp"], one["definition"]
            row = rows.get((one["year"], name))
            if share is None:
                assert row is None or row[f"share_gdp_{side}"] is None
                continue
            assert row is not None
            assert row[f"share_gdp_{side}"] == share
            assert row[f"spending_{side}"] == one["spending_local"]
    # The FY2025 supplementary is the one difference in spending, in FY2025, defence-related.
    moved = {k for k, r in rows.items() if r["spending_diff"]}
    assert moved == {(2025, "defense_related")}
    assert rows[(2025, "defense_related")]["spending_diff"] == 1.1e12
    assert body["a"]["label"] == "japan-dbp.toml"
    keys = {k["key"] for k in body["keys"]}
    assert "components[supplementary].amounts.2025" in keys
    targets = {(t["year"], t["definition"]): t for t in body["targets"]}
    assert targets[(2025, "defense_related")]["status_a"] is None
    assert targets[(2025, "defense_related")]["status_b"] in {"met", "missed", "out_of_reach"}
    # Each side's provenance is its plan's own; the document is the diff outcome's schema.
    assert body["provenance"]["a"] == plan_a["provenance"]
    assert body["provenance"]["b"] == plan_b["provenance"]
    assert check_schema(body, outcome_schema("diff")) == []


def test_diff_csv_is_tidy(cli: Callable[..., CliResult]) -> None:
    result = cli("diff", DBP, ACCEL, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows
    assert {"year", "definition", "share_gdp_a", "share_gdp_b", "share_gdp_diff"} <= set(rows[0])


def test_diff_table_names_both_files(cli: Callable[..., CliResult]) -> None:
    result = cli("diff", DBP, ACCEL)
    assert result.code == 0, result.err
    assert "japan-accelerated.toml" in result.out
    assert "components[supplementary]" in result.out  # not swallowed as markup
    assert "Targets" in result.out


def test_diff_missing_file_is_one_line(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("diff", DBP, str(tmp_path / "nope.toml"))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "nope.toml" in result.err
