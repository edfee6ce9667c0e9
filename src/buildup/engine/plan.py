"""``run(scenario, store) -> Outcome``: wire the data, the ledger and the path solver.

Order of work: resolve the country and its presets; build the axis of years (the plan,
then a horizon of 30 more years so that an unreachable target can say when it would be
met); read GDP, the price index and exchange rates from the store and continue them by the
scenario's assumptions; resolve the definitions into lines of the budget; turn targets into
budget requirements; solve the path; compute every definition's totals and shares; record a
trace entry for every output value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from buildup.data.countries import resolve_country
from buildup.engine.explain import build_trace, list_assumptions
from buildup.engine.inputs import (
    Series,
    budget_history,
    currency_of,
    history_dataset,
    read_series,
    series_for,
)
from buildup.engine.outcome import (
    DefinitionLabel,
    DefinitionLine,
    Outcome,
    PlanTotals,
    TargetCheck,
    TargetKind,
)
from buildup.engine.provenance import Provenance, editions_of
from buildup.engine.rates import exchange_rate_series
from buildup.errors import DataError, ScenarioError, UnknownCountryError, located
from buildup.ledger import Component as LedgerComponent
from buildup.ledger import Definition as LedgerDefinition
from buildup.ledger import Ledger, Line, build_ledger
from buildup.money import average_growth, reprice, to_real, to_usd, year_on_year
from buildup.scenario import Definition, Scenario, load_preset, scenario_hash
from buildup.trajectory import (
    GivenAmountsError,
    PathProblem,
    PathResult,
    Requirement,
    ShareLine,
    solve_path,
)

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore

__all__ = ["default_baseline_year", "run"]

HORIZON_YEARS = 30
# Sources that publish a definition's figures: dataset, spending column, share column.
_PUBLISHED = {"milex": ("milex", "milex_local_current", "share_gdp")}


@dataclass(frozen=True)
class Published:
    """A figure as its source published it: spending [local currency] and share of GDP."""

    spending_local: float
    share_gdp: float
    ref: Mapping[str, Any]

    @property
    def gdp_local(self) -> float:
        """The GDP the source divided by [local currency]: spending / share."""
        return self.spending_local / self.share_gdp


@dataclass(frozen=True)
class _Context:
    quick: bool
    iso3: str
    years: NDArray[np.int64]
    stop: int
    gdp: Series
    prices: Series
    fx: Series
    base_index: float
    ledger: Ledger
    denominators: dict[str, NDArray[np.float64]]
    denominator_how: dict[str, str]
    budget_history: str
    notes: tuple[str, ...] = ()
    # Per definition, the years (index on the axis) shown as its source published them.
    published: Mapping[str, Mapping[int, Published]] = field(default_factory=dict)


def run(
    scenario: Scenario, store: DatasetStore, origin: str | None = None, *, quick: bool = False
) -> Outcome:
    """Run a scenario against the store.

    Errors name the key at fault (``what``); where the scenario came from is the caller's
    to attach (a task attaches its file's name; ``origin``, if given, is attached here).
    ``quick`` says the scenario was built from a few options (:mod:`buildup.engine.quick`):
    a fix then names those options rather than the scenario's keys.
    """
    if origin is None:
        return _run(scenario, store, quick)
    with located(origin):
        return _run(scenario, store, quick)


def _run(scenario: Scenario, store: DatasetStore, quick: bool) -> Outcome:
    try:
        iso3 = resolve_country(scenario.country)
    except UnknownCountryError as exc:
        raise ScenarioError(what="country", problem=str(exc)) from exc
    preset = load_preset(iso3)
    primary = scenario.definition or preset.primary
    components = {c.name: c for c in preset.components} | {c.name: c for c in scenario.components}
    definitions = {d.name: d for d in preset.definitions} | {
        d.name: d for d in scenario.definitions
    }
    _check_names(scenario, primary, definitions)
    definitions, denominator_notes = _scenario_denominator(scenario, primary, definitions)

    first, last = scenario.baseline.year, scenario.last_year
    years = np.arange(first, last + HORIZON_YEARS + 1, dtype=np.int64)
    stop = last - first
    gdp = series_for(
        store,
        "gdp",
        "gdp_local_current",
        iso3,
        years,
        growth=scenario.gdp.growth_after_data,
        overrides=scenario.gdp.path,
        what="gdp",
    )
    _require(gdp, years, stop, quick, iso3, "gdp", "GDP", ("gdp.growth_after_data", "gdp.path"))
    index_name = scenario.prices.index
    prices = series_for(
        store,
        "prices",
        index_name,
        iso3,
        years,
        growth=scenario.prices.inflation_after_data,
        overrides=scenario.prices.path,
        what="prices",
    )
    _require(
        prices,
        years,
        stop,
        quick,
        iso3,
        "prices",
        f"a price index ({index_name})",
        ("prices.inflation_after_data", "prices.path"),
    )
    fx = exchange_rate_series(store, iso3, years, scenario.fx.rates)
    base_year = scenario.prices.base_year or first
    if not first <= base_year <= last or math.isnan(prices.values[base_year - first]):
        raise ScenarioError(
            what="prices.base_year",
            problem=f"{base_year} is outside the plan's years {first}–{last}",
            fix="choose a year within them",
        )
    ledger = build_ledger(
        (LedgerComponent(**c.model_dump()) for c in components.values()),
        (LedgerDefinition(d.name, tuple(d.components), d.published) for d in definitions.values()),
        years,
    )
    denominators, den_how = _denominators(scenario, definitions, gdp, years, store, iso3)
    published = _published(scenario, definitions, store, iso3, years, stop)
    ledger, denominators = _with_published(ledger, denominators, published)
    ctx = _Context(
        quick,
        iso3,
        years,
        stop,
        gdp,
        prices,
        fx,
        float(prices.values[base_year - first]),
        ledger,
        denominators,
        den_how,
        preset.budget_history,
        denominator_notes,
        published,
    )

    baseline, baseline_ref = _baseline(scenario, store, iso3, preset.budget_history)
    if 0 < baseline < 1:
        # Less than one currency unit (a typo such as 1e-308): every growth rate from it would
        # overflow. A budget of zero has its own explanation (_check_start).
        given = "given" if scenario.baseline.amount is not None else "in the data"
        raise ScenarioError(
            what="baseline.amount",
            problem=f"the {scenario.baseline.year} budget of {iso3} is {baseline:g} ({given}), "
            "less than one currency unit",
            fix="give the budget in full currency units",
        )
    requirements = _requirements(scenario, primary, ctx)
    problem = PathProblem(
        years=years,
        end_year=last,
        baseline=baseline,
        requirements=requirements,
        price_index=prices.values,
        primary=_share_line(ctx, primary),
        shape=scenario.path.shape,
        given=dict(scenario.path.amounts),
        max_real_growth=scenario.path.max_real_growth,
        min_real_growth=scenario.path.min_real_growth,
        max_share_step=scenario.path.max_share_step,
        after=scenario.path.after,
    )
    _check_given(scenario)
    _check_start(scenario, baseline, baseline_ref, iso3, quick)
    try:
        path = solve_path(problem)
    except GivenAmountsError as exc:
        raise ScenarioError(what="path.amounts", problem=str(exc)) from exc
    return _outcome(
        scenario,
        store,
        ctx,
        path,
        primary,
        definitions,
        baseline_ref,
        base_year,
        scenario.fiscal_year or preset.fiscal_year,
    )


def _check_names(scenario: Scenario, primary: str, definitions: dict[str, Definition]) -> None:
    known = ", ".join(sorted(definitions))
    if primary not in definitions:
        raise ScenarioError(
            what="definition", problem=f"unknown definition {primary!r}; known: {known}"
        )
    for i, target in enumerate(scenario.targets):
        if target.definition is not None and target.definition not in definitions:
            raise ScenarioError(
                what=f"targets[{i}].definition",
                problem=f"unknown definition {target.definition!r}; known: {known}",
            )
    for name in scenario.report:
        if name not in definitions:
            raise ScenarioError(
                what="report", problem=f"unknown definition {name!r}; known: {known}"
            )


def _scenario_denominator(
    scenario: Scenario, primary: str, definitions: dict[str, Definition]
) -> tuple[dict[str, Definition], tuple[str, ...]]:
    """Apply ``[denominator] year`` to the primary definition, unless it states its own.

    The scenario-wide year beats a country preset's denominator. A definition the scenario
    writes itself, with its own ``denominator``, beats a ``[denominator]`` it inherits from
    the file it extends; both in one file (or the year set nearer) is a conflict, an error.
    """
    year = scenario.denominator.year
    chosen = definitions[primary]
    if year is None or (chosen.denominator == "fixed" and chosen.denominator_year == year):
        return definitions, ()
    own = [i for i, d in enumerate(scenario.definitions) if d.name == primary]
    stated = (
        own and {"denominator", "denominator_year"} & scenario.definitions[own[-1]].model_fields_set
    )
    if not stated:
        fixed = chosen.model_copy(update={"denominator": "fixed", "denominator_year": year})
        return definitions | {primary: fixed}, ()
    was = (
        "GDP of the same year"
        if chosen.denominator == "current"
        else f"fixed GDP of {chosen.denominator_year}"
    )
    at_year, at_definition = scenario.set_in("denominator.year"), scenario.set_in("definitions")
    if at_year is not None and at_definition is not None and at_definition[0] < at_year[0]:
        return definitions, (
            f"the primary definition {primary!r} counts against {was}, as {at_definition[1]} "
            f"states; the denominator.year {year} inherited from {at_year[1]} does not apply to it",
        )
    where = f" ({at_year[1]} and {at_definition[1]})" if at_year and at_definition else ""
    raise ScenarioError(
        what="denominator.year",
        given=year,
        problem=f"conflicts with definitions[{own[-1]}].denominator of the primary definition "
        f"{primary!r} ({was}){where}",
        fix="remove one of the two keys",
    )


# The quick-plan option that sets each continuation key (errors name what the user can give;
# the interface words it: a flag, a field).
_QUICK_OPTIONS = {
    "gdp.growth_after_data": "gdp_growth",
    "prices.inflation_after_data": "inflation",
}


def _require(
    series: Series,
    years: NDArray[np.int64],
    stop: int,
    quick: bool,
    iso3: str,
    key: str,
    what: str,
    keys: tuple[str, str],
) -> None:
    missing = [
        int(y)
        for y, v in zip(years[: stop + 1], series.values[: stop + 1], strict=True)
        if math.isnan(v)
    ]
    # A zero, negative or overflowing GDP or price index would make every share or real
    # figure infinite: refuse it here, wherever it came from (the data or the scenario).
    for y, v in zip(years.tolist(), series.values.tolist(), strict=True):
        if not math.isnan(v) and not 0.0 < v < math.inf:
            raise ScenarioError(
                what=key,
                problem=f"{what} for {y} is {v:g}; it must be a positive finite number",
                fix=f"check {key}.path, the growth after the data, or the dataset's current "
                "edition",
            )
    if not missing:
        return
    known = [int(y) for y, v in zip(years, series.values, strict=True) if not math.isnan(v)]
    rate, path = keys
    if not known:
        raise DataError(
            what=key,
            problem=f"no {what} for {iso3} in any year (the {key} dataset has none for this "
            "country)",
            fix=f"give {path} (yearly values) in a scenario file, or leave {iso3} out",
        )
    option = _QUICK_OPTIONS[rate]
    fix = (
        f"give {{option:{option}}} 0.03 (a yearly rate) or {{option:{option}}} last"
        if quick
        else f'set {rate} (e.g. 0.03, or "last") or {path}'
    )
    span = f"the data ends in {known[-1]}"
    if missing[0] < known[0]:
        fix = f"choose a baseline year from {known[0]} on, or give {path}"
        span = f"the data starts in {known[0]}"
    raise ScenarioError(
        what=None if quick else key, problem=f"no {what} for {missing[0]} ({span})", fix=fix
    )


def _denominators(
    scenario: Scenario,
    definitions: dict[str, Definition],
    gdp: Series,
    years: NDArray[np.int64],
    store: DatasetStore,
    iso3: str,
) -> tuple[dict[str, NDArray[np.float64]], dict[str, str]]:
    out: dict[str, NDArray[np.float64]] = {}
    how: dict[str, str] = {}
    for name, definition in definitions.items():
        if definition.denominator == "current":
            out[name] = gdp.values
            how[name] = "GDP of the same year"
            continue
        year = definition.denominator_year
        assert year is not None
        spec = scenario.denominator
        if spec.amount is not None and (spec.year is None or spec.year == year):
            amount = float(spec.amount)
            how[name] = f"fixed GDP of {year}: {amount:,.0f} ({spec.source or 'scenario'})"
        else:
            data = read_series(
                store, "gdp", "gdp_local_current", iso3, np.array([year], dtype=np.int64)
            )
            amount = float(data.values[0])
            if not 0.0 < amount < math.inf:
                found = "no GDP" if math.isnan(amount) else f"a GDP of {amount:g}"
                raise ScenarioError(
                    what="denominator",
                    problem=f"the data has {found} for {iso3} in {year}",
                    fix="give denominator.amount (a positive number)",
                )
            how[name] = f"fixed GDP of {year}: {amount:,.0f} (gdp dataset, {iso3} {year})"
        out[name] = np.full(len(years), amount)
    return out, how


def _published(
    scenario: Scenario,
    definitions: dict[str, Definition],
    store: DatasetStore,
    iso3: str,
    years: NDArray[np.int64],
    stop: int,
) -> dict[str, dict[int, Published]]:
    """Published figures for the years the plan does not solve: the baseline, given budgets.

    A year the planner solves is a plan, not an outturn, so the model's figure stands there.
    """
    fixed = {0} | {y - int(years[0]) for y in scenario.path.amounts if y <= int(years[stop])}
    out: dict[str, dict[int, Published]] = {}
    for name, definition in definitions.items():
        if definition.published is None:
            continue
        dataset, spending_column, share_column = _PUBLISHED[definition.published]
        frame = store.query(dataset, [iso3])
        edition = store.current_edition(dataset)
        found: dict[int, Published] = {}
        for year, spending, share in zip(
            frame["year"], frame[spending_column], frame[share_column], strict=True
        ):
            k = int(year) - int(years[0])
            if k in fixed and spending > 0 and share > 0:
                ref = {"dataset": dataset, "edition": edition, "iso3": iso3, "year": int(year)}
                found[k] = Published(float(spending), float(share), ref)
        if found:
            out[name] = found
    return out


def _with_published(
    ledger: Ledger,
    denominators: dict[str, NDArray[np.float64]],
    published: Mapping[str, Mapping[int, Published]],
) -> tuple[Ledger, dict[str, NDArray[np.float64]]]:
    """Lines and denominators that give the published spending and share in those years.

    The denominator of a published year is the source's own GDP (spending / share), so that
    share = spending / denominator holds for every year and definition.
    """
    if not published:
        return ledger, denominators
    lines = dict(ledger.lines)
    denominators = dict(denominators)
    for name, years in published.items():
        a, b = lines[name].a.copy(), lines[name].b.copy()
        denominator = denominators[name].copy()
        for k, figure in years.items():
            a[k], b[k], denominator[k] = 0.0, figure.spending_local, figure.gdp_local
        lines[name] = Line(a, b)
        denominators[name] = denominator
    return replace(ledger, lines=lines), denominators


def _baseline(
    scenario: Scenario, store: DatasetStore, iso3: str, history: str
) -> tuple[float, dict[str, Any]]:
    year = scenario.baseline.year
    if scenario.baseline.amount is not None:
        return float(scenario.baseline.amount), {
            "assumption": scenario.baseline.source or "scenario"
        }
    actuals = budget_history(store, iso3, history)
    if year not in actuals:
        years = sorted(actuals)
        span = f"; the data covers {years[0]}–{years[-1]}" if years else ""
        raise ScenarioError(
            what="baseline.amount",
            problem=f"no budget data for {iso3} in {year}{span}",
            fix="give baseline.amount or another baseline.year",
        )
    return actuals[year]


def _share_line(ctx: _Context, definition: str) -> ShareLine:
    line = ctx.ledger.lines[definition]
    return ShareLine(line.a, line.b, ctx.denominators[definition])


def _requirements(scenario: Scenario, primary: str, ctx: _Context) -> tuple[Requirement, ...]:
    out = []
    for i, target in enumerate(scenario.targets):
        name = target.definition or primary
        line = _share_line(ctx, name)
        k = target.year - int(ctx.years[0])
        if math.isnan(line.b[k]):
            missing = [c.name for c in ctx.ledger.components.values() if c.status[k] == "missing"]
            raise ScenarioError(
                what=f"targets[{i}]",
                problem=f"definition {name!r} has no value in {target.year}: component(s) "
                f"{', '.join(missing)} have no amount then",
                fix="add amounts for that year",
            )
        what = (
            f"{target.share_gdp * 100:g} % of GDP"
            if target.share_gdp is not None
            else f"{target.amount:,.0f}"
        )
        label = target.label or f"{what} under {name} in {target.year}"
        out.append(Requirement(target.year, label, line, target.share_gdp, target.amount))
    return tuple(out)


# Shapes that move the budget by a growth rate, which cannot start from zero.
_GROWTH_SHAPES = ("goal-seek", "constant-growth")


def _check_start(
    scenario: Scenario, baseline: float, ref: dict[str, Any], iso3: str, quick: bool
) -> None:
    """A path from zero needs an amount or a share path, not a growth rate: say so."""
    shape = scenario.path.shape.value
    given = [scenario.path.amounts[y] for y in sorted(scenario.path.amounts)]
    start = given[-1] if given else baseline
    if start > 0 or shape not in _GROWTH_SHAPES or not scenario.targets:
        return
    year = max(scenario.path.amounts, default=scenario.baseline.year)
    source = ref.get("dataset", ref.get("assumption", "the scenario"))
    shapes = (
        "{option:shape} linear-share (or front-loaded, back-loaded)"
        if quick
        else ('path.shape = "linear-share" (or "front-loaded", "back-loaded")')
    )
    amount = "{option:baseline_amount}" if quick else "baseline.amount"
    raise ScenarioError(
        what="baseline",
        problem=f"{iso3} spent 0 in {year} ({source}); a {shape} path grows the budget by a "
        f"rate, and no rate lifts zero: choose {shapes}, which rise in share of GDP from zero, "
        f"or give {amount}",
    )


def _check_given(scenario: Scenario) -> None:
    if scenario.path.shape.value != "given":
        return
    missing = [
        y
        for y in range(scenario.first_year, scenario.last_year + 1)
        if y not in scenario.path.amounts
    ]
    if missing:
        raise ScenarioError(
            what="path.amounts",
            problem=f"shape 'given' needs an amount for every planned year; {missing[0]} has none",
        )


def _outcome(
    scenario: Scenario,
    store: DatasetStore,
    ctx: _Context,
    path: PathResult,
    primary: str,
    definitions: dict[str, Definition],
    baseline_ref: dict[str, Any],
    base_year: int,
    fiscal_year: str,
) -> Outcome:
    import pandas as pd

    n = ctx.stop + 1
    years = ctx.years[:n]
    budget = path.amounts
    shown = list(
        dict.fromkeys(
            [
                primary,
                *scenario.report,
                *(t.definition or primary for t in scenario.targets),
                *definitions,
            ]
        )
    )
    table: dict[str, Any] = {"year": years, "planned": years > years[0], "budget_local": budget}
    tidy: list[pd.DataFrame] = []
    spending_of: dict[str, Any] = {}
    for name in shown:
        line = ctx.ledger.lines[name]
        total = line.a[:n] * budget + line.b[:n]
        spending_of[name] = total
        basis: list[str | None] = [None] * n
        if definitions[name].published is not None:
            marked = ctx.published.get(name, {})
            basis = ["published" if k in marked else "estimated" for k in range(n)]
        tidy.append(
            pd.DataFrame(
                {
                    "year": years,
                    "definition": name,
                    "spending_local": total,
                    "share_gdp": total / ctx.denominators[name][:n],
                    "denominator_local": ctx.denominators[name][:n],
                    "basis": pd.Series(basis, dtype=object),
                }
            )
        )
    by_definition = pd.concat(tidy, ignore_index=True)
    spending = spending_of[primary]
    price = ctx.prices.values[:n]
    real = to_real(spending, price, ctx.base_index)
    table |= {
        "spending_local": spending,
        "spending_real_local": real,
        "spending_usd": to_usd(spending, ctx.fx.values[:n]),
        "gdp_local": ctx.gdp.values[:n],
        "denominator_local": ctx.denominators[primary][:n],
        "share_gdp": spending / ctx.denominators[primary][:n],
        "growth_nominal": year_on_year(spending),
        "growth_real": year_on_year(real),
        "price_index": price,
        "fx_local_per_usd": ctx.fx.values[:n],
    }
    frame = pd.DataFrame(table)
    if scenario.fx.planning_rate is not None and scenario.fx.foreign_share > 0:
        from buildup.money import fx_exposure

        exposure = fx_exposure(
            spending, scenario.fx.foreign_share, scenario.fx.planning_rate, ctx.fx.values[:n]
        )
        frame["fx_lost_local"] = exposure.lost_local
    targets = _checks(scenario, ctx, path, primary, by_definition)
    plan = frame[frame["planned"]]
    last_target = max((t.year for t in scenario.targets), default=int(years[-1]))
    span = last_target - int(years[0])
    k = last_target - int(years[0])
    totals = PlanTotals(
        cumulative_budget_local=float(plan["budget_local"].sum(skipna=False)),
        cumulative_spending_local=float(plan["spending_local"].sum(skipna=False)),
        cumulative_spending_real_local=float(plan["spending_real_local"].sum(skipna=False)),
        cumulative_spending_usd=float(plan["spending_usd"].sum(skipna=False)),
        required_growth_nominal=average_growth(float(budget[0]), float(budget[k]), span),
        required_growth_real=average_growth(
            float(reprice(budget[0], price[0], 1.0)), float(reprice(budget[k], price[k], 1.0)), span
        ),
        real_base_year=int(base_year),
        cumulative_fx_lost_local=float(plan["fx_lost_local"].sum(skipna=False))
        if "fx_lost_local" in frame
        else None,
    )
    history = _history(store, ctx.iso3)
    used = ("gdp", "prices", "fx", "milex", history_dataset(ctx.budget_history))
    provenance = Provenance(
        task="plan", spec_hash=scenario_hash(scenario), editions=editions_of(store, used)
    )
    assumptions = list_assumptions(scenario, ctx, fiscal_year, primary)
    trace = build_trace(ctx, path, frame, by_definition, shown, primary, baseline_ref)
    currency = scenario.currency or currency_of(store, ctx.iso3)
    labels = tuple(DefinitionLabel(name, definitions[name].label or name) for name in shown)
    lines = tuple(
        DefinitionLine(
            name,
            ctx.ledger.lines[name].a[:n],
            ctx.ledger.lines[name].b[:n],
            ctx.denominators[name][:n],
            definitions[name].denominator == "fixed",
        )
        for name in shown
    )
    return Outcome(
        scenario,
        ctx.iso3,
        currency,
        fiscal_year,
        primary,
        labels,
        frame,
        by_definition,
        totals,
        targets,
        provenance,
        trace,
        history,
        assumptions,
        lines,
    )


def _checks(
    scenario: Scenario, ctx: _Context, path: PathResult, primary: str, tidy: pd.DataFrame
) -> tuple[TargetCheck, ...]:
    outcomes = {(o.year, o.label): o for o in path.targets}
    reqs = _requirements(scenario, primary, ctx)
    checks = []
    for target, req in zip(scenario.targets, reqs, strict=True):
        name = target.definition or primary
        row = tidy[(tidy["year"] == target.year) & (tidy["definition"] == name)].iloc[0]
        share = float(row["share_gdp"])
        amount = float(row["spending_local"])
        if target.share_gdp is not None:
            kind, goal, achieved = TargetKind.SHARE_GDP, target.share_gdp, share
        else:
            assert target.amount is not None
            kind, goal, achieved = TargetKind.AMOUNT, float(target.amount), amount
        met = achieved >= goal * (1 - 1e-12)
        met_rounded = None
        if target.round_to is not None and kind == TargetKind.SHARE_GDP:
            # Half up at the step, as published percentages are rounded (and as the risk
            # engine counts a rounded target): 1.95 % is 2.0 % at one decimal.
            met_rounded = achieved >= goal - target.round_to / 2 - 1e-12
        outcome = outcomes[(req.year, req.label)]
        checks.append(
            TargetCheck(
                target.year,
                name,
                kind,
                goal,
                share,
                amount,
                met,
                target.round_to,
                outcome.required_budget,
                outcome.reachable,
                outcome.earliest_year,
                req.label,
                met_rounded,
            )
        )
    return tuple(checks)


def _history(store: DatasetStore, iso3: str) -> pd.DataFrame:
    import pandas as pd

    milex = store.query("milex", [iso3])
    rows = milex[["year", "share_gdp", "milex_local_current"]].dropna(subset=["share_gdp"])
    return pd.DataFrame(
        {
            "year": rows["year"],
            "series": "SIPRI (published)",
            "share_gdp": rows["share_gdp"],
            "amount_local": rows["milex_local_current"],
        }
    )


def default_baseline_year(store: DatasetStore, country: str, before: int) -> int:
    """The latest year before ``before`` with an actual budget in the country's data."""
    iso3 = resolve_country(country)
    history = load_preset(iso3).budget_history
    actuals = budget_history(store, iso3, history)
    years = [y for y in actuals if y < before]
    if not years:
        raise DataError(
            what="baseline_year",
            problem=f"no budget data for {iso3} before {before} (dataset "
            f"{history_dataset(history)})",
            fix="give the baseline year and amount ({option:baseline_year}, "
            "{option:baseline_amount})",
        )
    return max(years)
