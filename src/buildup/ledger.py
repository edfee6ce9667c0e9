"""Spending definitions as ledgers: each definition is a sum of components.

A component is the planned budget, fixed amounts by year, or a share of another component
or definition. Every component is therefore linear in the budget, and so is every
definition: ``total[y] = a[y] * budget[y] + b[y]``. The planner solves for the budget and
reads every definition off these two arrays.

Fixed amounts are published for some years only: between two published years the amount
is interpolated linearly, after the last it is held, before the first it is missing (NaN).
Each year's status is recorded so that the trace can say which figure was published.

The ledger takes plain data (:class:`Component`, :class:`Definition`), not the scenario's
models: the engine hands it their values.

>>> import numpy as np
>>> comps = [Component(name="budget", kind="budget"),
...          Component(name="extra", kind="fixed", amounts={2025: 10.0, 2027: 30.0})]
>>> defs = [Definition(name="wide", components=("budget", "extra"))]
>>> led = build_ledger(comps, defs, np.arange(2024, 2029))
>>> led.lines["wide"].b.tolist()
[nan, 10.0, 20.0, 30.0, 30.0]
>>> led.components["extra"].status
('missing', 'published', 'interpolated', 'published', 'held')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from buildup.errors import ScenarioError

__all__ = ["Component", "ComponentLine", "Definition", "Ledger", "Line", "build_ledger"]


@dataclass(frozen=True)
class Component:
    """A line of a definition: the budget, fixed amounts by year [LCU], or a share of another.

    ``fill`` says what years without an amount hold: ``interpolate`` (between published
    years, held after the last, missing before the first) or ``zero`` (a one-off item).
    """

    name: str
    kind: Literal["budget", "fixed", "share"]
    label: str = ""
    amounts: Mapping[int, float] = field(default_factory=dict)
    sources: Mapping[int, str] = field(default_factory=dict)
    share: float | None = None
    of: str | None = None
    source: str | None = None
    fill: Literal["interpolate", "zero"] = "interpolate"


@dataclass(frozen=True)
class Definition:
    """A spending definition: the sum of its components (names of components or definitions)."""

    name: str
    components: tuple[str, ...]
    # The source that publishes this definition's figures (e.g. "milex"), if any.
    published: str | None = None


Array = NDArray[np.float64]


@dataclass(frozen=True)
class Line:
    """A total linear in the budget: ``a * budget + b`` per year [currency units]."""

    a: Array
    b: Array

    def total(self, budget: Array) -> Array:
        """The total for a budget path (NaN where a component is missing)."""
        return self.a * budget + self.b

    def budget_for(self, total: Array | float) -> Array:
        """The budget that gives ``total`` (the inverse of :meth:`total`)."""
        return (total - self.b) / self.a

    def __add__(self, other: Line) -> Line:
        return Line(self.a + other.a, self.b + other.b)

    def scaled(self, factor: float) -> Line:
        """The line times a constant share."""
        return Line(self.a * factor, self.b * factor)


@dataclass(frozen=True)
class ComponentLine:
    """A component's line, with each year's status and source."""

    name: str
    label: str
    line: Line
    status: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Ledger:
    """Lines for every component and definition over ``years``."""

    years: NDArray[np.int64]
    components: Mapping[str, ComponentLine]
    lines: Mapping[str, Line]
    definitions: Mapping[str, Definition]


def _fixed(component: Component, years: NDArray[np.int64]) -> ComponentLine:
    if component.fill == "zero":
        b = np.array([component.amounts.get(int(y), 0.0) for y in years], dtype=float)
        listed = [int(y) in component.amounts for y in years]
        zero = np.zeros(len(years))
        return ComponentLine(
            component.name,
            component.label,
            Line(zero, b),
            tuple("published" if x else "zero" for x in listed),
            tuple(
                component.sources.get(int(y), component.source or "") if x else "none this year"
                for y, x in zip(years, listed, strict=True)
            ),
        )
    known = sorted(component.amounts)
    xs = np.array(known, dtype=float)
    ys = np.array([component.amounts[y] for y in known], dtype=float)
    b = np.interp(years.astype(float), xs, ys)
    status: list[str] = []
    sources: list[str] = []
    for i, year in enumerate(years.tolist()):
        if year in component.amounts:
            status.append("published")
            sources.append(component.sources.get(year, component.source or ""))
        elif year < known[0]:
            status.append("missing")
            sources.append("")
            b[i] = np.nan
        elif year > known[-1]:
            status.append("held")
            sources.append(f"held at the {known[-1]} figure (assumption)")
        else:
            status.append("interpolated")
            sources.append("interpolated linearly between published years (assumption)")
    zero = np.zeros(len(years))
    return ComponentLine(
        component.name, component.label, Line(zero, b), tuple(status), tuple(sources)
    )


def build_ledger(
    components: Iterable[Component],
    definitions: Iterable[Definition],
    years: NDArray[np.int64],
) -> Ledger:
    """Resolve every component and definition to a :class:`Line` over ``years``."""
    comps = {c.name: c for c in components}
    comps.setdefault("budget", Component(name="budget", label="planned budget", kind="budget"))
    defs = {d.name: d for d in definitions}
    clash = set(comps) & set(defs)
    if clash:
        raise ScenarioError(
            what="definitions",
            problem=f"components and definitions share the name(s) {', '.join(sorted(clash))}",
            fix="rename one",
        )
    resolved_c: dict[str, ComponentLine] = {}
    resolved_d: dict[str, Line] = {}
    n = len(years)

    def resolve(name: str, chain: tuple[str, ...]) -> Line:
        if name in chain:
            raise ScenarioError(
                what="components",
                problem=f"they refer to each other in a cycle: {' -> '.join((*chain, name))}",
                fix="remove one of these references",
            )
        if name in resolved_c:
            return resolved_c[name].line
        if name in resolved_d:
            return resolved_d[name]
        if name in defs:
            line = Line(np.zeros(n), np.zeros(n))
            for part in defs[name].components:
                if part not in comps and part not in defs:
                    known = ", ".join(sorted(set(comps) | set(defs)))
                    raise ScenarioError(
                        what="definitions",
                        problem=f"{name!r} has unknown component {part!r}",
                        expected=f"one of {known}",
                    )
                line = line + resolve(part, (*chain, name))
            resolved_d[name] = line
            return line
        if name not in comps:
            known = ", ".join(sorted(set(comps) | set(defs)))
            raise ScenarioError(
                what="components",
                given=name,
                problem="unknown component",
                expected=f"one of {known}",
            )
        component = comps[name]
        if component.kind == "budget":
            entry = ComponentLine(
                name,
                component.label,
                Line(np.ones(n), np.zeros(n)),
                ("budget",) * n,
                ("planned budget",) * n,
            )
        elif component.kind == "fixed":
            entry = _fixed(component, years)
        else:
            assert component.of is not None
            assert component.share is not None
            base = resolve(component.of, (*chain, name))
            entry = ComponentLine(
                name,
                component.label,
                base.scaled(component.share),
                (f"share of {component.of}",) * n,
                (component.source or "",) * n,
            )
        resolved_c[name] = entry
        return entry.line

    for name in defs:
        resolve(name, ())
    return Ledger(years, resolved_c, resolved_d, defs)
