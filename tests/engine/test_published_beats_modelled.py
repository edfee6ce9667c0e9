"""Published beats modelled (issue 11, fault 4).

``japan-dbp.toml`` showed Japan's ``sipri`` share for 2023 as 1.21 % (the FY2024 SIPRI/budget
ratio applied to FY2023) while SIPRI published 1.14 % (milex, SIPRI fact sheet April 2025).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from buildup.engine import run
from buildup.scenario import read_scenario
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_sipri_years_show_what_sipri_published(store: Store) -> None:
    outcome = run(read_scenario(EXAMPLES / "japan-dbp.toml"), store)
    milex = store.query("milex", ["JPN"]).set_index("year")
    sipri = outcome.definition_years("sipri").set_index("year")
    for year in (2022, 2023, 2024):
        assert sipri.loc[year, "share_gdp"] == pytest.approx(milex.loc[year, "share_gdp"])
        assert sipri.loc[year, "spending_local"] == pytest.approx(
            milex.loc[year, "milex_local_current"]
        )
        assert sipri.loc[year, "basis"] == "published"
    assert round(sipri.loc[2023, "share_gdp"] * 100, 2) == 1.14
    assert sipri.loc[2025, "basis"] == "estimated"
    (share_2023,) = [e for e in outcome.explain(2023) if e.key == "share_gdp:sipri"]
    assert "published by milex" in share_2023.steps[0]
    (share_2025,) = [e for e in outcome.explain(2025) if e.key == "spending_local:sipri"]
    assert "estimated" in share_2025.steps[0]
    assert any("sipri: as published by milex" in a for a in outcome.assumptions)
