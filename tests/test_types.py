from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buildup.errors import InputError
from buildup.types import MAX_YEAR, MIN_YEAR, YearRange, parse_year_range

years = st.integers(MIN_YEAR, MAX_YEAR)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015:2024", YearRange(2015, 2024)),
        (" 2015 : 2024 ", YearRange(2015, 2024)),
        ("2015-2024", YearRange(2015, 2024)),
        ("2020", YearRange(2020, 2020)),
        ("2015:", YearRange(2015, None)),
        (":2024", YearRange(None, 2024)),
    ],
)
def test_parse_year_range_forms(text: str, expected: YearRange) -> None:
    assert parse_year_range(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2024:2015", "is empty: the start 2024 is after the end 2015; write 2015:2024"),
        ("abc", "write START:END"),
        (":", "write START:END"),
        ("", "write START:END"),
        ("15:24", "write START:END"),
        ("1800:1900", "outside 1900–2100"),
        ("2015:2024:2030", "write START:END"),
    ],
)
def test_parse_year_range_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InputError, match="year range") as info:
        parse_year_range(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


@given(years, years)
def test_ordered_pairs_round_trip(a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    parsed = parse_year_range(f"{start}:{end}")
    assert parsed == YearRange(start, end)
    assert parsed.contains(start)
    assert parsed.contains(end)
    assert not parsed.contains(start - 1)
    assert not parsed.contains(end + 1)


@given(years, years)
def test_reversed_pairs_are_rejected(a: int, b: int) -> None:
    if a == b:
        assert parse_year_range(f"{a}:{b}") == YearRange(a, a)
    else:
        with pytest.raises(InputError, match="is empty"):
            parse_year_range(f"{max(a, b)}:{min(a, b)}")


@given(st.text(max_size=12))
def test_any_text_parses_or_raises_input_error(text: str) -> None:
    try:
        parsed = parse_year_range(text)
    except InputError:
        return
    assert parsed.start is None or MIN_YEAR <= parsed.start <= MAX_YEAR
    assert parsed.end is None or MIN_YEAR <= parsed.end <= MAX_YEAR
    if parsed.start is not None and parsed.end is not None:
        assert parsed.start <= parsed.end
