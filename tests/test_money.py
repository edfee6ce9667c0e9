from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from buildup.errors import InputError
from buildup.money import (
    from_real,
    from_usd,
    fx_exposure,
    index_from_inflation,
    rebase_index,
    reprice,
    to_constant_usd,
    to_real,
    to_usd,
)

amounts = st.floats(min_value=0.0, max_value=1e15, allow_nan=False)
rates = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False)
indices = st.floats(min_value=1.0, max_value=1e4, allow_nan=False)


@given(amounts, rates)
def test_currency_round_trip(amount: float, rate: float) -> None:
    back = from_usd(to_usd(np.array([amount]), np.array([rate])), np.array([rate]))
    assert back[0] == pytest.approx(amount, rel=1e-12, abs=1e-6)


@given(amounts, indices, indices)
def test_price_base_round_trip(amount: float, index: float, base: float) -> None:
    back = from_real(to_real(np.array([amount]), np.array([index]), base), np.array([index]), base)
    assert back[0] == pytest.approx(amount, rel=1e-12, abs=1e-6)


def test_fms_payment_at_the_programme_rate() -> None:
    # Board of Audit (NHK-BOA-20241107): FY2023 FMS payments US$5.787bn = ¥792.8bn at ¥137/$.
    yen = from_usd(np.array([5.787e9]), np.array([137.0]))
    assert round(yen[0] / 1e9, 1) == 792.8


def test_purchasing_power_at_108_against_the_2024_rate() -> None:
    # The programme priced FY2024–27 at ¥108/$ (SOURCES_japan.md); WDI's 2024 average is
    # ¥151.37/$ (fx dataset). A dollar-priced item then buys 1 - 108/151.37 = 28.6 % less.
    exposure = fx_exposure(np.array([1.0e12]), 1.0, 108.0, np.array([151.366291302752]))
    assert round(float(exposure.lost_share[0]), 3) == 0.286
    assert exposure.lost_local[0] == pytest.approx(1.0e12 * (151.366291302752 / 108.0 - 1))


def test_constant_usd_uses_the_base_years_rate() -> None:
    out = to_constant_usd(np.array([220.0]), np.array([110.0]), 100.0, 2.0)
    assert out.tolist() == [100.0]


def test_foreign_share_must_be_a_fraction() -> None:
    with pytest.raises(InputError, match=r"^foreign_share = 15: expected a fraction in \[0, 1\]$"):
        fx_exposure(np.array([1.0]), 15.0, 108.0, np.array([150.0]))


@given(amounts, indices, indices)
def test_reprice_there_and_back(amount: float, a: float, b: float) -> None:
    assert reprice(reprice(amount, a, b), b, a) == pytest.approx(amount, rel=1e-12, abs=1e-6)
    # deflating to an index's base is to_real with a base index of 1
    assert reprice(np.array([amount]), np.array([a]), 1.0)[0] == pytest.approx(
        to_real(np.array([amount]), np.array([a]), 1.0)[0], rel=1e-15
    )


def test_rebase_index_is_one_in_the_base_year_and_keeps_the_ratios() -> None:
    deflator = np.array([97.2, 100.0, 104.1, 107.5])
    rebased = rebase_index(deflator, 2)
    assert rebased[2] == 1.0
    np.testing.assert_allclose(rebased[1:] / rebased[:-1], deflator[1:] / deflator[:-1])


def test_index_from_inflation_compounds_from_the_base_year() -> None:
    index = index_from_inflation(0.02, np.array([2021, 2022, 2023, 2025], dtype=np.int64), 2022)
    np.testing.assert_allclose(index, [1 / 1.02, 1.0, 1.02, 1.02**3])


def test_the_tracker_and_the_planner_use_the_same_price_arithmetic() -> None:
    """A plan growing 3 % a year in real terms: repricing real growth to nominal at a rebased
    index and deflating it back returns the real path."""
    index = rebase_index(np.array([100.0, 102.0, 105.0]), 0)
    nominal = np.array([100.0, 0.0, 0.0])
    for i in (1, 2):
        nominal[i] = reprice(nominal[i - 1] * 1.03, index[i - 1], index[i])
    real = reprice(nominal, index, 1.0)
    np.testing.assert_allclose(real, [100.0, 103.0, 106.09])
