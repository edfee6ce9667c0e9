"""Nothing in an input is taken wrongly or ignored (issue 11, faults 2 and 3), at the CLI."""

from __future__ import annotations

import json
from pathlib import Path

SHIPPED = Path(__file__).parents[2] / "src" / "buildup" / "data" / "files"
EXAMPLES = Path(__file__).parents[2] / "examples"


def _nato_editions(cli) -> list[str]:  # type: ignore[no-untyped-def]
    listed = json.loads(cli("data", "list", "-f", "json").out)
    return next(d for d in listed if d["name"] == "nato")["editions"]


def test_percent_csv_is_refused_and_changes_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    before = _nato_editions(cli)
    result = cli("data", "import", "csv", str(SHIPPED / "nato_share_gdp.csv"), "--dataset", "nato")
    assert result.code == 2
    assert "column share_gdp: shares of GDP must be fractions" in result.err
    assert "declare them percentages (--percent)" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert _nato_editions(cli) == before


def test_percent_csv_with_percent_reads_germany_right(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SHIPPED / "nato_share_gdp.csv")
    imported = cli(
        "data", "import", "csv", path, "--dataset", "nato", "--percent", "--edition", "p"
    )
    assert imported.code == 0, imported.err
    shown = cli("data", "show", "nato", "--country", "DEU", "--years", "2024", "-f", "json")
    (row,) = json.loads(shown.out)
    assert 0.015 < row["share_gdp"] < 0.03


def test_empty_actuals_csv_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tracking = str(EXAMPLES / "japan-dbp-tracking.toml")
    for name, text, message in (
        ("empty.csv", "", "empty.csv: the file is empty"),
        ("header.csv", "fiscal_year,kind,amount\n", "header.csv: the header is there but no"),
        ("extra.csv", "fiscal_year,kind,amount,areaa\n2025,initial,1\n", "unknown column(s) areaa"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = cli("track", tracking, "--actuals", str(path))
        assert result.code == 2, (name, result.out)
        assert message in result.err


def test_count_year_without_threshold_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "--group", "G7", "--count-year", "2024")
    assert result.code == 2
    assert "--count-year does nothing without --count-threshold" in result.err
