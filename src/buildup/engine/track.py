"""``track(spec, store) -> TrackOutcome``: a programme's execution, outlays and variance.

Reads the actual price index and exchange rates from the store (continued by the spec's
assumed rates and, for prices, by IMF forecasts where the data has them), merges the actuals
(a bundled budget series plus rows in the file or a CSV), allocates the plan's envelope over
its years, models contracts to outlays, and splits the plan-to-outturn gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from buildup.data.countries import resolve_country
from buildup.engine.inputs import budget_history, currency_of, history_dataset, series_for
from buildup.engine.provenance import Provenance, Setting, editions_of
from buildup.errors import ScenarioError, UnknownCountryError, located
from buildup.money import index_from_inflation, rebase_index, reprice
from buildup.scenario.tracking import ActualRow, TrackingSpec, check_actuals
from buildup.serialize import internal, renamed, table, via
from buildup.tracking import (
    VARIANCE_PARTS,
    Execution,
    Outlays,
    Variance,
    decompose_variance,
    outlays_from_contracts,
    summarize_execution,
)

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore

__all__ = [
    "AreaUse",
    "PublishedCheck",
    "TrackOutcome",
    "TrackYear",
    "VarianceParts",
    "VarianceSummary",
    "track",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class PublishedCheck:
    """A modelled figure beside the published one it should reproduce [currency units]."""

    check: str
    modelled: float
    published: float
    source: str


@dataclass(frozen=True)
class TrackYear:
    """One year of tracking [currency units; price indices; LCU per US$]: the plan and its
    revision, the budgets, execution, the indices and rates, the variance parts (years with
    actuals), and the contracts, outlays and commitments (with contracts)."""

    year: int
    plan: float | None
    revised_plan: float | None
    initial: float | None
    supplementary: float | None
    appropriated: float | None
    executed: float | None
    price_index_actual: float | None
    price_index_plan: float | None
    rate_plan: float | None
    rate_actual: float | None
    variance_policy: float | None
    variance_price: float | None
    variance_exchange_rate: float | None
    variance_quantity: float | None
    variance_schedule: float | None
    variance_underspend: float | None
    variance_total: float | None
    contracts: float | None
    outlays: float | None
    committed_as_of: float | None


@dataclass(frozen=True)
class AreaUse:
    """A capability area's envelope and what its actuals used of it [currency units]."""

    area: str
    envelope: float
    basis: str
    used: float
    share_used: float


@dataclass(frozen=True)
class VarianceParts:
    """The plan-to-outturn gap to the last year with actuals, by cause [currency units]."""

    policy: float
    price: float
    exchange_rate: float
    quantity: float
    schedule: float
    underspend: float


@dataclass(frozen=True)
class VarianceSummary:
    """The variance decomposition: its method, its parts, and their total."""

    method: str
    parts: VarianceParts
    total: float


@dataclass(frozen=True)
class TrackOutcome:
    """Tracking results: yearly table, execution (nominal, real, at plan rates), outlays,
    the variance decomposition, checks against published figures, and provenance."""

    __json_extra__ = (("variance", "variance_summary"),)

    spec: TrackingSpec = field(metadata=via("name", str, key="programme"))
    iso3: str = field(metadata=renamed("country"))
    currency: str
    as_of: int
    years: pd.DataFrame = field(metadata=table(TrackYear))
    execution: Execution
    execution_real: Execution
    used_at_plan_rates: float
    outlays: Outlays | None = field(metadata=internal())
    variance: Variance | None = field(metadata=internal())
    checks: tuple[PublishedCheck, ...]
    areas: pd.DataFrame = field(metadata=table(AreaUse))
    notes: tuple[str, ...]
    provenance: Provenance

    @property
    def variance_summary(self) -> VarianceSummary | None:
        """The variance's totals by cause (None before the first year with actuals)."""
        if self.variance is None:
            return None
        variance = self.variance
        return VarianceSummary(
            method="sequential substitution: policy, price, exchange rate, quantity and "
            "schedule, underspend (see buildup.tracking)",
            parts=VarianceParts(*(variance.part(name).total for name in VARIANCE_PARTS)),
            total=variance.grand_total,
        )


