"""Every chart: text inside the figure and no two labels on top of each other (issue 11).

Each example chart is drawn and every text box measured in display pixels: the figure's and
the axes' titles, axis labels, annotations, legends, source lines and tick labels must stay
inside the figure, and no two of the labels (tick labels aside) may overlap. Before: the fan
chart's target label ran into the subtitle, the Pareto/portfolio chart's "binding" labels of
adjacent years overlapped, and the portfolio chart had no source line.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import buildup
from buildup.report import charts, compare_charts, portfolio_charts, risk_charts, track_charts
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"
PLANS = sorted(p.name for p in EXAMPLES.glob("*.toml") if "tracking" not in p.name)


def _labels(figure: Figure) -> tuple[list[Text], list[Text]]:
    """(labels, tick labels) that are drawn and hold text."""
    labels: list[Text] = list(figure.texts)
    if figure._suptitle is not None:
        labels.append(figure._suptitle)
    for sub in figure.subfigs:  # charts side by side: each with its own title
        if sub._suptitle is not None:
            labels.append(sub._suptitle)
    ticks: list[Text] = []
    for ax in figure.axes:
        labels += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        labels += list(ax.texts)
        legend = ax.get_legend()
        if legend is not None:
            labels += list(legend.get_texts())
        low, high = sorted(ax.get_xlim())
        ticks += [t for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
        low, high = sorted(ax.get_ylim())
        ticks += [t for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    unique = list({id(t): t for t in labels}.values())
    visible = [t for t in unique if t.get_visible() and t.get_text().strip()]
    return visible, [t for t in ticks if t.get_visible() and t.get_text().strip()]


def assert_text_fits(figure: Figure) -> None:
    """Every label inside the figure and no two labels overlapping."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    box = figure.bbox
    labels, ticks = _labels(figure)
    extents = {id(t): t.get_window_extent(renderer) for t in labels + ticks}
    for text in labels + ticks:
        e = extents[id(text)]
        where = f"outside the figure: {text.get_text()!r}"
        assert e.x0 >= box.x0 - 1, where
        assert e.y0 >= box.y0 - 1, where
        assert e.x1 <= box.x1 + 1, where
        assert e.y1 <= box.y1 + 1, where
    for a, b in combinations(labels, 2):
        ea, eb = extents[id(a)], extents[id(b)]
        overlap = (
            min(ea.x1, eb.x1) - max(ea.x0, eb.x0) > 1 and min(ea.y1, eb.y1) - max(ea.y0, eb.y0) > 1
        )
        assert not overlap, f"overlap: {a.get_text()!r} and {b.get_text()!r}"


@pytest.mark.parametrize("name", PLANS)
def test_plan_charts(store: Store, name: str) -> None:
    spec = buildup.read_scenario(EXAMPLES / name)
    outcome = buildup.plan(spec, store, buildup.PlanOptions(source=name))
    assert_text_fits(charts._figure(outcome))


def test_fan_chart(store: Store) -> None:
    spec = buildup.read_scenario(EXAMPLES / "japan-dbp.toml")
    options = buildup.validate_options(buildup.RiskOptions, draws=2000, tornado=False)
    figure = risk_charts._figure(buildup.plan_risk(spec, store, options))
    assert_text_fits(figure)
    texts = " ".join(t.get_text() for t in _labels(figure)[0])
    assert "strictly" in texts
    assert "Sources:" in texts
    assert "edition" in texts


def test_portfolio_chart_with_pareto_front() -> None:
    catalogue = buildup.read_programmes(EXAMPLES / "japan-programmes.csv")
    envelope = buildup.read_envelope(EXAMPLES / "japan-envelope.csv", currency="JPY")
    options = buildup.validate_options(buildup.OptimiseOptions, pareto=True)
    chosen = buildup.optimise(catalogue, options, envelope=envelope, source="japan-programmes.csv")
    figure = portfolio_charts._figure(chosen.analysis, "programmes japan-programmes.csv")
    assert_text_fits(figure)
    texts = " ".join(t.get_text() for t in _labels(figure)[0])
    assert "Source: programmes japan-programmes.csv" in texts
    assert "value points" in texts
    assert "Pareto front" in texts


def test_tracking_chart(store: Store) -> None:
    spec = buildup.read_tracking(EXAMPLES / "japan-dbp-tracking.toml")
    outcome = buildup.track(spec, store, buildup.TrackOptions(source="japan-dbp-tracking.toml"))
    assert_text_fits(track_charts._figure(outcome))


def test_comparison_charts(store: Store) -> None:
    options: dict[str, Any] = {"countries": ("JPN", "KOR", "AUS"), "metric": "share_gdp"}
    plain = buildup.compare_allies(
        store, buildup.validate_options(buildup.CompareOptions, **options)
    )
    assert_text_fits(compare_charts._figure(plain.rows, plain.metric, (), "Share of GDP"))
    costed = buildup.compare_allies(
        store, buildup.validate_options(buildup.CompareOptions, **options, target="nato-3.5")
    )
    figure = compare_charts._figure(costed.rows, costed.metric, costed.costs, "Cost to 3.5 %")
    assert_text_fits(figure)
