"""Every country × target at once: the planner's path, the extra cost and P(met).

For each country and each target share by one year, the planner solves the same question as
``buildup compare --target-share S --by Y`` (:func:`buildup.compare.cost.target_question`:
goal-seek under SIPRI's definition, or a path rising linearly in share of GDP for a country
whose baseline budget is zero, e.g. Iceland), :mod:`buildup.compare.cost` prices it against
holding the baseline share, and the risk engine simulates the plan
(:func:`buildup.engine.risk.build_plan_model`, the same drivers as ``buildup risk``) and
counts the draws that meet the target. Each country is one task — plan, price, simulate
each target — in one process or on a Dask worker (which opens the store read-only). A task
returns rows of plain numbers, so the result is the same wherever it runs: each task's
draws come from its own seed, derived from the sweep's seed, the country and the target,
and never from the order in which tasks finish.

``all`` means every country with a recent SIPRI figure in local currency and IMF GDP
(:func:`sweep_countries`); the others in SIPRI's data, and any country whose plan or risk
drivers cannot be built (e.g. fewer than ten years of history to fit the drivers on), are
listed with the reason, never dropped silently.

Work goes out one country at a time (all its targets: about a second of work at 100,000
draws, large against a Dask round trip), and the country's data are read from the store
once for its targets.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from buildup.compare.cost import DEFINITION, TargetSpec, against_current_path, target_question
from buildup.engine.provenance import Execution, Provenance, Setting, editions_of
from buildup.errors import BuildupError, InputError, StoreError, located
from buildup.types import PathShape

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore as Store

__all__ = [
    "PathPoint",
    "Skipped",
    "SweepResult",
    "SweepRow",
    "countries_with_data",
    "plan_and_simulate",
    "sweep",
    "sweep_countries",
    "sweep_country",
    "sweep_task",
    "task_seed",
]

MAX_SWEEP_DRAWS = 10_000_000
RECENT_YEARS = 5  # a country is tried if SIPRI has a figure in the last five years of its data
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PathPoint:
    """One year of a planned path: its share of GDP [fraction]."""

    year: int
    share_gdp: float


@dataclass(frozen=True)
class Skipped:
    """A country not planned, and why."""

    iso3: str
    reason: str


@dataclass(frozen=True)
class SweepRow:
    """One country × target: the plan's figures and its chance of meeting the target."""

    iso3: str
    target_share: float
    target_year: int
    baseline_year: int
    baseline_share: float
    already_met: bool
    reachable: bool
    share_in_target_year: float
    extra_total_usd: float
    required_real_growth: float
    probability_met: float
    standard_error: float
    draws: int
    seed: int
    path_shape: PathShape = PathShape.GOAL_SEEK  # linear-share where the baseline budget is 0
    path: tuple[PathPoint, ...] = ()


SEEDS = "each country × target: task_seed(seed, iso3, target share)"


@dataclass(frozen=True)
class SweepResult:
    """The rows, the countries left out with their reasons, the targets (shares of GDP
    [fraction] by the year ``by``) and the provenance: the sweep's seed, the draws per plan,
    the editions read, the definition, where it ran."""

    rows: tuple[SweepRow, ...]
    skipped: tuple[Skipped, ...]
    targets: tuple[float, ...]
    by: int
    provenance: Provenance

    @property
    def draws(self) -> int:
        """Monte Carlo draws per country × target."""
        return int(self.provenance.draws or 0)

    @property
    def seed(self) -> int:
        """The sweep's seed (each task's own is derived from it, :func:`task_seed`)."""
        return int(self.provenance.seed or 0)

    @property
    def workers(self) -> int:
        """The Dask workers it ran on (1 in one process)."""
        return self.provenance.workers or 1

    def table(self) -> pd.DataFrame:
        """One row per country × target (the path left out)."""
        import pandas as pd

        from buildup.serialize import to_jsonable

        names = [f.name for f in dataclasses.fields(SweepRow) if f.name != "path"]
        rows = [{n: v for n, v in to_jsonable(r).items() if n != "path"} for r in self.rows]
        return pd.DataFrame(rows, columns=names)


def countries_with_data(store: Store) -> list[str]:
    """Countries with a SIPRI figure in local currency in the last five years of its data
    and IMF GDP: the ones a sweep over ``all`` tries."""
    return sweep_countries(store)[0]


