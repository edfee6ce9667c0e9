"""Numbers that can be spending targets: shares of GDP, growth rates, amounts of money.

A share of GDP and a growth rate are fractions (2 % → 0.02); an amount is in full units of
its currency ("¥43 trillion" → 43e12 JPY). A percentage is a share of GDP when "of GDP"
(or gross domestic product, economic output) follows it, when it names a target ("the 2 %
target", "NATO's 5 % goal"), or when the sentence speaks of GDP elsewhere and the number is
not a rise; it is a growth rate after "by", "up" or before "increase", "rise", "hike". A
percentage "of the budget" is a line item and is not returned. "Double" and "triple" are
growth of 100 % and 200 % when no other number stands in the same clause.

>>> [(q.measure, q.value, q.currency) for q in find_quantities("¥43 trillion over five years")]
[('amount', 43000000000000.0, 'JPY')]
>>> [(q.measure, q.value) for q in find_quantities("raise spending by 7.5% to 2.1% of GDP")]
[('growth', 0.075), ('share_gdp', 0.021)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Measure", "Quantity", "find_quantities"]

Measure = Literal["share_gdp", "amount", "growth"]

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
# A decimal comma ("3,5 %", "€1,5 billion") has one or two digits after it; a thousands
# comma has three ("1,250 billion").
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?"
_WORDNUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten)(?:\s+and\s+a\s+half)?"
_PERCENT = re.compile(
    rf"(?P<num>{_NUM}|\b{_WORDNUM})"
    rf"(?:\s*(?P<own>%|per\s?cent|percent|pct)?\s*(?P<sep>-|–|—|to|and)\s*(?P<num2>{_NUM}))?"
    r"\s*(?:%|per\s?cent\b|percent\b|pct\b)(?!\s*(?:points?|pts?)\b)(?!\s*percentage)",
    re.I,
)
_POINTS = re.compile(r"\s*percentage\s+points?", re.I)

_SCALES = {
    "trillion": 1e12, "tn": 1e12, "trn": 1e12, "tr": 1e12, "billion": 1e9, "bn": 1e9,
    "bln": 1e9, "bil": 1e9, "b": 1e9, "mrd": 1e9, "mrd.": 1e9, "mld": 1e9, "milliard": 1e9,
    "milliards": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "m": 1e6,
    "lakh crore": 1e12, "crore": 1e7, "lakh": 1e5,
}  # fmt: skip
_SCALE = (
    r"(?:lakh\s+crore|trillion|billion|million|milliards?|crore|lakh|trn|tn|tr|bn|bln|bil|mrd"
    r"|mld|mn|mln|mil|b|m)\b"
)

# ISO 4217 codes the extractor reads before or after a number ("SAR 272 billion", "272 bn
# SAR"); written in capitals only, so that "try" or "all" are never currencies.
_CODES = frozenset(
    {
    "USD", "AUD", "CAD", "NZD", "TWD", "SGD", "HKD", "JPY", "EUR", "GBP", "KRW", "INR", "PHP",
    "PLN", "CNY", "SEK", "NOK", "DKK", "ISK", "CHF", "TRY", "RUB", "UAH", "CZK", "HUF", "RON",
    "BGN", "ILS", "SAR", "AED", "QAR", "KWD", "OMR", "IRR", "IQD", "EGP", "ZAR", "NGN", "BRL",
    "MXN", "ARS", "CLP", "COP", "IDR", "MYR", "THB", "VND", "PKR", "BDT", "LKR", "KZT", "MAD",
    "DZD",
    }
)  # fmt: skip
# Currency signs and other prefixes; "$" alone is the US dollar (a general rule: it is what
# wire copy means by it; write A$, C$, NZ$, NT$ for other dollars).
_PREFIXES = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "nz$": "NZD", "nt$": "TWD", "s$": "SGD", "hk$": "HKD", "r$": "BRL",
    "¥": "JPY", "€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "rs": "INR", "rs.": "INR",
    "₱": "PHP", "zł": "PLN", "rmb": "CNY", "₺": "TRY", "₽": "RUB", "₴": "UAH", "₪": "ILS",
    "₫": "VND", "₦": "NGN", "rp": "IDR", "rm": "MYR",
}  # fmt: skip
_PREFIX = (
    r"(?:US\$|U\.S\.\s?\$|NZ\$|NT\$|HK\$|AU\$|CA\$|A\$|C\$|S\$|R\$|\$|¥|€|£|₩|₹|₱|₺|₽|₴|₪|₫|₦"
    r"|zł|Rs\.?|(?-i:Rp|RM|RMB)|(?-i:(?:" + "|".join(sorted(_CODES)) + r"))\s?)"
)
# Currency names after a number. A bare "dollar" is the US dollar, a bare "peso" the
# Philippine peso, bare "kroner" the Norwegian krone (the commonest in defence news);
# a country's adjective in front names any other.
_SUFFIXES = {
    "yen": "JPY", "won": "KRW", "yuan": "CNY", "renminbi": "CNY", "euro": "EUR",
    "euros": "EUR", "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP",
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "australian dollars": "AUD", "canadian dollars": "CAD", "new zealand dollars": "NZD",
    "taiwan dollars": "TWD", "new taiwan dollars": "TWD", "singapore dollars": "SGD",
    "hong kong dollars": "HKD", "rupee": "INR", "rupees": "INR", "indian rupees": "INR",
    "pakistani rupees": "PKR", "sri lankan rupees": "LKR", "peso": "PHP", "pesos": "PHP",
    "philippine pesos": "PHP", "mexican pesos": "MXN", "argentine pesos": "ARS",
    "chilean pesos": "CLP", "colombian pesos": "COP", "zloty": "PLN", "zlotys": "PLN",
    "złoty": "PLN", "złotys": "PLN", "zlotych": "PLN", "złotych": "PLN", "zł": "PLN",
    "krona": "SEK", "kronor": "SEK", "swedish kronor": "SEK", "swedish krona": "SEK",
    "krone": "NOK", "kroner": "NOK", "norwegian kroner": "NOK", "norwegian krone": "NOK",
    "danish kroner": "DKK", "danish krone": "DKK", "icelandic kronur": "ISK",
    "lira": "TRY", "liras": "TRY", "turkish lira": "TRY", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "hryvnias'": "UAH",
    "shekel": "ILS", "shekels": "ILS", "new shekels": "ILS", "swiss francs": "CHF",
    "koruna": "CZK", "korunas": "CZK", "czech crowns": "CZK", "kč": "CZK", "forint": "HUF",
    "forints": "HUF", "lei": "RON", "leu": "RON", "lev": "BGN", "leva": "BGN",
    "riyal": "SAR", "riyals": "SAR", "saudi riyals": "SAR", "qatari riyals": "QAR",
    "dirham": "AED", "dirhams": "AED", "emirati dirhams": "AED", "moroccan dirhams": "MAD",
    "kuwaiti dinars": "KWD", "iraqi dinars": "IQD", "algerian dinars": "DZD",
    "omani rials": "OMR", "iranian rials": "IRR", "rials": "IRR", "egyptian pounds": "EGP",
    "rand": "ZAR", "naira": "NGN", "reais": "BRL", "brazilian reais": "BRL",
    "brazilian reals": "BRL", "rupiah": "IDR", "ringgit": "MYR", "baht": "THB", "dong": "VND",
    "taka": "BDT", "tenge": "KZT",
}  # fmt: skip
_SUFFIX = (
    r"(?:"
    + "|".join(
        re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_SUFFIXES, key=len, reverse=True)
    )
    + r"|(?-i:(?:"
    + "|".join(sorted(_CODES))
    + r")))(?![\w'])"
)
_AMOUNT = re.compile(
    rf"(?P<prefix>{_PREFIX})\s?(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?"
    rf"(?:\s+(?P<suffix_after_prefix>{_SUFFIX}))?"
    rf"|(?<![\w.])(?P<num_s>{_NUM})\s?(?P<scale_s>{_SCALE})?\s*(?P<suffix>{_SUFFIX})",
    re.I,
)
_DOUBLE = re.compile(r"\b(?P<word>doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing))\b", re.I)

_OF_GDP = re.compile(
    r"^\s*(?:a\s+year\s+)?of\s+(?:(?:its|their|the|our|national|annual|the\s+country's|the\s+"
    r"nation's|[A-Z][\w.]*'s?|each\s+(?:country|ally|member)'s|member\s+states'|allies')\s+)*"
    r"(?:gdp|gross\s+domestic\s+product|economic\s+output|national\s+output|national\s+income|"
    r"output|economy)\b",
    re.I,
)
_OF_IT = re.compile(r"^\s*of\s+(?:it|that|this|which)\b", re.I)
_OF_BUDGET = re.compile(
    r"^\s*of\s+(?:(?:its|their|the|this|that|next\s+year's|the\s+\w+)\s+)*(?:(?:defen[cs]e|"
    r"military|total|overall|annual|national|state|federal|government)\s+)*(?:budget|spending|"
    r"expenditures?|outlays?|funds?|money|procurement|allocations?|budgets)\b",
    re.I,
)
_TARGET_NOUN = re.compile(
    r"^\s*(?:(?:of\s+gdp|gdp)\s+)?(?:spending\s+|defen[cs]e\s+|nato\s+)?(?:target|goal|"
    r"threshold|benchmark|mark|guideline|level|pledge|commitment|line|bar|floor|minimum|"
    r"ceiling|objective)s?\b",
    re.I,
)
_GROWTH_BEFORE = re.compile(
    r"(?:\bby|\bup|\ban?\s+(?:increase|rise|hike|boost|jump|growth|expansion)\s+of|"
    r"\b(?:grow|grows|growing|growth|rise|rising|increase|increasing)\s+(?:of|at)|"
    r"\bincreas\w*|\braise[sd]?|\brais\w*|\bboost\w*|\bhik\w*|\b(?:rises?|rising|rose|"
    r"grows?|growing|grew|climbs?|climbing|climbed|jumps?|jumped|gains?|gained|expands?|"
    r"expanded|goes\s+up|went\s+up))\s*(?:about|around|some|nearly|"
    r"almost|roughly|an?\s+(?:annual|yearly|average)\s+|(?:at\s+least|more\s+than|over)\s+)?$",
    re.I,
)
_GROWTH_AFTER = re.compile(
    r"^\s*(?:a\s+year\s+|annually\s+|each\s+year\s+|per\s+year\s+)?(?:increase|rise|hike|"
    r"boost|jump|growth|gain|more|higher|year[- ]on[- ]year|in\s+real\s+terms|annual\s+"
    r"(?:increase|rise|growth)|(?:real\s+)?(?:increase|rise|growth))\b",
    re.I,
)
_LEVEL_BEFORE = re.compile(
    r"\b(?:to|reach(?:es|ed|ing)?|hit(?:s|ting)?|meet(?:s|ing)?|met|at|of|above|below|"
    r"exceed(?:s|ing)?|promised|pledged|committed|vowed|targets?|targeted|aim(?:s|ed)?\s+for|"
    r"spend(?:s|ing)?)\s+(?:(?:at\s+least|about|around|some|nearly|almost|roughly|more\s+than|"
    r"over|the|nato's|a|an)\s+)*$",
    re.I,
)
_SPEND_BEFORE = re.compile(
    r"\bspend(?:s|ing)?\s+(?:(?:at\s+least|about|around|some|nearly|almost|roughly|more\s+than|"
    r"over|up\s+to)\s+)?$",
    re.I,
)
_DEFENCE_WORD = re.compile(r"\b(?:defen[cs]e|military|nato|armed\s+forces)\b", re.I)
_GDP_ANYWHERE = re.compile(r"\b(?:gdp|gross\s+domestic\s+product|economic\s+output)\b", re.I)
_NATO_TARGET = re.compile(r"\bnato\b|\ball(?:y|ies)\b|\balliance\b", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number that may be a spending target, with its span in the sentence.

    ``value`` is a fraction for ``share_gdp`` and ``growth`` and full currency units
    for ``amount``; ``value_high`` is the upper end of a range ("5-6 %"), else ``None``.
    ``anaphoric`` marks a share given as a part of another ("3.5 % of it").
    """

    measure: Measure
    value: float
    start: int
    end: int
    currency: str | None = None
    value_high: float | None = None
    anaphoric: bool = False
    doubling: bool = False


