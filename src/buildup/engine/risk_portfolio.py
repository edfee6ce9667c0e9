"""A portfolio's risk: the chance each envelope breaks under cost growth, slip and budget
execution, the value expected to be delivered, and a portfolio that holds with probability α.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from buildup.engine.provenance import Provenance
from buildup.engine.risk import ExecutionErrors, RiskOutcome, execution_schedule
from buildup.errors import InputError
from buildup.portfolio.arrays import payment_matrix
from buildup.portfolio.results import Status
from buildup.risk.cluster import run_portfolio_chunks
from buildup.risk.drivers import COST_GROWTH_DEFAULT, SLIP_DEFAULT
from buildup.risk.portfolio import PortfolioModel, PortfolioResult, simulate_portfolio
from buildup.risk.simulate import block_rng
from buildup.risk.summary import standard_error, wilson_interval
from buildup.serialize import inline, internal, renamed
from buildup.types import RobustStatus

if TYPE_CHECKING:
    from buildup.portfolio import Envelope, Portfolio, PortfolioProblem, Selection
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = [
    "AreaCostGrowth",
    "BreachYear",
    "CalibrationStep",
    "Chosen",
    "PortfolioParameters",
    "PortfolioRisk",
    "PortfolioRiskOutcome",
    "PortfolioTornadoBar",
    "RiskReport",
    "RobustPortfolio",
    "RobustStatus",
    "chosen_of",
    "portfolio_model",
    "robust_portfolio",
    "simulate_portfolio_risk",
]

PORTFOLIO_DRIVERS = ("cost_growth", "schedule_slip", "execution")


@dataclass(frozen=True)
class Chosen:
    """A programme chosen: its start year, quantity and cost [currency units]."""

    id: str
    start_year: int
    quantity: int
    cost: float


def chosen_of(portfolio: Portfolio) -> tuple[Chosen, ...]:
    """The programmes a portfolio chose."""
    return tuple(Chosen(s.id, s.start_year, s.quantity, s.cost) for s in portfolio.selected)


@dataclass(frozen=True)
class BreachYear:
    """The chance that a year's outlays exceed its envelope, and its standard error."""

    year: int
    probability: float
    standard_error: float


@dataclass(frozen=True)
class PortfolioTornadoBar:
    """One driver alone: the chance of a breach in any year and the value expected."""

    driver: str
    probability_breach_any_year: float
    expected_value: float


@dataclass(frozen=True)
class AreaCostGrowth:
    """The lognormal cost-growth factor of one capability area."""

    area: str
    median_factor: float
    log_sd: float


@dataclass(frozen=True)
class PortfolioParameters:
    """What the portfolio's Monte Carlo assumed."""

    cost_growth: tuple[AreaCostGrowth, ...]
    cost_growth_source: str
    slip_probabilities: tuple[float, ...]
    slip_source: str
    execution_error: ExecutionErrors


@dataclass(frozen=True)
class PortfolioRisk:
    """A portfolio under uncertainty (the α-portfolio is :func:`robust_portfolio`'s): the
    chance of a breach by year and in any year, the value expected and planned [value
    points], each driver alone, and what was assumed."""

    __json_extra__ = ("selected",)

    portfolio: Portfolio = field(metadata=internal())
    draws: int
    breach: tuple[BreachYear, ...] = field(metadata=renamed("probability_breach_by_year"))
    any_breach: float = field(metadata=renamed("probability_breach_any_year"))
    expected_value: float
    planned_value: float
    tornado: tuple[PortfolioTornadoBar, ...]
    parameters: PortfolioParameters

    @property
    def selected(self) -> tuple[Chosen, ...]:
        """The programmes of the portfolio."""
        return chosen_of(self.portfolio)


