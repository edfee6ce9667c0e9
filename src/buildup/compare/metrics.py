"""Compare countries on one metric over years: tidy rows with the source of every value.

Metrics (:class:`Metric`), all from the store's current editions:

- ``share_gdp`` — SIPRI's military expenditure as a share of GDP [fraction]
- ``nato_share_gdp`` — NATO's defence expenditure as a share of GDP [fraction]; NATO
  members only
- ``constant_usd`` — SIPRI, constant US$ of the edition's base year [US$]
- ``current_usd`` — SIPRI, current US$ at market exchange rates [US$]
- ``per_capita_usd`` — SIPRI current US$ / population [US$ per person]
- ``real_growth`` — change of SIPRI's constant-US$ spending over ``window`` years [fraction,
  cumulative: 0.5 = +50 % over the window]
- ``share_of_group`` — a country's current US$ / the group's total in that year [fraction];
  only members of the group in that year count, so the shares of a year sum to 1
- ``sipri_minus_nato`` — SIPRI's share of GDP minus NATO's [fraction of GDP]

A value the data cannot give (no population for that year, no NATO figure for a non-member,
a group total that lacks a member) is missing, never zero: :func:`compare_countries` raises a
:class:`DataError` naming the country, the year and why, unless ``allow_missing`` is true;
then the value is NaN and the row's ``note`` says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from buildup.compare.groups import Group
from buildup.compare.series import Input, read_input
from buildup.errors import DataError, InputError
from buildup.types import YearRange
from buildup.units import METRIC_LABELS, Metric, MetricKind, shown_unit

if TYPE_CHECKING:
    import pandas as pd

    from buildup.store import DatasetStore

__all__ = ["DEFAULT_SPAN_YEARS", "Metric", "MetricInfo", "compare_countries", "resolve_metric"]

DEFAULT_SPAN_YEARS = 25  # years shown when no range is given [years]
COLUMNS = ("iso3", "year", "metric", "value", "source", "note")


@dataclass(frozen=True)
class MetricInfo:
    """What a metric is: its label, unit and the datasets (with editions) behind it."""

    name: str
    label: str
    unit: str
    kind: MetricKind
    sources: tuple[str, ...]
    base_year: int | None = None
    window: int | None = None
    group: str | None = None

    def shown_unit(self, scale_word: str = "", *, axis: bool = False) -> str:
        """The unit of the values as a table shows them (shares in percent, amounts in
        ``scale_word``), or with ``axis`` what a chart's axis shows; from
        :data:`buildup.units.METRIC_LABELS`."""
        return shown_unit(
            self.name,
            scale_word=scale_word,
            base_year=self.base_year,
            window=self.window,
            group=self.group,
            axis=axis,
        )


# The dataset columns each metric reads, by input name (see buildup.compare.series).
_INPUTS: Mapping[Metric, tuple[str, ...]] = {
    Metric.SHARE_GDP: ("sipri_share",),
    Metric.NATO_SHARE_GDP: ("nato_share",),
    Metric.CONSTANT_USD: ("sipri_constant",),
    Metric.CURRENT_USD: ("sipri_current",),
    Metric.PER_CAPITA_USD: ("sipri_current", "population"),
    Metric.REAL_GROWTH: ("sipri_constant",),
    Metric.SHARE_OF_GROUP: ("sipri_current",),
    Metric.SIPRI_MINUS_NATO: ("sipri_share", "nato_share"),
}


@dataclass(frozen=True)
class _Context:
    metric: Metric
    inputs: Mapping[str, Input]
    group: Group
    window: int
    totals: Mapping[int, tuple[float, str]]


_Cell = tuple[float, str, str]  # value, source, why it is missing ("" when present)


def resolve_metric(
    store: DatasetStore, metric: str, *, window: int = 10, group: Group | None = None
) -> MetricInfo:
    """The label, unit and sources (datasets and editions) of ``metric``."""
    chosen = _metric(metric)
    entry = METRIC_LABELS[chosen]
    label, unit, kind = entry.title, entry.unit, entry.kind
    inputs = [read_input(store, name) for name in _INPUTS[chosen]]
    base_year = None
    if chosen in (Metric.CONSTANT_USD, Metric.REAL_GROWTH):
        base_year = inputs[0].base_year
    if chosen is Metric.CONSTANT_USD:
        unit = f"US$ at constant {base_year} prices"
    if chosen is Metric.REAL_GROWTH:
        label = f"{label}, over {window} years"
        unit = f"fraction: change over {window} years in constant {base_year} US$"
    group_name = None
    if chosen is Metric.SHARE_OF_GROUP and group is not None:
        group_name = group.label
        label = f"Share of the military expenditure of {group.label} (SIPRI, current US$)"
    sources = tuple(dict.fromkeys(i.citation for i in inputs))
    span = window if chosen is Metric.REAL_GROWTH else None
    return MetricInfo(chosen.value, label, unit, kind, sources, base_year, span, group_name)


def compare_countries(
    store: DatasetStore,
    countries: Sequence[str],
    metric: str,
    years: YearRange | None = None,
    *,
    group: Group | None = None,
    window: int = 10,
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Tidy rows ``iso3, year, metric, value, source, note`` for ``countries`` and ``group``.

    ``countries`` are ISO3 codes, shown in every year; the members of ``group`` are added,
    each shown from the year it joined. ``years`` defaults to the last
    :data:`DEFAULT_SPAN_YEARS` years up to the latest year with a value for every country
    (an open side of a range is filled the same way). ``share_of_group`` uses ``group``, or
    the listed countries as a group when none is given; ``real_growth`` compares each year
    with ``window`` years earlier. ``value`` is in the metric's unit (see
    :func:`resolve_metric`); ``note`` says why a value is missing.
    """
    import pandas as pd

    chosen = _metric(metric)
    if window < 1:
        raise InputError(f"window {window} is not a number of years; give 1 or more")
    explicit = list(dict.fromkeys(countries))
    members = group.members() if group is not None else ()
    if not explicit and not members:
        raise InputError(
            what="countries",
            problem="no countries to compare",
            fix="give ISO3 codes or a group ({option:group} NATO)",
        )
    if chosen is Metric.SHARE_OF_GROUP and group is None:
        group = Group.of_countries(explicit)
    context = _context(store, chosen, group or Group.of_countries(explicit), window)
    span = _candidate_years(context, years)
    cells = []
    for iso3 in dict.fromkeys([*explicit, *members]):
        for year in span:
            if not _requested(context, iso3, year, iso3 in explicit):
                continue
            value, source, why = _COMPUTE[chosen](context, iso3, year)
            cells.append((iso3, year, chosen.value, value, source, why))
    frame = pd.DataFrame(cells, columns=list(COLUMNS))
    frame = _select_years(frame, years, span)
    _check_membership(frame, explicit, context)
    if not allow_missing:
        _check_complete(frame)
    return frame.reset_index(drop=True)


