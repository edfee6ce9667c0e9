"""The pages in a real browser (Debian's Chromium, headless) against a server on loopback."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _json(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=60) as response:  # loopback only
        return json.loads(response.read())


def _change(browser: Any, selector: str, value: str) -> None:
    """Type a new value and wait until the page has been redrawn for it."""
    page = browser.page
    before = page.evaluate("document.documentElement.getAttribute('data-updated')")
    page.fill(selector, value)
    page.dispatch_event(selector, "change")
    page.wait_for_function(
        "before => document.documentElement.getAttribute('data-updated') !== before", arg=before
    )


def test_plan_share_change_updates_chart_table_and_url_and_reloads_the_same(
    browser: Any, shot_on_failure: Any
) -> None:
    page = browser.open("/plan?country=JPN&share=2&by=2027&gdp_base_year=2022")
    first_answer = page.inner_text("#answer")
    first_mark = page.evaluate(
        "document.querySelector('#main .plot').layout.shapes.filter(s => s.type === 'line')[0].y0"
    )
    shot_on_failure(abs(first_mark - 2.0) < 1e-9, f"the target line is at {first_mark}, not 2 %")
    _change(browser, "#f-share", "3")
    shot_on_failure("share=3" in page.url, f"the URL did not change: {page.url}")
    second_answer = page.inner_text("#answer")
    shot_on_failure(second_answer != first_answer, "the answer did not change")
    mark = page.evaluate(
        "document.querySelector('#main .plot').layout.shapes.filter(s => s.type === 'line')[0].y0"
    )
    shot_on_failure(abs(mark - 3.0) < 1e-9, f"the chart's target line is at {mark}, not 3 %")
    table = page.inner_text("#table-2")
    shared = page.url
    page.reload()
    browser.wait_for_charts()
    shot_on_failure(page.inner_text("#answer") == second_answer, "reload gave another answer")
    shot_on_failure(page.inner_text("#table-2") == table, "reload gave another table")
    shot_on_failure(page.url == shared, "reload changed the URL")
    assert page.input_value("#f-share") == "3"


def test_a_figure_opens_its_explanation(browser: Any, shot_on_failure: Any) -> None:
    page = browser.open("/plan?example=japan-dbp")
    link = page.locator("#table-2 a.explain").first
    variable = link.get_attribute("data-variable")
    link.click()
    dialog = page.locator("#explain-dialog")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    shot_on_failure("Where this figure comes from" in text, "no explanation heading")
    shot_on_failure(variable is not None and variable in text, f"{variable} is not explained")
    # the engine's own trace: the denominator step and the dataset edition behind GDP
    shot_on_failure("Steps" in text, "no steps")
    assert re.search(r"edition \d{4}", text), text


def test_csv_downloads_equal_the_json_twin(browser: Any, tmp_path: Path) -> None:
    query = "country=KOR&share=3.5&by=2035"
    page = browser.open(f"/plan?{query}")
    with page.expect_download() as info:
        page.click("figure.chart a[data-full-csv]")
    full = info.value.path().read_text(encoding="utf-8")
    twin = _json(browser.base, f"/plan.json?{query}")
    rows = list(csv.DictReader(io.StringIO(full)))
    years = {str(r["year"]): r for r in twin["plan"]["years"]}
    assert len(rows) == len(years)
    primary = twin["plan"]["primary_definition"]
    for row in rows:
        expected = years[row["year"]]
        assert float(row["budget_local"]) == pytest.approx(expected["budget_local"], rel=1e-12)
        share = row["share_gdp"]  # the primary definition's
        if expected["share_gdp"] is None:
            assert share == ""
        else:
            assert float(share) == pytest.approx(expected["share_gdp"], rel=1e-12)
    # what is shown: the visible traces in the chart's units
    with page.expect_download() as info:
        page.click("figure.chart button[data-download=csv-shown]")
    shown = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
    label = next(d["label"] for d in twin["plan"]["definitions"] if d["name"] == primary)
    plan_rows = {r["x"]: float(r["value"]) for r in shown if r["series"] == label and r["value"]}
    plan_rows |= {
        r["x"]: float(r["value"]) for r in shown if r["series"] == f"{label} (plan)" and r["value"]
    }
    for year, value in plan_rows.items():
        assert value == pytest.approx(years[year]["share_gdp"] * 100, rel=1e-9)
    for kind, magic in (("png", b"\x89PNG"), ("svg", b"<svg")):
        with page.expect_download() as info:
            page.click(f"figure.chart a[data-image={kind}]")  # drawn by the server
        data = info.value.path().read_bytes()
        assert magic in data[:200], kind


def test_compare_a_group_with_a_count(browser: Any, shot_on_failure: Any) -> None:
    page = browser.open("/compare?group=NATO&metric=share_gdp&count=2")
    twin = _json(browser.base, "/compare.json?group=NATO&metric=share_gdp&count=2")
    counts = [int(c) for c in page.locator("#counts td.count").all_inner_texts()]
    shot_on_failure(counts == [c["count"] for c in twin["counts"]], f"counts {counts}")
    assert len(counts) == 4  # NATO's and SIPRI's figures, exact and rounded
    # the league table sorts by level and by change
    page.click("#league th.sortable:nth-of-type(3) button")
    values = [
        float(v)
        for v in page.locator("#league tbody td:nth-child(3)").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-value')).filter(v => v !== '')"
        )
    ]
    assert values == sorted(values)
    page.click("#league th.sortable:nth-of-type(4) button")
    changes = page.locator("#league tbody td:nth-child(4)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-value')).filter(v => v !== '')"
    )
    assert [float(v) for v in changes] == sorted(float(v) for v in changes)


def test_a_broken_workbook_is_refused_with_one_line_and_nothing_changes(
    browser: Any, tmp_path: Path, shot_on_failure: Any
) -> None:
    before = _json(browser.base, "/data.json")["datasets"]
    broken = tmp_path / "SIPRI-Milex-data-1949-2025.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    page = browser.open("/data")
    page.select_option("#u-kind", "sipri")
    page.set_input_files("#u-file", str(broken))
    page.click("form[action='/data/upload'] button[type=submit]")
    page.wait_for_selector("#upload-error")
    message = page.inner_text("#upload-error")
    shot_on_failure("\n" not in message.strip(), f"not one line: {message!r}")
    assert "Nothing was changed" in message
    assert _json(browser.base, "/data.json")["datasets"] == before
    # a 422 page logs "Failed to load resource" for the document itself: expected here
    browser.console_errors[:] = [e for e in browser.console_errors if "422" not in e]


def test_the_report_is_self_contained(browser: Any, tmp_path: Path) -> None:
    page = browser.open("/plan?example=japan-dbp")
    with page.expect_download() as info:
        page.click("a[href^='/plan/report']")
    report = tmp_path / "report.html"
    info.value.save_as(report)
    text = report.read_text(encoding="utf-8")
    assert "<link" not in text
    assert not re.search(r"<script[^>]*\ssrc=", text)
    offline = browser.context.new_page()
    offline.on("console", browser._console)
    offline.goto(report.as_uri())
    offline.wait_for_selector("html[data-charts-ready]")
    assert offline.locator(".plot[data-drawn]").count() >= 1
    assert browser.outside == []  # nothing asked of any server, not even ours
    offline.emulate_media(media="print")
    assert offline.pdf(format="A4")[:5] == b"%PDF-"  # prints as `buildup report --pdf` does


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/plan?example=japan-dbp",
        "/plan?country=KOR&share=3.5&by=2035&nonsense=1",
        "/plan/explain?example=japan-dbp&year=2025&variable=share_gdp:defense_related",
        "/compare?countries=JPN,KOR,AUS&target=nato-3.5",
        "/data",
        "/track?example=japan-dbp-tracking",
        "/portfolio",
        "/risk?example=japan-dbp",
        "/scenarios",
    ],
)
def test_no_page_logs_a_console_error(browser: Any, path: str, width: int) -> None:
    browser.page.set_viewport_size({"width": width, "height": 900})
    page = browser.open(path)
    assert page.locator("main h1").count() >= 1
    if width < 600 and page.locator(".plot[data-drawn]").count():
        box = page.locator(".plot[data-drawn]").first.bounding_box()
        assert box is not None
        assert box["width"] <= width  # readable at a phone's width: no sideways scrolling
    for control in page.locator("main input:not([type=hidden]), main select").all():
        ident = control.get_attribute("id")
        labelled = control.get_attribute("aria-label") or (
            ident and page.locator(f"label[for='{ident}']").count()
        )
        assert labelled, f"a control without a label on {path}: {ident}"
