"""The pages keep a plan for identical requests, never across a change of the data."""

from __future__ import annotations

from pathlib import Path

from buildup.data.tidy import read_tidy_csv
from buildup.scenario import read_scenario
from buildup.store import Store
from buildup.web.pages.render import run_plan

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_question_on_the_same_data_is_answered_once(store: Store) -> None:
    scenario = read_scenario(ROOT / "examples" / "korea-3.5pct-2035.toml")
    first = run_plan(store, scenario)
    assert run_plan(store, scenario) is first
    store.import_edition(
        read_tidy_csv(ROOT / "tests" / "fixtures" / "tidy_good_fx.csv", "fx", edition="mine")
    )
    again = run_plan(store, scenario)
    assert again is not first  # a new edition of a dataset: planned anew
    assert again.provenance["dataset_editions"]["fx"] == "mine"