def _number(text: str) -> float:
    words = text.lower().split()
    if words and words[0] in _WORD_NUMBERS:
        return _WORD_NUMBERS[words[0]] + (0.5 if "half" in words else 0.0)
    if re.fullmatch(r"\d+,\d{1,2}", text):
        return float(text.replace(",", "."))  # a decimal comma
    return float(text.replace(",", ""))


def _currency(prefix: str | None, suffix: str | None) -> str | None:
    if suffix:
        key = " ".join(suffix.lower().split())
        code = _SUFFIXES.get(key)
        if code is not None and not (code == "USD" and prefix and prefix.strip() != "$"):
            return code
    if suffix and suffix.strip() in _CODES:
        return suffix.strip()
    if prefix:
        key = prefix.strip()
        return key if key in _CODES else _PREFIXES.get(key.lower().replace(" ", ""))
    return None


def _percent_measure(sentence: str, start: int, end: int) -> tuple[Measure, bool] | None:
    before, after = sentence[:start], sentence[end:]
    if _OF_GDP.match(after):
        return "share_gdp", False
    if _OF_IT.match(after):
        return "share_gdp", True
    if _OF_BUDGET.match(after):
        return None
    if _GROWTH_BEFORE.search(before[-40:]) or _GROWTH_AFTER.match(after):
        return "growth", False
    if _TARGET_NOUN.match(after):
        return "share_gdp", False
    if _SPEND_BEFORE.search(before[-30:]):
        return "share_gdp", False  # "urged Tokyo to spend 3.5 %": a level of spending
    if _LEVEL_BEFORE.search(before[-30:]) and _DEFENCE_WORD.search(sentence):
        # "raise defence spending to 2 %", "reach 2 %": a level of defence spending is a share.
        return "share_gdp", False
    if _GDP_ANYWHERE.search(sentence) or _NATO_TARGET.search(sentence):
        return "share_gdp", False
    return None


