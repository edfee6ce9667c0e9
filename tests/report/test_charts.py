from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from PIL import Image

from buildup.engine import Outcome, run
from buildup.errors import InputError
from buildup.report import plot_plan
from buildup.scenario import scenario_from_dict
from buildup.serialize import to_jsonable
from buildup.store import Store

JAPAN = {
    "name": "Japan 2 % by FY2027",
    "country": "JPN",
    "baseline": {"year": 2026},
    "targets": [{"year": 2027, "share_gdp": 0.02}],
    "denominator": {"year": 2022},
}
KOREA = {
    "name": "Korea 3.5 % by 2035",
    "country": "KOR",
    "baseline": {"year": 2024},
    "targets": [{"year": 2035, "share_gdp": 0.035}],
    "gdp": {"growth_after_data": "last"},
    "prices": {"inflation_after_data": "last"},
}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the charts (``out`` also holds the test's store)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _outcome(store: Store, spec: dict[str, Any]) -> Outcome:
    return run(scenario_from_dict(spec, "test"), store)


@pytest.mark.parametrize("spec", [JAPAN, KOREA], ids=["JPN", "KOR"])
def test_png_is_a_readable_image(store: Store, out: Path, spec: dict[str, Any]) -> None:
    path = out / "plan.png"
    assert plot_plan(_outcome(store, spec), path) == path
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        width, height = image.size
    assert width >= 800
    assert height >= 600
    assert [p.name for p in out.iterdir()] == ["plan.png"]  # no temporary file left


@pytest.mark.parametrize("spec", [JAPAN, KOREA], ids=["JPN", "KOR"])
def test_html_holds_the_chart_table_and_provenance(
    store: Store, out: Path, spec: dict[str, Any]
) -> None:
    outcome = _outcome(store, spec)
    text = plot_plan(outcome, out / "plan.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text
    assert "</svg>" in text
    assert spec["name"] in text
    assert "target" in text
    assert "— met" in text
    for year in outcome.years["year"]:
        assert f"<td>{int(year)}</td>" in text
    assert text.count('<tr class="planned">') == int(outcome.years["planned"].sum())
    assert outcome.currency in text
    assert outcome.provenance.spec_hash in text
    assert "SIPRI Military Expenditure Database (edition" in text
    for assumption in outcome.assumptions:
        assert assumption.replace("'", "&#x27;") in text
    # self-contained: no scripts, no resources fetched from elsewhere
    assert "<script" not in text
    assert 'src="' not in text
    assert 'href="http' not in text
    assert "store" not in to_jsonable(outcome.provenance)  # the provenance holds no local path
    assert str(out) not in text  # a local path is not shared


def test_missing_values_are_gaps_not_zeros(store: Store, out: Path) -> None:
    outcome = _outcome(store, KOREA)
    years = outcome.years.copy()
    years.loc[3, ["budget_local", "spending_local"]] = math.nan
    tidy = outcome.by_definition.copy()
    gap = (tidy["year"] == years.loc[3, "year"]) & (tidy["definition"] == "sipri")
    tidy.loc[gap, "share_gdp"] = math.nan
    gappy = dataclasses.replace(outcome, years=years, by_definition=tidy)
    text = plot_plan(gappy, out / "plan.html").read_text(encoding="utf-8")
    row = text.split(f"<td>{int(years.loc[3, 'year'])}</td>")[1].split("</tr>")[0]
    assert row.count("<td>–</td>") == 3
    assert plot_plan(gappy, out / "plan.png").stat().st_size > 0


@pytest.mark.parametrize("name", ["plan.pdf", "plan", "plan.png.txt"])
def test_other_suffixes_are_refused(store: Store, out: Path, name: str) -> None:
    outcome = _outcome(store, JAPAN)
    with pytest.raises(InputError) as raised:
        plot_plan(outcome, out / name)
    assert str(raised.value) == f"chart file must end in .png or .html (given {name})"
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_refused(store: Store, out: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        plot_plan(_outcome(store, JAPAN), out / "nowhere" / "plan.png")


@pytest.mark.parametrize("name", ["plan.png", "plan.html"])
def test_a_failed_write_leaves_no_file(
    store: Store, out: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    outcome = _outcome(store, JAPAN)

    def broken(self: Figure, *args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        plot_plan(outcome, out / name)
    assert list(out.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(
    store: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = _outcome(store, JAPAN)
    path = out / "plan.png"
    path.write_bytes(b"previous chart")

    def half_written(self: Figure, handle: Any, *args: object, **kwargs: object) -> None:
        handle.write(b"\x89PNG half")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", half_written)
    with pytest.raises(OSError, match="disk full"):
        plot_plan(outcome, path)
    assert path.read_bytes() == b"previous chart"
    assert [p.name for p in out.iterdir()] == ["plan.png"]
