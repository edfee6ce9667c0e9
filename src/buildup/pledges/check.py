"""From a pledge to an answer: is it met already, by whose measure, what path, how likely.

Each commitment with a target year becomes a scenario with the defaults for its actor and
measure — Japan's share of GDP on the government's "defence-related" perimeter against FY2022
GDP (the basis of its 2 % goal), any other country on SIPRI's measure against current GDP; an
amount on the national budget (Japan: the defence budget incl. SACO/realignment, else SIPRI's
military expenditure) — and runs the planner (for a share, the question `buildup plan
--country` asks: goal-seek from the latest budget year before the target, at most 15 % real
growth a year, GDP and prices continued at the IMF's last forecast growth; the path and the
real growth it needs) and the risk engine (the probability the target is met). The
latest published figures say whether it is met already: SIPRI's share of GDP, NATO's
estimate for its members, the planner's first year on the government's measure.

A multi-year envelope ("¥43 trillion over FY2023–FY2027") goes to the tracker: how much of it
the budgets so far have used, the run-rate the rest needs, and where the current pace ends.

Not checked, with the reason said: demands (they are someone else's ask; check the same
target as a scenario), the alliance as a whole, growth rates, pledges with no target year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from buildup.engine.provenance import EditionRef, Provenance, editions_of
from buildup.errors import BuildupError, located
from buildup.pledges.record import Pledge

if TYPE_CHECKING:
    from buildup.store import DatasetStore, Store

__all__ = ["EnvelopeUse", "PledgeCheck", "check_pledge", "check_pledges"]

RISK_DRAWS = 20_000
RISK_SEED = 20251028
"""Draws and seed of the Monte Carlo behind P(met): fixed, so a check is reproducible."""


@dataclass(frozen=True, slots=True)
class EnvelopeUse:
    """A multi-year envelope against the budgets so far (the tracker's execution): the
    budgets used to the year ``as_of``, the share used [fraction], what remains, the run-rate
    a year the rest needs, and where the current pace ends [currency units of the pledge]."""

    as_of: int
    used: float
    share_used: float
    remaining: float
    required_run_rate: float
    projected_total: float
    projected_gap: float


@dataclass(frozen=True, slots=True)
class PledgeCheck:
    """One pledge checked: ``status`` is ``met by …`` (the measures whose latest figure
    meets it), ``reachable`` (the planner finds a path within its limits), ``out of reach``,
    or ``not checked`` (``note`` says why). ``*_latest`` is (year, share of GDP [fraction]);
    ``tracking`` the use of a multi-year envelope; ``provenance`` the data editions read and
    the Monte Carlo's seed and draws behind ``probability_met``."""

    pledge: Pledge
    status: str
    measure_used: str | None
    planned_value: float | None
    required_real_growth: float | None
    probability_met: float | None
    sipri_latest: tuple[int, float] | None
    nato_latest: tuple[int, float] | None
    met_by_sipri: bool | None
    met_by_nato: bool | None
    government_latest: tuple[int, float] | None
    met_by_government: bool | None
    tracking: EnvelopeUse | None
    note: str
    provenance: Provenance


def _latest(store: DatasetStore, dataset: str, iso3: str) -> tuple[int, float] | None:
    from buildup.types import YearRange

    try:
        frame = store.query(dataset, [iso3], YearRange(None, None))
    except BuildupError:
        return None
    frame = frame.dropna(subset=["share_gdp"])
    if frame.empty:
        return None
    row = frame.sort_values("year").iloc[-1]
    return int(row["year"]), float(row["share_gdp"])


_TASK = "check pledge"


def _not_checked(pledge: Pledge, note: str, store: DatasetStore | None = None) -> PledgeCheck:
    sipri = _latest(store, "milex", pledge.actor) if store is not None else None
    editions = editions_of(store, ("milex",)) if store is not None else ()
    return _unplanned(pledge, note, sipri, None, None, None, Provenance(_TASK, editions=editions))


def _unplanned(
    pledge: Pledge,
    note: str,
    sipri: tuple[int, float] | None,
    nato: tuple[int, float] | None,
    met_by_sipri: bool | None,
    met_by_nato: bool | None,
    provenance: Provenance,
) -> PledgeCheck:
    """A pledge the planner did not answer (``note`` says why): the latest figures only."""
    return PledgeCheck(
        pledge, "not checked", None, None, None, None, sipri, nato, met_by_sipri, met_by_nato,
        None, None, None, note, provenance,
    )  # fmt: skip


def _scenario_data(
    pledge: Pledge, baseline: int, max_real_growth: float
) -> tuple[dict[str, Any], str]:
    japan = pledge.actor == "JPN"
    target: dict[str, Any] = {"year": pledge.year, "label": pledge.text[:80]}
    data: dict[str, Any] = {
        "name": f"{pledge.actor}: pledge {pledge.measure} {pledge.value:g} by {pledge.year}",
        "country": pledge.actor,
        "baseline": {"year": baseline},
        "path": {"shape": "goal-seek", "max_real_growth": max_real_growth},
    }
    if pledge.measure == "share_gdp":
        definition = "defense_related" if japan else "sipri"
        target["share_gdp"] = pledge.value
    else:
        definition = "national_incl_saco" if japan else "sipri"
        target["amount"] = pledge.value
    target["definition"] = definition
    data["definition"] = definition
    data["targets"] = [target]
    if japan:
        data["report"] = ["sipri"]
    return data, definition


def check_pledge(pledge: Pledge, store: Store, *, draws: int = RISK_DRAWS) -> PledgeCheck:
    """Check one pledge against the data (see the module's docstring for the defaults)."""
    from buildup.engine import default_baseline_year, run
    from buildup.engine.quick import DEFAULT_MAX_REAL_GROWTH, QuickPlan, quick_scenario
    from buildup.engine.risk import simulate_plan
    from buildup.scenario import scenario_from_dict

    if pledge.kind != "commitment":
        return _not_checked(pledge, "a demand by another party: not the actor's own plan", store)
    if pledge.actor in ("NATO", "EUU"):
        return _not_checked(pledge, "an alliance-wide pledge: check each member's share")
    if pledge.measure == "growth":
        return _not_checked(pledge, "a growth rate: compare it with the next budget", store)
    if pledge.year is None:
        return _not_checked(pledge, "no target year in the text", store)
    if (
        pledge.measure == "amount"
        and pledge.start_year is not None
        and pledge.end_year != (pledge.start_year)
    ):
        return _track_envelope(pledge, store)
    sipri = _latest(store, "milex", pledge.actor)
    nato = _latest(store, "nato", pledge.actor)
    share = pledge.measure == "share_gdp"
    met_by_sipri = (sipri[1] >= pledge.value) if (share and sipri) else None
    met_by_nato = (nato[1] >= pledge.value) if (share and nato) else None
    try:
        baseline = default_baseline_year(store, pledge.actor, pledge.year)
        if baseline >= pledge.year:
            return _not_checked(
                pledge, f"the target year {pledge.year} is not after the data ({baseline})", store
            )
        data, definition = _scenario_data(pledge, baseline, DEFAULT_MAX_REAL_GROWTH)
        if share:
            # The same question as `buildup plan --country … --target-share … --by …`: one
            # baseline rule, one stated ramp limit, one continuation of GDP and prices.
            with located("pledge"):
                scenario = quick_scenario(
                    store, QuickPlan(pledge.actor, pledge.value, pledge.year, definition=definition)
                )
        else:
            scenario = scenario_from_dict(data, "pledge")
        outcome = run(scenario, store, "pledge")
        risk = simulate_plan(
            scenario, store, draws=draws, seed=RISK_SEED, origin="pledge", tornado=False
        )
    except BuildupError as exc:
        editions = editions_of(store, ("milex", "nato"))
        return _unplanned(pledge, f"cannot plan it: {exc}", sipri, nato, met_by_sipri,
                          met_by_nato, Provenance(_TASK, editions=editions))  # fmt: skip
    (target,) = outcome.targets
    growth = outcome.totals.required_growth_real
    probability = risk.targets[0].probability_met if risk.targets else None
    government = None
    if share and definition != "sipri":
        # The government's own measure in the latest budget year of the data (the plan's
        # first year): Japan's defence-related share of FY2022 GDP.
        own = outcome.definition_years(definition)
        first = own[own["year"] == baseline]
        if not first.empty:
            government = (baseline, float(first["share_gdp"].iloc[0]))
    met_by_government = (government[1] >= pledge.value - 1e-12) if government else None
    by_measure = (
        ("the government", met_by_government),
        ("SIPRI", met_by_sipri),
        ("NATO", met_by_nato),
    )
    measures = [name for name, met in by_measure if met]
    if measures:
        status = "met by " + " and ".join(measures)
    elif target.reachable:
        status = "reachable"
    else:
        status = "out of reach"
    note = f"plan from {baseline} on {definition}; P(met) from {draws:,} draws, seed {RISK_SEED}"
    provenance = Provenance(
        _TASK,
        spec_hash=outcome.provenance.spec_hash,
        editions=_joined(outcome.provenance, risk.provenance, editions_of(store, ("nato",))),
        seed=RISK_SEED,
        draws=draws,
    )
    return PledgeCheck(
        pledge,
        status,
        definition,
        target.share_gdp if share else target.amount_local,
        None if growth is None or math.isnan(growth) else float(growth),
        None if probability is None else float(probability),
        sipri,
        nato,
        met_by_sipri,
        met_by_nato,
        government,
        met_by_government,
        None,
        note,
        provenance,
    )


def _joined(*parts: Provenance | tuple[EditionRef, ...]) -> tuple[EditionRef, ...]:
    """The editions of several provenances (and edition lists), each dataset once."""
    out: dict[str, EditionRef] = {}
    for part in parts:
        for ref in part if isinstance(part, tuple) else part.editions:
            out.setdefault(ref.dataset, ref)
    return tuple(out.values())


def _track_envelope(pledge: Pledge, store: Store) -> PledgeCheck:
    """A multi-year envelope against the budgets so far: the tracker's execution."""
    from buildup.engine.track import track
    from buildup.scenario.tracking import TrackingSpec

    assert pledge.start_year is not None
    assert pledge.end_year is not None
    japan = pledge.actor == "JPN"
    sipri = _latest(store, "milex", pledge.actor)
    try:
        spec = TrackingSpec.model_validate(
            {
                "name": f"{pledge.actor}: {pledge.value:,.0f} {pledge.currency} "
                f"{pledge.start_year}–{pledge.end_year} (pledge)",
                "country": pledge.actor,
                "currency": pledge.currency,
                # Japan's programme is counted on its own basis (initial budgets excl. SACO);
                # any other country's on SIPRI's military expenditure.
                "actuals_from": "japan_initial_excl_saco" if japan else "sipri",
                "plan": {
                    "first_year": pledge.start_year,
                    "last_year": pledge.end_year,
                    "envelope": pledge.value,
                },
            }
        )
        outcome = track(spec, store, "pledge")
    except (BuildupError, ValueError) as exc:
        editions = editions_of(store, ("milex",))
        return _unplanned(pledge, f"cannot track it: {exc}", sipri, None, None, None,
                          Provenance(_TASK, editions=editions))  # fmt: skip
    e = outcome.execution
    tracking = EnvelopeUse(
        int(outcome.as_of), e.used, e.share_used, e.remaining, e.required_run_rate,
        e.projected_total, e.projected_gap,
    )  # fmt: skip
    status = "met" if e.remaining <= 0 else ("on pace" if e.projected_gap >= 0 else "behind pace")
    basis = "initial budgets, programme basis" if japan else "SIPRI military expenditure"
    note = (
        f"tracked on {basis} to {outcome.as_of}: {e.share_used:.0%} used, "
        f"{e.required_run_rate:,.0f} a year needed for {e.years_left} year(s) left; the current "
        f"pace gives {e.projected_total:,.0f}"
    )
    provenance = Provenance(
        _TASK,
        spec_hash=outcome.provenance.spec_hash,
        editions=_joined(outcome.provenance, editions_of(store, ("milex",))),
    )
    return PledgeCheck(pledge, status, "tracking", e.projected_total, None, None, sipri, None,
                       None, None, None, None, tracking, note, provenance)  # fmt: skip


def check_pledges(
    pledges: tuple[Pledge, ...], store: Store, *, draws: int = RISK_DRAWS
) -> list[PledgeCheck]:
    """Check each pledge in turn."""
    return [check_pledge(p, store, draws=draws) for p in pledges]