def _percentages(sentence: str) -> list[Quantity]:
    found: list[Quantity] = []
    pos = 0
    while (match := _PERCENT.search(sentence, pos)) is not None:
        pos = match.end()
        if _POINTS.match(sentence, match.end()):
            continue
        start, end = match.start(), match.end()
        low = round(_number(match["num"]) / 100, 12)
        high = None
        if match["num2"] is not None:
            between = re.search(r"\bbetween\s*$", sentence[:start], re.I)
            sep = match["sep"].lower()
            if (sep == "and" and not between) or (sep == "to" and match["own"] and not between):
                # "2% and 3.5%", "from 1.4% to 2%": two numbers, not a range; the second is
                # read on its own.
                end = match.end("own")
                pos = match.start("num2")
            else:
                high = round(_number(match["num2"]) / 100, 12)
                low, high = min(low, high), max(low, high)
        kind = _percent_measure(sentence, start, end)
        if kind is not None:
            found.append(Quantity(kind[0], low, start, end, None, high, kind[1]))
    return found


def find_quantities(sentence: str) -> list[Quantity]:
    """The shares of GDP, growth rates and amounts in ``sentence``, in order."""
    found = _percentages(sentence)
    for match in _AMOUNT.finditer(sentence):
        if any(q.start <= match.start() < q.end for q in found):
            continue
        prefix = match["prefix"]
        num = match["num"] if prefix is not None else match["num_s"]
        scale = match["scale"] if prefix is not None else match["scale_s"]
        suffix = match["suffix_after_prefix"] if prefix is not None else match["suffix"]
        if prefix is None and scale is None and suffix and suffix.lower().startswith("won"):
            continue  # "won" is a verb more often than a currency without a scale word
        currency = _currency(prefix, suffix)
        if currency is None:
            continue
        factor = _SCALES[" ".join(scale.lower().split())] if scale else 1.0
        # Full units, rounded to the cent: 8.7 × 1e12 is 8.7e12, not 8699999999999.999.
        value = round(_number(num) * factor, 2)
        if value < 1e6:
            continue  # no national budget is this small: a unit price, a salary, a typo
        found.append(Quantity("amount", value, match.start(), match.end(), currency))
    for match in _DOUBLE.finditer(sentence):
        growth = 1.0 if match["word"].lower().startswith("doubl") else 2.0
        found.append(Quantity("growth", growth, match.start(), match.end(), doubling=True))
    return sorted(found, key=lambda q: q.start)
