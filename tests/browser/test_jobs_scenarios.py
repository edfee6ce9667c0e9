"""Browser flows on the API's machinery: a risk job with its progress bar, and saved scenarios
(save, edit, two versions, their diff)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

# These flows run on web's app (issue 13): its job pool and its scenario repository.
pytest.importorskip("buildup.web.app", reason="needs web's create_app (issue 13)")


def test_a_risk_job_shows_progress_then_the_result(browser: Any, shot_on_failure: Any) -> None:
    # the most draws the page allows: since the simulation got faster (one-thread BLAS slices)
    # 2,000,000 draws could finish before the redirected page had loaded its progress bar
    page = browser.open("/risk?example=japan-dbp&draws=5000000&seed=7")
    page.click("#run-risk")
    page.wait_for_selector("section[data-job] progress")
    seen: list[float] = []
    for _ in range(600):
        if page.locator("#risk-targets").count():
            break
        bar = page.locator("section[data-job] progress")
        if bar.count():
            try:  # the page may go to the result between count() and the read: read again
                seen.append(float(bar.get_attribute("value", timeout=1000) or 0))
            except PlaywrightTimeout:
                continue
        page.wait_for_timeout(50)
    browser.wait_for_charts()
    shot_on_failure(page.locator("#risk-targets").count() == 1, "no result after the job")
    shot_on_failure(any(0 < v < 1 for v in seen), f"no progress seen between 0 and 1: {seen[:20]}")
    job = page.url.split("job=")[1].split("&")[0]
    with urllib.request.urlopen(f"{browser.base}/api/v1/jobs/{job}", timeout=60) as response:
        record = json.loads(response.read())
    assert record["state"] == "succeeded"
    shown = page.locator("#risk-targets td.probability").first.inner_text()
    with urllib.request.urlopen(f"{browser.base}/risk.json?job={job}", timeout=60) as response:
        twin = json.loads(response.read())
    probability = twin["risk"]["targets"][0]["probability_met"]
    assert shown == f"{probability:.1%}"
    assert page.locator("#chart-fan-figure").count() == 1


def test_save_edit_see_two_versions_and_diff_them(browser: Any, shot_on_failure: Any) -> None:
    page = browser.open("/scenarios")
    page.select_option("#n-example", "japan-dbp")
    page.fill("#n-name", "Japan 2 % <script>alert(1)</script>")
    page.click("#create-scenario")
    page.wait_for_selector("#scenario-name")
    name = page.inner_text("#scenario-name")
    shot_on_failure(name == "Japan 2 % <script>alert(1)</script>", f"name shown as {name!r}")
    assert page.locator("#versions tbody tr").count() == 1
    page.fill("#e-share", "3")
    page.fill("#e-message", "3 % instead")
    page.click("#save-scenario")
    page.wait_for_selector("#versions")
    shot_on_failure(page.locator("#versions tbody tr").count() == 2, "no second version")
    assert "share_gdp = 0.03" in page.input_value("#e-toml")
    page.click("#diff-versions")
    page.wait_for_selector("#diff-keys")
    keys = page.inner_text("#diff-keys")
    shot_on_failure("targets" in keys and "share_gdp" in keys, f"diff keys: {keys}")
    assert page.locator("#diff-years tbody tr").count() > 0
    # two people edit version 2: the second save is refused and its edit is kept
    url = page.url.split("/diff")[0]
    other = browser.context.new_page()
    other.on("console", browser._console)
    other.goto(url)
    page.goto(url)
    page.fill("#e-year", "2034")
    page.click("#save-scenario")
    page.wait_for_selector("#versions")
    other.fill("#e-description", "my edit")
    other.click("#save-scenario")
    other.wait_for_selector(".problems")
    assert other.input_value("#e-description") == "my edit"
    assert page.locator("#versions tbody tr").count() == 3
    # the 412 page logs a failed document load: expected here
    browser.console_errors[:] = [e for e in browser.console_errors if "412" not in e]