def sweep_countries(store: Store) -> tuple[list[str], list[tuple[str, str]]]:
    """The countries a sweep over ``all`` tries, and every other country in SIPRI's data with
    the reason it is not tried (no recent figure in local currency, or no IMF GDP)."""
    milex = store.query("milex")
    local = milex[milex["milex_local_current"].notna()]
    if local.empty:
        return [], []
    first_recent = int(local["year"].max()) - RECENT_YEARS + 1
    last = local.groupby("iso3")["year"].max()
    gdp = store.query("gdp")
    with_gdp = set(gdp.loc[gdp["gdp_local_current"].notna(), "iso3"])
    tried: list[str] = []
    left_out: list[tuple[str, str]] = []
    for iso3 in sorted(set(milex["iso3"])):
        reasons = []
        if iso3 not in last.index:
            reasons.append("SIPRI has no figure in local currency")
        elif int(last[iso3]) < first_recent:
            reasons.append(
                f"SIPRI's last figure in local currency is for {int(last[iso3])}, none in "
                f"{first_recent}–{int(local['year'].max())}"
            )
        if iso3 not in with_gdp:
            reasons.append("no GDP in the IMF WEO data")
        if reasons:
            left_out.append((iso3, "not tried: " + "; ".join(reasons)))
        else:
            tried.append(iso3)
    return tried, left_out


def task_seed(seed: int, iso3: str, share: float) -> int:
    """The seed of one country × target: the sweep's seed, the country and the target."""
    words = [seed, zlib.crc32(iso3.encode()), round(share * 1_000_000)]
    return int(np.random.SeedSequence(words).generate_state(1, dtype=np.uint64)[0] >> 1)


_STORES: dict[str, Any] = {}  # a worker's open stores, by address
Found = SweepRow | tuple[str, str]


def sweep_task(
    store_url: str | None,
    iso3: str,
    shares: Sequence[float],
    by: int,
    draws: int,
    seed: int,
    editions: Mapping[str, str] | None = None,
) -> list[Found]:
    """One country, every target, on a Dask worker: the store opened read-only once per
    worker and loaded into its memory (a worker reads it for every country it is given).
    ``editions`` are the caller's: a worker whose store holds other editions (another
    machine's store, built from another release) refuses, rather than mix data."""
    from buildup.store import DuckDBStore, open_store

    key = store_url or ""
    if key not in _STORES:
        opened = open_store(store_url, read_only=True)
        if isinstance(opened, DuckDBStore):
            opened.release_file()
        _STORES[key] = opened
    store = _STORES[key]
    if editions is not None and (held := store_editions(store)) != dict(editions):
        differ = ", ".join(
            f"{name} {held.get(name)} (caller {edition})"
            for name, edition in sorted(editions.items())
            if held.get(name) != edition
        )
        raise StoreError(
            f"a Dask worker's store ({store_url or 'the default store'}) holds other editions "
            f"than the caller's: {differ}; build or import the same data on every worker machine"
        )
    return sweep_country(store, iso3, shares, by, draws, seed)


def sweep_country(
    store: Store, iso3: str, shares: Sequence[float], by: int, draws: int, seed: int
) -> list[Found]:
    """Every target of one country: its data read from the store once (the datasets of a
    plan's Monte Carlo), then each target planned and simulated on its own seed."""
    from buildup.engine.gather import countries_of, gather_inputs
    from buildup.engine.inputs import RISK_DATASETS

    codes = countries_of([iso3])
    # A name that does not resolve reads nothing: the planner reports it, with suggestions.
    data = gather_inputs(store, countries=codes, datasets=RISK_DATASETS) if codes else store
    return [plan_and_simulate(data, iso3, share, by, draws, seed) for share in shares]


def plan_and_simulate(
    store: Store, iso3: str, share: float, by: int, draws: int, seed: int
) -> SweepRow | tuple[str, str]:
    """Plan, price and simulate one country × target; ``(iso3, reason)`` if it cannot be
    planned. The question is :func:`buildup.compare.cost.target_question`'s (the same path as
    ``compare --target-share``); the plan is solved once, for the cost and the Monte Carlo."""
    from buildup.engine.quick import quick_scenario
    from buildup.engine.risk import build_plan_model
    from buildup.risk.simulate import block_sizes, simulate_blocks

    target = TargetSpec(share, by, f"{share:g} by {by}")
    try:
        question = target_question(store, iso3, target)
        with located(iso3):
            scenario = quick_scenario(store, question)
        model, outcome, _ = build_plan_model(scenario, store, iso3)
        cost = against_current_path(outcome, target)
    except BuildupError as exc:
        # The planner's and risk engine's own words; their fixes name a scenario's keys, which
        # a `buildup plan` or `buildup risk` file for this country can set.
        return (iso3, f"not planned: {exc}")
    task = task_seed(seed, iso3, share)
    result = simulate_blocks(model, task, list(enumerate(block_sizes(draws))))
    found = (outcome, cost, question.shape)
    return _row(iso3, share, by, found, result.draws, int(result.met[0]), task)