def _metric(metric: str) -> Metric:
    try:
        return Metric(metric)
    except ValueError:
        known = ", ".join(m.value for m in Metric)
        raise InputError(f"unknown metric {metric!r}: choose one of {known}") from None


def _context(store: DatasetStore, metric: Metric, group: Group, window: int) -> _Context:
    inputs = {name: read_input(store, name) for name in _INPUTS[metric]}
    totals = (
        _group_totals(inputs["sipri_current"], group) if metric is Metric.SHARE_OF_GROUP else {}
    )
    return _Context(metric, inputs, group, window, totals)


def _candidate_years(context: _Context, years: YearRange | None) -> list[int]:
    first = max(i.span[0] for i in context.inputs.values())
    last = min(i.span[1] for i in context.inputs.values())
    if context.metric is Metric.REAL_GROWTH:
        first += context.window
    if years is not None:
        first = years.start if years.start is not None else first
        last = years.end if years.end is not None else max(last, first)
    return list(range(first, last + 1))


def _requested(context: _Context, iso3: str, year: int, explicit: bool) -> bool:
    """Whether a country-year is asked for: group members count from the year they joined."""
    if context.metric is Metric.SHARE_OF_GROUP or not explicit:
        return context.group.is_member(iso3, year)
    return True


def _select_years(frame: pd.DataFrame, years: YearRange | None, span: list[int]) -> pd.DataFrame:
    """Fill the open sides of ``years``: up to the last complete year, back 25 years."""
    if years is not None and years.start is not None and years.end is not None:
        return frame
    present = sorted({int(y) for y in frame.loc[frame["value"].notna(), "year"]})
    filled = frame["value"].notna().groupby(frame["year"]).all()
    complete = [int(y) for y in filled[filled].index]
    end = years.end if years is not None else None
    if end is None:
        end = max(complete or present or span[-1:])
    start = years.start if years is not None else None
    if start is None:
        earliest = min(present or span[:1])
        start = max(end - DEFAULT_SPAN_YEARS + 1, earliest) if years is None else earliest
    if start > end:
        raise InputError(
            what="years",
            problem=f"no years to compare: the data ends in {end}, before the range's start "
            f"{start}",
            fix=f"give years with a start of {end} or earlier",
        )
    return frame[(frame["year"] >= start) & (frame["year"] <= end)]


