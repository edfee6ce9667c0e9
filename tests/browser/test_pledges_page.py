"""The Pledges page in a real browser (Debian's Chromium, headless) against a server on
loopback: the ledger with its revisions, the country filter in the URL, reading pasted text
(which saves nothing), and a bad date refused with one line and the text kept."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).parents[2] / "examples"
ISSUE = (
    "Japan is in the middle of a five-year build-up that will double its defence budget to "
    "2 % of GDP by 2027. Seoul will raise next year's defence budget by 7.5 %. Washington urged "
    "Tokyo to spend 3.5 %. President Lai Ching-te has pledged to reach 5 % of GDP by 2030."
)


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=60) as response:  # loopback only
        return json.loads(response.read())


def _save(base: str, name: str, date: str) -> None:
    body = {
        "text": (EXAMPLES / name).read_text(encoding="utf-8"),
        "date": date,
        "save": True,
        "source": name,
    }
    request = urllib.request.Request(
        f"{base}/api/v1/pledges/extract",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # loopback only
        assert response.status == 200


@pytest.fixture(scope="module")
def saved(server: str) -> str:
    _save(server, "japan-buildup-article.txt", "2022-12-16")
    _save(server, "japan-acceleration-article.txt", "2025-10-24")
    return server


def test_the_ledger_shows_the_revision_and_filters_by_country_in_the_url(
    browser: Any, saved: str, shot_on_failure: Any
) -> None:
    page = browser.open("/pledges?country=JPN")
    rows = page.locator("#ledger tbody tr")
    japan = _get(saved, "/api/v1/pledges?country=JPN")
    shot_on_failure(rows.count() == len(japan), f"{rows.count()} rows, the API has {len(japan)}")
    revision = page.inner_text("#ledger")
    shot_on_failure("revises #" in revision, "no revision shown")
    assert "year 2027 → 2025" in revision
    assert all(
        cell == "JPN" for cell in page.locator("#ledger tbody td:nth-child(3)").all_inner_texts()
    )
    # the filter is the URL: another country, then a reload gives the same view
    page.fill("#p-country", "KOR")
    page.click("form[action='/pledges'] button[type=submit]")
    page.wait_for_url("**/pledges?country=KOR")
    shot_on_failure(page.locator("#ledger-empty").count() == 1, "Korea has no saved pledge here")
    page.reload()
    assert page.input_value("#p-country") == "KOR"
    # the page's JSON twin lists what the page shows
    twin = _get(saved, "/pledges.json?country=JPN")
    assert [r["id"] for r in twin["pledges"]] == [r["id"] for r in japan]


def test_reading_pasted_text_shows_its_pledges_and_saves_nothing(
    browser: Any, saved: str, shot_on_failure: Any
) -> None:
    before = _get(saved, "/api/v1/pledges")
    page = browser.open("/pledges")
    page.fill("#p-text", ISSUE)
    page.fill("#p-date", "2025-06-25")
    page.click("form[action='/pledges/read'] button[type=submit]")
    page.wait_for_selector("#read-pledges")
    cells = [
        tuple(row.locator("th, td").all_inner_texts()[:5])
        for row in page.locator("#read-pledges tbody tr").all()
    ]
    shot_on_failure(
        cells
        == [
            ("JPN", "commitment", "share_gdp", "2 %", "2027"),
            ("KOR", "commitment", "growth", "7.5 %", "2026"),
            ("JPN", "demand (by USA)", "share_gdp", "3.5 %", "–"),
        ],
        f"read {cells}",
    )
    assert "Lai Ching-te" in page.inner_text("#unresolved")  # a person: reported, not guessed
    assert page.input_value("#p-text") == ISSUE
    assert _get(saved, "/api/v1/pledges") == before


def test_a_bad_date_is_one_line_and_the_text_is_kept(browser: Any, shot_on_failure: Any) -> None:
    page = browser.open("/pledges")
    page.fill("#p-text", ISSUE)
    page.fill("#p-date", "25 June")
    page.click("form[action='/pledges/read'] button[type=submit]")
    page.wait_for_selector("#read-error")
    message = page.inner_text("#read-error")
    shot_on_failure("\n" not in message.strip(), f"not one line: {message!r}")
    assert "YYYY-MM-DD" in message
    assert page.input_value("#p-text") == ISSUE
    assert page.locator("#read-pledges").count() == 0
    # a 422 page logs "Failed to load resource" for the document itself: expected here
    browser.console_errors[:] = [e for e in browser.console_errors if "422" not in e]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_page_is_labelled_and_fits(browser: Any, saved: str, width: int) -> None:
    browser.page.set_viewport_size({"width": width, "height": 900})
    page = browser.open("/pledges?country=JPN")
    assert page.locator("main h1").count() == 1
    assert page.locator("nav a[aria-current=page]").inner_text() == "Pledges"
    for control in page.locator("main input, main textarea").all():
        ident = control.get_attribute("id")
        assert ident
        assert page.locator(f"label[for='{ident}']").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1  # the wide ledger scrolls inside its own box, not the page
