from __future__ import annotations

from pathlib import Path

import pytest

from buildup.errors import ScenarioError
from buildup.scenario import read_scenario, scenario_from_dict, scenario_hash

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_extends_overrides_a_few_keys() -> None:
    base = read_scenario(EXAMPLES / "japan-dbp.toml")
    child = read_scenario(EXAMPLES / "japan-accelerated.toml")
    assert child.country == base.country == "JPN"
    assert child.path == base.path
    assert child.denominator == base.denominator
    assert [t.year for t in child.targets] == [2025, 2027]
    assert child.name != base.name


def test_scenario_is_frozen_and_hash_is_stable() -> None:
    scenario = read_scenario(EXAMPLES / "japan-dbp.toml")
    with pytest.raises(Exception, match="frozen"):
        scenario.country = "KOR"  # type: ignore[misc]
    assert scenario_hash(scenario) == scenario_hash(read_scenario(EXAMPLES / "japan-dbp.toml"))
    assert scenario_hash(scenario) != scenario_hash(
        read_scenario(EXAMPLES / "japan-accelerated.toml")
    )


def test_target_needs_exactly_one_kind() -> None:
    with pytest.raises(ScenarioError, match="give either share_gdp"):
        scenario_from_dict(
            {"country": "JPN", "baseline": {"year": 2024}, "targets": [{"year": 2030}]}, "x"
        )


def test_all_examples_validate() -> None:
    names = sorted(p.name for p in EXAMPLES.glob("*.toml") if not p.stem.endswith("-tracking"))
    assert names == [
        "australia-3.5pct-2035.toml",
        "japan-3.5pct-2035.toml",
        "japan-accelerated.toml",
        "japan-dbp.toml",
        "korea-3.5pct-2035.toml",
        "philippines-3.5pct-2035.toml",
    ]
    for name in names:
        assert read_scenario(EXAMPLES / name).targets