def _check_membership(frame: pd.DataFrame, explicit: list[str], context: _Context) -> None:
    if frame.empty:
        raise InputError(
            f"no country-years to compare for {context.metric.value}: none of the countries is a "
            f"member of {context.group.label} in the years asked for; choose other years"
        )
    shown = set(frame["iso3"])
    for iso3 in explicit:
        if iso3 not in shown:
            joined = context.group.joined_in(iso3)
            since = f" (it joined in {joined})" if joined is not None else ""
            raise InputError(
                f"{iso3} is not a member of {context.group.label} in the years asked for{since}; "
                f"leave it out or choose other years"
            )


def _check_complete(frame: pd.DataFrame) -> None:
    missing = frame[frame["value"].isna()]
    if missing.empty:
        return
    first = missing.iloc[0]
    more = f" ({len(missing) - 1} more missing)" if len(missing) > 1 else ""
    raise DataError(
        f"{first['metric']} for {first['iso3']} in {int(first['year'])}: {first['note']}{more}; "
        "allow missing values ({option:allow_missing}) to show them as missing, or choose other "
        "years or countries"
    )


def _group_totals(current: Input, group: Group) -> dict[int, tuple[float, str]]:
    """The group's current-US$ total per year, or NaN and why when a member has no value."""
    totals: dict[int, tuple[float, str]] = {}
    for year in range(current.span[0], current.span[1] + 1):
        members = group.members(year)
        values = [current.value(iso3, year) for iso3 in members]
        lacking = [iso3 for iso3, v in zip(members, values, strict=True) if math.isnan(v)]
        if not members:
            totals[year] = (math.nan, f"{group.label} has no members in {year}")
        elif lacking:
            why = current.why(lacking[0], year)
            totals[year] = (
                math.nan,
                f"the total of {group.label} in {year} lacks {', '.join(lacking)} ({why})",
            )
        else:
            totals[year] = (math.fsum(values), f"{len(members)} members")
    return totals


def _one(name: str) -> Callable[[_Context, str, int], _Cell]:
    def cell(context: _Context, iso3: str, year: int) -> _Cell:
        return context.inputs[name].cell(iso3, year)

    return cell


def _per_capita(context: _Context, iso3: str, year: int) -> _Cell:
    spending, population = context.inputs["sipri_current"], context.inputs["population"]
    source = f"{spending.label(iso3, year)} / {population.label(iso3, year)}"
    for part in (spending, population):
        if math.isnan(part.value(iso3, year)):
            return math.nan, source, part.why(iso3, year)
    return spending.value(iso3, year) / population.value(iso3, year), source, ""


def _real_growth(context: _Context, iso3: str, year: int) -> _Cell:
    constant = context.inputs["sipri_constant"]
    base = year - context.window
    source = f"{constant.label(iso3, year)}, {base}–{year}"
    for when in (base, year):
        if math.isnan(constant.value(iso3, when)):
            return math.nan, source, constant.why(iso3, when)
    then = constant.value(iso3, base)
    if then == 0:
        return math.nan, source, f"spending in {base} is zero: no growth rate from it"
    return constant.value(iso3, year) / then - 1.0, source, ""


def _share_of_group(context: _Context, iso3: str, year: int) -> _Cell:
    current = context.inputs["sipri_current"]
    total, about = context.totals.get(year, (math.nan, f"no SIPRI data for {year}"))
    source = f"{current.label(iso3, year)}, share of {context.group.label} ({about})"
    if math.isnan(current.value(iso3, year)):
        return math.nan, source, current.why(iso3, year)
    if math.isnan(total):
        return math.nan, source, about
    if total == 0:
        return math.nan, source, f"the total of {context.group.label} in {year} is zero"
    return current.value(iso3, year) / total, source, ""


def _sipri_minus_nato(context: _Context, iso3: str, year: int) -> _Cell:
    sipri, nato = context.inputs["sipri_share"], context.inputs["nato_share"]
    source = f"{sipri.label(iso3, year)} − {nato.label(iso3, year)}"
    for part in (sipri, nato):
        if math.isnan(part.value(iso3, year)):
            return math.nan, source, part.why(iso3, year)
    return sipri.value(iso3, year) - nato.value(iso3, year), source, ""


_COMPUTE: Mapping[Metric, Callable[[_Context, str, int], _Cell]] = {
    Metric.SHARE_GDP: _one("sipri_share"),
    Metric.NATO_SHARE_GDP: _one("nato_share"),
    Metric.CONSTANT_USD: _one("sipri_constant"),
    Metric.CURRENT_USD: _one("sipri_current"),
    Metric.PER_CAPITA_USD: _per_capita,
    Metric.REAL_GROWTH: _real_growth,
    Metric.SHARE_OF_GROUP: _share_of_group,
    Metric.SIPRI_MINUS_NATO: _sipri_minus_nato,
}
