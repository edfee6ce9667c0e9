"""The Portfolio page: spending by area year by year; the Pareto front as a job with progress."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

VIEW = "programmes=japan-programmes&envelope=japan-envelope&time_limit=20"


def test_spending_by_area_year_by_year_adds_up_to_each_year_and_stays_within_it(
    client: TestClient,
) -> None:
    body = client.get(f"/portfolio.json?{VIEW}").json()
    portfolio = body["portfolio"]
    page = client.get(f"/portfolio?{VIEW}")
    assert page.status_code == 200
    table = page.text.split('id="by-year-area"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr(?: class=\"binding\")?><th scope=\"row\">(\d{4})[^<]*</th>(.*?)</tr>", table
    )
    assert [int(y) for y, _ in rows] == [y["year"] for y in portfolio["years"]]
    for (_, cells), year in zip(rows, portfolio["years"], strict=True):
        values = [float(v.replace(",", "")) for v in re.findall(r"<td>([-\d.,]+)</td>", cells)]
        *areas, total, envelope, left = values
        assert abs(sum(areas) - total) <= 0.05 * len(areas)  # cells rounded to 0.1 bn
        assert abs(total - year["spend"] / 1e9) <= 0.05
        assert abs(envelope - year["envelope"] / 1e9) <= 0.05
        assert total <= envelope + 0.05
        assert abs(left - year["slack"] / 1e9) <= 0.05
    assert "pareto" not in body or not body["portfolio"]["pareto"]  # no front unless asked


def test_the_pareto_front_runs_as_a_job_with_progress(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(job_workers=1)
    started = client.post(
        "/portfolio/pareto",
        data={"programmes": "japan-programmes", "envelope": "japan-envelope", "time_limit": "20"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    view = started.headers["location"]
    job_id = re.search(r"job=([0-9a-f]+)", view)
    assert job_id is not None
    waiting = client.get(view)
    assert waiting.status_code == 200
    seen: list[float] = []
    for _ in range(600):
        job = client.get(f"/api/v1/jobs/{job_id.group(1)}").json()
        seen.append(job["progress"]["fraction"])
        if job["state"] not in ("queued", "running"):
            break
        time.sleep(0.2)
    assert job["state"] == "succeeded", job
    assert seen == sorted(seen)  # progress only grows
    assert any(0 < f < 1 for f in seen)  # and was seen between the ends
    done = client.get(view)
    assert 'data-chart="chart-pareto"' in done.text
    front = client.get(view.replace("/portfolio?", "/portfolio.json?")).json()
    points = front["portfolio"]["pareto"]
    assert [p["scale"] for p in points] == sorted(p["scale"] for p in points)
    at_one = next(p for p in points if p["scale"] == 1.0)
    assert abs(at_one["objective"] - front["portfolio"]["objective"]) < 1e-6
    values = [p["objective"] for p in points]
    assert values == sorted(values)  # more money never buys less value


def test_an_unknown_job_is_named_on_the_page(client: TestClient) -> None:
    page = client.get(f"/portfolio?{VIEW}&pareto=1&job=0123456789abcdef")
    assert page.status_code == 200  # the portfolio itself is still shown
    assert "no such job" in page.text
    assert 'data-chart="chart-portfolio"' in page.text