@dataclass(frozen=True)
class _Yearly:
    """The yearly arrays over the plan's years [currency units; indices; LCU per US$]."""

    years: NDArray[np.int64]
    plan: Array
    revised: Array
    initial: Array
    supplementary: Array
    appropriated: Array
    executed: Array
    actual_price: Array
    plan_price: Array
    plan_rates: Array
    rates: Array


def track(
    spec: TrackingSpec,
    store: DatasetStore,
    origin: str | None = None,
    extra_actuals: Iterable[ActualRow] = (),
) -> TrackOutcome:
    """Track ``spec`` against its actuals; ``extra_actuals`` (from a CSV) replace file rows
    of the same year, kind and area. Errors name the key at fault, and ``origin`` (if given)
    the file it came from."""
    if origin is None:
        return _track(spec, store, tuple(extra_actuals))
    with located(origin):
        return _track(spec, store, tuple(extra_actuals))


def _track(
    spec: TrackingSpec, store: DatasetStore, extra_actuals: tuple[ActualRow, ...]
) -> TrackOutcome:
    try:
        iso3 = resolve_country(spec.country)
    except UnknownCountryError as exc:
        raise ScenarioError(what="country", problem=str(exc)) from exc
    years = np.arange(spec.plan.first_year, spec.plan.last_year + 1, dtype=np.int64)
    notes: list[str] = []
    actuals = _merge_actuals(spec, store, iso3, tuple(extra_actuals), notes)
    y, as_of, how = _yearly(spec, store, iso3, actuals, years, notes)
    f = spec.plan.foreign_share
    execution = summarize_execution(spec.plan.envelope, y.appropriated)
    execution_real = summarize_execution(
        float(np.sum(reprice(y.revised, y.plan_price, 1.0))),
        reprice(y.appropriated, y.actual_price, 1.0),
    )
    safe_rates = np.where(np.isnan(y.plan_rates), 1.0, y.plan_rates)
    at_plan = y.appropriated * ((1 - f) + f * safe_rates / y.rates)
    used_at_plan_rates = float(np.nansum(at_plan)) if f > 0 else execution.used
    variance = None
    done = ~np.isnan(y.appropriated)
    if done.any():
        k = int(np.nonzero(done)[0][-1]) + 1
        variance = decompose_variance(
            plan=y.plan[:k],
            revised=y.revised[:k],
            appropriated=y.appropriated[:k],
            executed=y.executed[:k],
            plan_price=y.plan_price[:k],
            actual_price=y.actual_price[:k],
            plan_rate=safe_rates[:k],
            actual_rate=y.rates[:k],
            foreign_share=f,
        )
    outlays = _outlays(spec, years)
    notes.extend(sorted({h for h in how if "assumption" in h or "given" in h}))
    used = ("prices", "fx") + ((history_dataset(spec.actuals_from),) if spec.actuals_from else ())
    import hashlib
    import json

    sources = [Setting("plan envelope", spec.plan.envelope_source)]
    sources += [Setting(f"plan {k}", v) for k, v in spec.plan.fixed_sources.items()]
    sources += [
        Setting(f"actual {r.fiscal_year} {r.kind}{' ' + r.area if r.area else ''}", r.source)
        for r in actuals
    ]
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True)
    provenance = Provenance(
        task="track",
        spec_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        editions=editions_of(store, used),
        inputs=tuple(sources),
    )
    return TrackOutcome(
        spec,
        iso3,
        spec.currency or currency_of(store, iso3),
        as_of,
        _table(y, variance, outlays, as_of),
        execution,
        execution_real,
        used_at_plan_rates,
        outlays,
        variance,
        _checks(spec, outlays),
        _areas(spec, actuals),
        tuple(notes),
        provenance,
    )


