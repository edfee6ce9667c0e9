"""Years in a sentence: target years, fiscal years, periods, and years relative to a date.

A fiscal year is marked by "fiscal", "FY" or a split year ("2033-34", counted as its first
year). Relative years resolve against the article's date: "next year" is the date's year
+ 1, "within a decade" + 10, "by the end of the decade" the next year ending in 0, "this
fiscal year" the fiscal year running at the date (April-to-March years, the convention of
Japan, the UK, Canada and India: a date before April belongs to the previous year's fiscal
year). "Over the next N years" starts in the date's year when the date is in the first half
of the year, else the year after.

>>> import datetime
>>> day = datetime.date(2022, 12, 16)
>>> [(y.year, y.fiscal, y.role) for y in find_years("by FY2027", day)]
[(2027, True, 'target')]
>>> [(y.role, y.length, y.year) for y in find_years("over five years from FY2023", day)]
[('period', 5, None), ('from', None, 2023)]
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["YearMention", "find_years"]

YearRole = Literal["target", "period", "date", "base", "from"]

_N = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "a decade": 10, "decade": 10, "two decades": 20,
}  # fmt: skip
_NUMWORD = (
    r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty)"
)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_Y = r"(?:19|20)\d{2}"
_FY = r"(?:FY\s?|fiscal\s+(?:year\s+)?|financial\s+year\s+|the\s+fiscal\s+year\s+)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # A range: FY2023-FY2027, FY2023–27, 2026-2030, between 2026 and 2030, from 2026 to 2030.
    (
        "range",
        re.compile(
            rf"(?:(?P<prep>between|from)\s+)?(?P<fy1>{_FY})?(?P<a>{_Y})\s*(?:-|–|—|to|through|"
            rf"until|till|and)\s*(?P<fy2>{_FY})?(?P<b>{_Y}|\d{{2}})(?!\d)",
            re.I,
        ),
    ),
    # One year, possibly fiscal: FY2027, fiscal 2026, fiscal year 2026, the 2026 fiscal year.
    (
        "year",
        re.compile(
            rf"(?P<fy>{_FY})?(?P<y>{_Y})(?P<fy_after>\s+fiscal\s+year|\s+financial\s+year)?(?!\d)",
            re.I,
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?P<which>this|next|last|the\s+coming|the\s+current)\s+"
            r"(?P<fiscal>fiscal\s+|financial\s+|budget\s+)?year\b",
            re.I,
        ),
    ),
    (
        "within",
        re.compile(
            rf"\b(?:within|in|inside)\s+(?:the\s+next\s+)?(?P<n>{_NUMWORD}|a\s+"
            r"decade|two\s+decades)\s*(?P<unit>years?|decades?)?(?:'s?\s+time)?\b"
            r"(?!\s+(?:ago|earlier|before))",
            re.I,
        ),
    ),
    (
        "over",
        re.compile(
            rf"\b(?:over|during|across|for|in)\s+the\s+(?:next|coming)\s+(?:(?P<n>{_NUMWORD})"
            r"\s+(?:fiscal\s+)?years|(?P<decade>decade)|(?P<bare>{_NUMWORD})(?=\s*(?:[,.;]|$)))\b".replace(
                "{_NUMWORD}", _NUMWORD
            ),
            re.I,
        ),
    ),
    ("nyear", re.compile(rf"\b(?P<n>{_NUMWORD}|\d+)[- ]year\b", re.I)),
    (
        "over_n",
        re.compile(
            rf"\b(?:over|in|across|for)\s+(?:the\s+)?(?P<n>{_NUMWORD})\s+(?:fiscal\s+)?"
            r"years\b",
            re.I,
        ),
    ),
    (
        "decade",
        re.compile(
            r"\b(?:by|before)\s+the\s+end\s+of\s+(?P<which>the|this|the\s+next)\s+"
            r"decade\b",
            re.I,
        ),
    ),
    (
        "mid",
        re.compile(r"\b(?:by\s+)?the\s+(?P<part>mid|middle\s+of\s+the)[- ]?(?P<d>20\d0)s\b", re.I),
    ),
]
_DATE_BEFORE = re.compile(rf"(?:{_MONTHS}\s*(?:\d{{1,2}},?\s*)?|\b(?:since|ago)\s*)$", re.I)
_BASE_AFTER = re.compile(
    r"^\s*(?:levels?|prices|gdp|gross\s+domestic|dollars|yen|figures?|summit|white\s+paper|"
    r"strategy|review|election|guidelines?|agreement|declaration|estimates?|data)\b",
    re.I,
)
_BASE_BEFORE = re.compile(
    r"(?:\b(?:since|than|from|compared\s+(?:with|to)|relative\s+to|against|versus|vs\.?|"
    r"on|over|in|at)\s+(?:the\s+)?(?:{_FY})?|\blast\s+)$".replace("{_FY}", _FY),
    re.I,
)


@dataclass(frozen=True, slots=True)
class YearMention:
    """A year expression: a target ``year`` or a period ``start``–``end``, with its span.

    ``role`` is ``target`` (a year a value is for), ``period`` (a programme's years),
    ``date`` (a calendar date: when something was said), ``base`` (a reference year:
    "against FY2022 GDP", "since 2014", "compared with 2024") or ``from`` (the first year of
    a period: "from FY2023", "starting in 2026").
    ``length`` is the length of a period when only that is known ("a five-year plan").
    ``by`` marks "by YEAR" (a deadline) as against "in YEAR".
    """

    start_char: int
    end_char: int
    year: int | None
    fiscal: bool
    role: YearRole
    start: int | None = None
    end: int | None = None
    length: int | None = None
    by: bool = False


def _count(text: str) -> int:
    words = " ".join(text.lower().split())
    if words.isdigit():
        return int(words)
    if words in _N:
        return _N[words]
    return _N[words.split()[-1]]


def _first_year_ahead(date: datetime.date) -> int:
    """The first year of "the next N years": the date's own year in its first half (its
    budget is still being spent), else the year after."""
    return date.year if date.month <= 6 else date.year + 1


def _fiscal_year_of(date: datetime.date) -> int:
    return date.year if date.month >= 4 else date.year - 1


def _role(sentence: str, start: int, end: int) -> YearRole:
    before, after = sentence[:start], sentence[end:]
    dated = _DATE_BEFORE.search(before)
    if dated:
        head = before[: dated.start()]
        if re.search(r"\b(?:starting|beginning|from|as\s+of)(?:\s+in)?\s+$", head, re.I):
            return "from"  # "from April 2027": the month a level starts
        if not re.search(
            r"\b(?:by|before|until|till|through|no\s+later\s+than)\s+(?:the\s+end\s+"
            r"of\s+)?$",
            head,
            re.I,
        ):
            return "date"
        return "target"
    if _BASE_AFTER.match(after):
        return "base"
    if re.search(
        r"\b(?:from|starting(?:\s+(?:in|from|with))?|beginning(?:\s+(?:in|with))?)\s+"
        rf"(?:the\s+)?(?:{_FY})?$",
        before,
        re.I,
    ):
        return "from"
    if _BASE_BEFORE.search(before) and not re.search(
        r"\b(?:in|on|at|over)\s*(?:the\s+)?(?:FY\s?|fiscal\s+"
        r"(?:year\s+)?)?$",
        before,
        re.I,
    ):
        return "base"
    return "target"


def _by(sentence: str, start: int) -> bool:
    before = sentence[:start]
    dated = _DATE_BEFORE.search(before)
    if dated:
        before = before[: dated.start()]
    return bool(
        re.search(
            r"\b(?:by|before|until|through|no\s+later\s+than)\s+(?:the\s+end\s+"
            r"of\s+)?(?:the\s+)?$",
            before,
            re.I,
        )
    )


def find_years(sentence: str, date: datetime.date) -> list[YearMention]:
    """Every year expression in ``sentence``, resolved against ``date``."""
    found: list[YearMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for name, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            mention = _mention(name, m, sentence, date)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda y: y.start_char)


def _mention(name: str, m: re.Match[str], sentence: str, date: datetime.date) -> YearMention | None:
    s, e = m.start(), m.end()
    if name == "range":
        a = int(m["a"])
        b_text = m["b"]
        b = int(b_text) if len(b_text) == 4 else (a // 100) * 100 + int(b_text)
        fiscal = bool(m["fy1"] or m["fy2"])
        if len(b_text) == 2 and b == a + 1 and not m["prep"]:
            # A split year such as 2033-34 is one fiscal year, counted as its first year.
            return YearMention(s, e, a, True, _role(sentence, s, e), by=_by(sentence, s))
        if b <= a or b - a > 30:
            return None
        return YearMention(s, e, None, fiscal, "period", start=a, end=b)
    if name == "year":
        year = int(m["y"])
        fiscal = bool(m["fy"] or m["fy_after"])
        year_role = _role(sentence, s, e)
        if year_role == "from" and year < date.year and _DATE_BEFORE.search(sentence[:s]):
            year_role = "date"  # "dates from December 2022": a month gone by is when, not a start
        return YearMention(s, e, year, fiscal, year_role, by=_by(sentence, s))
    if name == "rel":
        which = " ".join(m["which"].lower().split())
        offset = {"this": 0, "the current": 0, "next": 1, "the coming": 1, "last": -1}[which]
        fiscal = bool(m["fiscal"]) and "budget" not in m["fiscal"].lower()
        base = _fiscal_year_of(date) if fiscal else date.year
        role: YearRole = "base" if offset < 0 else _role(sentence, s, e)
        return YearMention(s, e, base + offset, fiscal, role, by=_by(sentence, s))
    if name == "within":
        n = _count(m["n"])
        unit = (m["unit"] or "").lower()
        if "decade" in m["n"].lower() or unit.startswith("decade"):
            n = n if "decade" in m["n"].lower() else n * 10
        elif not unit:
            return None
        return YearMention(s, e, date.year + n, False, "target", by=True)
    if name == "over":
        if m["bare"] and not re.search(r"\byears?\b", sentence, re.I):
            return None  # "over the next four": years only when the sentence counts in years
        n = 10 if m["decade"] else _count(m["n"] or m["bare"])
        first = _first_year_ahead(date)
        return YearMention(s, e, None, False, "period", start=first, end=first + n - 1, length=n)
    if name in ("nyear", "over_n"):
        n = _count(m["n"])
        if not 1 < n <= 30:
            return None
        return YearMention(s, e, None, False, "period", length=n)
    if name == "decade":
        which = " ".join(m["which"].lower().split())
        end = (date.year // 10 + 1) * 10 + (10 if which == "the next" else 0)
        return YearMention(s, e, end, False, "target", by=True)
    if name == "mid":
        return YearMention(s, e, int(m["d"]) + 5, False, "target", by=True)
    return None
