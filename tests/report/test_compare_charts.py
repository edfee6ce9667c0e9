from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from PIL import Image

from buildup.compare import (
    compare_cost_to_target,
    compare_countries,
    resolve_metric,
    resolve_target,
)
from buildup.errors import InputError
from buildup.report import compare_charts, plot_comparison
from buildup.store import Store
from buildup.types import YearRange

ASKED = ["JPN", "KOR", "AUS", "PHL", "USA", "CHN"]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("metric", ["share_gdp", "constant_usd", "real_growth", "per_capita_usd"])
def test_png_of_each_kind_of_metric(store: Store, out: Path, metric: str) -> None:
    rows = compare_countries(store, ASKED, metric, YearRange(2000, 2024))
    path = plot_comparison(rows, resolve_metric(store, metric), out / "compare.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        width, height = image.size
    assert width >= 1000
    assert height >= 600
    assert [p.name for p in out.iterdir()] == ["compare.png"]  # no temporary file left


def test_png_with_the_cost_to_target(store: Store, out: Path) -> None:
    rows = compare_countries(store, ASKED, "share_gdp", YearRange(2000, 2024))
    costs = compare_cost_to_target(store, ASKED, resolve_target("nato-3.5"))
    path = plot_comparison(rows, resolve_metric(store, "share_gdp"), out / "c.png", costs=costs)
    with Image.open(path) as image:
        assert image.size[0] > 1500  # the cost chart beside the lines
    figure = compare_charts._figure(rows, resolve_metric(store, "share_gdp"), costs, "cost")
    titles = [a.get_ylabel() for a in figure.axes]
    assert titles[1:] == ["extra spending, total (US$ trillion)", "required real growth a year"]


def test_html_holds_values_costs_and_sources(store: Store, out: Path) -> None:
    rows = compare_countries(store, ["JPN", "USA"], "constant_usd", YearRange(2020, 2024))
    costs = compare_cost_to_target(store, ["JPN", "USA"], resolve_target("nato-2", by=2030))
    info = resolve_metric(store, "constant_usd")
    text = plot_comparison(rows, info, out / "c.html", costs=costs).read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text
    assert "Values (US$ billion, constant 2023 prices)" in text
    for year in range(2020, 2025):
        assert f"<td>{year}</td>" in text
    assert "SIPRI Military Expenditure Database (milex, edition 2025)" in text
    assert "– (already met)" in text  # the USA is above 2 %
    assert "<script" not in text
    assert 'src="' not in text


def test_missing_values_are_gaps_not_zeros(store: Store, out: Path) -> None:
    rows = compare_countries(
        store, ["JPN"], "per_capita_usd", YearRange(1988, 1992), allow_missing=True
    )
    info = resolve_metric(store, "per_capita_usd")
    text = plot_comparison(rows, info, out / "c.html").read_text(encoding="utf-8")
    for year in (1988, 1989):
        assert f"<tr><td>{year}</td><td>–</td></tr>" in text
    assert plot_comparison(rows, info, out / "c.png").stat().st_size > 0
    assert math.isnan(rows["value"].iloc[0])


@pytest.mark.parametrize("name", ["c.pdf", "c", "c.png.txt"])
def test_other_suffixes_are_refused(store: Store, out: Path, name: str) -> None:
    rows = compare_countries(store, ["JPN"], "share_gdp", YearRange(2024, 2024))
    with pytest.raises(InputError) as raised:
        plot_comparison(rows, resolve_metric(store, "share_gdp"), out / name)
    assert str(raised.value) == f"chart file must end in .png or .html (given {name})"
    assert list(out.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(
    store: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = compare_countries(store, ["JPN"], "share_gdp", YearRange(2020, 2024))
    path = out / "c.png"
    path.write_bytes(b"previous chart")

    def half_written(self: Figure, handle: Any, *args: object, **kwargs: object) -> None:
        handle.write(b"\x89PNG half")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", half_written)
    with pytest.raises(OSError, match="disk full"):
        plot_comparison(rows, resolve_metric(store, "share_gdp"), path)
    assert path.read_bytes() == b"previous chart"
    assert [p.name for p in out.iterdir()] == ["c.png"]
