"""Cost to target: the planner's path against the current path (the baseline share held)."""

from __future__ import annotations

import json
import math

import pytest

from buildup.compare import (
    TargetSpec,
    compare_cost_to_target,
    cost_table,
    resolve_target,
)
from buildup.errors import DataError, InputError
from buildup.serialize import dumps
from buildup.store import Store

ASKED = ["JPN", "KOR", "AUS", "PHL", "USA", "CHN"]


def test_a_country_already_above_the_target_costs_nothing(store: Store) -> None:
    (usa,) = compare_cost_to_target(store, ["USA"], resolve_target("nato-2", by=2030))
    assert usa.already_met
    assert usa.target_met
    assert usa.extra_total_local == 0.0
    assert usa.extra_total_usd == 0.0
    assert (usa.years["extra_local"] == 0).all()
    assert math.isnan(usa.required_real_growth)
    assert usa.years["plan_share"].tolist() == pytest.approx([usa.baseline_share] * 7)
    assert "already at" in usa.notes[0]


def test_below_the_target_the_extra_cost_is_positive_and_the_target_is_met(
    store: Store,
) -> None:
    (kor,) = compare_cost_to_target(store, ["KOR"], resolve_target("nato-3.5"))
    years = kor.years.set_index("year")
    assert not kor.already_met
    assert kor.target_met
    assert kor.baseline_year == 2024
    assert years.loc[2035, "plan_share"] == pytest.approx(0.035, abs=1e-9)
    assert years.loc[2035, "current_share"] == pytest.approx(kor.baseline_share)
    assert kor.extra_total_local > 0
    assert kor.extra_total_usd > 0
    planned = years.loc[2025:2035]
    assert kor.extra_total_local == pytest.approx(planned["extra_local"].sum())
    assert kor.extra_total_usd == pytest.approx(planned["extra_usd"].sum())
    assert (years["extra_local"] == years["plan_local"] - years["current_local"]).all()
    assert kor.extra_target_year_usd == pytest.approx(years.loc[2035, "extra_usd"])
    assert kor.required_real_growth > kor.current_real_growth > 0
    assert kor.currency == "KRW"
    assert kor.definition == "sipri"
    assert {e.dataset: e.edition for e in kor.editions}["milex"] == "2025"


def test_the_done_when_table_covers_every_country(store: Store) -> None:
    costs = compare_cost_to_target(store, ASKED, resolve_target("nato-3.5"))
    table = cost_table(costs)
    assert table["iso3"].tolist() == ASKED
    assert table["target_share"].eq(0.035).all()
    assert table["target_year"].eq(2035).all()
    assert table["extra_total_usd"].gt(0).all()
    assert table["required_real_growth"].notna().all()
    # The Philippines cannot get there within the planner's 15 %/yr real ramp limit (issue 11).
    assert [c.iso3 for c in costs if not c.target_met] == ["PHL"]
    # Japan under SIPRI's definition from its FY2026 budget (the latest national budget, as in
    # `plan --country JPN`): SIPRI's count estimated from the budget, above SIPRI's 2024 1.37 %.
    japan = costs[0]
    assert japan.baseline_year == 2026
    assert 0.0137 < japan.baseline_share < 0.02


def test_the_cost_serialises_with_the_years(store: Store) -> None:
    (aus,) = compare_cost_to_target(store, ["AUS"], resolve_target("nato-5"))
    data = json.loads(dumps(aus))
    assert data["iso3"] == "AUS"
    assert data["target_share"] == 0.05
    assert data["target_year"] == 2035
    assert [row["year"] for row in data["years"]] == list(range(2024, 2036))
    assert set(data["years"][0]) == {
        "year",
        "plan_local",
        "current_local",
        "extra_local",
        "plan_usd",
        "current_usd",
        "extra_usd",
        "plan_share",
        "current_share",
    }
    assert any("models the 1.5 %" in note for note in data["notes"])


def test_presets() -> None:
    assert resolve_target("nato-3.5") == TargetSpec(
        0.035, 2035, "NATO 3.5 % core defence by 2035 (The Hague, 2025)"
    )
    five = resolve_target("nato-5")
    assert (five.share_gdp, five.year) == (0.05, 2035)
    assert "an assumption" in five.note
    assert resolve_target("nato-2", by=2030).year == 2030
    assert resolve_target(share_gdp=0.03, by=2032) == TargetSpec(0.03, 2032, "3 % of GDP by 2032")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        (
            {"preset": "nato-2"},
            "target = nato-2: the target has no date; give its year (`by` 2030)",
        ),
        (
            {"preset": "nato-4"},
            "target = nato-4: unknown target; expected one of nato-2, nato-3.5, nato-5",
        ),
        ({"share_gdp": 0.03}, "by: a target needs a share of GDP and a year"),
        ({"share_gdp": 3.5, "by": 2035}, "write 0.035 for 3.5 %"),
        (
            {"preset": "nato-5", "share_gdp": 0.05},
            "a target preset and a target share were both given",
        ),
    ],
)
def test_bad_targets(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InputError) as raised:
        resolve_target(**kwargs)  # type: ignore[arg-type]
    assert fragment in str(raised.value)


def test_a_country_without_sipri_shares(store: Store) -> None:
    with pytest.raises(DataError, match="gdp: no GDP for PRK in any year"):
        compare_cost_to_target(store, ["PRK"], resolve_target("nato-3.5"))
