from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from buildup.engine.risk_portfolio import portfolio_model, robust_portfolio, simulate_portfolio_risk
from buildup.errors import InputError
from buildup.portfolio import Catalogue, Envelope, PortfolioProblem, Programme, solve_portfolio
from buildup.risk.portfolio import draw_costs, outlays_for, simulate_portfolio
from buildup.scenario import scenario_from_dict
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"


def _problem() -> PortfolioProblem:
    programmes = tuple(
        Programme(
            id=f"p{i}",
            area=("air", "sea", "land")[i % 3],
            unit_cost=10.0 + i,
            max_qty=4,
            payment_profile=(0.3, 0.4, 0.3),
            earliest_start=2026,
            latest_start=2027,
            value=1.0 + i % 4,
        )
        for i in range(8)
    )
    envelope = Envelope(years=(2026, 2027, 2028, 2029), budgets=(40.0, 70.0, 80.0, 60.0))
    return PortfolioProblem(catalogue=Catalogue(programmes=programmes), envelope=envelope)


def _scenario(**risk: object):  # type: ignore[no-untyped-def]
    return scenario_from_dict(
        {
            "country": "KOR",
            "baseline": {"year": 2024},
            "targets": [{"year": 2030, "share_gdp": 0.03}],
            "risk": risk,
        },
        "test",
    )


def test_without_uncertainty_the_portfolio_fits_and_delivers_its_value(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    calm = _scenario(cost_growth={"default": (1.0, 0.0)}, slip=(1.0,), execution_sd=0.0)
    out = simulate_portfolio_risk(problem, chosen, calm, store, draws=2000, seed=3)
    assert out.any_breach == 0.0
    assert all(row["probability"] == 0.0 for row in out.breach)
    assert out.expected_value == pytest.approx(out.planned_value)


def test_outlays_follow_the_profiles_without_growth_or_slip(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    model, _ = portfolio_model(problem, chosen.selected, _scenario(), store)
    n = 3
    outlays, paid = outlays_for(
        model, np.ones((n, len(model.cost))), np.zeros((n, len(model.cost)), dtype=np.int64)
    )
    spend = {y.year: y.spend for y in chosen.years}
    np.testing.assert_allclose(outlays[0], [spend[y] for y in problem.envelope.years])
    assert np.all((paid >= 0) & (paid <= 1 + 1e-12))


def test_cost_growth_raises_the_chance_of_a_breach(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    calm = simulate_portfolio_risk(
        problem,
        chosen,
        _scenario(cost_growth={"default": (1.0, 0.05)}, slip=(1.0,)),
        store,
        draws=4000,
        seed=1,
    )
    rough = simulate_portfolio_risk(
        problem,
        chosen,
        _scenario(cost_growth={"default": (1.3, 0.2)}, slip=(1.0,)),
        store,
        draws=4000,
        seed=1,
    )
    assert rough.any_breach > calm.any_breach
    assert 0.0 <= calm.any_breach <= 1.0


def test_portfolio_draws_do_not_depend_on_the_block_grouping(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    model, _ = portfolio_model(problem, chosen.selected, _scenario(), store)
    one = simulate_portfolio(model, 5, 9000)
    again = simulate_portfolio(model, 5, 9000)
    assert one.breach.tolist() == again.breach.tolist()
    assert one.expected_value() == again.expected_value()
    fresh = simulate_portfolio(model, 5, 9000, first_block=1_000_000)
    assert fresh.breach.tolist() != one.breach.tolist()


def test_robust_portfolio_holds_in_sample_and_costs_value(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    scenario = _scenario()
    out = robust_portfolio(
        problem, chosen, scenario, store, seed=2, alpha=0.8, scenarios=20, gap=0.0, time_limit=60
    )
    assert out["status"] == "optimal"
    assert out["price_of_robustness"] >= -1e-9
    assert out["value"] <= chosen.objective + 1e-9
    # In sample: recompute the scenarios and count those the robust choice fits.
    from buildup.engine.risk_portfolio import SAA_KEY, _whole_catalogue

    model, _ = portfolio_model(problem, _whole_catalogue(problem), scenario, store)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(2, spawn_key=(SAA_KEY,))))
    factors, slips = draw_costs(model, rng, 20)
    errors = rng.standard_normal((20, len(model.envelope)))
    budget = model.envelope / (1.0 + model.exec_mean + model.exec_sd * errors)
    index = {p.id: i for i, p in enumerate(problem.catalogue.programmes)}
    keep = np.zeros(len(model.cost), dtype=bool)
    quantity = np.zeros(len(model.cost))
    start = model.start.copy()
    for s in out["selected"]:
        i = index[s["id"]]
        keep[i] = True
        quantity[i] = s["quantity"]
        start[i] = s["start_year"] - problem.envelope.years[0]
    robust_model = replace(model, cost=model.cost * quantity, start=start)
    outlays, _ = outlays_for(robust_model, factors, slips, keep)
    holds = (outlays <= budget * (1 + 1e-9)).all(axis=1)
    assert holds.sum() >= math.ceil(0.8 * 20)
    assert 0.0 <= out["probability_holds_out_of_sample"] <= 1.0


def test_alpha_must_be_a_probability(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    with pytest.raises(
        InputError, match=r"alpha = 1\.5: expected a probability strictly between 0 and 1"
    ):
        robust_portfolio(problem, chosen, _scenario(), store, seed=1, alpha=1.5)


def test_risk_cli_with_the_japan_portfolio(cli) -> None:
    import json

    result = cli(
        "risk",
        str(EXAMPLES / "japan-dbp.toml"),
        "--draws",
        "5000",
        "--portfolio",
        str(EXAMPLES / "japan-programmes.csv"),
        "--envelope",
        str(EXAMPLES / "japan-envelope.csv"),
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    section = json.loads(result.out)["portfolio"]
    years = [row["year"] for row in section["probability_breach_by_year"]]
    envelope = (EXAMPLES / "japan-envelope.csv").read_text().splitlines()
    assert years == [int(line.split(",")[0]) for line in envelope if line[:1].isdigit()]
    assert 0.0 <= section["probability_breach_any_year"] <= 1.0
    assert section["selected"]


def test_risk_cli_alpha_needs_a_portfolio(cli) -> None:
    result = cli("risk", str(EXAMPLES / "japan-dbp.toml"), "--alpha", "0.9")
    assert result.code == 2
    assert "--alpha needs --portfolio" in result.err
