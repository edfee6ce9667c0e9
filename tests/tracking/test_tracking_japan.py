"""The Japan example against the programme's published figures (CONTROL_FIGURES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildup.data.catalogue import load_bundled
from buildup.engine.track import track
from buildup.scenario.tracking import read_tracking
from buildup.store import Store
from buildup.tracking import VARIANCE_PARTS

EXAMPLE = Path(__file__).parents[2] / "examples" / "japan-dbp-tracking.toml"


@pytest.fixture
def outcome(store: Store):  # type: ignore[no-untyped-def]
    return track(read_tracking(EXAMPLE), store, EXAMPLE.name)


def test_initial_budgets_plus_fy2027_plan_make_the_annual_frame(outcome) -> None:  # type: ignore[no-untyped-def]
    # DBP: ¥40.5 tn in annual budgets; FY2023–26 initial (programme basis) + FY2027 ¥8.9 tn
    # = ¥40.51 tn (MOD/MOF budget notes), equal at the frame's 0.1 tn rounding.
    years = outcome.years.set_index("year")
    initial = years.loc[2023:2026, "initial"].sum()
    assert initial == pytest.approx(31.6091e12)
    assert round((initial + years.loc[2027, "plan"]) / 1e11) / 10 == 40.5


def test_with_and_without_saco_stay_apart(outcome) -> None:  # type: ignore[no-untyped-def]
    years = outcome.years.set_index("year")
    budget = load_bundled("japan_budget")
    incl = budget[
        (budget["fiscal_year"] == 2024)
        & (budget["budget_kind"] == "initial")
        & (budget["includes_saco_realignment"] == "yes")
    ]["amount_jpy"].item()
    assert years.loc[2024, "initial"] == 7.7249e12
    assert incl == 7.9496e12
    assert "japan_budget" in outcome.provenance.dataset_editions


def test_execution_of_the_43_trillion_level(outcome) -> None:  # type: ignore[no-untyped-def]
    e = outcome.execution
    assert e.envelope == 43.0e12
    # initial 31.609 tn + programme-basis supplementaries 0.4961 (FY2023) + 0.5021 (FY2025)
    assert e.used == pytest.approx(31.6091e12 + 0.4961e12 + 0.5021e12)
    assert e.remaining == pytest.approx(43.0e12 - e.used)
    assert e.years_left == 1
    assert e.required_run_rate == pytest.approx(e.remaining)
    assert outcome.as_of == 2026
    # In real terms (FY2022 prices, IMF deflator) less is used than in nominal terms.
    assert outcome.execution_real.used < e.used


def test_contracts_and_the_published_tail(outcome) -> None:  # type: ignore[no-untyped-def]
    checks = {c.check: c for c in outcome.checks}
    assert checks["new contracts over the plan"].modelled == pytest.approx(43.5e12)
    tail = checks["contract payments after FY2027"]
    # By hand: FY2024 contracts × 0.15 + FY2025 × 0.35 + FY2026 × 0.60 + FY2027 × 0.85.
    by_hand = 9.3625e12 * 0.15 + 8.7e12 * 0.35 + 8.265e12 * 0.60 + 8.265e12 * 0.85
    assert tail.modelled == pytest.approx(by_hand)
    assert tail.published == 16.5e12
    conservation = checks["outlays equal contracts (conservation)"]
    assert conservation.modelled == pytest.approx(conservation.published)


def test_committed_part_of_later_budgets(outcome) -> None:  # type: ignore[no-untyped-def]
    years = outcome.years.set_index("year")
    # FY2027's payments under contracts signed FY2023–26 (profile 0.15/0.25/0.25/0.20/0.15).
    by_hand = 8.9075e12 * 0.15 + 9.3625e12 * 0.20 + 8.7e12 * 0.25 + 8.265e12 * 0.25
    assert years.loc[2027, "committed_as_of"] == pytest.approx(by_hand)
    assert years.loc[2031, "outlays"] == pytest.approx(8.265e12 * 0.15)


def test_variance_adds_up_and_shows_the_weak_yen(outcome) -> None:  # type: ignore[no-untyped-def]
    totals = dict(outcome.variance.totals())
    assert sum(totals[p] for p in VARIANCE_PARTS) == pytest.approx(totals["total"])
    years = outcome.years.set_index("year")
    gap = (years.loc[2023:2026, "executed"] - years.loc[2023:2026, "plan"]).sum()
    assert totals["total"] == pytest.approx(gap)
    assert totals["exchange_rate"] > 0  # the yen above ¥108/$ raises the cost of the plan
    assert totals["price"] > 0
    assert totals["quantity"] < 0  # so the same yen buys less
    assert totals["policy"] == 0.0
