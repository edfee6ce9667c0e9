"""The macro drivers' fit and factorisation say which key is at fault."""

from __future__ import annotations

import numpy as np
import pytest

from buildup.errors import InputError
from buildup.risk.drivers import MIN_YEARS, cholesky, fit_macro


def test_too_few_years_in_the_window_names_the_window() -> None:
    years = np.arange(2000, 2006)
    ones = np.ones(len(years))
    with pytest.raises(InputError) as caught:
        fit_macro(years, ones, np.cumprod(ones * 1.02), np.cumprod(ones * 1.01), (2001, 2005), "")
    error = caught.value
    assert (error.what, error.given) == ("risk.window", "2001–2005")
    assert str(error) == (
        f"risk.window = 2001–2005: only 5 years with GDP growth, deflator and exchange rate "
        f"({MIN_YEARS} needed to fit their covariance); widen risk.window or give risk.covariance"
    )


@pytest.mark.parametrize(
    ("cov", "message"),
    [
        (np.eye(2), "risk.covariance: expected a symmetric 3×3 matrix"),
        (-np.eye(3), "risk.covariance: the covariance has a negative variance; variances are ≥ 0"),
        (
            np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
            "risk.covariance: the covariance is not positive definite; check the correlations",
        ),
    ],
)
def test_an_invalid_covariance_names_its_key(cov: np.ndarray, message: str) -> None:
    with pytest.raises(InputError) as caught:
        cholesky(cov, "risk.covariance")
    assert (caught.value.what, str(caught.value)) == ("risk.covariance", message)
