from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from buildup.engine.risk_portfolio import portfolio_model, robust_portfolio, simulate_portfolio_risk
from buildup.errors import InputError
from buildup.portfolio import Catalogue, Envelope, PortfolioProblem, Programme, solve_portfolio
from buildup.risk.portfolio import outlays_for, simulate_portfolio
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
    assert all(row.probability == 0.0 for row in out.breach)
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


def test_robust_portfolio_validates_on_independent_draws(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    scenario = _scenario()
    out = robust_portfolio(problem, chosen, scenario, store, seed=2, alpha=0.8, time_limit=120)
    assert out.status == "validated"
    assert out.price_of_robustness >= 0.0
    assert out.value <= chosen.objective + 1e-9
    validation = out.validation
    assert validation.ci95_low >= 0.8
    assert validation.ci95_low <= validation.probability_holds <= validation.ci95_high
    # Recompute the validation draws independently: the same count of draws that hold.
    from buildup.engine.risk_portfolio import VALIDATION_BLOCK
    from buildup.portfolio import Selection

    programmes = {p.id: p for p in problem.catalogue.programmes}
    selected = tuple(
        Selection(s.id, programmes[s.id].name, programmes[s.id].area, s.start_year,
                  s.quantity, s.cost, 0.0)
        for s in out.selected
    )  # fmt: skip
    model, _ = portfolio_model(problem, selected, scenario, store)
    again = simulate_portfolio(model, 2, validation.draws, first_block=VALIDATION_BLOCK)
    assert validation.first_block == VALIDATION_BLOCK
    assert round(1 - again.any_breach / again.draws, 4) == validation.probability_holds
    # the calibration steps are reported, and the validation sample is not among them
    assert out.calibration
    assert all(step.draws == 10_000 for step in out.calibration)


def test_without_uncertainty_the_deterministic_portfolio_is_robust(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    calm = _scenario(cost_growth={"default": (1.0, 0.0)}, slip=(1.0,), execution_sd=0.0)
    out = robust_portfolio(problem, chosen, calm, store, seed=2, alpha=0.9)
    assert out.status == "validated"
    assert out.price_of_robustness == 0.0
    assert out.in_sample_level is None
    assert out.validation.probability_holds == 1.0


def test_a_time_limit_that_stops_the_search_is_named(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=0.0)
    out = robust_portfolio(problem, chosen, _scenario(), store, seed=2, alpha=0.95, time_limit=1e-3)
    assert out.stopped_by == "the time limit of 0.001 s (raise the time_limit option)"
    assert "time_limit" in out.message
    assert out.status in ("validated", "not validated")


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


def test_the_calibration_steps_are_rounded_and_labelled_like_the_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from buildup.cli.risk import print_robust
    from buildup.engine.risk_portfolio import CalibrationStep, RobustPortfolio
    from buildup.types import RobustStatus

    steps = (
        CalibrationStep(None, 7711.94, 10_000, 0.0001, 0.0, 0.0006, False),
        CalibrationStep(0.68114, 4617.52, 10_000, 0.9202, 0.9147, 0.9254, True),
    )
    print_robust(
        RobustPortfolio(
            alpha=0.9, status=RobustStatus.NOT_VALIDATED, message="m", method="",
            in_sample_scenarios=500, deterministic_value=7711.9, time_limit_s=30,
            stopped_by=None, calibration=steps, seconds=3.0,
        )
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "0.681" in out
    assert "0.68114" not in out
    assert "4,617.5" in out
    assert "7,711.9" in out
    assert "92.0%" in out
    assert "91.5%–92.5%" in out
    assert "0.9202" not in out
    assert "10,000" in out
