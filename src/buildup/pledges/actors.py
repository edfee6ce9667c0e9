"""Who a sentence is about: countries by name, adjective, demonym or capital, and alliances.

Country names come from the country library (country-converter's short names); on top sits
one small table of the words the news uses for governments — adjectives ("Japanese"),
demonyms, capitals used for their governments ("Tokyo", "Seoul"), a few institutions ("the
Pentagon") — and the alliances. Matching is case-sensitive, so "turkey" or "chad" in lower
case are not countries. Anything not in these tables is not guessed: the extractor reports
a pledge whose actor it cannot name.

>>> [(m.code, m.surface) for m in find_actors("Seoul and the South Korean navy joined NATO.")]
[('KOR', 'Seoul'), ('KOR', 'South Korean'), ('NATO', 'NATO')]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["ALLIANCE_CODES", "ActorMention", "find_actors"]

ALLIANCE_CODES = frozenset({"NATO", "EUU"})
"""Actors that are not states: the alliance as a whole, and the European Union (SIPRI's EUU)."""

ActorKind = Literal["name", "adjective", "capital", "institution", "alliance"]

# Adjectives and demonyms (singular and plural), by ISO3.
_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "JPN": ("Japanese",),
    "KOR": ("South Korean", "South Koreans", "Korean"),
    "PRK": ("North Korean", "North Koreans"),
    "CHN": ("Chinese",),
    "TWN": ("Taiwanese",),
    "AUS": ("Australian", "Australians"),
    "NZL": ("New Zealand's",),
    "PHL": ("Philippine", "Filipino", "Filipinos"),
    "IND": ("Indian", "Indians"),
    "USA": ("American", "Americans", "US", "U.S.", "U.S", "USA"),
    "GBR": ("British", "UK", "U.K.", "Britons"),
    "FRA": ("French",),
    "DEU": ("German", "Germans"),
    "ITA": ("Italian", "Italians"),
    "ESP": ("Spanish", "Spaniards"),
    "PRT": ("Portuguese",),
    "POL": ("Polish", "Poles"),
    "NLD": ("Dutch",),
    "BEL": ("Belgian", "Belgians"),
    "LUX": ("Luxembourgish",),
    "DNK": ("Danish", "Danes"),
    "SWE": ("Swedish", "Swedes"),
    "NOR": ("Norwegian", "Norwegians"),
    "FIN": ("Finnish", "Finns"),
    "ISL": ("Icelandic",),
    "EST": ("Estonian", "Estonians"),
    "LVA": ("Latvian", "Latvians"),
    "LTU": ("Lithuanian", "Lithuanians"),
    "CZE": ("Czech", "Czech Republic"),
    "SVK": ("Slovak", "Slovakian", "Slovak Republic"),
    "SVN": ("Slovenian", "Slovene"),
    "HUN": ("Hungarian", "Hungarians"),
    "ROU": ("Romanian", "Romanians"),
    "BGR": ("Bulgarian", "Bulgarians"),
    "HRV": ("Croatian", "Croats"),
    "ALB": ("Albanian", "Albanians"),
    "MNE": ("Montenegrin",),
    "MKD": ("Macedonian", "North Macedonian"),
    "GRC": ("Greek", "Greeks"),
    "TUR": ("Turkish", "Türkiye", "Turks"),
    "CAN": ("Canadian", "Canadians"),
    "RUS": ("Russian", "Russians"),
    "UKR": ("Ukrainian", "Ukrainians"),
    "ISR": ("Israeli", "Israelis"),
    "SAU": ("Saudi", "Saudi Arabian"),
    "VNM": ("Vietnamese",),
    "IDN": ("Indonesian", "Indonesians"),
    "SGP": ("Singaporean",),
    "THA": ("Thai",),
    "MYS": ("Malaysian",),
    "PAK": ("Pakistani",),
    "IRL": ("Irish",),
    "AUT": ("Austrian",),
    "CHE": ("Swiss",),
    "IRN": ("Iranian",),
    "BRA": ("Brazilian",),
    "MEX": ("Mexican",),
}

