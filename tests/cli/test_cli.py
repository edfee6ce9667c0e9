"""The command line, run in-process against a private store (see conftest.cli)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from buildup.data.catalogue import bundled_path, load_catalogue

FIXTURES = Path(__file__).parents[1] / "fixtures"
Cli = Callable[..., "object"]


def test_version_starts_without_heavy_imports() -> None:
    code = (
        "import sys; from buildup.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = [m for m in ('pandas', 'duckdb', 'numpy', 'highspy', 'country_converter') "
        "if m in sys.modules]\nprint(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["buildup 0.1.0", "[]"]


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "buildup"
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "buildup 0.1.0"


def test_data_list_json_lists_every_dataset_with_its_source(cli) -> None:
    result = cli("data", "list", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert {r["name"] for r in rows} == set(load_catalogue())
    for row in rows:
        assert row["publisher"]
        assert row["address"]
        assert row["edition"]
        assert row["sha256"]
        assert row["edition_origin"] == "bundled"


def test_data_show_json_round_trips_the_source_figure(cli) -> None:
    result = cli("data", "show", "milex", "--country", "JPN", "--years", "2023", "-f", "json")
    assert result.code == 0
    (record,) = json.loads(result.out)
    raw = pd.read_csv(bundled_path("milex_sipri.csv")).set_index(["iso3", "year"])
    assert record["iso3"] == "JPN"
    assert record["year"] == 2023
    assert record["share_gdp"] == raw.loc[("JPN", 2023), "share_gdp"] / 100
    assert record["milex_local_current"] == raw.loc[("JPN", 2023), "milex_local_current"]


def test_data_show_missing_values_are_null_not_zero(cli) -> None:
    result = cli("data", "show", "nato", "-c", "DEU", "--years", "2025", "-f", "json")
    (record,) = json.loads(result.out)
    assert record["share_gdp"] is None


def test_data_show_csv_is_tidy(cli) -> None:
    result = cli(
        "data", "show", "gdp", "-c", "Korea, South", "-c", "JPN", "-y", "2020:2022", "-f", "csv"
    )
    frame = pd.read_csv(io.StringIO(result.out))
    assert list(frame.columns[:3]) == ["iso3", "country", "year"]
    assert frame[["iso3", "year"]].values.tolist() == [
        ["JPN", 2020],
        ["JPN", 2021],
        ["JPN", 2022],
        ["KOR", 2020],
        ["KOR", 2021],
        ["KOR", 2022],
    ]


def test_data_show_table(cli) -> None:
    result = cli("data", "show", "japan_budget", "--years", "2027")
    assert result.code == 0
    assert "8,900,000,000,000" in result.out or "2027" in result.out


def test_data_sources_json(cli) -> None:
    result = cli("data", "sources", "milex", "-f", "json")
    info = json.loads(result.out)
    assert info["publisher"].startswith("Stockholm International Peace Research Institute")
    assert {c["name"]: c["unit"] for c in info["columns"]}["share_gdp"].startswith("fraction")
    assert info["source_ids"] == {"SIPRI_MILEX_2025": 8846}
    assert "SACO" in info["footnotes"]["JPN"]


def test_import_csv_then_show_and_list(cli) -> None:
    result = cli(
        "data", "import", "csv", str(FIXTURES / "tidy_good_fx.csv"), "--dataset", "fx", "-f", "json"
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["edition"] == "tidy_good_fx"
    listed = {r["name"]: r for r in json.loads(cli("data", "list", "-f", "json").out)}
    assert listed["fx"]["edition"] == "tidy_good_fx"
    assert listed["fx"]["editions"] == "tidy_good_fx, 2025-07"
    shown = json.loads(cli("data", "show", "fx", "-c", "JPN", "-f", "json").out)
    assert [r["year"] for r in shown] == [2024, 2025]
    older = json.loads(
        cli(
            "data", "show", "fx", "-c", "JPN", "-y", "2024", "--edition", "2025-07", "-f", "json"
        ).out
    )
    assert older[0]["source_id"] == "WB_WDI_PA.NUS.FCRF"


BAD_INPUTS = [
    (("data", "show", "milex", "-c", "Japna"), "unknown country 'Japna': did you mean Japan (JPN)"),
    (("data", "show", "milex", "--years", "2024:2015"), "is empty"),
    (("data", "show", "milex", "--years", "recent"), "year range 'recent' is not valid"),
    (("data", "show", "nope"), "dataset = nope: unknown dataset; expected one of cbo_errors, "),
    (
        ("data", "show", "gdp", "--edition", "1999"),
        "--edition 1999: dataset 'gdp' has no such edition",
    ),
    (("data", "show", "japan_budget", "-c", "JPN"), "has no country column"),
    (("data", "show", "milex", "--format", "xml"), "Invalid value for '--format'"),
    (("data", "show", "milex", "--bogus"), "No such option: --bogus"),
    (("data", "sources", "nope"), "dataset = nope: unknown dataset; expected one of cbo_errors, "),
    (("data", "import", "csv", "missing.csv", "--dataset", "fx"), "missing.csv: no such file"),
    (
        ("data", "import", "csv", str(FIXTURES / "tidy_good_fx.csv"), "--dataset", "fxx"),
        "--dataset fxx: unknown dataset; expected one of cbo_errors, ",
    ),
    (("data", "import", "csv", str(FIXTURES / "tidy_good_fx.csv")), "Missing option '--dataset'"),
    (
        (
            "data",
            "import",
            "csv",
            str(FIXTURES / "broken" / "tidy_negative.csv"),
            "--dataset",
            "fx",
        ),
        "is negative",
    ),
    (("data", "import", "sipri", "missing.xlsx"), "missing.xlsx"),
    (("data", "import", "worldbank", "missing.csv"), "missing.csv"),
    (("overview", "Atlantis"), "unknown country 'Atlantis'"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_INPUTS)
def test_bad_input_gives_one_line_and_exit_code_2(
    cli, args: tuple[str, ...], fragment: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("buildup: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.err


def test_failed_import_leaves_the_store_as_it_was(cli) -> None:
    before = cli("data", "list", "-f", "json").out
    result = cli(
        "data",
        "import",
        "csv",
        str(FIXTURES / "broken" / "tidy_bad_last_row.csv"),
        "--dataset",
        "fx",
    )
    assert result.code == 2
    assert "row 4" in result.err
    assert cli("data", "list", "-f", "json").out == before


def test_overview_json(cli) -> None:
    result = cli("overview", "-f", "json")
    rows = json.loads(result.out)
    assert [r["iso3"] for r in rows] == ["JPN", "USA", "CHN", "KOR", "AUS", "PHL", "TWN", "IND"]
    japan = rows[0]
    assert japan["year"] == 2024
    assert round(japan["share_gdp"] * 100, 2) == 1.37


def test_overview_table_names_its_source(cli) -> None:
    result = cli("overview", "JPN", "KOR")
    assert result.code == 0
    assert "Source: SIPRI Military Expenditure Database, edition 2025" in result.out
    assert "Japan" in result.out
    assert "Korea, South" in result.out


def test_import_sipri_workbook_becomes_current_milex(cli, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from sipri_fixture import write_sipri_like_workbook

    book = write_sipri_like_workbook(tmp_path / "SIPRI-Milex-data-1949-2024.xlsx", countries=12)
    # Data to 2024, as the bundled edition: not newer, so current only when asked.
    result = cli(
        "data", "import", "sipri", str(book), "--edition", "2025-test", "--make-current", "-f",
        "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["rows"] == 12 * 76
    listed = {r["name"]: r for r in json.loads(cli("data", "list", "-f", "json").out)}
    assert listed["milex"]["edition"] == "2025-test"
    assert listed["milex"]["edition_origin"] == "imported"
    bundled = json.loads(
        cli(
            "data", "show", "milex", "-c", "JPN", "-y", "2024", "--edition", "2025", "-f", "json"
        ).out
    )
    assert bundled[0]["source_id"] == "SIPRI_MILEX_2025"
    again = cli("data", "import", "sipri", str(book), "--edition", "2025-test")
    assert again.code == 2
    assert "already has this edition" in again.err
