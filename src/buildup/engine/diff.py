"""``diff_scenarios(a, b, store) -> ScenarioDiff``: keys and results of two scenarios side by side.

The keys that differ (after ``extends`` and defaults, :func:`buildup.scenario.diff.diff_specs`),
then both plans: per year and definition the spending [LCU], the share of GDP [fraction] and
the nominal growth of that definition's spending [fraction a year], each with B − A; per
target its status (met, missed, out of reach) and shortfall in A and in B. A definition or
year that only one plan has is shown with the other side empty (None), never as zero.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from buildup.engine.plan import run
from buildup.engine.provenance import Provenance
from buildup.scenario.diff import KeyChange, KeyChangeKind, diff_specs

if TYPE_CHECKING:
    import pandas as pd

    from buildup.engine.outcome import Outcome, TargetCheck
    from buildup.scenario import Scenario
    from buildup.store import DatasetStore

__all__ = [
    "DiffProvenance",
    "DiffSide",
    "KeyDiff",
    "ScenarioDiff",
    "SpecValue",
    "TargetDiff",
    "YearDiff",
    "diff_outcomes",
    "diff_scenarios",
]

SpecLeaf = str | int | float | bool | None
SpecValue = SpecLeaf | tuple[SpecLeaf | tuple[SpecLeaf, ...], ...]
"""A value of a scenario key: a scalar, or a list (of scalars, or of lists of scalars)."""


@dataclass(frozen=True)
class DiffSide:
    """One side of a diff: its label, the scenario's name and its currency (ISO 4217)."""

    label: str
    name: str
    currency: str


@dataclass(frozen=True)
class KeyDiff:
    """One scenario key that differs: its dotted path, its value in A and in B (None when
    absent) and how it differs."""

    key: str
    a: SpecValue
    b: SpecValue
    change: KeyChangeKind


@dataclass(frozen=True)
class DiffProvenance:
    """A diff is two plans: each one's own provenance."""

    a: Provenance
    b: Provenance


@dataclass(frozen=True)
class YearDiff:
    """One year and definition in both plans; ``*_diff`` is B − A (None if either is absent)."""

    year: int
    definition: str
    spending_a: float | None
    spending_b: float | None
    spending_diff: float | None
    share_gdp_a: float | None
    share_gdp_b: float | None
    share_gdp_diff: float | None
    growth_nominal_a: float | None
    growth_nominal_b: float | None
    growth_nominal_diff: float | None


@dataclass(frozen=True)
class TargetDiff:
    """One target (by year, definition and kind) in both plans.

    ``status_*`` is ``met``, ``missed``, ``out_of_reach`` or None when the plan has no such
    target; ``shortfall_*`` is how far the achieved value falls below the target [fraction of
    GDP for a share target, LCU for an amount], 0 when met.
    """

    year: int
    definition: str
    kind: str
    target_a: float | None
    target_b: float | None
    achieved_a: float | None
    achieved_b: float | None
    status_a: str | None
    status_b: str | None
    shortfall_a: float | None
    shortfall_b: float | None
    shortfall_diff: float | None


@dataclass(frozen=True)
class ScenarioDiff:
    """Two scenarios compared: labels, the differing keys, the yearly and target tables."""

    a: DiffSide
    b: DiffSide
    keys: tuple[KeyDiff, ...]
    years: tuple[YearDiff, ...]
    targets: tuple[TargetDiff, ...]
    provenance: DiffProvenance

    def years_frame(self) -> pd.DataFrame:
        """The yearly table, tidy: one row per year and definition."""
        import pandas as pd

        columns = list(YearDiff.__dataclass_fields__)
        return pd.DataFrame([asdict(y) for y in self.years], columns=columns)

    def targets_frame(self) -> pd.DataFrame:
        """The target table, one row per target."""
        import pandas as pd

        columns = list(TargetDiff.__dataclass_fields__)
        return pd.DataFrame([asdict(t) for t in self.targets], columns=columns)


def diff_scenarios(
    a: Scenario, b: Scenario, store: DatasetStore, labels: tuple[str, str] = ("A", "B")
) -> ScenarioDiff:
    """Plan both scenarios on ``store`` and compare them (see the module's docstring).

    Both plans run on one reading of the store (:func:`~buildup.engine.gather.gather_inputs`).
    """
    from buildup.engine import gather
    from buildup.engine.inputs import PLAN_DATASETS

    countries = gather.countries_of((a.country, b.country))
    inputs = gather.gather_inputs(store, countries=countries, datasets=PLAN_DATASETS)
    return diff_outcomes(run(a, inputs, labels[0]), run(b, inputs, labels[1]), labels)


