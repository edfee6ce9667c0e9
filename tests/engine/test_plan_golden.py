"""Golden scenarios against published control figures (../shared/CONTROL_FIGURES.md).

Published figures are rounded ("about ¥11 trillion"); each test compares at the rounding of
its source and says so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from buildup.data.catalogue import load_bundled
from buildup.engine import run
from buildup.scenario import load_preset, read_scenario, scenario_from_dict
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"


def _run(store: Store, name: str):  # type: ignore[no-untyped-def]
    return run(read_scenario(EXAMPLES / name), store, name)


def _row(outcome, year: int, definition: str | None = None) -> pd.Series:  # type: ignore[no-untyped-def]
    rows = outcome.years if definition is None else outcome.definition_years(definition)
    return rows.set_index("year").loc[year]


def test_two_percent_of_fy2022_gdp_is_about_11_trillion(store: Store) -> None:
    # MOD white paper 2024 (2 % column): 2 % of FY2022 GDP ≈ ¥11 trillion (rounded to 1 tn).
    scenario = scenario_from_dict(
        {
            "country": "JPN",
            "baseline": {"year": 2026},
            "denominator": {"year": 2022},
            "targets": [{"year": 2027, "share_gdp": 0.02}],
        },
        "test",
    )
    outcome = run(scenario, store)
    fy2027 = _row(outcome, 2027)
    assert round(fy2027["spending_local"] / 1e12) == 11
    assert fy2027["share_gdp"] == pytest.approx(0.02, abs=1e-15)
    # Exact to the yen: one yen less and the share falls below 2 %.
    assert (fy2027["spending_local"] - 1) / fy2027["denominator_local"] < 0.02
    (check,) = outcome.targets
    assert check.met
    assert check.reachable


def test_programme_budgets_sum_to_the_annual_frame(store: Store) -> None:
    # DBP section XIII: ¥43 tn = ¥40.5 tn in annual budgets + ¥1.6 tn + ¥0.9 tn; the initial
    # budgets FY2023–26 plus FY2027's ¥8.9 tn give ¥40.51 tn, "about 40.5" (0.1 tn rounding).
    outcome = _run(store, "japan-dbp.toml")
    assert round(_row(outcome, 2027)["budget_local"] / 1e12, 1) == 8.9
    assert outcome.totals.cumulative_budget_local == pytest.approx(40.5e12, abs=0.05e12)
    dbp = load_bundled("japan_dbp").fillna({"subcategory": ""})
    frame = {f"{r.category}|{r.subcategory}": r.amount_jpy for r in dbp.itertuples()}
    annual = frame["total|defense-related expenditure in annual budgets FY2023-FY2027"]
    measures = sum(v for k, v in frame.items() if k.startswith("frame measure|"))
    assert annual + measures == 43.0e12
    assert outcome.totals.cumulative_budget_local + measures == pytest.approx(43.0e12, abs=0.05e12)


def test_progress_by_the_governments_measure(store: Store) -> None:
    # FY2024 1.6 %, FY2025 initial 1.8 % of FY2022 GDP (Sankei/Nikkei 2024-04-26; Yomiuri
    # 2025-04-16), published to one decimal of a percent; FY2027 "about ¥11 tn" = 2 %.
    outcome = _run(store, "japan-dbp.toml")
    shares = outcome.definition_years("defense_related").set_index("year")["share_gdp"]
    assert round(shares[2024] * 100, 1) == 1.6
    assert round(shares[2025] * 100, 1) == 1.8
    assert round(shares[2027] * 100, 1) == 2.0
    assert round(_row(outcome, 2024, "defense_related")["spending_local"] / 1e11) / 10 == 8.9
    assert round(_row(outcome, 2025, "defense_related")["spending_local"] / 1e11) / 10 == 9.9
    (check,) = outcome.targets
    # Issue 11, fault 7: "met" is strict; the rounding is shown beside it, never instead.
    assert check.met_rounded  # at the published rounding (2.0 % at one decimal)
    assert not check.met  # but not exactly: 11.0 tn / 560 tn = 1.96 %
    assert check.share_gdp < 0.02


def test_government_measure_against_sipri_2024(store: Store) -> None:
    # Japan 2024: 1.6 % by the government's FY2022-GDP measure against 1.4 % by SIPRI
    # (SIPRI fact sheet April 2025: 1.37 %).
    outcome = _run(store, "japan-dbp.toml")
    assert round(_row(outcome, 2024, "defense_related")["share_gdp"] * 100, 1) == 1.6
    assert round(_row(outcome, 2024, "sipri")["share_gdp"] * 100, 2) == 1.37


def test_sipri_ratio_in_the_presets_recomputes_from_the_data() -> None:
    preset = {c.name: c for c in load_preset("JPN").components}
    milex = load_bundled("milex").set_index(["iso3", "year"])
    budget = load_bundled("japan_budget")
    incl = budget[
        (budget["fiscal_year"] == 2024)
        & (budget["budget_kind"] == "initial")
        & (budget["includes_saco_realignment"] == "yes")
    ]["amount_jpy"].item()
    ratio = milex.loc[("JPN", 2024), "milex_local_current"] / incl
    assert preset["sipri_adjustment"].share == round(ratio, 4)


def test_saco_amounts_in_the_presets_are_the_printed_differences() -> None:
    preset = {c.name: c for c in load_preset("JPN").components}["saco_realignment"]
    budget = load_bundled("japan_budget")
    initial = budget[budget["budget_kind"] == "initial"]
    for year in (2023, 2024, 2025, 2026):
        rows = initial[initial["fiscal_year"] == year].set_index("includes_saco_realignment")
        assert preset.amounts[year] == pytest.approx(
            rows.loc["yes", "amount_jpy"] - rows.loc["no", "amount_jpy"]
        )


def test_accelerated_path_reaches_two_percent_in_fy2025(store: Store) -> None:
    # 2 % reached in FY2025 with the supplementary (Jiji via nippon.com 2025-12-03): initial
    # ≈ ¥9.9 tn + ≈ ¥1.1 tn ≈ ¥11 tn.
    outcome = _run(store, "japan-accelerated.toml")
    fy2025 = _row(outcome, 2025)
    assert round(fy2025["spending_local"] / 1e12) == 11
    checks = {t.year: t for t in outcome.targets}
    # "2 %" as the government rounds it (one decimal); strictly 1.96 % (issue 11, fault 7).
    assert checks[2025].met_rounded
    assert round(checks[2025].share_gdp * 100, 1) == 2.0
    base = _run(store, "japan-dbp.toml")
    assert round(_row(base, 2025)["share_gdp"] * 100, 1) == 1.8


def test_exchange_rate_exposure_against_the_programme_rate(store: Store) -> None:
    outcome = _run(store, "japan-dbp.toml")
    row = _row(outcome, 2026)
    # ¥155.20/$ against ¥108/$ on 15 % of the spending.
    expected = row["spending_local"] * 0.15 * (155.20 / 108 - 1)
    assert row["fx_lost_local"] == pytest.approx(expected)


def test_unreachable_target_reports_earliest_year_and_reachable_share(store: Store) -> None:
    outcome = _run(store, "philippines-3.5pct-2035.toml")
    (check,) = outcome.targets
    assert not check.reachable
    assert not check.met
    assert check.earliest_year is not None
    assert check.earliest_year > 2035
    growth = outcome.years["growth_real"].dropna()
    assert growth.max() <= 0.15 + 1e-9
    assert check.share_gdp < 0.035


@pytest.mark.parametrize(
    "name", ["korea-3.5pct-2035.toml", "australia-3.5pct-2035.toml", "japan-3.5pct-2035.toml"]
)
def test_three_and_a_half_percent_examples_meet_their_targets(store: Store, name: str) -> None:
    outcome = _run(store, name)
    for check in outcome.targets:
        assert check.met, check
    final = outcome.targets[-1]
    assert final.share_gdp == pytest.approx(0.035, abs=1e-12)


def test_user_gdp_path_and_fixed_denominator_amount(store: Store) -> None:
    scenario = scenario_from_dict(
        {
            "country": "KOR",
            "baseline": {"year": 2024},
            "definition": "sipri",
            "targets": [{"year": 2026, "share_gdp": 0.03}],
            "gdp": {"path": {2026: 3.0e15}},
            "denominator": {"year": 2024, "amount": 2.5e15, "source": "test"},
        },
        "test",
    )
    outcome = run(scenario, store)
    row = _row(outcome, 2026)
    assert row["gdp_local"] == 3.0e15
    assert row["denominator_local"] == 2.5e15
    assert row["spending_local"] == 0.03 * 2.5e15
    assert (
        "denominator of sipri: fixed GDP of 2024: 2,500,000,000,000,000 (test)"
        in outcome.assumptions
    )


@pytest.mark.parametrize(
    "shape", ["linear-share", "constant-growth", "front-loaded", "back-loaded"]
)
def test_every_shape_meets_the_target(store: Store, shape: str) -> None:
    scenario = scenario_from_dict(
        {
            "country": "AUS",
            "baseline": {"year": 2024},
            "path": {"shape": shape},
            "targets": [{"year": 2030, "share_gdp": 0.03}],
        },
        "test",
    )
    outcome = run(scenario, store)
    (check,) = outcome.targets
    assert check.met
    assert check.share_gdp == pytest.approx(0.03, abs=1e-12)
