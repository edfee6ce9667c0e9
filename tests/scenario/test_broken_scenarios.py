"""One deliberately broken scenario per validation rule, with the message it must give.

Each runs through the CLI: exit code 2, one line naming the file, the key and the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BROKEN = Path(__file__).parents[1] / "fixtures" / "scenarios" / "broken"

CASES = {
    "unknown_country.toml": "unknown_country.toml: country: unknown country 'Atlantis'",
    "target_before_baseline.toml": "targets[0].year 2020 is not after the baseline year 2024",
    "share_above_one.toml": "targets[0].share_gdp: 350 is above 1; share_gdp is a fraction",
    "share_negative.toml": "targets[0].share_gdp: -0.01 is below 0",
    "percent_not_fraction.toml": "targets[0].share_gdp: 3.5 looks like a percent; share_gdp is a fraction: write 0.035 for 3.5 %",
    "missing_gdp.toml": "missing_gdp.toml: gdp: no GDP for 1970 (the data starts in 1980); choose a baseline year from 1980 on, or give gdp.path",
    "unknown_component.toml": "definitions: 'defense_related' has unknown component 'coastguard'",
    "cycle_a.toml": "extends: cycle cycle_a.toml -> cycle_b.toml -> cycle_a.toml",
    "not_toml.toml": "not_toml.toml: not valid TOML",
    "unreadable.toml": "cannot be read",
    "unknown_key.toml": "tagets: unknown key (did you mean 'targets'?)",
    "unknown_definition.toml": "targets[0].definition: unknown definition 'nato'; known: sipri",
    "growth_percent.toml": "path.max_real_growth: 10 looks like a percent; max_real_growth is a fraction: write 0.1",
    "extends_missing.toml": "extends_missing.toml: extends: no such file",
    "given_with_gap.toml": "path.amounts: shape 'given' needs an amount for every planned year; 2026 has none",
    "amounts_with_gap.toml": "path.amounts: given amounts must run from the first planned year without gaps (2027)",
}


@pytest.mark.parametrize(("file", "fragment"), sorted(CASES.items()))
def test_broken_scenario(cli, file: str, fragment: str) -> None:
    result = cli("plan", str(BROKEN / file))
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert fragment in lines[0]
    assert result.out == ""


def test_every_broken_file_has_a_case() -> None:
    files = {p.name for p in BROKEN.glob("*.toml")} - {"cycle_b.toml"}
    assert files == set(CASES)


def test_missing_scenario_file(cli) -> None:
    result = cli("plan", "nowhere.toml")
    assert result.code == 2
    assert "no such file nowhere.toml" in result.err
