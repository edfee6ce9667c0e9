"""Issue 12, faults 6 and 7: bounded work, and messages that name the real fault.

Nothing a user can type reaches a MemoryError, a RecursionError or a read that never ends;
each limit (stated in the README and in ``buildup.limits``) gives a one-line refusal.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from buildup import limits
from buildup.errors import InputError, ScenarioError

EXAMPLES = Path(__file__).parents[2] / "examples"
JAPAN = EXAMPLES / "japan-dbp.toml"
HEADER = "id,area,unit_cost,max_qty,payment_profile,earliest_start,latest_start,value"


def _one_line(result) -> str:
    assert result.code == 2, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_extends_a_device_is_refused(cli, tmp_path: Path) -> None:
    # Used to read /dev/zero until memory ran out.
    file = tmp_path / "s.toml"
    file.write_text('extends = "/dev/zero"\n', encoding="utf-8")
    line = _one_line(cli("plan", str(file)))
    assert "/dev/zero is not a regular file (a device or a pipe)" in line


def test_extends_a_folder_is_refused(cli, tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text(f'extends = "{tmp_path}"\n', encoding="utf-8")
    assert "is a folder" in _one_line(cli("plan", str(file)))


def test_deep_nesting_is_refused(cli, tmp_path: Path) -> None:
    # Used to end in "internal error: RecursionError".
    file = tmp_path / "s.toml"
    file.write_text('country = "JPN"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    line = _one_line(cli("plan", str(file)))
    assert f"nested more than {limits.MAX_NESTING} deep" in line


def test_moderate_nesting_is_refused_by_the_walk(tmp_path: Path) -> None:
    deep = "[" * (limits.MAX_NESTING + 2) + "]" * (limits.MAX_NESTING + 2)
    with pytest.raises(ScenarioError, match="nested more than"):
        limits.parse_user_toml(f"x = {deep}\n", "s.toml", error=ScenarioError)


def test_file_size_limit(tmp_path: Path) -> None:
    file = tmp_path / "big.csv"
    file.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="101 bytes is more than the 100 a file may have"):
        limits.read_user_text(file, "a CSV", limit=100)
    assert limits.read_user_text(file, "a CSV", limit=101) == "x" * 101


def test_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        limits.read_user_text(fifo, "a scenario")


def test_long_extends_chain_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "s0.toml").write_text(f'extends = "{JAPAN}"\n', encoding="utf-8")
    for i in range(1, limits.MAX_EXTENDS + 2):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i - 1}.toml"\n', encoding="utf-8")
    line = _one_line(cli("plan", str(tmp_path / f"s{limits.MAX_EXTENDS + 1}.toml")))
    assert f"more than {limits.MAX_EXTENDS} files in the extends chain" in line


def test_too_many_targets(cli, tmp_path: Path) -> None:
    # 2,000 targets used to run for more than a minute.
    body = "".join(f"[[targets]]\nyear = {2025 + i % 50}\nshare_gdp = 0.02\n" for i in range(2000))
    file = tmp_path / "s.toml"
    file.write_text(f'country = "JPN"\n[baseline]\nyear = 2024\n{body}', encoding="utf-8")
    line = _one_line(cli("plan", str(file)))
    assert f"targets: more than {limits.MAX_TARGETS} items" in line


def test_horizon_limit(cli, tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text(
        'country = "JPN"\n[baseline]\nyear = 1950\n[[targets]]\nyear = 2100\nshare_gdp = 0.02\n',
        encoding="utf-8",
    )
    line = _one_line(cli("plan", str(file)))
    assert f"at most {limits.MAX_PLAN_YEARS} are allowed" in line


def test_baseline_before_the_data_says_so(cli, tmp_path: Path) -> None:
    # Used to say "(the data ends in 2130)" of a year before the data starts.
    file = tmp_path / "s.toml"
    file.write_text(
        'country = "JPN"\n[baseline]\nyear = 1950\n[[targets]]\nyear = 2030\nshare_gdp = 0.02\n',
        encoding="utf-8",
    )
    line = _one_line(cli("plan", str(file)))
    assert "no GDP for 1950 (the data starts in 1980); choose a baseline year from 1980 on" in line


def test_header_only_programmes_csv(cli, tmp_path: Path) -> None:
    # Used to say "missing column(s) …" of a file whose header has every column.
    file = tmp_path / "p.csv"
    file.write_text(HEADER + "\n", encoding="utf-8")
    envelope = tmp_path / "e.csv"
    envelope.write_text("year,budget\n2023,10\n", encoding="utf-8")
    line = _one_line(cli("optimize", "--programmes", str(file), "--envelope", str(envelope)))
    assert "p.csv: no programmes; add one row per programme" in line


def test_too_many_programmes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from buildup.scenario import programmes as portfolio_read

    monkeypatch.setattr(portfolio_read, "MAX_PROGRAMMES", 3)
    file = tmp_path / "p.csv"
    rows = "".join(f"p{i},x,1,1,1,2023,2023,1\n" for i in range(4))
    file.write_text(HEADER + "\n" + rows, encoding="utf-8")
    with pytest.raises(InputError, match="4 programmes; at most 3 fit one solve"):
        portfolio_read.read_programmes(file)


def test_optimize_has_a_default_time_limit() -> None:
    """A 10,000-programme optimize without --time-limit used to run past 300 s silently."""
    import buildup

    assert buildup.OptimiseOptions().time_limit == limits.DEFAULT_TIME_LIMIT_S
    assert 0 < limits.DEFAULT_TIME_LIMIT_S <= 300


def test_time_limit_flag_is_finite(cli, tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text(HEADER + "\na,x,1,1,1,2023,2023,1\n", encoding="utf-8")
    envelope = tmp_path / "e.csv"
    envelope.write_text("year,budget\n2023,10\n", encoding="utf-8")
    args = ("optimize", "--programmes", str(file), "--envelope", str(envelope))
    assert "'--time-limit': 'inf' is not a finite" in _one_line(cli(*args, "--time-limit", "inf"))
    assert "'--time-limit': 0 is out of range" in _one_line(cli(*args, "--time-limit", "0"))


@pytest.mark.parametrize("kind", ["csv", "worldbank", "sipri"])
def test_imports_refuse_a_device(cli, kind: str) -> None:
    args = ["data", "import", kind, "/dev/zero"] + (["--dataset", "fx"] if kind == "csv" else [])
    line = _one_line(cli(*args))
    assert "/dev/zero is not a regular file (a device or a pipe)" in line
