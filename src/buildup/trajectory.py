"""Budget paths: from a baseline through dated targets, by a chosen shape, within limits.

All arrays run over one axis of years, ``years[0]`` being the baseline year; the plan covers
``years[1]`` to ``end_year``, and the axis may run further (the horizon) so that an
unreachable target can say when it would be met. Money is in currency units [LCU].

Shapes (between the last anchor, the baseline or the last given year, and each target):

- ``goal-seek``: the smoothest path in real terms. Among the remaining targets, the one that
  needs the highest constant real growth from the anchor sets the growth up to its year; the
  anchor moves there and the rest are solved in turn (a "taut string": the peak growth is as
  low as possible, then the next, and so on). Growth is bounded by ``max_real_growth`` and
  ``min_real_growth``, and the yearly rise of the primary share of GDP by
  ``max_share_step``; the growth rate is found by bisection. A target the limits cannot
  reach is reported with the earliest year it can be met and the budget reachable by its
  year, and the path runs at the limit.
- ``constant-growth``: constant nominal growth to each target.
- ``linear-share``: the target definition's share of GDP rises linearly to each target.
- ``front-loaded`` / ``back-loaded``: the rise is spread with weights n, n-1, …, 1 (or
  1, …, n) over the segment's years.
- ``given``: every planned year's amount is given.

After the last target the ``after`` rule holds the primary share of GDP, the real amount or
the nominal amount. Amounts are rounded to the currency unit; at a target year the amount
is rounded up, so a reachable target is met exactly to the unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from buildup.money import reprice, year_on_year
from buildup.types import AfterRule, PathShape

__all__ = [
    "GivenAmountsError",
    "PathProblem",
    "PathResult",
    "Requirement",
    "ShareLine",
    "TargetOutcome",
    "solve_path",
]

Array = NDArray[np.float64]


class GivenAmountsError(ValueError):
    """The given amounts do not run from the first planned year without gaps."""


_BISECTIONS = 200
_UNBOUNDED_GROWTH = 1e6


@dataclass(frozen=True)
class ShareLine:
    """A definition's share of GDP as a function of the budget: ``(a*B + b) / den``."""

    a: Array
    b: Array
    den: Array

    def share(self, i: int, budget: float) -> float:
        """Share of GDP at axis index ``i`` for a budget [fraction]."""
        return float((self.a[i] * budget + self.b[i]) / self.den[i])

    def budget_for_share(self, i: int, share: float) -> float:
        """The budget that gives ``share`` at axis index ``i`` [LCU]."""
        return float((share * self.den[i] - self.b[i]) / self.a[i])

    def budget_for_total(self, i: int, total: float) -> float:
        """The budget that gives a definition total at axis index ``i`` [LCU]."""
        return float((total - self.b[i]) / self.a[i])


@dataclass(frozen=True)
class Requirement:
    """A dated target on a definition: a share of GDP or an amount (a total)."""

    year: int
    label: str
    line: ShareLine
    share: float | None = None
    amount: float | None = None

    def min_budget(self, i: int) -> float:
        """The budget needed at axis index ``i`` to meet the target there [LCU]."""
        if self.share is not None:
            return self.line.budget_for_share(i, self.share)
        assert self.amount is not None
        return self.line.budget_for_total(i, self.amount)


@dataclass(frozen=True)
class PathProblem:
    """What a path must do: everything :func:`solve_path` needs, as plain arrays."""

    years: NDArray[np.int64]
    end_year: int
    baseline: float
    requirements: tuple[Requirement, ...]
    price_index: Array
    primary: ShareLine
    shape: PathShape = PathShape.GOAL_SEEK
    given: Mapping[int, float] | None = None
    max_real_growth: float | None = None
    min_real_growth: float = 0.0
    max_share_step: float | None = None
    after: AfterRule = AfterRule.HOLD_SHARE


@dataclass(frozen=True)
class TargetOutcome:
    """Whether a target is reachable within the limits, and if not, when it would be.

    ``earliest_year`` is the first year the path (at its limits, past an unreachable target)
    meets the target, or ``None`` if not within the horizon or if a given amount misses it.
    """

    year: int
    label: str
    required_budget: float
    reachable: bool
    earliest_year: int | None
    budget_at_year: float


@dataclass(frozen=True)
class PathResult:
    """The budget over the plan (``years[0]`` to ``end_year``) and how each year was set."""

    years: NDArray[np.int64]
    amounts: Array
    methods: tuple[str, ...]
    targets: tuple[TargetOutcome, ...]
    ramp_breaches: tuple[int, ...]


def _index(problem: PathProblem, year: int) -> int:
    return int(year - problem.years[0])


def _clears(amount: float, need: float) -> bool:
    """Whether ``amount`` meets ``need`` to within half a currency unit: the path is rounded to
    whole units, so a shortfall smaller than that is rounding, not a miss."""
    return bool(amount >= need - 0.5)