def sweep(
    store: Store,
    countries: Sequence[str],
    targets: Sequence[float],
    by: int,
    *,
    draws: int = 100_000,
    seed: int = 20251028,
    client: Any = None,
    store_url: str | None = None,
    progress: Progress | None = None,
    left_out: Sequence[tuple[str, str]] = (),
) -> SweepResult:
    """Plan, price and simulate every country × target (see the module docstring).

    With a Dask ``client`` each country is a task (all its targets); the workers open the store at
    ``store_url`` (the same address as ``store``; default: the configured store) read-only.
    ``left_out`` — countries not tried, with their reasons (:func:`sweep_countries`) — are
    listed with the ones that could not be planned.
    """
    from buildup.risk.cluster import map_in_order, workers_of

    if not 1 <= draws <= MAX_SWEEP_DRAWS:
        raise InputError(
            what="draws", given=draws, expected=f"a number of draws from 1 to {MAX_SWEEP_DRAWS:,}"
        )
    if not targets:
        raise InputError(what="targets", given="", expected="at least one share, e.g. 0.02,0.035")
    shares = tuple(targets)
    each = None if progress is None else _per_plan(progress, len(shares))
    per_country: list[list[Found]]
    if client is None:
        per_country = map_in_order(
            None, sweep_country, [(store, c, shares, by, draws, seed) for c in countries], each
        )
    else:
        held = store_editions(store)
        per_country = map_in_order(
            client,
            sweep_task,
            [(store_url, c, shares, by, draws, seed, held) for c in countries],
            each,
        )
    found = [r for rows_of_country in per_country for r in rows_of_country]
    rows = tuple(r for r in found if isinstance(r, SweepRow))
    skipped: dict[str, str] = dict(left_out)
    for r in found:
        if isinstance(r, tuple):
            skipped.setdefault(r[0], r[1])
    from buildup.engine.inputs import RISK_DATASETS

    provenance = Provenance(
        task="sweep",
        editions=editions_of(store, RISK_DATASETS),
        seed=seed,
        draws=draws,
        options=(Setting("definition", DEFINITION), Setting("seeds", SEEDS)),
        workers=workers_of(client),
        **_where(client),
    )
    return SweepResult(
        rows, tuple(Skipped(c, r) for c, r in sorted(skipped.items())), tuple(targets), by,
        provenance,
    )  # fmt: skip


def _where(client: Any) -> dict[str, Any]:
    """Where a sweep ran: one process, a LocalCluster the client started, or a scheduler."""
    if client is None:
        return {"ran_on": Execution.PROCESS}
    if getattr(client, "cluster", None) is not None:
        return {"ran_on": Execution.LOCAL_CLUSTER}
    return {"ran_on": Execution.SCHEDULER, "scheduler": str(client.scheduler.address)}


def _per_plan(progress: Progress, targets: int) -> Progress:
    """Progress in plans (country × target) from progress in countries."""
    return lambda done, total: progress(done * targets, total * targets)


def store_editions(store: Store) -> dict[str, str]:
    """The current edition of each dataset a sweep reads."""
    from buildup.engine.inputs import RISK_DATASETS

    return {name: store.current_edition(name) for name in dict.fromkeys(RISK_DATASETS)}


def _row(iso3: str, share: float, by: int, found: Any, done: int, met: int, task: int) -> SweepRow:
    outcome, cost, shape = found
    years = outcome.years
    planned = years[years["year"] <= by]
    target = outcome.targets[0]
    p = met / done if done else math.nan
    return SweepRow(
        iso3=iso3,
        target_share=share,
        target_year=by,
        baseline_year=cost.baseline_year,
        baseline_share=cost.baseline_share,
        already_met=cost.already_met,
        reachable=bool(getattr(target, "reachable", True)),
        path_shape=PathShape(shape),
        share_in_target_year=float(planned["share_gdp"].iloc[-1]),
        extra_total_usd=cost.extra_total_usd,
        required_real_growth=cost.required_real_growth,
        probability_met=p,
        standard_error=math.sqrt(max(p * (1 - p), 0.0) / done) if done else math.nan,
        draws=done,
        seed=task,
        path=tuple(
            PathPoint(int(y), float(s))
            for y, s in zip(planned["year"], planned["share_gdp"], strict=True)
        ),
    )
