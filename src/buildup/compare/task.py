"""The compare task: countries on a metric, the cost to a target, counts — one call.

It lives with the comparisons (above the engine layer, whose planner it uses for the cost
to target); like the engine's tasks it takes a frozen options model and returns a frozen
outcome with its :class:`~buildup.engine.provenance.Provenance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from buildup.compare.cost import CostToTarget
from buildup.compare.counts import Count
from buildup.compare.metrics import MetricInfo
from buildup.engine.provenance import Provenance, editions_of
from buildup.engine.tasks import Options
from buildup.errors import InputError
from buildup.serialize import renamed, table

if TYPE_CHECKING:
    import pandas as pd

    from buildup.compare.groups import Group
    from buildup.store import DatasetStore

__all__ = ["CompareOptions", "CompareRow", "Comparison", "LeagueRow", "compare_allies"]


class CompareOptions(Options):
    """What to compare: countries and/or a group, a metric over years, optional target/count."""

    countries: tuple[str, ...] = ()
    group: Any = None  # a resolved Group (from a name, or a groups file)
    metric: str = "share_gdp"
    years: Any = None  # a YearRange
    window: int = Field(default=10, ge=1, le=70)
    allow_missing: bool = False
    target: str | None = None
    target_share: float | None = None
    by: int | None = None
    count_threshold: float | None = Field(default=None, gt=0, le=1)
    count_year: int | None = None
    max_real_growth: float | None = None

    @model_validator(mode="after")
    def _count_year_needs_threshold(self) -> CompareOptions:
        if self.count_year is not None and self.count_threshold is None:
            raise InputError(
                what="count_year",
                given=self.count_year,
                problem="a count year does nothing without a count threshold",
                fix="give the share to count ({option:count_threshold} 0.02)",
            )
        return self


@dataclass(frozen=True)
class CompareRow:
    """One country's value of a metric in one year (missing: ``null`` with a ``note``)."""

    iso3: str
    year: int
    metric: str
    value: float
    source: str
    note: str


@dataclass(frozen=True)
class LeagueRow:
    """A member's rank by share of GDP (as shown: rounded when the count rounds)."""

    rank: int | None
    iso3: str
    share_gdp: float
    shown_share: float
    source: str


@dataclass(frozen=True)
class Comparison:
    """Countries side by side on one metric, with the cost to a target and counts if asked
    (empty, or ``null``, when not asked)."""

    __json_extra__ = (("notes", "note_lines"),)

    rows: pd.DataFrame = field(metadata=table(CompareRow))
    metric: MetricInfo
    costs: tuple[CostToTarget, ...] = field(metadata=renamed("cost_to_target"))
    counts: tuple[Count, ...] | None
    league_table: pd.DataFrame | None = field(metadata=table(LeagueRow))
    provenance: Provenance

    @property
    def note_lines(self) -> tuple[str, ...]:
        """The notes (:meth:`notes`)."""
        return tuple(self.notes())

    def notes(self) -> list[str]:
        """What a reader must know: values missing (shown as missing, never zero), and the
        notes of each cost to target, once each."""
        rows = self.rows
        missing = rows[rows["value"].isna()]
        notes = []
        if len(missing):
            first = missing.iloc[0]
            notes.append(
                f"{len(missing)} value(s) are missing and shown as missing (–), never as zero; "
                f"e.g. {first['iso3']} {int(first['year'])}: {first['note']}"
            )
        notes.extend(dict.fromkeys(n for c in self.costs for n in c.notes))
        return notes


def compare_allies(store: DatasetStore, options: CompareOptions) -> Comparison:
    """Compare countries; with a target, what reaching it costs each of them."""
    from buildup.compare.cost import compare_cost_to_target, resolve_target
    from buildup.compare.counts import count_at_or_above, rank_countries
    from buildup.compare.groups import Group
    from buildup.compare.metrics import compare_countries, resolve_metric
    from buildup.engine import gather
    from buildup.types import YearRange

    o = options
    # The one read of the store: every dataset, every country (a group's members change
    # over the years, and the metrics read whole datasets).
    store = gather.gather_inputs(store, countries=None)
    years, allow_missing = o.years, o.allow_missing
    if o.count_threshold is not None:
        # A count is about one year: compare that year unless told otherwise, and a member
        # without data is listed as such ("no data"), not fatal.
        if years is None and o.count_year is not None:
            years = YearRange(o.count_year, o.count_year)
        allow_missing = True
    wanted = o.target is not None or o.target_share is not None or o.by is not None
    goal = resolve_target(o.target, o.target_share, o.by) if wanted else None
    rows = compare_countries(
        store,
        list(o.countries),
        o.metric,
        years,
        group=o.group,
        window=o.window,
        allow_missing=allow_missing,
    )
    as_group: Group = o.group or Group.of_countries(list(o.countries))
    info = resolve_metric(store, o.metric, window=o.window, group=as_group)
    shown = list(dict.fromkeys(rows["iso3"]))
    costs = (
        compare_cost_to_target(store, shown, goal, max_real_growth=o.max_real_growth)
        if goal is not None
        else ()
    )
    counts = league = None
    if o.count_threshold is not None:
        year = o.count_year if o.count_year is not None else int(rows["year"].max())
        counts = tuple(
            count_at_or_above(store, as_group, year, o.count_threshold, source, rounding)
            for source in ("nato", "sipri")
            for rounding in (None, 1)
        )
        sipri = rank_countries(store, as_group, year, "sipri", rounding=1)
        nato = rank_countries(store, as_group, year, "nato", rounding=1)
        league = sipri[["iso3", "rank", "share_gdp"]].merge(
            nato[["iso3", "rank", "share_gdp"]], on="iso3", suffixes=("_sipri", "_nato")
        )
    used = ("milex", "nato", "gdp", "fx", "population", "prices")
    return Comparison(
        rows,
        info,
        tuple(costs),
        counts,
        league,
        Provenance(task="compare_allies", editions=editions_of(store, used)),
    )
