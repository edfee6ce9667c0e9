"""The application layer: one function per user task, the same for the CLI and the web.

Each task takes its parsed spec and a frozen options model, validates the options once,
reads everything it needs from the store in one step before computing
(:func:`~buildup.engine.gather.gather_inputs`: no store query once computing has started),
calls the engines on what it read and returns a frozen outcome that carries one
:class:`~buildup.engine.provenance.Provenance`. Interfaces parse, make one call,
and render; none of them orchestrates.

======================  =======================================================
task                    outcome
======================  =======================================================
:func:`plan`            :class:`~buildup.engine.outcome.Outcome`
:func:`quick_plan`      the same, for a scenario built from a few options
:func:`track`           :class:`~buildup.engine.track.TrackOutcome`
:func:`optimise`        :class:`Optimisation` (envelope from a file or a plan)
:func:`plan_risk`       :class:`~buildup.engine.risk.RiskOutcome`
:func:`portfolio_risk`  :class:`PortfolioRiskOutcome` (and the robust portfolio)
:func:`stress_test`     :class:`RiskReport`: the plan's risk and, if asked, the
                        portfolio's — the plan run once for both
======================  =======================================================

(The compare task, :func:`buildup.compare.compare_allies`, lives above this layer.) The
names avoid the package's own subpackages (``buildup.risk``, ``buildup.compare``), which
would shadow them on the package root.

Option errors are :class:`~buildup.errors.InputError` naming the option's key (``draws``,
``alpha``), never an interface's flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from buildup.engine.provenance import Execution, Provenance, Setting, editions_of
from buildup.errors import InfeasibleError, InputError, ScenarioError, SolverError
from buildup.limits import (
    DEFAULT_TIME_LIMIT_S,
    MAX_DRAWS,
    MAX_MONEY,
    MAX_SAA_SCENARIOS,
    YEAR_MAX,
    YEAR_MIN,
    describe_invalid,
)

if TYPE_CHECKING:
    from buildup.engine.optimize import Optimisation
    from buildup.engine.outcome import Outcome
    from buildup.engine.risk import RiskOutcome
    from buildup.engine.risk_portfolio import PortfolioRiskOutcome, RiskReport
    from buildup.engine.track import TrackOutcome
    from buildup.scenario import Scenario
    from buildup.scenario.portfolio import Catalogue, Envelope
    from buildup.scenario.tracking import ActualRow, TrackingSpec
    from buildup.store import DatasetStore

__all__ = [
    "DEFAULT_SEED",
    "OptimiseOptions",
    "Options",
    "PlanOptions",
    "PortfolioOptions",
    "QuickPlanOptions",
    "RiskOptions",
    "TrackOptions",
    "optimise",
    "plan",
    "plan_risk",
    "portfolio_risk",
    "quick_plan",
    "stress_test",
    "track",
    "validate_options",
]

DEFAULT_SEED = 20251028  # the Takaichi–Trump summit, a fixed and documented default
Progress = Callable[[int, int], None]
OptionsT = TypeVar("OptionsT", bound=BaseModel)


class Options(BaseModel):
    """Base of the tasks' options: frozen, and unknown keys are errors."""

    # Finite numbers only: an option of nan or inf is refused where it enters.
    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, allow_inf_nan=False
    )