# Capitals (and seats of government) used for their governments. Brussels and The Hague are
# left out on purpose: in defence news they stand for the EU, NATO or a summit, not a state.
_CAPITALS: dict[str, tuple[str, ...]] = {
    "JPN": ("Tokyo",),
    "KOR": ("Seoul",),
    "PRK": ("Pyongyang",),
    "CHN": ("Beijing",),
    "TWN": ("Taipei",),
    "AUS": ("Canberra",),
    "NZL": ("Wellington",),
    "PHL": ("Manila",),
    "IND": ("New Delhi", "Delhi"),
    "USA": ("Washington",),
    "GBR": ("London", "Westminster", "Downing Street"),
    "FRA": ("Paris", "the Elysée", "the Elysee"),
    "DEU": ("Berlin",),
    "ITA": ("Rome",),
    "ESP": ("Madrid",),
    "PRT": ("Lisbon",),
    "POL": ("Warsaw",),
    "NLD": ("Amsterdam",),
    "DNK": ("Copenhagen",),
    "SWE": ("Stockholm",),
    "NOR": ("Oslo",),
    "FIN": ("Helsinki",),
    "EST": ("Tallinn",),
    "LVA": ("Riga",),
    "LTU": ("Vilnius",),
    "CZE": ("Prague",),
    "SVK": ("Bratislava",),
    "HUN": ("Budapest",),
    "ROU": ("Bucharest",),
    "BGR": ("Sofia",),
    "GRC": ("Athens",),
    "TUR": ("Ankara",),
    "CAN": ("Ottawa",),
    "RUS": ("Moscow", "the Kremlin"),
    "UKR": ("Kyiv", "Kiev"),
    "VNM": ("Hanoi",),
    "IDN": ("Jakarta",),
    "ISR": ("Jerusalem",),
}

_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "USA": ("the Pentagon", "the White House", "Congress"),
    "DEU": ("the Bundestag",),
    "JPN": ("the Diet",),
}

# Names the library spells differently from the news.
_NAMES: dict[str, tuple[str, ...]] = {
    "USA": ("United States", "United States of America", "America"),
    "GBR": ("United Kingdom", "Britain", "Great Britain"),
    "KOR": ("South Korea", "Republic of Korea", "Korea"),
    "PRK": ("North Korea",),
    "CZE": ("Czech Republic", "Czechia"),
    "TUR": ("Turkey",),
    "NLD": ("Netherlands", "the Netherlands", "Holland"),
    "RUS": ("Russia",),
    "TWN": ("Taiwan",),
    "MKD": ("North Macedonia",),
    "VNM": ("Vietnam", "Viet Nam"),
    "IRN": ("Iran",),
    "EUU": ("European Union", "EU", "the European Commission", "Brussels"),
}

_ALLIANCES: dict[str, tuple[str, ...]] = {
    "NATO": (
        "NATO",
        "Nato",
        "North Atlantic Treaty Organization",
        "North Atlantic Treaty Organisation",
        "the Atlantic alliance",
        "the alliance",
        "the Alliance",
        "alliance members",
        "member states",
        "NATO members",
        "NATO allies",
        "the allies",
        "Allies",
        "allies",
    ),
}

# "allies" and "member states" unqualified stand for NATO, the alliance whose targets the
# news reports; qualified ("Asian allies", "EU member states") they are a group the
# extractor reports rather than guesses (see ``needs_context``).
_CONTEXT_ALIASES = frozenset(
    {
        "the alliance",
        "the Alliance",
        "alliance members",
        "member states",
        "the allies",
        "Allies",
        "allies",
    }
)


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A word or phrase naming an actor: its ISO3 (or NATO) code and its span in the sentence."""

    code: str
    surface: str
    start: int
    end: int
    kind: ActorKind
    needs_context: bool = False


@functools.cache
def _table() -> dict[str, tuple[str, ActorKind]]:
    from buildup.data.countries import _converter

    table: dict[str, tuple[str, ActorKind]] = {}
    data = _converter().data
    for name, code in zip(data["name_short"], data["ISO3"], strict=True):
        if isinstance(name, str) and isinstance(code, str) and "," not in name:
            table[name] = (code, "name")
    for kind, source in (
        ("name", _NAMES),
        ("adjective", _ADJECTIVES),
        ("capital", _CAPITALS),
        ("institution", _INSTITUTIONS),
        ("alliance", _ALLIANCES),
    ):
        for code, words in source.items():
            for word in words:
                table[word] = (code, kind)  # type: ignore[assignment]
                if word.startswith("the "):
                    table["The" + word[3:]] = (code, kind)  # type: ignore[assignment]
    return table


@functools.cache
def _pattern() -> re.Pattern[str]:
    words = sorted(_table(), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    # Not inside a longer word, not "US" in "USB", not part of "Latin America" or
    # "Washington Post"; a trailing "'s" is allowed.
    return re.compile(
        rf"(?<![\w$])(?<!Latin )(?<!North )(?<!South )(?<!Central )(?:{alternation})"
        r"(?![\w\-](?<!'s))(?! Post\b)(?! Consensus\b)(?! Treaty\b)"
    )


def find_actors(sentence: str) -> list[ActorMention]:
    """Every actor mention in ``sentence``, in order (the longest name wins where they overlap)."""
    table = _table()
    mentions = []
    for match in _pattern().finditer(sentence):
        surface = match.group()
        code, kind = table[surface]
        mentions.append(
            ActorMention(
                code=code,
                surface=surface,
                start=match.start(),
                end=match.end(),
                kind=kind,
                needs_context=surface in _CONTEXT_ALIASES,
            )
        )
    return mentions
