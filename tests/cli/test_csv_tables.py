"""Every answer in every format (issue 11, fault 8): CSV holds one table, the user picks it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"
FLOAT_NOISE = re.compile(r"\d\.\d*(?:9999|0000)\d\b")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_plan_tables_by_name(cli) -> None:  # type: ignore[no-untyped-def]
    plan = str(EXAMPLES / "japan-dbp.toml")
    default = cli("plan", plan, "-f", "csv")
    assert default.code == 0, default.err
    assert "wrote the years table (others: by_definition, targets, totals, assumptions" in (
        default.err
    )
    assert "share_gdp_" not in default.out.splitlines()[0]  # no definition in a column name
    tidy = _rows(cli("plan", plan, "-f", "csv", "--table", "by_definition").out)
    assert set(tidy[0]) == {
        "year", "definition", "spending_local", "share_gdp", "denominator_local", "basis"
    }  # fmt: skip
    fy2027 = {r["definition"]: r for r in tidy if r["year"] == "2027"}
    assert set(fy2027) == {"defense_related", "national", "national_incl_saco", "sipri"}
    assert fy2027["defense_related"]["spending_local"] == "11000000000000"
    (target,) = _rows(cli("plan", plan, "-f", "csv", "--table", "targets").out)
    assert target["met"] == "false"  # 1.96 % strictly
    assert target["met_rounded"] == "true"
    assert target["required_budget_local"] == "9100000000000"
    assert not FLOAT_NOISE.search(default.out)
    assert "True" not in default.out
    assert "False" not in default.out


def test_compare_counts_and_costs_in_csv(cli) -> None:  # type: ignore[no-untyped-def]
    counted = cli(
        "compare", "--group", "NATO", "--metric", "nato_share_gdp", "--count-threshold", "0.02",
        "--count-year", "2024", "-f", "csv",
    )  # fmt: skip
    assert counted.code == 0, counted.err
    rows = _rows(counted.out)
    assert rows[0]["count"] == "18"  # NATO's exact count comes first, as in the table
    assert "wrote the counts table" in counted.err
    costs = cli("compare", "KOR", "--target", "nato-3.5", "-f", "csv", "--table", "cost_to_target")
    assert costs.code == 0, costs.err
    (kor,) = _rows(costs.out)
    assert float(kor["extra_total_usd"]) > 0
    assert kor["already_met"] == "false"


def test_risk_csv_leads_with_the_chance_of_meeting_the_target(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("risk", str(EXAMPLES / "japan-dbp.toml"), "--draws", "2000", "-f", "csv")
    assert result.code == 0, result.err
    (target,) = _rows(result.out)
    assert 0.0 <= float(target["probability_met"]) <= float(target["probability_met_rounded"])


def test_optimize_spending_by_year_in_csv(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "optimize", "--programmes", str(EXAMPLES / "japan-programmes.csv"),
        "--envelope", str(EXAMPLES / "japan-envelope.csv"), "--currency", "JPY",
        "-f", "csv", "--table", "years",
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = _rows(result.out)
    assert [r["year"] for r in rows][:2] == ["2023", "2024"]
    assert all(r["binding"] in ("true", "false") for r in rows)
    assert all(not r["spend"].endswith("999") for r in rows)


def test_an_unknown_table_names_the_known_ones(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", str(EXAMPLES / "japan-dbp.toml"), "-f", "csv", "--table", "nope")
    assert result.code == 2
    assert "choose one of years, by_definition, targets, totals, assumptions" in result.err
