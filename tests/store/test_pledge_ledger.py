"""The pledge ledger answers the same on both SQL back ends: the DuckDB file and a real
PostgreSQL server (started by tests/postgres_cluster.py)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.postgres_cluster import fresh_database

from buildup.errors import StoreError
from buildup.pledges import extract_pledges
from buildup.pledges.ledger import build_history, save_pledges
from buildup.serialize import to_jsonable
from buildup.store import DuckDBStore, pledge_ledger
from buildup.store.postgres import PostgresStore

DEC_2022 = datetime.date(2022, 12, 16)
OCT_2025 = datetime.date(2025, 10, 24)
PLAN = "Japan will raise defence spending to 2% of GDP by fiscal 2027."
SPEEDUP = "Japan will reach 2% of GDP on defence in the current fiscal year."
KOREA = "Seoul will raise next year's defence budget by 7.5 %."


def _records(text: str, date: datetime.date) -> list[dict[str, Any]]:
    return to_jsonable(extract_pledges(text, date).pledges)


@pytest.fixture(params=["duckdb", "postgresql"])
def store(request: pytest.FixtureRequest, store_path: Path) -> Iterator[Any]:
    """A writable store of each kind (no datasets needed: the ledger is its own table)."""
    if request.param == "duckdb":
        with DuckDBStore.open(store_path) as duck:
            yield duck
    else:
        pg = PostgresStore(fresh_database(request.getfixturevalue("postgres_url")))
        try:
            yield pg
        finally:
            pg.close()


def test_history_revisions_and_repeats(store: Any) -> None:
    ledger = pledge_ledger(store)
    ledger.add(_records(SPEEDUP, OCT_2025), OCT_2025, "speech")  # saved first, made later
    saved, found = save_pledges(ledger, _records(PLAN, DEC_2022), DEC_2022, "strategy")
    again, found_again = save_pledges(ledger, _records(PLAN, DEC_2022), DEC_2022, "strategy")
    assert (len(saved), found, again, found_again) == (1, [], [], saved)
    ledger.add(_records(KOREA, OCT_2025), OCT_2025, "yonhap")
    entries = pledge_ledger(store).entries("JPN")  # a second handle reads the same table
    history = build_history(entries)
    assert [(r.entry.made_on, r.entry.year, r.entry.source) for r in history] == [
        (DEC_2022, 2027, "strategy"),
        (OCT_2025, 2025, "speech"),
    ]
    assert history[1].previous is not None
    assert history[1].previous.id == history[0].entry.id
    assert [(c.field, c.before, c.after) for c in history[1].changes] == [("year", 2027, 2025)]
    entry = history[0].entry
    assert (entry.actor, entry.kind, entry.measure, entry.value, entry.fiscal_year) == (
        "JPN", "commitment", "share_gdp", 0.02, True,
    )  # fmt: skip
    assert entry.record["text"] == PLAN
    assert isinstance(entry.saved_at, datetime.datetime)
    assert [e.actor for e in pledge_ledger(store).entries()] == ["JPN", "JPN", "KOR"]


def test_a_failed_save_keeps_nothing_of_the_article(store: Any) -> None:
    ledger = pledge_ledger(store)
    good = _records(PLAN, DEC_2022)
    broken = {**good[0], "text": None}  # NOT NULL: the database refuses the second row
    with pytest.raises(StoreError, match="pledge ledger could not be written"):
        ledger.add([*good, broken], DEC_2022, "strategy")
    assert ledger.entries() == []
    assert ledger.add(good, DEC_2022, "strategy") != []


def test_concurrent_saves_on_postgresql_get_distinct_ids(postgres_url: str) -> None:
    """Four servers save at once (DuckDB has one writing process, so only PostgreSQL)."""
    url = fresh_database(postgres_url)
    store = PostgresStore(url)
    ledger = pledge_ledger(store)  # creates the table and the sequence
    ids: list[int] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(4)

    def save(n: int) -> None:
        other = PostgresStore(url)  # another server on the same database
        try:
            barrier.wait()
            records = _records(PLAN, DEC_2022)
            for _ in range(5):
                ids.extend(pledge_ledger(other).add(records, DEC_2022, f"server {n}"))
        except BaseException as exc:  # reported below, not swallowed
            failures.append(exc)
        finally:
            other.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(ids) == len(set(ids)) == 20
    assert sorted(e.id for e in ledger.entries()) == sorted(ids)
    store.close()


def test_a_read_only_store_reads_but_refuses_a_save(store: Any, store_path: Path) -> None:
    pledge_ledger(store).add(_records(PLAN, DEC_2022), DEC_2022, "strategy")
    if isinstance(store, DuckDBStore):
        store.close()
        reader: Any = DuckDBStore.open(store_path, read_only=True)
    else:
        reader = PostgresStore(store.url, read_only=True)
    try:
        ledger = pledge_ledger(reader)
        assert [e.year for e in ledger.entries()] == [2027]
        with pytest.raises(StoreError, match="read-only"):
            ledger.add(_records(SPEEDUP, OCT_2025), OCT_2025, "speech")
    finally:
        reader.close()


def test_a_ledger_written_before_the_sequence_continues_its_ids(store_path: Path) -> None:
    """A DuckDB file saved by the earlier ledger (ids by max + 1, no sequence)."""
    import duckdb

    from buildup.store.pledges import _DDL

    con = duckdb.connect(str(store_path))
    con.execute(_DDL)
    con.execute(
        "INSERT INTO pledge_ledger VALUES (7, 'JPN', 'commitment', 'share_gdp', NULL, 0.02, "
        "NULL, 2027, true, NULL, NULL, NULL, DATE '2022-12-16', 'old', 'Old text.', "
        "TIMESTAMP '2026-11-30 10:00:00', '{}')"
    )
    con.close()
    with DuckDBStore.open(store_path) as duck:
        (new_id,) = pledge_ledger(duck).add(_records(SPEEDUP, OCT_2025), OCT_2025, "speech")
        assert new_id == 8
        assert [e.id for e in pledge_ledger(duck).entries()] == [7, 8]


def test_the_cli_keeps_and_lists_the_ledger_in_postgresql(cli: Any, postgres_url: str) -> None:
    """`--store postgresql://…`: the team server's ledger from the command line."""
    import json

    examples = Path(__file__).parents[2] / "examples"
    url = fresh_database(postgres_url)
    for name, date in (
        ("japan-buildup-article.txt", "2022-12-16"),
        ("japan-acceleration-article.txt", "2025-10-24"),
    ):
        saved = cli("pledges", "extract", str(examples / name), "--date", date, "--save",
                    "--store", url, "--format", "json")  # fmt: skip
        assert saved.code == 0, saved.err
        assert "saved to the ledger" in saved.err
    listed = json.loads(cli("pledges", "list", "--store", url, "--format", "json").out)
    assert {row["actor"] for row in listed} == {"JPN"}
    diff = json.loads(cli("pledges", "diff", "--actor", "JPN", "--store", url, "-f", "json").out)
    assert ("year", "2027", "2025") in [(d["field"], d["before"], d["after"]) for d in diff]
    # the DuckDB file of --db was not written
    assert json.loads(cli("pledges", "list", "--format", "json").out) == []
    both = cli("pledges", "list", "--store", url, "--db", "x.duckdb")
    assert both.code == 2
    assert "not both" in both.err
    wrong = cli("pledges", "list", "--store", "mysql://db/x")
    assert wrong.code == 2
    assert "postgresql://" in wrong.err
    unsaved = cli("pledges", "extract", str(examples / "japan-buildup-article.txt"), "--store", url)
    assert unsaved.code == 2
    assert "add --save" in unsaved.err


def test_an_unreachable_server_is_one_line_naming_the_flag(cli: Any) -> None:
    """No server on the port: one line naming --store, at once — the connection pool alone
    retried for 30 s and logged each failed attempt (11 lines) before its own error."""
    import socket
    import time

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    result = cli("pledges", "list", "--store", f"postgresql://nobody@127.0.0.1:{port}/x")
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("buildup: error: --store: cannot connect to PostgreSQL")
    assert time.perf_counter() - started < 20
