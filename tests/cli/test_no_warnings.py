"""No Python warning escapes a CLI command on the shipped examples (issue 11, fault 9).

Warnings are errors in pytest (``filterwarnings = ["error"]``): a ``RuntimeWarning`` or a
``DeprecationWarning`` raised inside a command turns into an internal error, exit code 1,
so every command below must exit 0 with nothing on stderr that looks like a warning.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
PLANS = sorted(p.name for p in EXAMPLES.glob("*.toml") if "tracking" not in p.name)


def _clean(result) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    assert "Warning" not in result.err
    assert "warn" not in result.err.lower()


@pytest.mark.parametrize("name", PLANS)
def test_plan_every_example(cli, name: str) -> None:  # type: ignore[no-untyped-def]
    _clean(cli("plan", str(EXAMPLES / name)))
    _clean(cli("plan", str(EXAMPLES / name), "-f", "json"))


def test_the_other_commands_on_the_examples(cli) -> None:  # type: ignore[no-untyped-def]
    _clean(cli("track", str(EXAMPLES / "japan-dbp-tracking.toml")))
    _clean(cli("risk", str(EXAMPLES / "japan-dbp.toml"), "--draws", "2000"))
    _clean(
        cli(
            "optimize",
            "--programmes",
            str(EXAMPLES / "japan-programmes.csv"),
            "--envelope",
            str(EXAMPLES / "japan-envelope.csv"),
            "--currency",
            "JPY",
        )
    )
    _clean(cli("overview"))
    _clean(cli("compare", "--group", "NATO", "--target", "nato-3.5", "--years", "2024",
               "--allow-missing"))  # fmt: skip


def test_a_country_that_spends_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    # Iceland has no armed forces: ten RuntimeWarnings and a table of zeros before.
    result = cli("plan", "--country", "ISL", "--target-share", "0.02", "--by", "2030")
    assert result.code == 2
    assert "ISL spent 0 in 2024" in result.err
    assert "no rate lifts zero: choose --shape linear-share" in result.err
    shaped = cli(
        "plan", "--country", "ISL", "--target-share", "0.02", "--by", "2030",
        "--shape", "linear-share", "-f", "json",
    )  # fmt: skip
    _clean(shaped)


def test_the_console_script_prints_no_warning() -> None:
    script = Path(sys.executable).with_name("buildup")
    done = subprocess.run(
        [str(script), "plan", "--country", "ISL", "--target-share", "0.02", "--by", "2030",
         "--shape", "linear-share"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
