from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "portfolio"
PROGRAMMES = str(FIXTURES / "programmes.csv")
ENVELOPE = str(FIXTURES / "envelope.csv")


def test_optimize_json_has_the_documented_fields(cli) -> None:
    result = cli("optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "-f", "json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert {
        "status", "objective", "bound", "gap", "selected", "spend_by_year", "spend_by_area",
        "tail_after_horizon", "binding_years", "greedy", "gain_over_greedy",
    } <= set(out)  # fmt: skip
    assert out["status"] in ("optimal", "feasible with gap")
    assert {"id", "start_year", "quantity", "cost"} <= set(out["selected"][0])
    assert [y["year"] for y in out["spend_by_year"]] == [2025, 2026, 2027]
    assert "ship" in {s["id"] for s in out["selected"]}  # mandatory
    for year in out["binding_years"]:
        assert year["shadow_price"] > 0


def test_gap_zero_proves_optimality(cli) -> None:
    args = ("optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "--gap", "0")
    result = cli(*args, "--area-limits", str(FIXTURES / "area_limits.csv"), "-f", "json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["status"] == "optimal"
    assert out["gap"] == 0.0
    assert out["objective"] == pytest.approx(out["bound"])


def test_table_pareto_and_chart(cli, tmp_path: Path) -> None:
    chart = tmp_path / "portfolio.png"
    result = cli(
        "optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "--pareto",
        "--chart", str(chart), "--currency", "JPY",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Chosen programmes" in result.out
    assert "Pareto front" in result.out
    assert "binding" in result.out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = tmp_path / "portfolio.html"
    result = cli(
        "optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "--chart", str(html)
    )
    assert result.code == 0, result.err
    assert "<svg" in html.read_text(encoding="utf-8")


def test_csv_is_the_selection(cli) -> None:
    result = cli("optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "-f", "csv")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "id,name,area,start_year,quantity,cost,value"


def test_japan_example_with_the_plan(cli) -> None:
    result = cli(
        "optimize", "--programmes", str(EXAMPLES / "japan-programmes.csv"),
        "--plan", str(EXAMPLES / "japan-dbp.toml"), "--envelope-share", "0.10", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["currency"] == "JPY"
    assert [y["year"] for y in out["spend_by_year"]] == list(range(2023, 2028))
    assert out["binding_years"], "the Japan envelopes should bind"
    chosen = {s["id"]: s for s in out["selected"]}
    assert chosen["asev"]["quantity"] == 2  # mandatory: the two vessels
    inputs = {s["name"]: s["value"] for s in out["inputs"]}
    assert "japan-dbp.toml" in inputs["envelope"]


def test_infeasible_is_explained_in_one_line(cli, tmp_path: Path) -> None:
    tight = tmp_path / "tight.csv"
    tight.write_text("year,budget\n2025,10\n2026,10\n2027,10\n", encoding="utf-8")
    result = cli("optimize", "--programmes", PROGRAMMES, "--envelope", str(tight))
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith("buildup: error: no feasible portfolio: ")
    assert "ship must be chosen, but its minimum of 1 unit(s) needs" in line
    assert "FY2025" in line or "FY2027" in line


def test_envelope_or_plan_is_required(cli) -> None:
    result = cli("optimize", "--programmes", PROGRAMMES)
    assert result.code == 2
    assert "give the envelopes with --envelope FILE or --plan SCENARIO.toml" in result.err


BROKEN = {
    "duplicate_id.csv": "duplicate_id.csv, row 4, column id: duplicate id 'b' (also duplicate_id.csv, row 3)",
    "requires_unknown.csv": "requires_unknown.csv, row 3, column requires: 'zz' is not the id of any programme",
    "requires_cycle.csv": "requires_cycle.csv, row 2, column requires: cycle a -> c -> b -> a",
    "profile_not_one.csv": "profile_not_one.csv, row 3, column payment_profile: the fractions sum to 0.9 (off by -0.1)",
    "min_above_max.csv": "min_above_max.csv, row 2, column min_qty: 5 is above max_qty 3",
    "earliest_after_latest.csv": "earliest_after_latest.csv, row 2, column earliest_start: 2027 is after latest_start 2025",
    "negative_cost.csv": "negative_cost.csv, row 3, column unit_cost: -5 is negative",
    "negative_value.csv": "negative_value.csv, row 2, column value: -1 is negative",
    "not_a_number.csv": "not_a_number.csv, row 2, column unit_cost: 'lots' is not a number",
}
BROKEN_ENVELOPE = {
    "envelope_gap.csv": "envelope_gap.csv, row 4, column year: 2028 follows 2026: the years have a gap (2027 missing)",
}
BROKEN_LIMITS = {
    "area_min_above_max.csv": "area_min_above_max.csv, row 2, column min_share: 0.7 is above max_share 0.4",
}


def _one_line(result) -> str:
    assert result.code == 2, result.out
    (line,) = result.err.strip().splitlines()
    assert line.startswith("buildup: error: ")
    return line


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN.items()))
def test_broken_programmes(cli, file: str, fragment: str) -> None:
    result = cli(
        "optimize", "--programmes", str(FIXTURES / "broken" / file), "--envelope", ENVELOPE
    )
    assert fragment in _one_line(result)


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN_ENVELOPE.items()))
def test_broken_envelope(cli, file: str, fragment: str) -> None:
    result = cli(
        "optimize", "--programmes", PROGRAMMES, "--envelope", str(FIXTURES / "broken" / file)
    )
    assert fragment in _one_line(result)


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN_LIMITS.items()))
def test_broken_area_limits(cli, file: str, fragment: str) -> None:
    result = cli(
        "optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE,
        "--area-limits", str(FIXTURES / "broken" / file),
    )  # fmt: skip
    assert fragment in _one_line(result)


def test_every_broken_fixture_has_a_case() -> None:
    names = {p.name for p in (FIXTURES / "broken").iterdir()}
    assert names == set(BROKEN) | set(BROKEN_ENVELOPE) | set(BROKEN_LIMITS)


def test_unknown_mission_weight_is_one_line(cli) -> None:
    result = cli(
        "optimize", "--programmes", PROGRAMMES, "--envelope", ENVELOPE, "--weights", "denial=1"
    )
    assert result.code == 2
    assert "--weights denial: not a mission of the catalogue (value_ columns: " in _one_line(result)
