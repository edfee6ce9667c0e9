from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buildup.data.catalogue import bundled_path
from buildup.data.countries import (
    EXTRA_CODES,
    is_country_code,
    known_codes,
    resolve_countries,
    resolve_country,
)
from buildup.errors import UnknownCountryError

SOURCE_FILES = ["milex_sipri.csv", "gdp.csv", "population.csv", "prices.csv", "nato_share_gdp.csv"]


@pytest.mark.parametrize("file", SOURCE_FILES)
def test_every_source_name_resolves_to_its_code(file: str) -> None:
    pairs = pd.read_csv(bundled_path(file))[["iso3", "country"]].drop_duplicates()
    wrong = [
        (name, code, resolve_country(name))
        for code, name in pairs.itertuples(index=False)
        if resolve_country(name) != code
    ]
    assert wrong == []
    assert len(pairs) > 30


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, South", "KOR"),
        ("Türkiye", "TUR"),
        ("Taiwan", "TWN"),
        ("Congo, DR", "COD"),
        ("  japan ", "JPN"),
        ("jpn", "JPN"),
        ("United States of America", "USA"),
        ("Philippines", "PHL"),
    ],
)
def test_publishers_spellings(name: str, code: str) -> None:
    assert resolve_country(name) == code


@pytest.mark.parametrize(
    ("name", "code", "successor"),
    [
        ("Czechoslovakia", "CSK", "CZE"),
        ("USSR", "SUN", "RUS"),
        ("Yemen, North", "YAR", "YEM"),
        ("Yugoslavia", "YUG", "SRB"),
        ("German Democratic Republic", "DDR", "DEU"),
    ],
)
def test_historical_states_keep_their_own_code(name: str, code: str, successor: str) -> None:
    assert resolve_country(name) == code
    milex = pd.read_csv(bundled_path("milex_sipri.csv"))
    assert (milex["iso3"] == code).any()
    # The successor's rows and the predecessor's are disjoint series.
    assert not set(milex.loc[milex["iso3"] == code, "country"]) & set(
        milex.loc[milex["iso3"] == successor, "country"]
    )


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(
        UnknownCountryError, match=r"^unknown country 'Japna': did you mean Japan \(JPN\)"
    ) as caught:
        resolve_country("Japna")
    # The value at fault is a field (an API's error body carries it); the key is the caller's.
    assert (caught.value.given, caught.value.what, caught.value.where) == ("Japna", None, None)


def test_unknown_without_close_match_says_what_to_give() -> None:
    with pytest.raises(UnknownCountryError, match="give an ISO3 code such as JPN"):
        resolve_country("Qqqqzzzz")


def test_empty_name() -> None:
    with pytest.raises(UnknownCountryError, match="empty country name"):
        resolve_country("   ")


def test_aggregates_are_not_countries() -> None:
    assert is_country_code("JPN")
    assert not is_country_code("WLD")
    assert not is_country_code("EAS")


def test_resolve_countries_keeps_order_and_drops_repeats() -> None:
    assert resolve_countries(["Japan", "KOR", "jpn", "Korea, South"]) == ["JPN", "KOR"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(known_codes())), st.booleans())
def test_codes_resolve_to_themselves_in_any_case(code: str, lower: bool) -> None:
    assert resolve_country(code.lower() if lower else code) == code


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        sorted(
            pd.read_csv(bundled_path("milex_sipri.csv"))[["country", "iso3"]]
            .drop_duplicates()
            .itertuples(index=False)
        )
    ),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from([str.upper, str.lower, str.title, str]),
)
def test_names_resolve_whatever_the_case_and_padding(
    pair: tuple[str, str], pad: str, case: object
) -> None:
    name, code = pair
    assert callable(case)
    assert resolve_country(pad + case(name) + pad) == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_text_resolves_to_a_known_code_or_raises_unknown(text: str) -> None:
    try:
        code = resolve_country(text)
    except UnknownCountryError as exc:
        message = str(exc)
    else:
        message = ""
        assert code in known_codes()
    assert "\n" not in message


def test_extra_codes_are_few_and_documented() -> None:
    assert set(EXTRA_CODES) == {"CSK", "DDR", "SUN", "YAR", "YUG", "EUU"}


def test_known_codes_are_the_converters_codes() -> None:
    # known_codes reads the library's table without building its converter: the same codes
    from buildup.data.countries import _converter

    converter_codes = {str(code) for code in _converter().data["ISO3"]}
    assert known_codes() == frozenset(converter_codes | set(EXTRA_CODES))


def test_a_code_resolves_without_building_the_converter() -> None:
    import subprocess
    import sys

    script = (
        "from buildup.data import countries\n"
        "assert countries.resolve_country('jpn') == 'JPN'\n"
        "assert countries._converter.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