def _step(problem: PathProblem, i: int, prev: float, g: float) -> float:
    """The budget at index ``i`` growing at real rate ``g`` from ``prev``, within the step cap."""
    value = float(reprice(prev * (1.0 + g), problem.price_index[i - 1], problem.price_index[i]))
    if problem.max_share_step is not None:
        cap_share = problem.primary.share(i - 1, prev) + problem.max_share_step
        value = min(value, problem.primary.budget_for_share(i, cap_share))
    return value


def _grow(problem: PathProblem, start: int, value: float, stop: int, g: float) -> list[float]:
    out = []
    for i in range(start + 1, stop + 1):
        value = _step(problem, i, value, g)
        out.append(value)
    return out


def _min_growth(problem: PathProblem, start: int, value: float, target: int, need: float) -> float:
    """The lowest real growth rate reaching ``need`` at ``target`` (may exceed the limit)."""
    low = problem.min_real_growth

    def reach(g: float) -> float:
        return float(_grow(problem, start, value, target, g)[-1])

    if reach(low) >= need:
        return low
    high = max(low, 0.0) + 1.0
    while reach(high) < need:
        if high > _UNBOUNDED_GROWTH:
            return math.inf  # the share-step cap makes the target unreachable at any growth
        high *= 2.0
    for _ in range(_BISECTIONS):
        mid = (low + high) / 2.0
        if reach(mid) >= need:
            high = mid
        else:
            low = mid
    return high


def _earliest(
    problem: PathProblem, req: Requirement, start: int, value: float, g: float
) -> int | None:
    for i in range(start + 1, len(problem.years)):
        value = _step(problem, i, value, g)
        need = req.min_budget(i)
        if math.isnan(need) or math.isnan(value):
            return None
        if value >= need:
            return int(problem.years[i])
    return None


def _goal_seek(
    problem: PathProblem,
    amounts: Array,
    methods: list[str],
    anchor: int,
    outcomes: list[TargetOutcome],
) -> int:
    pending = [r for r in problem.requirements if _index(problem, r.year) > anchor]
    limit = math.inf if problem.max_real_growth is None else problem.max_real_growth
    while pending:
        rates = [
            (
                _min_growth(
                    problem,
                    anchor,
                    amounts[anchor],
                    _index(problem, r.year),
                    r.min_budget(_index(problem, r.year)),
                ),
                r,
            )
            for r in pending
        ]
        g, req = max(rates, key=lambda pair: (pair[0], pair[1].year))
        target = _index(problem, req.year)
        # g is infinite when the share-step cap blocks the target at any growth rate; the
        # path then rises as fast as the cap (and the growth limit, if any) allows.
        reachable = math.isfinite(g) and g <= limit
        rate = g if reachable else min(limit, _UNBOUNDED_GROWTH)
        path = _grow(problem, anchor, amounts[anchor], target, rate)
        if not reachable and _clears(path[-1], req.min_budget(target)):
            # The bisection can land a hair above the limit when the limit itself reaches
            # the target to within half a currency unit (rounding closes that gap); such a
            # target is met at the limit, not out of reach.
            reachable = True
        amounts[anchor + 1 : target + 1] = path
        if rate >= _UNBOUNDED_GROWTH:
            why = f"goal-seek: as fast as the share-step limit allows from {problem.years[anchor]}"
        else:
            why = f"goal-seek: real growth {rate:.4%}/yr from {problem.years[anchor]}"
        why += f" for {req.label}" + ("" if reachable else " (at the limit; target out of reach)")
        methods[anchor + 1 : target + 1] = [why] * (target - anchor)
        need = req.min_budget(target)
        earliest = req.year if reachable else _earliest(problem, req, target, path[-1], rate)
        outcomes.append(TargetOutcome(req.year, req.label, need, reachable, earliest, path[-1]))
        for other in pending:
            i = _index(problem, other.year)
            if other is req or i > target:
                continue
            # A target passed on the way: met if the path clears it, else reported like an
            # unreachable one, with the first later year in which the path clears it.
            met = _clears(amounts[i], other.min_budget(i))
            later = [k for k in range(i + 1, target + 1) if amounts[k] >= other.min_budget(k)]
            first = (
                other.year
                if met
                else int(problem.years[later[0]])
                if later
                else _earliest(problem, other, target, path[-1], rate)
            )
            outcomes.append(
                TargetOutcome(
                    other.year, other.label, other.min_budget(i), met, first, float(amounts[i])
                )
            )
        pending = [r for r in pending if _index(problem, r.year) > target]
        anchor = target
    return anchor


def _weights(shape: str, n: int) -> Array:
    raw = (
        np.arange(n, 0, -1, dtype=float)
        if shape == PathShape.FRONT_LOADED
        else np.arange(1, n + 1, dtype=float)
    )
    weights: Array = np.cumsum(raw) / raw.sum()
    return weights


