from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buildup.tracking import (
    VARIANCE_PARTS,
    decompose_variance,
    outlays_from_contracts,
    summarize_execution,
)

money = st.floats(0.0, 1e13, allow_nan=False)
positive = st.floats(1.0, 1e13, allow_nan=False)


@st.composite
def yearly(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(1, 8))

    def arr(strategy: st.SearchStrategy[float]) -> np.ndarray:
        return np.array(draw(st.lists(strategy, min_size=n, max_size=n)))

    return {
        "plan": arr(positive),
        "revised": arr(positive),
        "appropriated": arr(money),
        "executed": arr(money),
        "plan_price": arr(st.floats(0.5, 2.0)),
        "actual_price": arr(st.floats(0.5, 2.0)),
        "plan_rate": arr(st.floats(50.0, 200.0)),
        "actual_rate": arr(st.floats(50.0, 200.0)),
        "foreign_share": draw(st.floats(0.0, 1.0)),
    }


def _tolerance(case: dict[str, object]) -> float:
    """Float rounding allowance: a few ulps of the largest sums involved [currency units]."""
    scale = sum(
        float(np.abs(case[k]).sum()) for k in ("plan", "revised", "appropriated", "executed")
    )  # type: ignore[call-overload]
    return 1e-9 * max(scale, 1.0)


def _tolerance(case: dict[str, object]) -> float:
    """Float rounding allowance: a few ulps of the largest sums involved [currency units]."""
    keys = ("plan", "revised", "appropriated", "executed")
    scale = sum(float(np.abs(np.asarray(case[k])).sum()) for k in keys)
    return 1e-9 * max(scale, 1.0)


@settings(max_examples=300, deadline=None)
@given(yearly())
def test_variance_parts_sum_to_the_gap(case: dict[str, object]) -> None:
    v = decompose_variance(**case)  # type: ignore[arg-type]
    tol = _tolerance(case)
    summed = sum(v.part(name).values for name in VARIANCE_PARTS)
    np.testing.assert_allclose(summed, v.total, rtol=0, atol=tol)
    parts = sum(v.part(name).total for name in VARIANCE_PARTS)
    assert parts == pytest.approx(v.grand_total, abs=tol)
    assert v.part("schedule").total == pytest.approx(0.0, abs=tol)


@settings(max_examples=200, deadline=None)
@given(yearly())
def test_without_inflation_fx_or_underspend_only_quantity_and_policy(
    case: dict[str, object],
) -> None:
    case = dict(case)
    case["actual_price"] = case["plan_price"]
    case["actual_rate"] = case["plan_rate"]
    case["executed"] = case["appropriated"]
    v = decompose_variance(**case)  # type: ignore[arg-type]
    tol = _tolerance(case)
    for name in ("price", "exchange_rate", "underspend"):
        np.testing.assert_allclose(v.part(name).values, 0.0, atol=tol)
    assert v.part("schedule").total == pytest.approx(0.0, abs=tol)
    both = v.part("quantity").total + v.part("policy").total
    assert both == pytest.approx(v.grand_total, abs=tol)


@st.composite
def profiles(draw: st.DrawFn) -> np.ndarray:
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=10)))
    if weights.sum() == 0:
        weights[0] = 1.0
    return weights / weights.sum()


@settings(max_examples=200, deadline=None)
@given(st.lists(money, min_size=1, max_size=10), profiles(), profiles())
def test_outlays_conserve_contracts(signed: list[float], p1: np.ndarray, p2: np.ndarray) -> None:
    contracts = {"domestic": np.array(signed), "fms": np.array(signed[::-1])}
    out = outlays_from_contracts(2023, contracts, {"domestic": p1, "fms": p2})
    total = 2 * sum(signed)
    assert out.total.sum() == pytest.approx(total, rel=1e-9, abs=1e-3)
    assert out.signed.sum() == pytest.approx(total, rel=1e-9, abs=1e-3)
    # Contracts signed by the last year owe everything that is ever paid.
    np.testing.assert_allclose(out.committed[-1], out.total, rtol=1e-9, atol=1e-3)
    # Commitments only grow as more contracts are signed.
    assert np.all(np.diff(out.committed, axis=0) >= -1e-6)


def test_fms_instalments_by_year() -> None:
    out = outlays_from_contracts(
        2024, {"fms": np.array([100.0, 0.0])}, {"fms": np.array([0.2, 0.3, 0.5])}
    )
    assert out.years.tolist() == [2024, 2025, 2026, 2027]
    assert out.total.tolist() == [20.0, 30.0, 50.0, 0.0]
    assert out.committed[0].tolist() == [20.0, 30.0, 50.0, 0.0]


def test_execution_summary() -> None:
    e = summarize_execution(100.0, np.array([20.0, 25.0, np.nan, np.nan]))
    assert (e.used, e.remaining, e.years_done, e.years_left) == (45.0, 55.0, 2, 2)
    assert e.required_run_rate == 27.5
    assert e.projected_total == 45.0 + 25.0 * 2
    assert e.share_used == 0.45


def test_execution_needs_actuals_without_gaps() -> None:
    with pytest.raises(ValueError, match="without gaps"):
        summarize_execution(100.0, np.array([20.0, np.nan, 30.0]))