def _yearly(
    spec: TrackingSpec,
    store: DatasetStore,
    iso3: str,
    actuals: tuple[ActualRow, ...],
    years: NDArray[np.int64],
    notes: list[str],
) -> tuple[_Yearly, int, tuple[str, ...]]:
    initial = _by_kind(actuals, "initial", years)
    supplementary = _by_kind(actuals, "supplementary", years)
    appropriated = _appropriated(initial, supplementary, notes, years)
    executed = _by_kind(actuals, "executed", years)
    full = np.isnan(executed) & ~np.isnan(appropriated)
    if full.any():
        notes.append(
            "executed = appropriated (full execution assumed) in "
            + ", ".join(str(y) for y in years[full])
        )
    executed = np.where(np.isnan(executed), appropriated, executed)
    done = ~np.isnan(appropriated)
    as_of = spec.as_of or (int(years[done][-1]) if done.any() else int(years[0]) - 1)
    cutoff = years <= as_of
    plan = _allocate(spec, years)
    base = spec.plan.price_base_year or int(years[0]) - 1
    span = np.arange(min(base, int(years[0])), int(years[-1]) + 1, dtype=np.int64)
    prices = series_for(store, "prices", "gdp_deflator", iso3, span, what="prices")
    if np.isnan(prices.values).any():
        raise ScenarioError(
            what="plan.price_base_year",
            problem=f"no GDP deflator for {iso3} over {span[0]}–{span[-1]}",
            fix="choose years the prices dataset covers",
        )
    if "(forecast)" in " ".join(prices.how):
        notes.append("price index: IMF WEO forecasts for years after its last actual")
    index = rebase_index(prices.values, base - int(span[0]))
    rates = series_for(
        store,
        "fx",
        "local_per_usd",
        iso3,
        years,
        overrides=spec.assumed_rates,
        what="exchange rate",
        hold=True,
    )
    plan_rates = np.array([spec.plan.planning_rates.get(int(y), np.nan) for y in years])
    if spec.plan.foreign_share > 0 and np.isnan(plan_rates).any():
        raise ScenarioError(
            what="plan.planning_rates",
            problem=f"a foreign share is set but year {int(years[np.isnan(plan_rates)][0])} has "
            "no planning rate",
            fix="add it",
        )
    yearly = _Yearly(
        years=years,
        plan=plan,
        revised=np.array(
            [spec.plan.revised.get(int(y), p) for y, p in zip(years, plan, strict=True)]
        ),
        initial=initial,
        supplementary=supplementary,
        appropriated=np.where(cutoff, appropriated, np.nan),
        executed=np.where(cutoff, executed, np.nan),
        actual_price=index[years - int(span[0])],
        plan_price=index_from_inflation(spec.plan.assumed_inflation, years, base),
        plan_rates=plan_rates,
        rates=rates.values,
    )
    return yearly, as_of, rates.how


def _merge_actuals(
    spec: TrackingSpec,
    store: DatasetStore,
    iso3: str,
    extra: tuple[ActualRow, ...],
    notes: list[str],
) -> tuple[ActualRow, ...]:
    rows: dict[tuple[int, str, str | None], ActualRow] = {}
    if spec.actuals_from is not None:
        history = budget_history(store, iso3, spec.actuals_from)
        for year in spec.years:
            if year in history:
                amount, ref = history[year]
                source = f"{ref['dataset']} {ref['edition']}: {ref.get('source_id', '')}".strip()
                rows[(year, "initial", None)] = ActualRow(
                    fiscal_year=year, kind="initial", amount=amount, source=source
                )
    for row in spec.actuals:
        rows[(row.fiscal_year, row.kind, row.area)] = row
    if extra:
        replaced = [k for k in ((r.fiscal_year, r.kind, r.area) for r in extra) if k in rows]
        if replaced:
            notes.append(
                "the CSV of actuals replaced " + ", ".join(f"{y} {k}" for y, k, _ in replaced)
            )
        for row in extra:
            rows[(row.fiscal_year, row.kind, row.area)] = row
    merged = tuple(rows.values())
    check_actuals(spec, merged, "actuals", lambda i: f"row {i + 1}")
    return merged


def _by_kind(actuals: tuple[ActualRow, ...], kind: str, years: NDArray[np.int64]) -> Array:
    out = np.full(len(years), np.nan)
    for row in actuals:
        if row.kind == kind and row.area is None:
            i = row.fiscal_year - int(years[0])
            out[i] = row.amount if np.isnan(out[i]) else out[i] + row.amount
    return out


