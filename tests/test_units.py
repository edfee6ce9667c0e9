"""The one amount helper and the one table of the comparison metrics' labels."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buildup.units import (
    METRIC_LABELS,
    Metric,
    amount_scale,
    column_scale,
    format_amount,
    format_metric_value,
    shown_unit,
)


@given(st.lists(st.one_of(st.none(), st.floats(allow_infinity=False)), max_size=20))
def test_a_column_takes_the_scale_of_its_largest_magnitude(values: list[float | None]) -> None:
    finite = [abs(v) for v in values if v is not None and not math.isnan(v)]
    assert column_scale(values, "US$") == amount_scale(max(finite, default=0.0), "US$")


def test_missing_amounts_are_a_dash_not_zero() -> None:
    assert format_amount(None) == format_amount(math.nan) == "–"
    assert format_amount(43.5e12, 1e12, 1) == "43.5"
    assert format_amount(-1234567.0, 1.0, 0) == "-1,234,567"


def test_every_metric_has_one_label_and_its_units_are_filled() -> None:
    assert set(METRIC_LABELS) == set(Metric)
    for metric, label in METRIC_LABELS.items():
        for word in ("", "billion"):
            for axis in (False, True):
                text = shown_unit(
                    metric, scale_word=word, base_year=2023, window=10, group="G7", axis=axis
                )
                assert "{" not in text, (metric, text)
                assert "  " not in text, (metric, text)
                assert " ," not in text, (metric, text)
        assert label.about
        assert label.title


@pytest.mark.parametrize(
    ("kind", "value", "scale", "text"),
    [
        ("share", 0.0137, 1.0, "1.37 %"),
        ("growth", -0.05, 1.0, "-5.00 %"),
        ("points", 0.0012, 1.0, "+0.12 pp"),
        ("usd", 55.3e9, 1e9, "55.30"),
        ("per_capita", 441.6, 1.0, "442"),
        ("usd", math.nan, 1e9, "–"),
    ],
)
def test_a_metric_value_reads_by_its_kind(kind: str, value: float, scale: float, text: str) -> None:
    assert format_metric_value(value, kind, scale) == text  # type: ignore[arg-type]


def test_the_cli_help_and_the_web_form_list_the_tables_metrics() -> None:
    from buildup.cli.compare import _METRICS_HELP
    from buildup.web.pages.compare import METRICS

    assert tuple(m.value for m in Metric) == METRICS
    listed = re.findall(r"(\w+) \(([^)]*)\)", _METRICS_HELP)
    assert listed == [(m.value, label.about) for m, label in METRIC_LABELS.items()]
