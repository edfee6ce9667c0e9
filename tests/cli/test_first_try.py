"""Obvious questions work on the first try (issue 11, fault 6)."""

from __future__ import annotations

import json


def test_korea_after_the_forecasts_works_as_first_typed(cli) -> None:  # type: ignore[no-untyped-def]
    # Failed twice before: no GDP after 2030 (naming a TOML key), then no prices.
    result = cli(
        "plan", "--country", "KOR", "--target-share", "0.035", "--by", "2035",
        "--max-real-growth", "0.08", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["targets"][0]["met"]
    assumptions = " | ".join(out["assumptions"])
    assert "gdp: the data's last growth" in assumptions
    assert "prices: the data's last growth" in assumptions


def test_an_explicit_rate_still_wins(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "plan", "--country", "KOR", "--target-share", "0.035", "--by", "2035",
        "--gdp-growth", "0.03", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assumptions = json.loads(result.out)["assumptions"]
    assert any("gdp: growth 3.000%/yr after 2030" in a for a in assumptions)
    # The ramp limit nobody typed is a stated default.
    assert any("ramp limit: at most 15% real growth" in a for a in assumptions)


def test_plan_and_compare_agree_on_the_philippines(cli) -> None:  # type: ignore[no-untyped-def]
    plan = cli("plan", "--country", "PHL", "--target-share", "0.035", "--by", "2035", "-f", "json")
    compare = cli("compare", "PHL", "--target-share", "0.035", "--by", "2035", "-f", "json")
    assert plan.code == 0, plan.err
    assert compare.code == 0, compare.err
    (check,) = json.loads(plan.out)["targets"]
    (cost,) = json.loads(compare.out)["cost_to_target"]
    assert not check["met"]
    assert not check["reachable"]
    assert not cost["target_met"]


def test_nato_count_works_as_first_typed(cli) -> None:  # type: ignore[no-untyped-def]
    # Failed on Iceland (no NATO figure, 2014) because the years defaulted to the last 25.
    result = cli(
        "compare", "--group", "NATO", "--metric", "nato_share_gdp",
        "--count-threshold", "0.02", "--count-year", "2024",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.index("Members of NATO at or above 2 % of GDP in 2024") < result.out.index(
        "League table"
    )
    assert "ISL" in result.out.split("League table")[0]  # listed without data, not fatal
    as_json = cli(
        "compare", "--group", "NATO", "--metric", "nato_share_gdp",
        "--count-threshold", "0.02", "--count-year", "2024", "-f", "json",
    )  # fmt: skip
    out = json.loads(as_json.out)
    assert {row["year"] for row in out["rows"]} == {2024}
    assert "ISL" in out["counts"][0]["without_data"]


def test_help_lists_choices_examples_and_no_bool_types(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", "--help")
    assert result.code == 0
    assert "goal-seek|linear-share|constant-growth|front-loaded|back-loaded|given" in result.out
    assert "Example:" in result.out
    assert "[local currency]" in result.out  # units are not swallowed as markup
    assert "<bool>" not in result.out
    for command in ("track", "risk", "compare", "optimize", "overview", "sweep", "diff"):
        assert "Example:" in cli(command, "--help").out, command
    assert "--install-completion" in cli("--help").out
