"""``buildup pledges extract`` and ``evaluate`` from the command line, and every bad input."""

from __future__ import annotations

import json
from pathlib import Path

from buildup.report.schemas import outcome_schema
from buildup.serialize import check_schema

ARTICLE = Path(__file__).parents[2] / "examples" / "japan-buildup-article.txt"
CORPUS = Path(__file__).parent / "corpus.jsonl"
KEYS = {"actor", "kind", "measure", "value", "currency", "year", "fiscal_year", "start_year",
        "end_year", "component", "text", "span"}  # fmt: skip


def test_example_article_gives_the_programme_and_one_two_percent(cli) -> None:
    result = cli("pledges", "extract", str(ARTICLE), "--date", "2022-12-16", "--format", "json")
    assert result.code == 0, result.err
    pledges = json.loads(result.out)["pledges"]
    assert all(set(p) >= KEYS for p in pledges)
    shares = [p for p in pledges if p["measure"] == "share_gdp"]
    assert [(p["actor"], p["value"], p["year"]) for p in shares] == [("JPN", 0.02, 2027)]
    (amount,) = [p for p in pledges if p["measure"] == "amount"]
    assert (amount["value"], amount["currency"], amount["start_year"], amount["end_year"]) == (
        43e12, "JPY", 2023, 2027)  # fmt: skip
    text = ARTICLE.read_text(encoding="utf-8")
    start, end = shares[0]["span"]
    assert text[start:end] == shares[0]["text"]


def test_table_and_csv(cli) -> None:
    table = cli("pledges", "extract", str(ARTICLE), "--date", "2022-12-16")
    assert table.code == 0, table.err
    assert "JPN" in table.out
    csv = cli("pledges", "extract", str(ARTICLE), "--date", "2022-12-16", "--format", "csv")
    assert csv.out.splitlines()[0].startswith("actor,kind,measure,value")


def test_no_pledges_is_an_empty_answer(cli, tmp_path: Path) -> None:
    path = tmp_path / "weather.txt"
    path.write_text("It rained in Tokyo on Tuesday.", encoding="utf-8")
    result = cli("pledges", "extract", str(path), "--format", "json", "--date", "2025-01-01")
    assert result.code == 0
    assert json.loads(result.out)["pledges"] == []


def test_empty_text(cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = cli("pledges", "extract", str(path), "--format", "json", "--date", "2025-01-01")
    assert result.code == 0
    assert json.loads(result.out)["pledges"] == []


def test_binary_garbage(cli, tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = cli("pledges", "extract", str(path))
    assert result.code == 2
    assert f"{path}: not text (it holds NUL bytes" in result.err
    assert "Traceback" not in result.err


def test_a_20_mb_file_is_refused_before_it_is_read(cli, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(20_000_000)
    result = cli("pledges", "extract", str(path))
    assert result.code == 2
    assert "20.0 MB" in result.err
    assert "--jsonl" in result.err


def test_bad_date(cli) -> None:
    result = cli("pledges", "extract", str(ARTICLE), "--date", "16/12/2022")
    assert result.code == 2
    assert "YYYY-MM-DD" in result.err


def test_missing_file(cli, tmp_path: Path) -> None:
    result = cli("pledges", "extract", str(tmp_path / "nope.txt"))
    assert result.code == 2
    assert "cannot read" in result.err


def test_jsonl_one_line_out_per_item(cli, tmp_path: Path) -> None:
    src = tmp_path / "items.jsonl"
    src.write_text(
        json.dumps(
            {
                "id": "a",
                "text": "Seoul will raise next year's defence budget by 7.5 %.",
                "date": "2025-08-29",
            }
        )
        + "\n"
        + json.dumps({"id": "b", "text": "Nothing here.", "date": "2025-08-29"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = cli("pledges", "extract", "--jsonl", str(src), "--out", str(out))
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert [(p["actor"], p["year"]) for p in rows[0]["pledges"]] == [("KOR", 2026)]
    assert rows[1]["pledges"] == []


def test_jsonl_bad_line_names_the_line_and_writes_nothing(cli, tmp_path: Path) -> None:
    src = tmp_path / "items.jsonl"
    src.write_text('{"id": "a", "text": "x"}\n{not json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("pledges", "extract", "--jsonl", str(src), "--out", str(out))
    assert result.code == 2
    assert "line 2 is not JSON" in result.err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("out", ".out"))]


def test_jsonl_bad_date_on_a_line(cli, tmp_path: Path) -> None:
    src = tmp_path / "items.jsonl"
    src.write_text('{"id": "a", "text": "x", "date": "June 2025"}\n', encoding="utf-8")
    result = cli("pledges", "extract", "--jsonl", str(src))
    assert result.code == 2
    assert "line 1" in result.err
    assert "YYYY-MM-DD" in result.err


def test_evaluate_prints_precision_and_recall_and_misses(cli) -> None:
    result = cli(
        "pledges", "evaluate", str(CORPUS), "--min-precision", "0.9", "--min-recall", "0.85"
    )
    assert result.code == 0, result.err
    assert "precision" in result.out
    assert "field actor" in result.out
    assert "Misses" in result.out


def test_evaluate_fails_below_a_target(cli) -> None:
    result = cli("pledges", "evaluate", str(CORPUS), "--min-recall", "1.0", "--no-misses")
    assert result.code == 1
    assert "below target" in result.err


def test_check_says_met_by_whose_measure_and_how_likely(cli) -> None:
    result = cli("pledges", "check", str(ARTICLE), "--date", "2022-12-16", "--draws", "2000",
                 "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    checks = json.loads(result.out)
    (two,) = [c for c in checks if c["pledge"]["measure"] == "share_gdp"]
    assert two["measure_used"] == "defense_related"
    assert two["status"] in ("met", "reachable", "out of reach")
    assert 0.0 <= two["probability_met"] <= 1.0
    year, share = two["sipri_latest"]
    assert year == 2024
    assert round(share, 4) == 0.0137  # SIPRI April 2025: Japan 1.37 % of GDP in 2024
    assert two["met_by_sipri"] is False
    (envelope,) = [c for c in checks if c["pledge"]["measure"] == "amount"]
    assert envelope["status"] in ("met", "on pace", "behind pace")
    tracking = envelope["tracking"]
    assert 0.0 < tracking["share_used"] < 1.0
    assert tracking["used"] + tracking["remaining"] == 43e12
    assert tracking["as_of"] == 2026
    schema = outcome_schema("pledge-check")
    for check in checks:
        assert check_schema(check, schema) == []
        assert check["provenance"]["task"] == "check pledge"
    assert two["provenance"]["seed"] == 20251028
    assert two["provenance"]["draws"] == 2000
    assert "milex" in two["provenance"]["dataset_editions"]


def test_check_bad_draws(cli) -> None:
    result = cli("pledges", "check", str(ARTICLE), "--draws", "0")
    assert result.code == 2
    assert "--draws" in result.err


def test_check_names_the_governments_measure_for_japan(cli) -> None:
    article = ARTICLE.with_name("japan-acceleration-article.txt")
    result = cli("pledges", "check", str(article), "--date", "2025-10-24", "--draws", "2000",
                 "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    (two,) = [c for c in json.loads(result.out) if c["pledge"]["kind"] == "commitment"]
    assert (two["pledge"]["year"], two["pledge"]["fiscal_year"]) == (2025, True)
    year, share = two["government_latest"]
    assert year <= 2025
    assert 0.01 < share < 0.03
    assert two["met_by_government"] == (share >= 0.02)
