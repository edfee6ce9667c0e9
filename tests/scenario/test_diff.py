"""The key diff of two scenarios: identity-matched lists, defaults resolved, no noise."""

from __future__ import annotations

from pathlib import Path

from buildup.scenario import read_scenario, scenario_from_dict
from buildup.scenario.diff import KeyChangeKind, diff_spec_dicts, diff_specs

EXAMPLES = Path(__file__).parents[2] / "examples"


def _scenario(**extra: object) -> object:
    return scenario_from_dict({"country": "JPN", "baseline": {"year": 2022}, **extra}, "test")


def test_same_scenario_has_no_differences() -> None:
    a = read_scenario(EXAMPLES / "japan-dbp.toml")
    assert diff_specs(a, a) == ()


def test_a_default_written_out_is_no_difference() -> None:
    a = _scenario()
    b = _scenario(path={"min_real_growth": 0.0})
    assert diff_specs(a, b) == ()  # type: ignore[arg-type]


def test_inserting_a_target_adds_one_target_not_shifts_the_others() -> None:
    one = [{"year": 2027, "share_gdp": 0.02}]
    two = [{"year": 2025, "share_gdp": 0.018}, *one]
    changes = diff_specs(_scenario(targets=one), _scenario(targets=two))  # type: ignore[arg-type]
    assert {c.key for c in changes} == {"targets[2025].year", "targets[2025].share_gdp"}
    assert all(c.change is KeyChangeKind.ADDED and c.a is None for c in changes)


def test_changed_removed_and_named_items() -> None:
    a = {"x": 1, "components": [{"name": "budget", "share": 0.5}, {"name": "cg", "share": 0.1}]}
    b = {"x": 2, "components": [{"name": "cg", "share": 0.2}]}
    changes = {c.key: (c.a, c.b, c.change) for c in diff_spec_dicts(a, b)}
    assert changes == {
        "x": (1, 2, KeyChangeKind.CHANGED),
        "components[budget].name": ("budget", None, KeyChangeKind.REMOVED),
        "components[budget].share": (0.5, None, KeyChangeKind.REMOVED),
        "components[cg].share": (0.1, 0.2, KeyChangeKind.CHANGED),
    }


def test_extends_is_resolved_before_comparing() -> None:
    base = read_scenario(EXAMPLES / "japan-dbp.toml")
    child = read_scenario(EXAMPLES / "japan-accelerated.toml")
    keys = {c.key for c in diff_specs(base, child)}
    assert "name" in keys
    assert "targets[2025 defense_related].share_gdp" in keys
    assert "components[supplementary].amounts.2025" in keys
    # Inherited keys are the same in both and do not appear.
    assert not any(k.startswith("baseline") or k == "country" for k in keys)