def validate_options(cls: type[OptionsT], **values: Any) -> OptionsT:
    """Build an options model, turning the first validation error into an :class:`InputError`.

    ``None`` values are left out, so that an interface can pass what the user did not give.
    """
    try:
        return cls(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        found = describe_invalid(exc, cls)
        if not found.key:  # a model-level rule: its message names the keys
            raise InputError(problem=found.message) from exc
        if found.given is None:
            raise InputError(what=found.key, problem=found.message, fix=found.fix) from exc
        raise InputError(
            what=found.key, given=found.given, problem=found.message, fix=found.fix
        ) from exc


# ----------------------------------------------------------------------------------- plan


class PlanOptions(Options):
    """Options of a plan: ``source`` names the spec (its file's name) in messages."""

    source: str = "scenario"


def plan(spec: Scenario, store: DatasetStore, options: PlanOptions | None = None) -> Outcome:
    """Plan a scenario: the budget path to its targets, under each definition."""
    from buildup.engine.plan import run

    return run(spec, _gather(store, spec.country), (options or PlanOptions()).source)


def _gather(store: DatasetStore, country: str, datasets: str = "plan") -> DatasetStore:
    """The task's one read of the store: the datasets of a plan (or of its risk, or of
    tracking), for the country named."""
    from buildup.engine import gather
    from buildup.engine.inputs import PLAN_DATASETS, RISK_DATASETS, TRACK_DATASETS

    needs = {"plan": PLAN_DATASETS, "risk": RISK_DATASETS, "track": TRACK_DATASETS}
    countries = gather.countries_of([country])
    return gather.gather_inputs(store, countries=countries, datasets=needs[datasets])


class QuickPlanOptions(Options):
    """A plan from a few options: a country, a share of GDP and a year (and a few more)."""

    country: str
    target_share: float = Field(gt=0, le=1)
    by: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    gdp_base_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    shape: str = "goal-seek"
    max_real_growth: float | None = Field(default=None, gt=-1, le=1)
    baseline_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    baseline_amount: float | None = Field(default=None, ge=0, le=MAX_MONEY)
    definition: str | None = None
    gdp_growth: Annotated[float, Field(gt=-1, le=1)] | Literal["last"] | None = None
    inflation: Annotated[float, Field(gt=-1, le=1)] | Literal["last"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _percent(cls, data: Any) -> Any:
        share = data.get("target_share") if isinstance(data, dict) else None
        if isinstance(share, int | float) and 1 < share <= 100:
            raise InputError(
                what="target_share",
                given=share,
                problem="looks like a percent",
                expected="a fraction of GDP",
                fix=f"write {share / 100:g} for {share:g} %",
            )
        return data


def quick_scenario(options: QuickPlanOptions, store: DatasetStore) -> Scenario:
    """The scenario that :func:`quick_plan` runs (:mod:`buildup.engine.quick`'s rules)."""
    from buildup.engine.quick import QuickPlan
    from buildup.engine.quick import quick_scenario as build

    question = QuickPlan(**options.model_dump())
    try:
        return build(store, question)
    except ScenarioError as exc:
        # Name the option, not the key of the scenario it was written to.
        option = _QUICK_KEYS.get(exc.what or "")
        if option is None or not (exc.problem or exc.expected):
            raise exc.at("options") from None
        raise InputError(
            what=option,
            given=getattr(options, option),
            problem=exc.problem,
            expected=exc.expected,
            fix=exc.fix,
        ) from exc


# Keys of the quick scenario → the options they come from.
_QUICK_KEYS = {
    "country": "country",
    "baseline.year": "baseline_year",
    "baseline.amount": "baseline_amount",
    "targets[0].year": "by",
    "targets[0].share_gdp": "target_share",
    "targets[0].definition": "definition",
    "definition": "definition",
    "path.shape": "shape",
    "path.max_real_growth": "max_real_growth",
    "gdp.growth_after_data": "gdp_growth",
    "prices.inflation_after_data": "inflation",
    "denominator.year": "gdp_base_year",
}


def quick_plan(options: QuickPlanOptions, store: DatasetStore) -> Outcome:
    """Plan the one-target scenario of ``options`` (usable from the CLI and the web)."""
    from buildup.engine.plan import run

    inputs = _gather(store, options.country)
    return run(quick_scenario(options, inputs), inputs, quick=True)


# ---------------------------------------------------------------------------------- track


class TrackOptions(Options):
    """Options of tracking: extra actuals (e.g. read from a CSV) and the spec's name."""

    source: str = "tracking"
    actuals: tuple[Any, ...] = ()


def track(
    spec: TrackingSpec, store: DatasetStore, options: TrackOptions | None = None
) -> TrackOutcome:
    """A programme against its plan: execution, contracts to outlays, variance."""
    from buildup.engine.track import track as run_track

    o = options or TrackOptions()
    extra: tuple[ActualRow, ...] = tuple(o.actuals)
    return run_track(spec, _gather(store, spec.country, "track"), o.source, extra)


def _one_cluster(cluster: str | None, scheduler: str | None) -> None:
    """A task runs on a cluster it starts or on a running scheduler, not both."""
    if cluster is not None and scheduler is not None:
        raise InputError(
            what="cluster",
            given=cluster,
            problem="a cluster to start and a scheduler to use were both given",
            fix="give one of {option:cluster} and {option:scheduler}",
        )


# ------------------------------------------------------------------------------- optimise


class OptimiseOptions(Options):
    """Solver options and how the envelope is made when it comes from a plan."""

    envelope_share: float = Field(default=1.0, gt=0, le=1)
    gap: float = Field(default=1e-4, ge=0, le=1)
    # Always bounded: a large catalogue stops with its best portfolio and gap.
    time_limit: float = Field(default=DEFAULT_TIME_LIMIT_S, gt=0, le=7 * 86_400)
    pareto: bool = False
    weights: Mapping[str, float] | None = None
    area_limits: Any = None  # buildup.scenario.portfolio.AreaLimits
    cluster: str | None = None  # the Pareto points on a LocalCluster (local:N) …
    scheduler: str | None = None  # … or on a running Dask scheduler

    @model_validator(mode="after")
    def _one_place(self) -> OptimiseOptions:
        _one_cluster(self.cluster, self.scheduler)
        if (self.cluster is not None or self.scheduler is not None) and not self.pareto:
            raise InputError(
                what="cluster",
                given=self.cluster or self.scheduler,
                problem="a cluster spreads the Pareto points, and none were asked for",
                fix="add {option:pareto}",
            )
        return self


def plan_envelope_of(outcome: Outcome, share: float, source: str) -> Envelope:
    """The envelope from a plan's planned years' budgets × ``share``."""
    from buildup.scenario.portfolio import Envelope

    planned = outcome.years[outcome.years["planned"].astype(bool)]
    if planned.empty:
        raise InputError(
            where=source,
            problem="the plan has no planned years",
            fix="give a scenario with a path",
        )
    what = f"{source}: planned budget_local" + (f" × {share:g}" if share != 1 else "")
    return Envelope(
        years=tuple(int(y) for y in planned["year"]),
        budgets=tuple(float(b) * share for b in planned["budget_local"]),
        currency=outcome.currency,
        source=what,
    )


def optimise(
    catalogue: Catalogue,
    options: OptimiseOptions,
    *,
    envelope: Envelope | None = None,
    plan_spec: Scenario | None = None,
    store: DatasetStore | None = None,
    source: str = "programmes",
    plan_source: str | None = None,
) -> Optimisation:
    """Choose programmes, quantities and start years for the most value within the envelopes.

    The envelope is given (``envelope``) or made from a plan (``plan_spec``, run on
    ``store``, × ``options.envelope_share``) — exactly one. ``source`` and ``plan_source``
    name the programmes and the plan (their files) in the envelope's source and in messages.
    """
    from buildup.engine.programmes import portfolio_problem
    from buildup.portfolio import optimize_portfolio
    from buildup.portfolio.analysis import DEFAULT_SCALES

    if (envelope is None) == (plan_spec is None):
        raise InputError(
            what="envelope",
            problem="the envelopes come from a file or from a plan",
            fix="give one of {option:envelope} and {option:plan}",
        )
    editions: tuple[Any, ...] = ()
    spec_hash = None
    if plan_spec is not None:
        if store is None:
            raise InputError(what="store", problem="a plan's envelope needs the data store")
        named = plan_source or plan_spec.name
        outcome = plan(plan_spec, store, PlanOptions(source=named))
        envelope = plan_envelope_of(outcome, options.envelope_share, named)
        editions, spec_hash = outcome.provenance.editions, outcome.provenance.spec_hash
    elif options.envelope_share != 1.0:
        raise InputError(
            what="envelope_share",
            given=options.envelope_share,
            problem="applies to an envelope made from a plan only",
            fix="scale the envelope file instead",
        )
    assert envelope is not None
    problem = portfolio_problem(catalogue, envelope, options.area_limits, options.weights)
    from buildup.risk.cluster import dask_client, map_in_order

    with dask_client(options.scheduler, options.cluster) as client:
        analysis = optimize_portfolio(
            problem,
            gap=options.gap,
            time_limit=options.time_limit,
            pareto=DEFAULT_SCALES if options.pareto else (),
            mapper=None if client is None else lambda fn, items: map_in_order(client, fn, items),
        )
    result = analysis.portfolio
    if result.status.value == "infeasible":
        raise InfeasibleError(problem=f"no feasible portfolio: {result.explanation}")
    if not result.has_solution:
        limit = f" of {options.time_limit:g} s"
        raise SolverError(
            what="time_limit",
            problem=f"no portfolio found within the time limit{limit}",
            fix="raise the time limit",
        )
    provenance = Provenance(
        task="optimise",
        spec_hash=spec_hash,
        editions=editions,
        solver="HiGHS (mixed-integer programme)",
        options=_settings(options, exclude={"area_limits", "weights"}),
    )
    from buildup.engine.optimize import Optimisation

    inputs = (Setting("programmes", source), Setting("envelope", envelope.source))
    return Optimisation(analysis, envelope, inputs, provenance)


def _settings(options: BaseModel, exclude: set[str] = frozenset()) -> tuple[Any, ...]:  # type: ignore[assignment]
    from buildup.engine.provenance import Setting

    out = []
    for name, value in options.model_dump().items():
        if name in exclude or name == "source":
            continue
        out.append(Setting(name, value if isinstance(value, str | int | float | bool) else None))
    return tuple(out)


# ----------------------------------------------------------------------------------- risk


class RiskOptions(Options):
    """The Monte Carlo: draws, seed, draws per chunk (None: 262,144 in one process, an even
    share per worker on a cluster), where it runs, and the spec's name."""

    draws: int = Field(default=100_000, ge=1, le=MAX_DRAWS)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**63 - 1)
    chunk: int | None = Field(default=None, ge=1, le=MAX_DRAWS)
    cluster: str | None = None
    scheduler: str | None = None
    tornado: bool = True
    source: str = "scenario"

    @model_validator(mode="after")
    def _one_place(self) -> RiskOptions:
        _one_cluster(self.cluster, self.scheduler)
        return self


class PortfolioOptions(Options):
    """The portfolio under the plan's risk: its envelope, and the robust (α) portfolio."""

    envelope_share: float = Field(default=1.0, gt=0, le=1)
    alpha: float | None = Field(default=None, gt=0, lt=1)
    scenarios: int = Field(default=500, ge=1, le=MAX_SAA_SCENARIOS)
    time_limit: float = Field(default=30.0, gt=0, le=7 * 86_400)


def plan_risk(
    spec: Scenario,
    store: DatasetStore,
    options: RiskOptions | None = None,
    *,
    progress: Progress | None = None,
) -> RiskOutcome:
    """The plan under uncertainty: chances of meeting each target, quantiles, shortfall."""
    return stress_test(spec, store, options, progress=progress).plan


def stress_test(
    spec: Scenario,
    store: DatasetStore,
    options: RiskOptions | None = None,
    *,
    programmes: Catalogue | None = None,
    envelope: Envelope | None = None,
    portfolio: PortfolioOptions | None = None,
    progress: Progress | None = None,
    describe: Callable[[str], None] | None = None,
) -> RiskReport:
    """The plan's Monte Carlo and, with ``programmes``, the optimal portfolio's risk.

    The deterministic plan runs once: its budgets are the portfolio's envelope when no
    ``envelope`` is given. Everything runs on the cluster the options name (the plan's and
    the portfolio's Monte Carlo, the robust portfolio's checks); ``describe(text)`` names
    each step of the portfolio part as it starts.
    """
    from buildup.engine.risk import simulate_plan
    from buildup.engine.risk_portfolio import RiskReport
    from buildup.risk.cluster import dask_client

    o = options or RiskOptions()
    inputs = _gather(store, spec.country, "risk")
    with dask_client(o.scheduler, o.cluster) as client:
        outcome = simulate_plan(
            spec,
            inputs,
            draws=o.draws,
            seed=o.seed,
            origin=o.source,
            chunk_draws=o.chunk,
            client=client,
            progress=progress,
            tornado=o.tornado,
        )
        ran = _where(o)
        outcome = replace(outcome, provenance=replace(outcome.provenance, **ran))
        section = None
        if programmes is not None:
            section = _portfolio_risk(
                spec,
                inputs,
                outcome.plan,
                programmes,
                envelope,
                portfolio or PortfolioOptions(),
                o,
                client=client,
                describe=describe,
            )
    return RiskReport(outcome, section)


def portfolio_risk(
    spec: Scenario,
    store: DatasetStore,
    programmes: Catalogue,
    options: RiskOptions | None = None,
    portfolio: PortfolioOptions | None = None,
    *,
    envelope: Envelope | None = None,
    plan_outcome: Outcome | None = None,
) -> PortfolioRiskOutcome:
    """The optimal portfolio for the envelope (given, or the plan's), under uncertainty."""
    from buildup.engine.plan import run

    o = options or RiskOptions()
    inputs = _gather(store, spec.country, "risk")
    if plan_outcome is None and envelope is None:
        plan_outcome = run(spec, inputs, o.source)
    return _portfolio_risk(
        spec, inputs, plan_outcome, programmes, envelope, portfolio or PortfolioOptions(), o
    )


def _portfolio_risk(
    spec: Scenario,
    store: DatasetStore,
    plan_outcome: Outcome | None,
    programmes: Catalogue,
    envelope: Envelope | None,
    options: PortfolioOptions,
    risk_options: RiskOptions,
    *,
    client: Any = None,
    describe: Callable[[str], None] | None = None,
) -> PortfolioRiskOutcome:
    from buildup.engine.programmes import portfolio_problem
    from buildup.engine.risk_portfolio import (
        PortfolioRiskOutcome,
        robust_portfolio,
        simulate_portfolio_risk,
    )
    from buildup.portfolio import solve_portfolio

    say = describe or (lambda text: None)

    if envelope is None:
        assert plan_outcome is not None
        envelope = plan_envelope_of(plan_outcome, options.envelope_share, risk_options.source)
    problem = portfolio_problem(programmes, envelope)
    say("Optimising the portfolio")
    chosen = solve_portfolio(problem, time_limit=options.time_limit, deterministic=True)
    if not chosen.has_solution:
        raise InfeasibleError(
            what="programmes",
            problem=f"no portfolio fits the envelopes: {chosen.explanation}",
        )
    say("Simulating the portfolio")
    result = simulate_portfolio_risk(
        problem, chosen, spec, store, draws=risk_options.draws, seed=risk_options.seed,
        client=client,
    )  # fmt: skip
    robust = None
    if options.alpha is not None:
        robust = robust_portfolio(
            problem,
            chosen,
            spec,
            store,
            seed=risk_options.seed,
            alpha=options.alpha,
            scenarios=options.scenarios,
            time_limit=options.time_limit,
            client=client,
            progress=say,
        )
    base = plan_outcome.provenance if plan_outcome is not None else None
    provenance = Provenance(
        task="portfolio risk",
        spec_hash=base.spec_hash if base is not None else None,
        editions=base.editions if base is not None else editions_of(store, ("cbo_errors",)),
        seed=risk_options.seed,
        draws=risk_options.draws,
        solver="HiGHS (mixed-integer programme)",
        options=_settings(options),
    )
    return PortfolioRiskOutcome(chosen, result, problem.envelope, robust, provenance)


def _where(options: RiskOptions) -> dict[str, Any]:
    if options.scheduler is not None:
        return {"ran_on": Execution.SCHEDULER, "scheduler": options.scheduler}
    if options.cluster is not None:
        count = options.cluster.partition(":")[2]
        return {
            "ran_on": Execution.LOCAL_CLUSTER,
            "workers": int(count) if count.isdigit() else None,
        }
    return {"ran_on": Execution.PROCESS}