# A shape's steps from the anchor to a target: (problem, requirement, anchor index, target
# index, the anchor's amount, the target's required amount) → the amounts of the years after
# the anchor, up to and including the target.
ShapeSteps = Callable[["PathProblem", Requirement, int, int, float, float], list[float]]


def _constant_growth(
    problem: PathProblem, req: Requirement, anchor: int, target: int, start: float, need: float
) -> list[float]:
    n = target - anchor
    return [start * (need / start) ** (k / n) for k in range(1, n + 1)]


def _linear_share(
    problem: PathProblem, req: Requirement, anchor: int, target: int, start: float, need: float
) -> list[float]:
    n = target - anchor
    s0 = req.line.share(anchor, start)
    s1 = req.line.share(target, need)
    return [req.line.budget_for_share(anchor + k, s0 + (s1 - s0) * k / n) for k in range(1, n + 1)]


def _loaded(
    problem: PathProblem, req: Requirement, anchor: int, target: int, start: float, need: float
) -> list[float]:
    return list(start + (need - start) * _weights(problem.shape, target - anchor))


SHAPES: dict[PathShape, ShapeSteps] = {
    PathShape.CONSTANT_GROWTH: _constant_growth,
    PathShape.LINEAR_SHARE: _linear_share,
    PathShape.FRONT_LOADED: _loaded,
    PathShape.BACK_LOADED: _loaded,
}


def _shaped(
    problem: PathProblem,
    amounts: Array,
    methods: list[str],
    anchor: int,
    outcomes: list[TargetOutcome],
) -> int:
    for req in sorted(problem.requirements, key=lambda r: r.year):
        target = _index(problem, req.year)
        if target <= anchor:
            continue
        need = req.min_budget(target)
        n = target - anchor
        start = float(amounts[anchor])
        values = SHAPES[PathShape(problem.shape)](problem, req, anchor, target, start, need)
        amounts[anchor + 1 : target + 1] = values
        methods[anchor + 1 : target + 1] = [
            f"{problem.shape} from {problem.years[anchor]} to {req.label}"
        ] * n
        outcomes.append(TargetOutcome(req.year, req.label, need, True, req.year, need))
        anchor = target
    return anchor


def _after(
    problem: PathProblem, amounts: Array, methods: list[str], anchor: int, stop: int
) -> None:
    rules: dict[str, Callable[[int], float]] = {
        "hold-share": lambda i: problem.primary.budget_for_share(
            i, problem.primary.share(anchor, float(amounts[anchor]))
        ),
        "hold-real": lambda i: float(
            reprice(amounts[anchor], problem.price_index[anchor], problem.price_index[i])
        ),
        "hold-nominal": lambda i: float(amounts[anchor]),
    }
    for i in range(anchor + 1, stop + 1):
        amounts[i] = rules[problem.after](i)
        methods[i] = f"{problem.after} after {problem.years[anchor]}"


def solve_path(problem: PathProblem) -> PathResult:
    """Solve the budget path; an unreachable target is reported in the result, not raised."""
    stop = _index(problem, problem.end_year)
    amounts = np.full(stop + 1, np.nan)
    methods = ["baseline"] + [""] * stop
    amounts[0] = problem.baseline
    anchor = 0
    for year, value in sorted((problem.given or {}).items()):
        i = _index(problem, year)
        if i != anchor + 1:
            raise GivenAmountsError(
                f"given amounts must run from the first planned year without gaps ({year})"
            )
        amounts[i] = value
        methods[i] = "given"
        anchor = i
    outcomes: list[TargetOutcome] = []
    for req in problem.requirements:
        i = _index(problem, req.year)
        if i <= anchor:
            # A given year: no choice was made, so the target is not "out of reach"; whether
            # the given amount meets it is the target check's business.
            need = req.min_budget(i)
            met = _clears(amounts[i], need)
            outcomes.append(
                TargetOutcome(
                    req.year, req.label, need, True, req.year if met else None, float(amounts[i])
                )
            )
    if problem.shape == PathShape.GOAL_SEEK:
        anchor = _goal_seek(problem, amounts, methods, anchor, outcomes)
    elif problem.shape != PathShape.GIVEN:
        anchor = _shaped(problem, amounts, methods, anchor, outcomes)
    _after(problem, amounts, methods, anchor, stop)
    rounded = np.round(amounts)
    for outcome in outcomes:
        i = _index(problem, outcome.year)
        if outcome.reachable and methods[i] != "given":
            rounded[i] = max(rounded[i], math.ceil(outcome.required_budget))
    real = reprice(rounded, problem.price_index[: stop + 1], 1.0)
    growth = year_on_year(real)[1:]
    limit = problem.max_real_growth
    breaches = (
        ()
        if limit is None
        else tuple(int(problem.years[i + 1]) for i in np.nonzero(growth > limit + 1e-9)[0])
    )
    ordered = tuple(sorted(outcomes, key=lambda o: (o.year, o.label)))
    return PathResult(problem.years[: stop + 1], rounded, tuple(methods), ordered, breaches)
