"""The pledge ledger: saving (both back ends), revisions, repeats, and its commands."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from buildup.pledges import extract_pledges
from buildup.pledges.ledger import build_history, save_pledges
from buildup.serialize import to_jsonable
from buildup.store import DuckDBStore, MemoryStore, pledge_ledger

EXAMPLES = Path(__file__).parents[2] / "examples"
DEC_2022 = datetime.date(2022, 12, 16)
OCT_2025 = datetime.date(2025, 10, 24)


def _records(text: str, date: datetime.date) -> list[dict[str, object]]:
    return to_jsonable(extract_pledges(text, date).pledges)


PLAN = "Japan will raise defence spending to 2% of GDP by fiscal 2027."
SPEEDUP = "Japan will reach 2% of GDP on defence in the current fiscal year."


@pytest.fixture(params=["duckdb", "memory"])
def ledger(request: pytest.FixtureRequest, store_path: Path):
    if request.param == "memory":
        yield pledge_ledger(MemoryStore())
        return
    with DuckDBStore.open(store_path) as store:
        yield pledge_ledger(store)


def test_a_later_pledge_on_the_same_measure_is_a_revision(ledger) -> None:
    ledger.add(_records(SPEEDUP, OCT_2025), OCT_2025, "speech")  # saved first, made later
    ledger.add(_records(PLAN, DEC_2022), DEC_2022, "strategy")
    history = build_history(ledger.entries("JPN"))
    assert [(r.entry.made_on, r.entry.year) for r in history] == [
        (DEC_2022, 2027),
        (OCT_2025, 2025),
    ]
    first, second = history
    assert first.previous is None
    assert second.previous is not None
    assert second.previous.id == first.entry.id
    assert [(c.field, c.before, c.after) for c in second.changes] == [("year", 2027, 2025)]


def test_saving_the_same_article_twice_changes_nothing(ledger) -> None:
    saved, found = save_pledges(ledger, _records(PLAN, DEC_2022), DEC_2022, "strategy")
    again, found_again = save_pledges(ledger, _records(PLAN, DEC_2022), DEC_2022, "strategy")
    assert (len(saved), found, again, found_again) == (1, [], [], saved)
    assert len(ledger.entries()) == 1


def test_budgets_of_different_years_are_not_revisions(ledger) -> None:
    ledger.add(_records("Japan approved a defence budget of ¥8.7 trillion for fiscal 2025.", DEC_2022),
               DEC_2022, "a")  # fmt: skip
    ledger.add(_records("Japan approved a defence budget of ¥9.04 trillion for fiscal 2026.", OCT_2025),
               OCT_2025, "b")  # fmt: skip
    assert [r.previous for r in build_history(ledger.entries())] == [None, None]


def test_read_only_store_refuses_a_save(built_store_path: Path) -> None:
    from buildup.errors import StoreError

    with DuckDBStore.open(built_store_path, read_only=True) as store:
        ledger = pledge_ledger(store)
        assert ledger.entries() == []
        with pytest.raises(StoreError, match="read-only"):
            ledger.add(_records(PLAN, DEC_2022), DEC_2022, "x")


def test_cli_save_list_diff(cli) -> None:
    first = cli("pledges", "extract", str(EXAMPLES / "japan-buildup-article.txt"), "--date",
                "2022-12-16", "--save", "--format", "json")  # fmt: skip
    assert first.code == 0, first.err
    assert "2 pledge(s) saved" in first.err
    second = cli("pledges", "extract", str(EXAMPLES / "japan-acceleration-article.txt"), "--date",
                 "2025-10-24", "--save", "--format", "json")  # fmt: skip
    assert second.code == 0, second.err
    listed = json.loads(cli("pledges", "list", "--actor", "Japan", "--format", "json").out)
    revisions = [row for row in listed if row["revision"].startswith("revises")]
    assert [(r["year"], r["changes"].split(";")[0]) for r in revisions] == [
        ("2025", "year 2027 → 2025")
    ]
    diff = json.loads(cli("pledges", "diff", "--actor", "JPN", "--format", "json").out)
    assert ("year", "2027", "2025") in [(d["field"], d["before"], d["after"]) for d in diff]
    table = cli("pledges", "list")
    assert table.code == 0
    assert "revises #2" in table.out


def test_cli_save_needs_a_date(cli) -> None:
    result = cli("pledges", "extract", str(EXAMPLES / "japan-buildup-article.txt"), "--save")
    assert result.code == 2
    assert "--save needs --date" in result.err


def test_cli_list_unknown_actor(cli) -> None:
    result = cli("pledges", "list", "--actor", "Atlantis")
    assert result.code == 2
    assert "Atlantis" in result.err


def test_cli_empty_ledger(cli) -> None:
    result = cli("pledges", "diff", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == []
