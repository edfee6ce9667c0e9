"""The robust portfolio's search is bounded by steps, not by the machine's speed (issue 16)."""

from __future__ import annotations

import itertools
import math
import time
from typing import Any

import pytest

from buildup.engine.risk_portfolio import robust_portfolio
from buildup.portfolio import PortfolioProblem, heuristic, solve, solve_portfolio
from buildup.portfolio.synthetic import generate
from buildup.scenario import scenario_from_dict
from buildup.store import Store


def _scenario():  # type: ignore[no-untyped-def]
    return scenario_from_dict(
        {
            "country": "KOR",
            "baseline": {"year": 2024},
            "targets": [{"year": 2030, "share_gdp": 0.03}],
            "risk": {},
        },
        "test",
    )


def _problem() -> PortfolioProblem:
    return generate(12, seed=1)


# small samples and a loose gap keep each search to a few seconds
_FAST: dict[str, Any] = {
    "seed": 3, "alpha": 0.9, "scenarios": 100, "check_draws": 4000, "calibration_draws": 4000,
    "gap": 1e-2,
}  # fmt: skip


def _answer(out: Any) -> tuple[Any, ...]:
    return (out.calibration, out.validation, out.validation_attempts, out.selected, out.status)


def test_a_slow_clock_does_not_change_the_robust_portfolio(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the safety net nothing reads the clock: a clock that runs 1,000 s per reading
    (a very slow machine) gives the same steps and portfolio; every HiGHS of the search is
    created without a time limit, and its heuristic searches neighbourhoods by nodes."""
    problem = _problem()
    chosen = solve_portfolio(problem, gap=1e-2, deterministic=True)
    options: dict[str, Any] = {"time_limit": None, **_FAST}
    quiet = robust_portfolio(problem, chosen, _scenario(), store, **options)
    limits: list[float] = []
    sub_mips: list[str] = []

    def spied(time_limit: float | None, gap: float = 0.0, extra: Any = None) -> Any:
        limits.append(math.inf if time_limit is None else time_limit)
        return real_new(time_limit, gap, extra)

    def counted(search: Any, bounds: Any, step: str) -> None:
        sub_mips.append(step)
        real_sub(search, bounds, step)

    real_new, real_sub = heuristic.new_highs, heuristic._sub_mip
    monkeypatch.setattr(heuristic, "new_highs", spied)
    monkeypatch.setattr(solve, "new_highs", spied)
    monkeypatch.setattr(heuristic, "_sub_mip", counted)
    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: 1000.0 * next(ticks))
    slow = robust_portfolio(problem, chosen, _scenario(), store, **options)
    monkeypatch.undo()
    assert sub_mips, "the instance must reach the heuristic's neighbourhoods"
    assert limits
    assert all(math.isinf(t) for t in limits)
    assert _answer(slow) == _answer(quiet)
    assert slow.stopped_by is None
    assert quiet.stopped_by is None
    assert len(quiet.calibration) >= 2  # the calibration moved the level at least once


def test_the_step_budget_binds_before_a_generous_safety_net(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=1e-2, deterministic=True)
    options: dict[str, Any] = {"max_steps": 2, **_FAST}
    unbounded = robust_portfolio(problem, chosen, _scenario(), store, time_limit=None, **options)
    netted = robust_portfolio(problem, chosen, _scenario(), store, time_limit=600, **options)
    assert _answer(unbounded) == _answer(netted)
    assert netted.stopped_by is None
    # the deterministic portfolio, then at most two solves at in-sample levels
    assert [s.in_sample_level is None for s in netted.calibration][:1] == [True]
    assert len(netted.calibration) <= 3


def test_a_safety_net_that_cuts_the_search_is_named(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=1e-2, deterministic=True)
    out = robust_portfolio(problem, chosen, _scenario(), store, time_limit=1e-3, **_FAST)
    assert out.stopped_by == "the time limit of 0.001 s (raise the time_limit option)"


def test_the_step_budget_must_be_positive(store: Store) -> None:
    problem = _problem()
    chosen = solve_portfolio(problem, gap=1e-2)
    with pytest.raises(Exception, match="max_steps"):
        robust_portfolio(problem, chosen, _scenario(), store, seed=3, alpha=0.9, max_steps=0)
