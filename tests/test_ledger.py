from __future__ import annotations

import numpy as np
import pytest

from buildup.errors import ScenarioError
from buildup.ledger import Component, Definition, build_ledger

YEARS = np.arange(2023, 2029, dtype=np.int64)


def test_definitions_are_linear_in_the_budget() -> None:
    comps = [
        Component(name="extra", kind="fixed", amounts={2024: 5.0, 2026: 9.0}),
        Component(name="uplift", kind="share", of="core", share=0.5),
    ]
    defs = [
        Definition(name="core", components=("budget", "extra")),
        Definition(name="wide", components=("uplift",)),
    ]
    ledger = build_ledger(comps, defs, YEARS)
    budget = np.full(len(YEARS), 100.0)
    core = ledger.lines["core"].total(budget)
    assert np.isnan(core[0])
    assert core[1:].tolist() == [105.0, 107.0, 109.0, 109.0, 109.0]
    np.testing.assert_allclose(ledger.lines["wide"].total(budget)[1:], core[1:] * 0.5)
    assert ledger.components["extra"].status == (
        "missing",
        "published",
        "interpolated",
        "published",
        "held",
        "held",
    )
    assert ledger.lines["core"].budget_for(105.0)[1] == pytest.approx(100.0)


def test_one_off_component_is_zero_in_other_years() -> None:
    comps = [Component(name="supp", kind="fixed", amounts={2025: 7.0}, fill="zero")]
    ledger = build_ledger(comps, [Definition(name="d", components=("budget", "supp"))], YEARS)
    assert ledger.lines["d"].b.tolist() == [0.0, 0.0, 7.0, 0.0, 0.0, 0.0]


def test_cycle_is_an_error() -> None:
    comps = [
        Component(name="a", kind="share", of="b", share=0.1),
        Component(name="b", kind="share", of="a", share=0.1),
    ]
    with pytest.raises(ScenarioError, match="cycle: d -> a -> b -> a"):
        build_ledger(comps, [Definition(name="d", components=("a",))], YEARS)


def test_unknown_component_lists_the_known() -> None:
    with pytest.raises(
        ScenarioError,
        match=r"^definitions: 'd' has unknown component 'nope'; expected one of budget, d$",
    ):
        build_ledger([], [Definition(name="d", components=("budget", "nope"))], YEARS)


def test_names_must_not_clash() -> None:
    comps = [Component(name="d", kind="fixed", amounts={2024: 1.0})]
    with pytest.raises(ScenarioError, match="share the name"):
        build_ledger(comps, [Definition(name="d", components=("budget",))], YEARS)
