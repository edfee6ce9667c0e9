"""Property: a definition's share is its spending over its stated denominator (issue 11).

For every shipped example and a spread of countries (quick plans), every definition shown,
every year: ``share_gdp_<d> == spending_local_<d> / denominator``, where the denominator is the
one the outcome states for that definition (its ``lines[d].denominator``: GDP of the same year,
a fixed base year's GDP, or a publisher's own GDP where its published figure is shown), and a
definition stated as "GDP of the same year" is divided by exactly the GDP the outcome shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildup.engine import Outcome, run
from buildup.engine.quick import QuickPlan, plan_question
from buildup.scenario import read_scenario
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"
PLANS = sorted(p.name for p in EXAMPLES.glob("*.toml") if "tracking" not in p.name)
COUNTRIES = ["JPN", "KOR", "PHL", "AUS", "DEU", "USA", "POL", "IND", "GBR", "TUR", "FRA", "CAN"]


def _check(outcome: Outcome) -> None:
    years = outcome.years
    gdp = years["gdp_local"].to_numpy()
    for name in outcome.names:
        rows = outcome.definition_years(name)
        assert rows["year"].tolist() == years["year"].tolist()
        spending = rows["spending_local"].to_numpy(dtype=float)
        share = rows["share_gdp"].to_numpy(dtype=float)
        line = outcome.line(name)
        np.testing.assert_allclose(share, spending / line.denominator, rtol=1e-12, err_msg=name)
        basis = rows["basis"]
        own = basis.isna().to_numpy() | basis.eq("estimated").to_numpy()
        if line.fixed:
            assert np.unique(line.denominator[own]).size <= 1, name
        else:
            np.testing.assert_allclose(line.denominator[own], gdp[own], rtol=1e-12, err_msg=name)
    # A definition the scenario writes with denominator "current" is divided by the GDP of the
    # same year, whatever the scenario inherits (japan-3.5pct-2035 was divided by FY2022's).
    for own_definition in outcome.scenario.definitions:
        if own_definition.denominator == "current" and own_definition.name in outcome.names:
            line = outcome.line(own_definition.name)
            assert not line.fixed, own_definition.name
            np.testing.assert_allclose(line.denominator, gdp, rtol=1e-12)
    # The frame's own denominator column is the primary definition's.
    np.testing.assert_allclose(
        years["denominator_local"].to_numpy(), outcome.line(outcome.primary).denominator
    )


@pytest.mark.parametrize("name", PLANS)
def test_every_example(store: Store, name: str) -> None:
    _check(run(read_scenario(EXAMPLES / name), store, name))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    country=st.sampled_from(COUNTRIES),
    share=st.sampled_from([0.02, 0.025, 0.035, 0.05]),
    by=st.integers(2027, 2040),
    fixed=st.booleans(),
)
def test_quick_plans_across_countries(
    store: Store, country: str, share: float, by: int, fixed: bool
) -> None:
    question = QuickPlan(country, share, by, gdp_base_year=2022 if fixed else None)
    _check(plan_question(store, question))