@dataclass(frozen=True)
class CalibrationStep:
    """One step of the calibration (or a validation): the in-sample level (None: the
    deterministic portfolio), its value, and P(holds) in fresh draws with its 95 % Wilson
    interval; ``first_block`` (and ``seed``) name the draws of a validation."""

    in_sample_level: float | None
    value: float | None
    draws: int
    probability_holds: float | None
    ci95_low: float | None
    ci95_high: float | None
    passes: bool
    first_block: int | None = None
    seed: int | None = None


@dataclass(frozen=True)
class RobustPortfolio:
    """The portfolio that holds in at least ``alpha`` of fresh draws, calibrated and judged
    on an independent validation sample (:func:`robust_portfolio`). Values are rounded
    (value points to 0.1, probabilities and levels to 4 digits); the figures of the chosen
    portfolio are None when nothing was validated."""

    alpha: float
    status: RobustStatus
    message: str
    method: str
    in_sample_scenarios: int
    deterministic_value: float | None
    time_limit_s: float | None
    stopped_by: str | None
    calibration: tuple[CalibrationStep, ...]
    seconds: float
    selected: tuple[Chosen, ...] = ()
    value: float | None = None
    price_of_robustness: float | None = None
    price_of_robustness_share: float | None = None
    in_sample_level: float | None = None
    validation: CalibrationStep | None = None
    validation_attempts: tuple[CalibrationStep, ...] = ()
    probability_holds_out_of_sample: float | None = None
    out_of_sample_draws: int | None = None


@dataclass(frozen=True)
class PortfolioRiskOutcome:
    """The optimal portfolio for the plan's envelope, under cost growth, slip and execution
    (its document: the risk's, the deterministic optimum's value, status and gap, the robust
    portfolio if asked, and the provenance)."""

    __json_extra__ = ("deterministic_value", "deterministic_status", "deterministic_gap")

    portfolio: Portfolio = field(metadata=internal())
    risk: PortfolioRisk = field(metadata=inline())
    envelope: Envelope = field(metadata=internal())
    robust: RobustPortfolio | None
    provenance: Provenance

    @property
    def deterministic_value(self) -> float:
        """The optimum's value [value points]."""
        return self.portfolio.objective

    @property
    def deterministic_status(self) -> Status:
        """How the deterministic solve ended."""
        return self.portfolio.status

    @property
    def deterministic_gap(self) -> float:
        """The deterministic solve's gap when it stopped [fraction]."""
        return self.portfolio.gap


@dataclass(frozen=True)
class RiskReport:
    """``risk``'s answer: the plan under uncertainty and, if asked, the portfolio's (its
    document: the plan risk's, and ``portfolio``)."""

    plan: RiskOutcome = field(metadata=inline())
    portfolio: PortfolioRiskOutcome | None

    @property
    def provenance(self) -> Provenance:
        return self.plan.provenance


def portfolio_model(
    problem: PortfolioProblem,
    selected: Sequence[Selection],
    scenario: Scenario,
    store: DatasetStore,
) -> tuple[PortfolioModel, PortfolioParameters]:
    """The Monte Carlo arrays for the ``selected`` programmes under ``problem``."""
    envelope = problem.envelope
    years = np.array(envelope.years, dtype=np.int64)
    spec = scenario.risk
    as_of = spec.as_of if spec.as_of is not None else int(years[0]) - 1
    exec_mean, exec_sd, exec_source = execution_schedule(store, years, as_of, spec.execution_sd)
    programmes = {p.id: p for p in problem.catalogue.programmes}
    areas = sorted({programmes[s.id].area for s in selected}) or ["none"]
    default = spec.cost_growth.get("default", COST_GROWTH_DEFAULT)
    growth = {a: spec.cost_growth.get(a, default) for a in areas}
    profile = payment_matrix([programmes[s.id] for s in selected])
    slip = np.array(spec.slip if spec.slip is not None else SLIP_DEFAULT, dtype=float)
    model = PortfolioModel(
        cost=np.array([s.cost for s in selected], dtype=float),
        profile=profile,
        start=np.array([s.start_year - int(years[0]) for s in selected], dtype=np.int64),
        area=np.array([areas.index(programmes[s.id].area) for s in selected], dtype=np.int64),
        cost_median=np.array([growth[a][0] for a in areas], dtype=float),
        cost_logsd=np.array([growth[a][1] for a in areas], dtype=float),
        slip=slip,
        envelope=np.array(envelope.budgets, dtype=float),
        exec_mean=exec_mean,
        exec_sd=exec_sd,
        value=np.array([s.value for s in selected], dtype=float),
    )
    parameters = PortfolioParameters(
        cost_growth=tuple(AreaCostGrowth(a, growth[a][0], growth[a][1]) for a in areas),
        cost_growth_source="scenario risk.cost_growth"
        if spec.cost_growth
        else (
            "default lognormal (median 1.20, log-sd 0.15) spanning RAND TR-343's procurement "
            "cost-growth factors 1.16–1.65; RAND RB-236: ≈46 % for completed US programmes"
        ),
        slip_probabilities=tuple(float(v) for v in slip),
        slip_source="scenario risk.slip" if spec.slip is not None else "analyst's assumption",
        execution_error=ExecutionErrors(
            tuple(float(v) for v in exec_mean), tuple(float(v) for v in exec_sd), exec_source
        ),
    )
    return model, parameters