def _appropriated(
    initial: Array, supplementary: Array, notes: list[str], years: NDArray[np.int64]
) -> Array:
    missing = ~np.isnan(initial) & np.isnan(supplementary)
    if missing.any():
        notes.append(
            "no supplementary budget in the actuals for "
            + ", ".join(str(y) for y in years[missing])
            + " (counted as none; check the sources)"
        )
    return initial + np.where(np.isnan(supplementary), 0.0, supplementary)


def _allocate(spec: TrackingSpec, years: NDArray[np.int64]) -> Array:
    plan = spec.plan
    if plan.allocation == "given":
        return np.array([plan.years[int(y)] for y in years], dtype=float)
    free = [int(y) for y in years if int(y) not in plan.fixed]
    rest = plan.envelope - sum(plan.fixed.values())
    even = rest / len(free) if free else 0.0
    return np.array([plan.fixed.get(int(y), even) for y in years], dtype=float)


def _outlays(spec: TrackingSpec, years: NDArray[np.int64]) -> Outlays | None:
    if not spec.contracts.signed:
        return None
    signed: dict[str, Array] = {}
    for row in spec.contracts.signed:
        arr = signed.setdefault(row.category, np.zeros(len(years)))
        arr[row.fiscal_year - int(years[0])] += row.amount
    profiles = {c.name: np.array(c.profile, dtype=float) for c in spec.contracts.categories}
    return outlays_from_contracts(int(years[0]), signed, profiles)


def _table(
    y: _Yearly, variance: Variance | None, outlays: Outlays | None, as_of: int
) -> pd.DataFrame:
    import pandas as pd

    years = y.years
    frame = pd.DataFrame(
        {
            "year": years,
            "plan": y.plan,
            "revised_plan": y.revised,
            "initial": y.initial,
            "supplementary": y.supplementary,
            "appropriated": y.appropriated,
            "executed": y.executed,
            "price_index_actual": y.actual_price,
            "price_index_plan": y.plan_price,
            "rate_plan": y.plan_rates,
            "rate_actual": y.rates,
        }
    )
    if variance is not None:
        k = len(variance.total)
        for part in variance.parts:
            frame[f"variance_{part.cause}"] = np.concatenate(
                [part.values, np.full(len(years) - k, np.nan)]
            )
        frame["variance_total"] = np.concatenate([variance.total, np.full(len(years) - k, np.nan)])
    if outlays is not None:
        extra = [int(v) for v in outlays.years if v > years[-1]]
        frame = frame.reindex(range(len(years) + len(extra)))
        frame["year"] = list(years) + extra
        frame["contracts"] = np.concatenate([outlays.signed, np.full(len(extra), np.nan)])
        frame["outlays"] = outlays.total
        a = min(as_of, int(years[-1])) - int(years[0])
        committed = outlays.committed[a] if a >= 0 else np.zeros(len(outlays.years))
        frame["committed_as_of"] = np.where(outlays.years > as_of, committed, np.nan)
    return frame


def _checks(spec: TrackingSpec, outlays: Outlays | None) -> tuple[PublishedCheck, ...]:
    checks: list[PublishedCheck] = []
    if outlays is not None:
        contracts = float(outlays.signed.sum())
        sources = spec.plan.contract_sources
        if spec.plan.contract_envelope is not None:
            checks.append(
                PublishedCheck(
                    "new contracts over the plan",
                    contracts,
                    float(spec.plan.contract_envelope),
                    sources,
                )
            )
        last = spec.plan.last_year
        tail = float(outlays.total[outlays.years > last].sum())
        if spec.plan.contract_tail is not None:
            checks.append(
                PublishedCheck(
                    f"contract payments after FY{last}",
                    tail,
                    float(spec.plan.contract_tail),
                    sources,
                )
            )
        checks.append(
            PublishedCheck(
                "outlays equal contracts (conservation)",
                float(outlays.total.sum()),
                contracts,
                "identity",
            )
        )
    return tuple(checks)


def _areas(spec: TrackingSpec, actuals: tuple[ActualRow, ...]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for area, envelope in spec.plan.areas.items():
        spent = [r.amount for r in actuals if r.area == area]
        used = float(sum(spent)) if spent else float("nan")
        rows.append(
            {
                "area": area,
                "envelope": envelope,
                "basis": spec.plan.areas_basis,
                "used": used,
                "share_used": used / envelope if envelope else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["area", "envelope", "basis", "used", "share_used"])
