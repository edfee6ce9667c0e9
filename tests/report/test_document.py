from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from buildup.data.catalogue import load_catalogue
from buildup.engine import run
from buildup.errors import InputError
from buildup.report.document import render_plan_report, write_report
from buildup.report.embed import plotly_js_path
from buildup.report.figure import chart_csv, to_plotly
from buildup.report.plan_figure import plan_chart
from buildup.scenario import read_scenario, scenario_from_dict
from buildup.serialize import to_jsonable
from buildup.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE = {
    "name": "</script><script>alert(1)</script> & <b>bold</b>",
    "country": "KOR",
    "baseline": {"year": 2024},
    "targets": [{"year": 2030, "share_gdp": 0.035}],
}


def _external(text: str) -> list[str]:
    """Every attribute or CSS url that would fetch something from outside the document."""
    found = re.findall(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//[^"' >]+""", text)
    found += re.findall(r"url\(\s*['\"]?(?:https?:)?//", text)
    found += re.findall(r"@import", text)
    return found


def test_japan_report_is_self_contained_and_complete(store: Store) -> None:
    outcome = run(read_scenario(EXAMPLES / "japan-dbp.toml"), store)
    text = render_plan_report(outcome)
    assert text.startswith("<!DOCTYPE html>")
    plotly_js = Path(plotly_js_path()).read_text(encoding="utf-8")
    assert plotly_js in text  # plotly.js itself is embedded, byte for byte
    # plotly.js holds attribution links as strings for map traces, which these charts do not
    # use; the browser test checks that opening the report requests nothing from outside
    assert _external(text.replace(plotly_js, "")) == []
    assert "<link" not in text
    assert not re.search(r"<script[^>]*\ssrc=", text)
    for heading in ("The question", "The answer", "Targets", "Year by year", "Assumptions",
                    "Method", "Sources", "Provenance"):  # fmt: skip
        assert f">{heading}</h2>" in text
    catalogue = load_catalogue()
    for name, edition in outcome.provenance.dataset_editions.items():
        assert str(escape(f"{catalogue[name].title} — edition {edition}")) in text
    assert "1.96 %" in text  # FY2027's defence-related share, the engine's figure
    assert "store" not in to_jsonable(outcome.provenance)  # the provenance holds no local path
    assert str(store.path.parent) not in text


def test_user_strings_stay_text(store: Store) -> None:
    outcome = run(scenario_from_dict(HOSTILE, "test"), store)
    text = render_plan_report(outcome)
    assert "<script>alert(1)" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text
    # inside the JSON data blocks too: no closing tag, and the figure still parses
    block = re.search(
        r'<script type="application/json" id="chart-plan-figure">(.*?)</script>', text
    )
    assert block is not None
    assert "</script" not in block.group(1)
    figure = json.loads(block.group(1))
    assert figure == to_plotly(plan_chart(outcome))


def test_chart_csv_holds_the_engine_figures(store: Store) -> None:
    outcome = run(read_scenario(EXAMPLES / "japan-dbp.toml"), store)
    rows = list(csv.DictReader(io.StringIO(chart_csv(plan_chart(outcome)))))
    label = outcome.label(outcome.primary) + " (plan)"
    shown = {int(r["year"]): float(r["value"]) for r in rows if r["series"] == label and r["value"]}
    years = outcome.years.set_index("year")["share_gdp"].dropna()  # the primary's
    assert shown == pytest.approx({int(y): float(v) for y, v in years.items() if y in shown})
    assert 2027 in shown


def test_write_refuses_a_wrong_suffix_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"report file must end in \.html \(given r\.pdf\)"):
        write_report("<p>x</p>", tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []
