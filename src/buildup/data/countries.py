"""Resolve country names and codes used by the sources to ISO 3166-1 alpha-3.

Names are resolved by country-converter (a maintained library of regular expressions for
the names each publisher uses: "Korea, South", "Türkiye", "Congo, DR", …). On top of it sits
one short list of historical states that the library maps to a successor or not at all (and
the European Union, which SIPRI lists as a spender); those keep their own codes so that a
successor never absorbs its predecessor's rows.

>>> resolve_country("Korea, South")
'KOR'
>>> resolve_country("USSR")
'SUN'
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildup.errors import UnknownCountryError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["EXTRA_CODES", "is_country_code", "known_codes", "resolve_countries", "resolve_country"]

# code -> names. country-converter maps Czechoslovakia to CZE and North Yemen to YEM and
# does not know the USSR, Yugoslavia or the GDR (see PITFALLS.md), so these come first.
EXTRA_CODES: Mapping[str, tuple[str, ...]] = {
    "CSK": ("Czechoslovakia",),
    "DDR": ("German Democratic Republic", "German DR", "East Germany", "GDR"),
    "SUN": ("USSR", "Soviet Union", "Union of Soviet Socialist Republics", "USSR/Russia"),
    "YAR": ("Yemen, North", "North Yemen", "Yemen Arab Republic"),
    "YUG": ("Yugoslavia", "Socialist Federal Republic of Yugoslavia", "SFR Yugoslavia"),
    # Not a state: SIPRI lists the European Union's own military spending under this code.
    "EUU": ("European Union", "EU"),
}

_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


@functools.cache
def _converter() -> Any:
    import country_converter

    # The library logs every miss at WARNING; misses are reported by our own error instead.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return country_converter.CountryConverter()


@functools.cache
def _historical_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, names in EXTRA_CODES.items():
        lookup[_normalise(code)] = code
        for name in names:
            lookup[_normalise(name)] = code
    return lookup


@functools.cache
def known_codes() -> frozenset[str]:
    """Every ISO3 code the resolver can return, historical states included.

    Read from the library's own table (the rows its converter loads: those not marked
    obsolete), without building the converter: checking a code such as ``JPN`` is then a
    file read, not the 0.1–0.2 s of compiling the library's 250 name patterns.
    """
    return frozenset(_library_codes() | set(EXTRA_CODES))


def _library_codes() -> set[str]:
    import csv
    import importlib.util

    spec = importlib.util.find_spec("country_converter")  # finds the package, runs none of it
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    table = Path(folders[0], "country_data.tsv") if folders else None
    if table is None or not table.is_file():  # another layout: ask the converter itself
        return {str(code) for code in _converter().data["ISO3"]}
    with table.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["ISO3"] for row in rows if not (row.get("obsolete") or "").strip()}


@functools.cache
def _known_names() -> dict[str, str]:
    data = _converter().data
    names: dict[str, str] = {}
    for column in ("name_short", "name_official"):
        for name, code in zip(data[column], data["ISO3"], strict=True):
            names[str(name)] = str(code)
    for code, aliases in EXTRA_CODES.items():
        for alias in aliases:
            names[alias] = code
    return names


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO3 code of a country (not a region or income group).

    >>> is_country_code("JPN"), is_country_code("WLD")
    (True, False)
    """
    return code.strip().upper() in known_codes()


@functools.lru_cache(maxsize=4096)
def resolve_country(name: str) -> str:
    """Return the ISO3 code for a country name or code, or raise :class:`UnknownCountryError`.

    Codes (``"JPN"``, ``"jpn"``), short and official names and each publisher's spellings
    are accepted. The error names close matches.
    """
    text = _SPACE.sub(" ", str(name)).strip()
    if not text:
        raise UnknownCountryError(
            given=name, problem="empty country name", fix="give an ISO3 code such as JPN or a name"
        )
    historical = _historical_lookup().get(_normalise(text))
    if historical is not None:
        return historical
    if len(text) == 3 and text.upper() in known_codes():
        return text.upper()
    result = _converter().convert(text, to="ISO3", not_found=None)
    if isinstance(result, list):
        if len(result) == 1:
            result = result[0]
        else:
            raise UnknownCountryError(
                given=text,
                problem=f"country {text!r} is ambiguous: it matches {', '.join(map(str, result))}",
                fix="give the ISO3 code",
            )
    if isinstance(result, str) and result in known_codes():
        return result
    # The value, not a key, is at fault: the caller knows which key held it (a file's column,
    # an option) and says so; the message keeps "name: suggestion" as one phrase.
    raise UnknownCountryError(given=text, problem=f"unknown country {text!r}{_suggestion(text)}")


def _suggestion(text: str) -> str:
    names = _known_names()
    by_folded = {_normalise(n): n for n in names}
    close = difflib.get_close_matches(_normalise(text), list(by_folded), n=3, cutoff=0.6)
    if not close:
        return ": give an ISO3 code such as JPN or a country name such as Japan"
    options = ", ".join(f"{by_folded[c]} ({names[by_folded[c]]})" for c in close)
    return f": did you mean {options}?"


def resolve_countries(names: Iterable[str]) -> list[str]:
    """Resolve several names, keeping their order and dropping repeats."""
    seen: dict[str, None] = {}
    for name in names:
        seen[resolve_country(name)] = None
    return list(seen)
