"""Issue 12, fault 8: what a terminal shows.

A user's strings (a scenario name, a file name, a value echoed in an error) never reach the
terminal with control characters or bidirectional overrides; no warning reaches a user.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from buildup.cli.render import terminal_safe

EXAMPLES = Path(__file__).parents[2] / "examples"
JAPAN = EXAMPLES / "japan-dbp.toml"
RAW = ("\x1b", "\u202e", "\u2066", "\x07", "\x9b")


def test_terminal_safe_escapes_controls_and_bidi() -> None:
    text = "a\x1b[31mred\x1b[0m \u202egnp.exe\u202c \x07\x9b\ttab\nline"
    safe = terminal_safe(text)
    assert not any(ch in safe for ch in RAW)
    assert "\\x1b[31mred" in safe
    assert "\\u202egnp.exe\\u202c" in safe
    assert "\\x07\\x9b" in safe
    assert "\ttab\nline" in safe  # tabs and newlines are kept
    assert terminal_safe("Japan: ¥43 trillion, 2 % — 防衛") == "Japan: ¥43 trillion, 2 % — 防衛"


def test_scenario_name_is_escaped_in_the_table(cli, tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    name = "evil \\u001b[2J\\u001b[31mRED \\u202eexe.gpj [bold]markup[/bold]"
    file.write_text(f'extends = "{JAPAN}"\nname = "{name}"\n', encoding="utf-8")
    result = cli("plan", str(file))
    assert result.code == 0, result.err
    assert not any(ch in result.out for ch in RAW)
    assert "evil \\x1b[2J\\x1b[31mRED \\u202eexe.gpj [bold]markup[/bold]" in result.out


def test_error_line_is_escaped(cli, tmp_path: Path) -> None:
    file = tmp_path / "s\x1b[31m\u202e.toml"
    result = cli("plan", str(file))
    assert result.code == 2
    assert not any(ch in result.err for ch in RAW)
    assert "s\\x1b[31m\\u202e.toml" in result.err


def test_json_keeps_the_string_exactly(cli, tmp_path: Path) -> None:
    """JSON is data: the name round-trips exactly (control characters are JSON-escaped)."""
    import json

    file = tmp_path / "s.toml"
    file.write_text(f'extends = "{JAPAN}"\nname = "a\\u001bb\\u202ec"\n', encoding="utf-8")
    result = cli("plan", str(file), "--format", "json")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    assert json.loads(result.out)["scenario"] == "a\x1bb\u202ec"


@pytest.mark.parametrize(
    "args",
    [
        # 174 countries with a chart used to print matplotlib's constrained-layout warning.
        ["compare", "--group", "NATO", "--group", "G7", "--metric", "share_gdp", "--chart"],
    ],
)
def test_no_warning_reaches_stderr(tmp_path: Path, args: list[str], store_path: Path) -> None:
    """A real process, warnings enabled as Python shows them by default: stderr has no
    warning line (the chart note is all)."""
    chart = tmp_path / "c.png"
    env = dict(os.environ, BUILDUP_DB=str(store_path), PYTHONWARNINGS="default")
    env.pop("BUILDUP_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", "from buildup.cli import main; main()", *args, str(chart)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"chart written to {chart}"


def test_many_countries_chart_has_no_layout_warning(store, tmp_path: Path) -> None:
    """The root cause, not only the filter: 174 countries' legend fits the figure."""
    import warnings

    import pandas as pd

    from buildup.compare import resolve_metric
    from buildup.report import plot_comparison

    rows = pd.DataFrame(
        [
            {"iso3": f"C{i:03d}", "year": y, "value": 0.01 + i * 1e-4, "source": "t", "note": ""}
            for i in range(174)
            for y in (2020, 2021)
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_comparison(rows, resolve_metric(store, "share_gdp"), tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 0


def test_ctrl_c_during_import_says_the_store_is_unchanged(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_path: Path
) -> None:
    """Ctrl-C used to exit 130 with nothing on stderr (typer swallows KeyboardInterrupt)."""
    from buildup.store import DuckDBStore

    csv = tmp_path / "fx.csv"
    csv.write_text("iso3,currency,year,local_per_usd\nJPN,JPY,2024,150\n", encoding="utf-8")
    with DuckDBStore.open(store_path, read_only=True) as before:
        editions = before.editions()

    def interrupted(self: object, name: str, frame: object) -> None:
        raise KeyboardInterrupt  # inside the import's transaction, after the DELETEs

    monkeypatch.setattr(DuckDBStore, "_insert", interrupted)
    result = cli("data", "import", "csv", str(csv), "--dataset", "fx", "--edition", "x")
    assert result.code == 130
    assert result.err.strip() == "buildup: error: interrupted; the store is unchanged"
    monkeypatch.undo()
    with DuckDBStore.open(store_path, read_only=True) as after:
        assert after.editions().equals(editions)
