"""Two commands, one answer (issue 11, fault 5).

``buildup plan examples/philippines-3.5pct-2035.toml`` said 3.5 % by 2035 is out of reach within
15 %/yr real growth while ``buildup compare PHL --target-share 0.035 --by 2035`` said "met" at
15.95 %/yr without any cap; Japan's baseline was SIPRI 2024 in one and FY2026 in the other.
"""

from __future__ import annotations

import numpy as np
import pytest

from buildup.compare import compare_cost_to_target, resolve_target
from buildup.engine.quick import DEFAULT_MAX_REAL_GROWTH, QuickPlan, plan_question
from buildup.store import Store

SPREAD = ["JPN", "KOR", "PHL", "AUS", "DEU", "USA", "POL", "IND", "GBR", "TUR"]


@pytest.mark.parametrize(("share", "by", "limit"), [(0.035, 2035, None), (0.05, 2035, 0.08)])
def test_compare_path_is_the_plan_path(store: Store, share: float, by: int, limit) -> None:  # type: ignore[no-untyped-def]
    target = resolve_target(share_gdp=share, by=by)
    costs = compare_cost_to_target(store, SPREAD, target, max_real_growth=limit)
    for cost in costs:
        question = QuickPlan(cost.iso3, share, by, definition="sipri", max_real_growth=limit)
        plan = plan_question(store, question)
        (check,) = plan.targets
        assert cost.baseline_year == int(plan.years["year"].iloc[0]), cost.iso3
        if cost.already_met:
            assert check.met, cost.iso3
            continue
        np.testing.assert_allclose(
            cost.years["plan_local"].to_numpy(), plan.years["spending_local"].to_numpy()
        )
        assert cost.target_met == check.met, cost.iso3


def test_philippines_is_out_of_reach_in_both(store: Store) -> None:
    target = resolve_target(share_gdp=0.035, by=2035)
    (cost,) = compare_cost_to_target(store, ["PHL"], target)
    assert not cost.target_met
    assert cost.required_real_growth == pytest.approx(DEFAULT_MAX_REAL_GROWTH, abs=1e-9)
    assert any("out of reach within 15% real growth a year" in n for n in cost.notes)


def test_japan_baseline_is_the_national_budget_in_both(store: Store) -> None:
    target = resolve_target(share_gdp=0.035, by=2035)
    (cost,) = compare_cost_to_target(store, ["JPN"], target)
    budget = store.query("japan_budget")
    initial = budget[
        (budget["budget_kind"] == "initial") & (budget["includes_saco_realignment"] == "no")
    ]
    assert cost.baseline_year == int(initial["fiscal_year"].max()) == 2026


def test_the_plan_page_asks_the_same_question(store: Store) -> None:
    # A sibling of fault 5: the web page's quick plan had no ramp limit by default.
    pytest.importorskip("fastapi")
    from buildup.engine import run
    from buildup.web.pages.params import read_params
    from buildup.web.pages.plan import PLAN_PARAMS, build_scenario

    params = read_params([("country", "PHL"), ("share", "3.5"), ("by", "2035")], PLAN_PARAMS)
    page = run(build_scenario(store, dict(params.values)), store, "page")
    cli = plan_question(store, QuickPlan("PHL", 0.035, 2035))
    np.testing.assert_allclose(
        page.years["budget_local"].to_numpy(), cli.years["budget_local"].to_numpy()
    )
    assert not page.targets[0].reachable
