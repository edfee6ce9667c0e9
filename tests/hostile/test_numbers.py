"""Issue 12, fault 2: NaN, infinity and zero where they make no sense never pass.

Every number from outside (scenario files, tracking files, programme and envelope CSVs, CLI
flags) is finite and in its range, checked where it enters, with a message naming the key.
Each case ran with exit 0 (and a wrong or non-finite result) before the fix.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
JAPAN = EXAMPLES / "japan-dbp.toml"
PROGRAMMES = "id,area,unit_cost,max_qty,payment_profile,earliest_start,latest_start,value\n"
ENVELOPE = "year,budget\n2023,1000\n2024,1000\n2025,1000\n"


def _one_line(result) -> str:
    assert result.code == 2, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    return lines[0]


def _finite_json(text: str) -> object:
    """Standard JSON only: bare NaN or Infinity are refused by a strict parser."""

    def refuse(name: str) -> float:
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


SCENARIOS = {
    # A target share of nan used to end in "path.amounts: cannot convert float NaN to integer".
    "nan_share": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2030\nshare_gdp = nan\n',
        "targets[0].share_gdp: nan is not a finite number",
    ),
    "zero_denominator": (
        f'extends = "{JAPAN}"\n[denominator]\namount = 0\n',
        "denominator.amount: 0 must be at least 1",
    ),
    # A growth of -100 % makes GDP zero and the share infinite (reported as met).
    "gdp_growth_minus_one": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2035\nshare_gdp = 0.02\n'
        "[gdp]\ngrowth_after_data = -1.0\n",
        "gdp.growth_after_data: -1 would take the series to zero or below",
    ),
    "inflation_minus_one": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2035\nshare_gdp = 0.02\n'
        "[prices]\ninflation_after_data = -1.0\n",
        "prices.inflation_after_data: -1 would take the series to zero or below",
    ),
    "infinite_amount": (
        'country = "JPN"\n[baseline]\nyear = 2024\namount = inf\n[[targets]]\nyear = 2030\n'
        "share_gdp = 0.02\n",
        "baseline.amount: inf is not a finite number",
    ),
    "tiny_exchange_rate": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2030\nshare_gdp = 0.02\n'
        "[fx]\nrates = { 2025 = 1e-308 }\n",
        "fx.rates[2025]: 1e-308 must be at least 1e-09",
    ),
    "tiny_price_index": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2030\nshare_gdp = 0.02\n'
        "[prices]\npath = { 2026 = 1e-308 }\n",
        "prices.path[2026]: 1e-308 must be at least 1e-09",
    ),
    "zero_gdp_path": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[[targets]]\nyear = 2030\nshare_gdp = 0.02\n'
        "[gdp]\npath = { 2026 = 0 }\n",
        "gdp.path[2026]: 0 must be at least 1",
    ),
    "nan_risk_sd": (
        f'extends = "{JAPAN}"\n[risk]\nexecution_sd = nan\n',
        "risk.execution_sd: nan is not a finite number",
    ),
    "huge_year_key": (
        'country = "JPN"\n[baseline]\nyear = 2024\n[path]\nshape = "given"\n'
        "amounts = { 100000000 = 1 }\n",
        "path.amounts key 100000000: '100000000' must be at most 2100",
    ),
}


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_scenario_numbers_refused(cli, tmp_path: Path, case: str) -> None:
    text, fragment = SCENARIOS[case]
    file = tmp_path / f"{case}.toml"
    file.write_text(text, encoding="utf-8")
    line = _one_line(cli("plan", str(file), "--format", "json"))
    assert f"{case}.toml: " in line
    assert fragment in line


FLAGS = [
    (["--max-real-growth", "nan"], "Invalid value for '--max-real-growth': 'nan' is not a finite"),
    (["--gdp-growth", "nan"], "--gdp-growth: 'nan' is not a finite number"),
    (["--gdp-growth", "-1"], "--gdp-growth: -1 is out of range; give a fraction above -1"),
    (["--inflation", "inf"], "--inflation: 'inf' is not a finite number"),
    (["--target-share", "nan"], "--target-share nan: nan is not a finite number"),
    (["--target-share", "0"], "--target-share 0: 0 must be above 0"),
]


@pytest.mark.parametrize(("args", "fragment"), FLAGS)
def test_plan_flags_refused(cli, args: list[str], fragment: str) -> None:
    base = {"--country": "JPN", "--target-share": "0.02", "--by": "2030"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = [part for pair in base.items() for part in pair]
    line = _one_line(cli("plan", *argv, "--format", "json"))
    assert fragment in line


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--seed", "-1"], "--seed -1: -1 must be at least 0"),
        (["--draws", "100000000000"], "--draws 100000000000: 100000000000 must be at most 5e+07"),
        (["--alpha", "nan"], "'--alpha': 'nan' is not a finite number"),
        (["--envelope-share", "inf"], "'--envelope-share': 'inf' is not a finite number"),
    ],
)
def test_risk_flags_refused(cli, args: list[str], fragment: str) -> None:
    line = _one_line(cli("risk", str(JAPAN), "--draws", "100", *args))
    assert fragment in line


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["JPN", "--target-share", "nan", "--by", "2035"], "'--target-share': 'nan' is not a"),
        (["JPN", "--target-share", "0.035", "--by", "99999"], "'--by'"),
        (["NATO", "--count-threshold", "inf"], "'--count-threshold': 'inf' is not a finite"),
    ],
)
def test_compare_flags_refused(cli, args: list[str], fragment: str) -> None:
    line = _one_line(cli("compare", *args))
    assert fragment in line


PORTFOLIO_ROWS = {
    # A profile of nan;nan passed the sum check (nan compares false) and the programme
    # vanished from the yearly spending while still scoring value.
    "nan_profile": ("a,x,10,2,nan;nan,2023,2024,1", "column payment_profile: 'nan;nan' is not"),
    "nan_cost": ("a,x,nan,2,1,2023,2024,1", "column unit_cost: 'nan' is not a number"),
    "inf_cost": ("a,x,inf,2,1,2023,2024,1", "column unit_cost: 'inf' is not a number"),
    # 1e308 used to reach HiGHS, which rejected the model ("this is a bug").
    "huge_cost": ("a,x,1e308,2,1,2023,2024,1", "column unit_cost: 1e+308 must be at most 1e+24"),
    "nan_value": ("a,x,10,2,1,2023,2024,nan", "column value: 'nan' is not a number"),
    "huge_value": ("a,x,10,2,1,2023,2024,1e300", "column value: 1e+300 must be at most 1e+09"),
    # The sum is 1, so the message said "off by +0"; the fault is the negative fraction.
    "negative_fraction": ("a,x,10,2,1.5;-0.5,2023,2024,1", "the fraction -0.5 is negative"),
    "huge_quantity": ("a,x,10,1e18,1,2023,2024,1", "column max_qty: '1e18' is not a whole"),
    "far_year": ("a,x,10,2,1,2023,99999,1", "column latest_start: 99999 must be at most 2100"),
}


@pytest.mark.parametrize("case", sorted(PORTFOLIO_ROWS))
def test_programme_numbers_refused(cli, tmp_path: Path, case: str) -> None:
    row, fragment = PORTFOLIO_ROWS[case]
    programmes = tmp_path / "p.csv"
    programmes.write_text(PROGRAMMES + row + "\n", encoding="utf-8")
    envelope = tmp_path / "e.csv"
    envelope.write_text(ENVELOPE, encoding="utf-8")
    line = _one_line(cli("optimize", "--programmes", str(programmes), "--envelope", str(envelope)))
    assert "p.csv, row 2" in line
    assert fragment in line


@pytest.mark.parametrize(
    ("envelope", "fragment"),
    [
        ("year,budget\n2023,nan\n", "row 2, column budget: 'nan' is not a number"),
        ("year,budget\n2023,1e30\n", "row 2, column budget: 1e+30 is above 1e+24"),
        ("year,budget\n99999,1\n", "row 2, column year: 99999 is not a year from 1900 to 2100"),
    ],
)
def test_envelope_numbers_refused(cli, tmp_path: Path, envelope: str, fragment: str) -> None:
    programmes = tmp_path / "p.csv"
    programmes.write_text(PROGRAMMES + "a,x,10,2,1,2023,2023,1\n", encoding="utf-8")
    file = tmp_path / "e.csv"
    file.write_text(envelope, encoding="utf-8")
    line = _one_line(cli("optimize", "--programmes", str(programmes), "--envelope", str(file)))
    assert fragment in line


def test_weights_must_be_finite(cli, tmp_path: Path) -> None:
    programmes = tmp_path / "p.csv"
    programmes.write_text(
        "id,area,unit_cost,max_qty,payment_profile,earliest_start,latest_start,value_a\n"
        "a,x,10,2,1,2023,2023,1\n",
        encoding="utf-8",
    )
    file = tmp_path / "e.csv"
    file.write_text(ENVELOPE, encoding="utf-8")
    line = _one_line(
        cli(
            "optimize",
            "--programmes",
            str(programmes),
            "--envelope",
            str(file),
            "--weights",
            "a=nan",
        )
    )
    assert "--weights a=nan: expected mission=weight with a weight from 0 to 1e+06" in line


TRACKING = (
    'name = "t"\ncountry = "KOR"\n[plan]\nfirst_year = 2022\nlast_year = 2025\nenvelope = 400\n'
)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        # A fixed year above the envelope planned the other years at negative budgets.
        ("fixed = { 2023 = 500 }\n", "the fixed years sum to 500, more than the envelope 400"),
        ("assumed_inflation = nan\n", "plan.assumed_inflation: nan is not a finite number"),
        ("planning_rates = { 2023 = 1e-308 }\n", "plan.planning_rates[2023]: 1e-308 must be"),
        (
            '[[actuals]]\nfiscal_year = 2022\nkind = "initial"\namount = inf\n',
            "actuals[0].amount: inf is not a finite number",
        ),
    ],
)
def test_tracking_numbers_refused(cli, tmp_path: Path, extra: str, fragment: str) -> None:
    file = tmp_path / "t.toml"
    file.write_text(TRACKING + extra, encoding="utf-8")
    line = _one_line(cli("track", str(file), "--format", "json"))
    assert fragment in line


def test_actuals_csv_nan_refused(cli, tmp_path: Path) -> None:
    file = tmp_path / "t.toml"
    file.write_text(TRACKING, encoding="utf-8")
    actuals = tmp_path / "a.csv"
    actuals.write_text("fiscal_year,kind,amount\n2022,initial,nan\n", encoding="utf-8")
    line = _one_line(cli("track", str(file), "--actuals", str(actuals)))
    assert "a.csv, row 2: amount: nan is not a finite number" in line


def test_valid_plan_json_is_finite(cli) -> None:
    """The control: the Japan programme still runs, and its JSON is standard JSON."""
    result = cli("plan", str(JAPAN), "--format", "json")
    assert result.code == 0, result.err
    out = _finite_json(result.out)
    assert isinstance(out, dict)
    totals = out["totals"]
    assert all(v is None or math.isfinite(v) for v in totals.values())
