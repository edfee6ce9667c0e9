from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

import buildup.data.catalogue as catalogue_module
import buildup.store.common as store_module
from buildup.data.catalogue import load_bundled, load_catalogue
from buildup.data.tidy import read_tidy_csv
from buildup.errors import (
    ConflictError,
    ImportValidationError,
    InputError,
    NotFoundError,
    StoreError,
)
from buildup.store import Store
from buildup.types import YearRange

FIXTURES = Path(__file__).parent / "fixtures"


def _snapshot(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Store.open(path) as s:
        editions = s.editions().drop(columns=["loaded_at"])
        fx = s._con.execute("SELECT * FROM fx ORDER BY edition, iso3, year").df()
    return editions, fx


def test_built_store_has_every_dataset_current(store: Store) -> None:
    editions = store.editions()
    assert set(editions["dataset"]) == set(load_catalogue())
    assert editions.groupby("dataset")["is_current"].sum().eq(1).all()
    for name, dataset in load_catalogue().items():
        assert store.current_edition(name) == dataset.edition


def test_query_filters_and_sorts(store: Store) -> None:
    frame = store.query("milex", ["KOR", "JPN"], YearRange(2015, 2024))
    assert frame[["iso3", "year"]].drop_duplicates().shape[0] == 20
    assert frame["iso3"].tolist() == ["JPN"] * 10 + ["KOR"] * 10
    assert frame["year"].tolist() == list(range(2015, 2025)) * 2
    expected = load_bundled("milex").query("iso3 == 'JPN' and year == 2023")["share_gdp"].item()
    assert frame.query("iso3 == 'JPN' and year == 2023")["share_gdp"].item() == expected


def test_query_of_a_dataset_without_countries(store: Store) -> None:
    frame = store.query("japan_budget", years=YearRange(2023, 2023))
    assert set(frame["fiscal_year"]) == {2023}
    with pytest.raises(InputError, match="has no country column"):
        store.query("japan_budget", ["JPN"])


def test_unknown_edition_lists_the_available(store: Store) -> None:
    with pytest.raises(
        NotFoundError,
        match="edition = 1999: dataset 'gdp' has no such edition; expected one of 2025-04",
    ) as err:
        store.query("gdp", edition="1999")
    assert (err.value.what, err.value.given) == ("edition", "1999")


def test_reopen_does_not_reload(store_path: Path) -> None:
    with Store.open(store_path) as s:
        assert s.sync_bundled() == []


def test_changed_checksum_reloads_that_dataset_and_keeps_imports(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path) as s:
        s.import_edition(read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine"))
    real = store_module.bundled_checksum
    monkeypatch.setattr(
        store_module,
        "bundled_checksum",
        lambda d: "changed" if d.name == "fx" else real(d),
    )
    with Store.open(store_path) as s:
        assert s.sync_bundled() == []  # reloaded while opening, not again
        editions = s.editions("fx").set_index("edition")
        assert editions.loc["2025-07", "sha256"] == "changed"
        assert editions.loc["mine", "is_current"]
        assert len(s.query("fx", edition="mine")) == 3
        assert len(s.query("fx", edition="2025-07")) == len(load_bundled("fx"))


def test_changed_loader_code_makes_the_store_stale_and_the_next_open_rebuilds(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loader turns a shipped file into a table: changing its code, with every shipped file
    the same, must rebuild the store's copy (here: a stand-in loader module that changes)."""
    from buildup.store import is_stale

    with Store.open(store_path) as s:
        s.import_edition(read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine"))
    loader = tmp_path / "stand_in_loader.py"
    loader.write_text("def transform(frame):\n    return frame\n")
    module = types.ModuleType("stand_in_loader")
    module.__file__ = str(loader)
    module.__spec__ = importlib.util.spec_from_file_location("stand_in_loader", loader)
    monkeypatch.setitem(sys.modules, "stand_in_loader", module)
    modules = (*catalogue_module.LOADER_MODULES, "stand_in_loader")
    monkeypatch.setattr(catalogue_module, "LOADER_MODULES", modules)

    def fresh() -> None:  # a new process: nothing computed yet
        catalogue_module.loader_digest.cache_clear()
        monkeypatch.setattr(store_module, "_CHECKSUMS", {})

    fresh()
    Store.open(store_path).close()  # the store as built with this loader
    assert not is_stale(store_path)
    loader.write_text("def transform(frame):\n    return frame.dropna()\n")
    fresh()
    assert is_stale(store_path)
    with Store.open(store_path) as s:
        assert s.sync_bundled() == []  # rebuilt while opening
        editions = s.editions().set_index(["dataset", "edition"])
        assert editions.loc[("fx", "mine"), "is_current"]  # imports kept
    assert not is_stale(store_path)


def test_the_loader_modules_hold_every_transform() -> None:
    """The staleness digest covers the code of every bundled dataset's loader."""
    import inspect

    from buildup.data import shares

    files = set()
    for name in catalogue_module.LOADER_MODULES:
        importlib.import_module(name)
        files.add(inspect.getsourcefile(sys.modules[name]))
    for fn in (catalogue_module.load_bundled, *catalogue_module._TRANSFORMS.values()):
        assert inspect.getsourcefile(fn) in files
    assert inspect.getsourcefile(shares.share_divisor) in files  # what the transforms call


def test_import_becomes_current_and_earlier_edition_stays_selectable(store: Store) -> None:
    rows = store.import_edition(read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine"))
    assert rows == 3
    assert store.current_edition("fx") == "mine"
    assert store.query("fx", ["JPN"])["year"].tolist() == [2024, 2025]
    old = store.query("fx", ["JPN"], YearRange(2024, 2024), edition="2025-07")
    assert old["local_per_usd"].item() == pytest.approx(151.35, abs=0.5)


def test_same_edition_twice_needs_replace(store: Store) -> None:
    imported = read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine")
    store.import_edition(imported)
    with pytest.raises(ConflictError, match=r"already has this edition .*replace the imported"):
        store.import_edition(imported)
    assert store.import_edition(imported, replace=True) == 3
    bundled = read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="2025-07")
    with pytest.raises(ConflictError, match="already has this edition \\(bundled\\)"):
        store.import_edition(bundled, replace=True)


def test_bad_row_at_the_end_leaves_the_store_unchanged(store_path: Path) -> None:
    before = _snapshot(store_path)
    with Store.open(store_path) as s, pytest.raises(ImportValidationError, match="row 4"):
        s.import_edition(read_tidy_csv(FIXTURES / "broken" / "tidy_bad_last_row.csv", "fx"))
    after = _snapshot(store_path)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_failure_during_the_write_rolls_back(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(store_path)
    imported = read_tidy_csv(FIXTURES / "tidy_good_fx.csv", "fx", edition="mine")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure after the rows were inserted")

    with Store.open(store_path) as s:
        monkeypatch.setattr(store_module, "record_edition", fail)
        with pytest.raises(RuntimeError, match="injected"):
            s.import_edition(imported)
    after = _snapshot(store_path)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_unopenable_store_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.duckdb"
    bad.write_text("this is not a database")
    with pytest.raises(StoreError, match=r"not-a-db.duckdb: the store is damaged .*rebuild"):
        Store.open(bad)


def test_store_location_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "nested" / "env.duckdb"
    monkeypatch.setenv("BUILDUP_DB", str(target))
    with Store.open() as s:
        assert s.path == target
    assert target.is_file()
