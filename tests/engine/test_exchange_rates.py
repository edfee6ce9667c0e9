"""Exchange rates for every country with GDP: published (World Bank) where the fx dataset has
the country, else the IMF WEO's implied rate (NGDP ÷ NGDPD)."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from buildup.engine.inputs import read_series
from buildup.engine.quick import QuickPlan, plan_question
from buildup.engine.rates import _implied, read_exchange_rates
from buildup.risk.drivers import fit_macro
from buildup.store import MemoryStore

YEARS = np.arange(2000, 2025, dtype=np.int64)


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore.bundled()


def test_the_implied_rate_agrees_with_the_published_one(store: MemoryStore) -> None:
    """Where both exist and the unit is today's (no legacy currency), NGDP ÷ NGDPD is the
    published period-average rate: the median gap over the fx dataset's economies is < 0.5 %.
    (The largest gaps are real: official vs market rates in Myanmar and Iran, fiscal years in
    India, Pakistan and Bangladesh.)"""
    fx = store.query("fx")
    gaps = []
    for iso3, rows in fx.groupby("iso3"):
        published = read_series(store, "fx", "local_per_usd", str(iso3), YEARS).values
        unit = dict(zip(rows["year"], rows["currency"], strict=True))
        today = unit.get(2024)
        same = np.array([unit.get(int(y)) == today for y in YEARS])
        implied = _implied(store, str(iso3), YEARS).values
        both = same & ~np.isnan(published) & ~np.isnan(implied)
        if both.any():
            gaps.append(float(np.max(np.abs(implied[both] / published[both] - 1))))
    assert len(gaps) > 50
    assert statistics.median(gaps) < 0.005


def test_a_country_outside_the_fx_dataset_gets_the_implied_rate(store: MemoryStore) -> None:
    assert "CHL" not in set(store.query("fx")["iso3"])
    rates = read_exchange_rates(store, "CHL", YEARS)
    assert not np.isnan(rates.series.values).any()
    assert "implied" in rates.source
    assert "IMF WEO implied rate" in rates.series.how[-1]
    plan = plan_question(store, QuickPlan(country="CHL", target_share=0.02, by=2030))
    usd = plan.years["spending_usd"].to_numpy()
    assert np.isfinite(usd).all()
    assert (usd > 0).all()


def test_a_published_rate_is_used_unchanged(store: MemoryStore) -> None:
    rates = read_exchange_rates(store, "JPN", YEARS)
    published = read_series(store, "fx", "local_per_usd", "JPN", YEARS).values
    np.testing.assert_array_equal(rates.series.values, published)
    assert set(rates.units) == {"JPY"}


def test_a_change_of_currency_unit_is_not_a_market_move(store: MemoryStore) -> None:
    """Italy's rate is in lire until 1998 and euros from 1999: a log change of −7.5 that is a
    new unit, not a shock. Left out of the fit, Italy's yearly FX volatility is the euro's."""
    span = np.arange(1994, 2025, dtype=np.int64)
    growth = read_series(store, "prices", "real_gdp_growth_pct", "ITA", span).values
    deflator = read_series(store, "prices", "gdp_deflator", "ITA", span).values
    rates = read_exchange_rates(store, "ITA", span)
    assert {"ITL", "EUR"} <= set(rates.units)
    fitted = fit_macro(span, growth, deflator, rates.series.values, (1995, 2024), "", rates.units)
    naive = fit_macro(span, growth, deflator, rates.series.values, (1995, 2024), "")
    assert fitted.observations == naive.observations - 1
    assert np.sqrt(naive.cov[2, 2]) > 1.0  # the lira-to-euro step inflates it a hundredfold
    assert 0.03 < np.sqrt(fitted.cov[2, 2]) < 0.2