def simulate_portfolio_risk(
    problem: PortfolioProblem,
    portfolio: Portfolio,
    scenario: Scenario,
    store: DatasetStore,
    *,
    draws: int,
    seed: int,
    client: Any = None,
) -> PortfolioRisk:
    """Breach probabilities, expected value and tornado for a chosen portfolio (on a Dask
    ``client`` if given: the same numbers as in one process)."""
    if draws < 1:
        raise InputError(what="draws", given=draws, expected="a positive number of draws")
    model, parameters = portfolio_model(problem, portfolio.selected, scenario, store)
    result = run_portfolio_chunks(model, seed, draws, client=client)
    years = problem.envelope.years
    breach = tuple(
        BreachYear(
            int(y),
            float(c / result.draws),
            standard_error(float(c / result.draws), result.draws),
        )
        for y, c in zip(years, result.breach, strict=True)
    )
    tornado: list[PortfolioTornadoBar] = []
    for i, driver in enumerate(PORTFOLIO_DRIVERS):
        alone = replace(model, active=tuple(j == i for j in range(3)))  # type: ignore[arg-type]
        part = run_portfolio_chunks(alone, seed, max(1, draws // 4), client=client)
        tornado.append(
            PortfolioTornadoBar(driver, part.any_breach / part.draws, part.expected_value())
        )
    tornado.sort(key=lambda r: r.probability_breach_any_year, reverse=True)
    planned = simulate_portfolio(
        replace(model, active=(False, False, False)), seed, 1
    ).expected_value()
    return PortfolioRisk(
        portfolio,
        draws,
        breach,
        float(result.any_breach / result.draws),
        float(result.expected_value()),
        float(planned),
        tuple(tornado),
        parameters,
    )


SAA_KEY = 2**31 - 1  # spawn key of the in-sample scenarios, apart from every draw block
CALIBRATION_BLOCK = 2_000_000  # first block of the draws that steer the calibration
VALIDATION_BLOCK = 3_000_000  # first block of the independent validation draws
MAX_STEPS = 8  # calibration steps (one MIP and one Monte Carlo each): the search's budget
MAX_RECHECKS = 2  # further steps after a failed validation, each judged on fresh draws
CLOSE_ENOUGH = 0.01  # a passing level within 1 % of the edge ends the calibration
StepReport = Callable[[str], None]


@dataclass(frozen=True)
class _Step:
    """One calibration step: the portfolio at an in-sample ``level`` (``None``: the
    deterministic portfolio) and how it fares in a sample of fresh draws."""

    level: float | None
    portfolio: Portfolio | None
    result: PortfolioResult | None = None

    @property
    def draws(self) -> int:
        return self.result.draws if self.result else 0

    @property
    def holds(self) -> int:
        return self.result.draws - self.result.any_breach if self.result else 0

    @property
    def probability(self) -> float:
        return self.holds / self.draws if self.draws else math.nan

    def passes(self, alpha: float) -> bool:
        return self.draws > 0 and wilson_interval(self.holds, self.draws)[0] >= alpha

    def record(self, alpha: float, **where: int) -> CalibrationStep:
        low, high = wilson_interval(self.holds, self.draws)
        return CalibrationStep(
            in_sample_level=_round(self.level, 4),
            value=_round(self.portfolio.objective if self.portfolio else None, 1),
            draws=self.draws,
            probability_holds=_round(self.probability, 4),
            ci95_low=_round(low, 4),
            ci95_high=_round(high, 4),
            passes=self.passes(alpha),
            **where,
        )


class _Calibration:
    """The search of :func:`robust_portfolio`: its scenarios, clock and steps."""

    def __init__(
        self,
        problem: PortfolioProblem,
        scenario: Scenario,
        store: DatasetStore,
        options: dict[str, Any],
    ) -> None:
        from buildup.risk.portfolio import draw_costs

        self.problem, self.scenario, self.store = problem, scenario, store
        self.seed: int = options["seed"]
        self.alpha: float = options["alpha"]
        self.gap: float = options["gap"]
        self.client = options["client"]
        self.say: StepReport = options["progress"] or (lambda text: None)
        self.time_limit: float | None = options["time_limit"]
        self.started = time.perf_counter()
        limit = self.time_limit
        self.deadline = math.inf if limit is None else self.started + limit
        self.stopped = False
        model, _ = portfolio_model(problem, _whole_catalogue(problem), scenario, store)
        rng = block_rng(self.seed, SAA_KEY)
        count = options["scenarios"]
        self.factors, self.slips = draw_costs(model, rng, count)
        errors = rng.standard_normal((count, len(model.envelope)))
        self.scale = 1.0 / (1.0 + model.exec_mean + model.exec_sd * errors)
        self.steps: list[_Step] = []

    def out_of_time(self) -> bool:
        self.stopped = self.stopped or time.perf_counter() >= self.deadline
        return self.stopped

    def check(self, portfolio: Portfolio, first_block: int, draws: int) -> PortfolioResult:
        checked, _ = portfolio_model(self.problem, portfolio.selected, self.scenario, self.store)
        return run_portfolio_chunks(
            checked, self.seed, draws, first_block=first_block, client=self.client
        )

    def step(self, level: float | None, portfolio: Portfolio | None, draws: int) -> _Step:
        if portfolio is None:
            from buildup.portfolio.robust import solve_margin

            assert level is not None
            self.say(f"Robust portfolio: solving at in-sample level {level:.3f}")
            # Solved to its gap; the time left is only a safety net: a solve it cuts short
            # ends after the deadline, and the search then counts as stopped by it.
            left = max(self.deadline - time.perf_counter(), 1.0)
            portfolio = solve_margin(
                self.problem, self.factors, self.slips, self.scale, level,
                gap=self.gap, time_limit=None if math.isinf(left) else left,
            )  # fmt: skip
            self.out_of_time()
            if not portfolio.has_solution:
                found = _Step(level, None)
                self.steps.append(found)
                return found
        found = _Step(level, portfolio, self.check(portfolio, CALIBRATION_BLOCK, draws))
        self.steps.append(found)
        self.say(
            f"Robust portfolio: holds in {found.probability:.1%} of {draws:,} calibration draws"
        )
        return found

    def next_level(self, current: _Step, aim: float) -> float | None:
        """The level that would put the worst-year ratio's ``aim`` quantile at 1, kept inside
        the bracket of passing (below) and failing (above) levels; ``None`` when closed."""
        assert current.result is not None
        level = current.level if current.level is not None else 1.0
        guess = level / max(current.result.ratio_quantile(aim), 1e-6)
        tried = [(s.level, s.passes(self.alpha)) for s in self.steps if s.portfolio is not None]
        low = max((lv for lv, ok in tried if lv is not None and ok), default=0.0)
        high = min((lv for lv, ok in tried if lv is not None and not ok), default=math.inf)
        if high - low < CLOSE_ENOUGH * max(high if math.isfinite(high) else low, 1e-9):
            return None
        if current.passes(self.alpha) and abs(guess - level) <= CLOSE_ENOUGH * level:
            return None  # passes, and the next step would move it by less than 1 %
        if not low < guess < high:
            guess = (low + high) / 2 if math.isfinite(high) else max(low * 1.1, guess)
        return guess

    def best(self) -> _Step | None:
        passing = [s for s in self.steps if s.passes(self.alpha) and s.portfolio is not None]
        return max(passing, key=lambda s: s.portfolio.objective) if passing else None  # type: ignore[union-attr]


def robust_portfolio(
    problem: PortfolioProblem,
    deterministic: Portfolio,
    scenario: Scenario,
    store: DatasetStore,
    *,
    seed: int,
    alpha: float,
    scenarios: int = 500,
    check_draws: int = 20_000,
    calibration_draws: int = 10_000,
    gap: float = 1e-3,
    time_limit: float | None = 30.0,
    max_steps: int = MAX_STEPS,
    client: Any = None,
    progress: StepReport | None = None,
) -> RobustPortfolio:
    """A portfolio that holds in at least ``alpha`` of fresh draws, calibrated and validated.

    The portfolio must fit the envelopes as planned and, in every year, keep its expected
    outlays under ``scenarios`` in-sample cost scenarios (cost growth, slip, execution)
    within ``level`` × the expected budget (:func:`~buildup.portfolio.robust.solve_margin`).
    The level is calibrated on a calibration sample of fresh draws: each step solves the
    MIP, simulates the portfolio, and moves the level to where the chosen quantile of its
    worst year (outlays ÷ budget) would be 1, within the bracket of passing and failing
    levels; a level passes when the lower end of the 95 % Wilson interval of P(holds) is at
    least ``alpha``. The most valuable passing portfolio is judged on an independent
    validation sample of ``check_draws`` (rechecked on new draws at a lower level if it
    fails). The search is bounded by ``max_steps`` calibration steps, each MIP solved to
    ``gap``: its steps and answer do not depend on the machine's load. ``time_limit``
    [seconds] is a safety net: when it stops the search (or cuts a solve short), the output
    names it with the best level reached. ``progress(text)`` is called at every step.
    """
    if not 0.0 < alpha < 1.0:
        raise InputError(
            what="alpha", given=alpha, expected="a probability strictly between 0 and 1"
        )
    if scenarios < 1:
        raise InputError(
            what="scenarios", given=scenarios, expected="a positive number of cost scenarios"
        )
    if max_steps < 1:
        raise InputError(
            what="max_steps", given=max_steps, expected="a positive number of calibration steps"
        )
    search = _Calibration(
        problem, scenario, store,
        {"seed": seed, "alpha": alpha, "gap": gap, "client": client, "progress": progress,
         "time_limit": time_limit, "scenarios": scenarios},
    )  # fmt: skip
    aim = min(alpha + 2.5 * math.sqrt(alpha * (1 - alpha) / calibration_draws), 0.9999)
    current = search.step(None, deterministic, calibration_draws)
    level: float | None = 1.0
    for _ in range(max_steps):
        if current.passes(alpha) and current.level is None:
            break  # the deterministic portfolio already holds often enough
        if level is None or search.out_of_time():
            break
        current = search.step(level, None, calibration_draws)
        if current.portfolio is None:
            break
        level = search.next_level(current, aim)
    validations = _validate(search, check_draws, aim)
    return _robust_report(search, deterministic, validations, scenarios, check_draws)


def _validate(search: _Calibration, draws: int, aim: float) -> list[tuple[_Step, int]]:
    """Judge the best passing step on independent draws; recheck lower if it fails."""
    out: list[tuple[_Step, int]] = []
    chosen = search.best()
    for recheck in range(MAX_RECHECKS + 1):
        if chosen is None or chosen.portfolio is None:
            break
        first = VALIDATION_BLOCK + recheck * 100_000
        search.say(f"Robust portfolio: validating on {draws:,} independent draws")
        verdict = _Step(
            chosen.level, chosen.portfolio, search.check(chosen.portfolio, first, draws)
        )
        out.append((verdict, first))
        if verdict.passes(search.alpha) or chosen.level is None or search.out_of_time():
            break
        assert verdict.result is not None
        lower = chosen.level / max(verdict.result.ratio_quantile(aim), 1.0 + CLOSE_ENOUGH)
        chosen = search.step(lower, None, draws)
    return out


def _robust_report(
    search: _Calibration,
    deterministic: Portfolio,
    validations: list[tuple[_Step, int]],
    scenarios: int,
    check_draws: int,
) -> RobustPortfolio:
    alpha, limit = search.alpha, search.time_limit
    stopped_by = (
        f"the time limit of {limit:g} s (raise the time_limit option)"
        if search.stopped and limit is not None
        else None
    )
    stop = f"; the search stopped at {stopped_by}" if stopped_by else ""
    tried = [s for s in search.steps if s.draws]
    best = max(tried, key=lambda s: s.probability, default=None)
    reached = f"{best.probability:.1%} at in-sample level {best.level or 1:.3f}" if best else "none"
    report = RobustPortfolio(
        alpha=alpha,
        status=RobustStatus.NOT_VALIDATED,
        message=f"no portfolio reached P(holds) ≥ {alpha:.0%} in calibration{stop}; "
        f"best level reached: {reached}",
        method=(
            "expected outlays under the in-sample cost scenarios kept within a calibrated "
            "level × the expected budget in every year; the level is moved until the "
            "portfolio holds in a calibration sample with the lower end of the 95 % Wilson "
            "interval at least alpha, then judged on an independent validation sample"
        ),
        in_sample_scenarios=scenarios,
        deterministic_value=_round(deterministic.objective, 1),
        time_limit_s=limit,
        stopped_by=stopped_by,
        calibration=tuple(s.record(alpha) for s in search.steps),
        seconds=round(time.perf_counter() - search.started, 1),
    )
    if not validations:
        return report
    verdict, first = validations[-1]
    assert verdict.portfolio is not None
    final = verdict.record(alpha, first_block=first, seed=search.seed)
    base = deterministic.objective or 0.0
    value = verdict.portfolio.objective or 0.0
    low, high = final.ci95_low or 0.0, final.ci95_high or 0.0
    verdict_text = (
        f"validated at ≥ {alpha:.0%}" if final.passes else f"below the {alpha:.0%} asked{stop}"
    )
    return replace(
        report,
        status=RobustStatus.VALIDATED if final.passes else RobustStatus.NOT_VALIDATED,
        message=f"holds in {final.probability_holds or 0.0:.1%} of {check_draws:,} independent "
        f"draws (95 % CI {low:.1%}–{high:.1%}); {verdict_text}",
        selected=chosen_of(verdict.portfolio),
        value=_round(value, 1),
        price_of_robustness=_round(base - value, 1),
        price_of_robustness_share=_round((base - value) / base, 4) if base else None,
        in_sample_level=_round(verdict.level, 4),
        validation=final,
        validation_attempts=tuple(s.record(alpha, first_block=b) for s, b in validations),
        probability_holds_out_of_sample=final.probability_holds,
        out_of_sample_draws=check_draws,
    )


def _round(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _whole_catalogue(problem: PortfolioProblem) -> tuple[Selection, ...]:
    """Every programme once at its earliest start: the rows to draw per-programme costs for."""
    from buildup.portfolio import Selection

    return tuple(
        Selection(p.id, p.name, p.area, p.earliest_start, 1, p.unit_cost, 0.0)
        for p in problem.catalogue.programmes
    )