def diff_outcomes(a: Outcome, b: Outcome, labels: tuple[str, str] = ("A", "B")) -> ScenarioDiff:
    """Compare two plans already made."""
    same_currency = a.currency == b.currency
    rows_a, rows_b = _year_rows(a), _year_rows(b)
    definitions = list(dict.fromkeys([*a.names, *b.names]))
    years = sorted({y for y, _ in rows_a} | {y for y, _ in rows_b})
    year_diffs = []
    for year in years:
        for name in definitions:
            ra, rb = rows_a.get((year, name)), rows_b.get((year, name))
            if all(_get(r, i) is None for r in (ra, rb) for i in range(3)):
                continue  # neither plan has a figure for this definition and year
            sa, sb = _get(ra, 0), _get(rb, 0)
            year_diffs.append(
                YearDiff(
                    year,
                    name,
                    sa,
                    sb,
                    _minus(sb, sa) if same_currency else None,
                    _get(ra, 1),
                    _get(rb, 1),
                    _minus(_get(rb, 1), _get(ra, 1)),
                    _get(ra, 2),
                    _get(rb, 2),
                    _minus(_get(rb, 2), _get(ra, 2)),
                )
            )
    targets_a, targets_b = _targets(a), _targets(b)
    target_diffs = []
    for key in [*targets_a, *(k for k in targets_b if k not in targets_a)]:
        ta, tb = targets_a.get(key), targets_b.get(key)
        fa, fb = _shortfall(ta), _shortfall(tb)
        target_diffs.append(
            TargetDiff(
                key[0],
                key[1],
                key[2],
                ta.target if ta else None,
                tb.target if tb else None,
                _achieved(ta),
                _achieved(tb),
                _status(ta),
                _status(tb),
                fa,
                fb,
                _minus(fb, fa) if same_currency or key[2] != "amount" else None,
            )
        )
    return ScenarioDiff(
        DiffSide(labels[0], a.scenario.name, a.currency),
        DiffSide(labels[1], b.scenario.name, b.currency),
        tuple(_key_diff(k) for k in diff_specs(a.scenario, b.scenario)),
        tuple(year_diffs),
        tuple(target_diffs),
        DiffProvenance(a.provenance, b.provenance),
    )


def _key_diff(change: KeyChange) -> KeyDiff:
    return KeyDiff(change.key, _spec_value(change.a), _spec_value(change.b), change.change)


def _spec_value(value: Any) -> SpecValue:
    """A flattened scenario leaf as a typed value (a list becomes a tuple)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        items: list[SpecLeaf | tuple[SpecLeaf, ...]] = []
        for item in value:
            inner = _spec_value(item)
            if isinstance(inner, tuple) and any(isinstance(i, tuple) for i in inner):
                raise TypeError(f"a scenario value nested three lists deep: {value!r}")
            items.append(inner)  # type: ignore[arg-type]
        return tuple(items)
    raise TypeError(f"a scenario value of type {type(value).__name__}: {value!r}")


def _year_rows(outcome: Outcome) -> dict[tuple[int, str], tuple[float | None, ...]]:
    """(year, definition) → (spending [LCU], share of GDP, nominal growth) of one plan."""
    out: dict[tuple[int, str], tuple[float | None, ...]] = {}
    for name in outcome.names:
        rows = outcome.definition_years(name)
        years = [int(y) for y in rows["year"]]
        spending = [_num(v) for v in rows["spending_local"]]
        share = [_num(v) for v in rows["share_gdp"]]
        for i, year in enumerate(years):
            before = spending[i - 1] if i else None
            now = spending[i]
            growth = now / before - 1 if now is not None and before else None
            out[(year, name)] = (now, share[i], growth)
    return out


def _targets(outcome: Outcome) -> dict[tuple[int, str, str], TargetCheck]:
    out: dict[tuple[int, str, str], TargetCheck] = {}
    for t in outcome.targets:
        out.setdefault((t.year, t.definition, t.kind), t)
    return out


def _achieved(t: TargetCheck | None) -> float | None:
    if t is None:
        return None
    return _num(t.share_gdp if t.kind == "share_gdp" else t.amount_local)


def _status(t: TargetCheck | None) -> str | None:
    if t is None:
        return None
    if t.met:
        return "met"
    return "missed" if t.reachable else "out_of_reach"


def _shortfall(t: TargetCheck | None) -> float | None:
    achieved = _achieved(t)
    if t is None or achieved is None:
        return None
    return 0.0 if t.met else max(0.0, t.target - achieved)


def _get(row: tuple[float | None, ...] | None, i: int) -> float | None:
    return None if row is None else row[i]


def _minus(b: float | None, a: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
