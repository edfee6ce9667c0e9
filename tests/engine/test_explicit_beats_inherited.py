"""An explicit key beats an inherited or scenario-wide default (issue 11, fault 1).

``japan-3.5pct-2035.toml`` extends ``japan-dbp.toml``, whose ``[denominator] year = 2022`` used
to force the child's own ``denominator = "current"`` definition onto FY2022 GDP: FY2035 then
showed ¥19.6 tn as "3.5 % of GDP". Against the data's 2035 GDP 3.5 % needs about ¥28 tn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from buildup.engine import run
from buildup.errors import ScenarioError
from buildup.scenario import read_scenario, scenario_from_dict
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"


def _row(outcome, year: int):  # type: ignore[no-untyped-def]
    return outcome.years.set_index("year").loc[year]


def _own(outcome, year: int, definition: str):  # type: ignore[no-untyped-def]
    return outcome.definition_years(definition).set_index("year").loc[year]


def test_japan_3_5_pct_counts_against_gdp_of_the_same_year(store: Store) -> None:
    outcome = run(read_scenario(EXAMPLES / "japan-3.5pct-2035.toml"), store)
    fy2035 = _row(outcome, 2035)
    # The share is the spending over the GDP of 2035, not over FY2022's ¥560 tn.
    assert fy2035["denominator_local"] == pytest.approx(fy2035["gdp_local"], rel=1e-12)
    assert fy2035["share_gdp"] == pytest.approx(0.035, abs=1e-9)
    # Issue 11: "Japan 3.5 % of 2035 GDP ≈ ¥28 tn in FY2035" (rounded to ¥1 tn).
    assert round(fy2035["spending_local"] / 1e12) == 28
    assert any("does not apply" in a and "japan-dbp.toml" in a for a in outcome.assumptions)
    # The FY2022 basis still holds for the definition that asks for it.
    assert _own(outcome, 2027, "defense_related")["share_gdp"] == pytest.approx(
        _own(outcome, 2027, "defense_related")["spending_local"] / 560e12
    )


def test_a_year_table_is_not_mixed_with_the_inherited_one() -> None:
    # The child gives budgets to FY2026 ("then the smoothest real path"); FY2027's ¥8.9 tn of
    # the parent must not slip in.
    child = read_scenario(EXAMPLES / "japan-3.5pct-2035.toml")
    assert sorted(child.path.amounts) == [2023, 2024, 2025, 2026]


def test_conflict_in_one_file_is_an_error_naming_both_keys(store: Store) -> None:
    scenario = scenario_from_dict(
        {
            "country": "JPN",
            "baseline": {"year": 2024},
            "definition": "mine",
            "denominator": {"year": 2022},
            "definitions": [
                {"name": "mine", "components": ["budget"], "denominator": "current"},
            ],
            "targets": [{"year": 2030, "share_gdp": 0.02}],
        },
        "one.toml",
    )
    with pytest.raises(
        ScenarioError, match=r"denominator\.year = 2022: conflicts with definitions\[0\]"
    ):
        run(scenario, store, "one.toml")


def test_scenario_wide_year_beats_a_preset(store: Store) -> None:
    # A preset definition (SIPRI, current GDP) is a default: [denominator] year wins over it.
    scenario = scenario_from_dict(
        {
            "country": "KOR",
            "baseline": {"year": 2024},
            "denominator": {"year": 2022},
            "targets": [{"year": 2027, "share_gdp": 0.03}],
        },
        "x",
    )
    outcome = run(scenario, store)
    assert outcome.years["denominator_local"].nunique() == 1


def test_a_new_year_does_not_inherit_the_old_years_amount(tmp_path: Path) -> None:
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'country = "JPN"\n[baseline]\nyear = 2022\namount = 5e12\n'
        "[denominator]\nyear = 2022\namount = 560e12\n"
        "[[targets]]\nyear = 2027\nshare_gdp = 0.02\n",
        encoding="utf-8",
    )
    child = tmp_path / "child.toml"
    child.write_text(
        'extends = "parent.toml"\n[baseline]\nyear = 2023\n[denominator]\nyear = 2023\n',
        encoding="utf-8",
    )
    scenario = read_scenario(child)
    assert scenario.baseline.amount is None
    assert scenario.denominator.amount is None
    assert scenario.set_in("baseline.year") == (0, "child.toml")
    assert scenario.set_in("targets") == (1, "parent.toml")


def test_denominator_amount_needs_its_year() -> None:
    with pytest.raises(ScenarioError, match="denominator: amount is the GDP of one year"):
        scenario_from_dict(
            {"country": "JPN", "baseline": {"year": 2022}, "denominator": {"amount": 5.6e14}},
            "x",
        )
