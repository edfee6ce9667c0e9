"""The words that decide whether a number is a pledge: one table of cue classes.

Each class is a regular expression over a sentence (case-insensitive). The extractor takes
the cue nearest before a number (or, failing that, after it) as the verb that governs it:

- ``commit``   a government binds itself: will, plans to, pledged, agreed to, approved …
- ``demand``   another party asks it: urged, pressed, called on, demanded …
- ``ask_obj``  want / expect / tell, a demand only when an actor stands between the verb
  and its "to" ("Trump wants allies to spend 5 %"), else a commitment or nothing
- ``should``   should / must: a demand when someone other than the subject is named
- ``past``     spending already done: spent, was, rose, reached …
- ``neg``      a refusal or a negation: not, refused, rejected, ruled out …

and, over the clause that holds the number:

- ``estimate`` a third party's estimate or forecast (SIPRI, analysts, "is expected to")
- ``hypo``     a hypothetical (were to, would cost, could)
"""

from __future__ import annotations

import re

__all__ = [
    "AIM",
    "BASELINE_BEFORE",
    "BOUND_BEFORE",
    "CHANGE_PAST",
    "CLAUSE_BREAK",
    "DEFENCE",
    "DEF_OBJECT",
    "DISMISSED_AFTER",
    "ESTIMATE",
    "GOVERNING",
    "HYPO",
    "LINE_ITEM_AFTER",
    "NAMED_SUBJECT",
    "NON_DEFENCE",
    "PASSIVE_DEMAND",
    "PREPOSITION_BEFORE",
    "PRONOUN_SUBJECT",
    "QUALIFIERS",
    "REPORTING",
    "TIME_OBJECT",
    "UNRESOLVED_SUBJECT",
    "WEAK_CUE",
]

_I = re.IGNORECASE

GOVERNING: dict[str, re.Pattern[str]] = {
    "neg": re.compile(
        r"\b(?:not(?!\s+only)|n't|never|no\s+(?:plans?|intention|longer)|refus(?:e|es|ed|al|ing)|"
        r"reject(?:s|ed|ion|ing)?|rul(?:e|es|ed|ing)\s+out|declin(?:e|es|ed)\s+to|"
        r"opt(?:s|ed)?\s+out|exempt(?:ion|ed|s)?|unable|cannot|fail(?:s|ed)?\s+to|"
        r"f(?:a|e)ll(?:s|ing)?\s+short|balk(?:s|ed)?|resist(?:s|ed|ing)?|oppos(?:e|es|ed|ing)|"
        r"dismiss(?:es|ed)?|scrap(?:s|ped)?|abandon(?:s|ed)?|back(?:s|ed)?\s+away|"
        r"unrealistic|impossible|walk(?:s|ed)?\s+back|push(?:es|ed)?\s+back)\b",
        _I,
    ),
    "demand": re.compile(
        r"\b(?:urg(?:e|es|ed|ing)|press(?:es|ed|ing)?(?!\s+(?:conference|release))|"
        r"push(?:es|ed|ing)?\s+for|call(?:s|ed|ing)?\s+(?:on|for|upon)|"
        r"ask(?:s|ed|ing)?(?!\s+for)(?!\s+(?:lawmakers|parliament|the\s+(?:diet|legislature|parliament|"
        r"congress))\s+for)|demand(?:s|ed|ing)?|insist(?:s|ed|ing)?|pressur(?:e|es|ed|ing)|"
        r"lean(?:s|ed)?\s+on|lobb(?:y|ies|ied|ying))\b",
        _I,
    ),
    "ask_obj": re.compile(r"\b(?:want(?:s|ed)?|expect(?:s|ed)?|t(?:old|ells?)|would\s+like)\b", _I),
    "should": re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)\b", _I),
    "commit": re.compile(
        r"\b(?:will|shall|would|'ll|(?:is|are)\s+to|plan(?:s|ned|ning)?|aim(?:s|ed|ing)?|"
        r"intend(?:s|ed)?|intention|seek(?:s|ing)?|sought|set\s+to|on\s+(?:track|course)\s+to|"
        r"pledg(?:e|es|ed|ing)|vow(?:s|ed)?|commit(?:s|ted|ment|ments)?|promis(?:e|es|ed|ing)|"
        r"agree(?:d|s)?|agreement|decided|decision|approv(?:e|es|ed|al)|adopt(?:s|ed)?|"
        r"unveil(?:s|ed)?|announc(?:e|es|ed)|earmark(?:s|ed)?|allocat(?:e|es|ed)|"
        r"propos(?:e|es|ed|al)|request(?:s|ed)?|budget(?:s|ed)?\s+for|target(?:s|ed|ing)?|"
        r"goal|objective|ambition|hopes?\s+to|expects?\s+to|determined\s+to|strive|"
        r"raise(?:s)?\s+(?:its|the)\s+(?:target|goal)|signed\s+off|endorse[sd]?|"
        r"pencilled|penciled|ready\s+to|back(?:s|ed|ing)?|support(?:s|ed)?|sign(?:s|ed)?\s+(?:on|up)|"
        r"set(?:s)?\s+aside|set(?:s|ting)?\s+up|establish(?:es|ed)?|launch(?:es|ed)?|creat(?:es|ed)|instruct(?:s|ed)?|order(?:s|ed)?|ask(?:s|ed|ing)?\s+for|seek|"
        r"pass(?:es|ed)(?!\s+(?:the\s+)?(?:\S+\s+){0,2}?(?:[¥€$£₩₹]|\d+(?:[.,]\d+)?\s*(?:%|per\s?cent|percent)))|enact(?:s|ed)?|promulgated|gives?|provides?|allots?|allotted|budgeted|"
        r"ask(?:s|ed|ing)?\s+(?:lawmakers|parliament|the\s+(?:diet|legislature|parliament|congress))\s+for|"
        r"(?:takes?|taking|brings?|bringing|lifts?|lifting|pushes|pushing)\s+(?:the|its|their)\s+"
        r"(?:total|budget|spending|outlays?|allocation)\s+to)\b",
        _I,
    ),
    "past": re.compile(
        r"\b(?:spent|was|were|stood|reached|rose|grew|increased|climbed|jumped|fell|declined|"
        r"dropped|amounted|totall?ed|hit|had\s+been|came\s+to|ended|exceeded|surpassed|"
        r"topped|doubled|tripled|lifted|raised|boosted|made\s+up|accounted\s+for|averaged|"
        r"passed(?=\s+(?:the\s+)?(?:\S+\s+){0,2}?(?:[¥€$£₩₹]|\d+(?:[.,]\d+)?\s*(?:%|per\s?cent|percent)))|"
        r"has\s+(?:spent|reached|risen|grown|doubled)|"
        # the present of a change: a fact, or a decision when its year is still to come
        r"rises|grows|increases|climbs|jumps|goes\s+up)\b",
        _I,
    ),
}
"""Cue classes, in the order a tie at one position is broken (a refusal beats a promise)."""

PASSIVE_DEMAND = re.compile(
    r"\b(?:is|are|was|were|been|being|come|came|comes)\s+(?:under\s+pressure|urged|pressed|"
    r"asked|pushed|called\s+(?:on|upon)|pressured|told)\b",
    _I,
)

ESTIMATE = re.compile(
    r"\b(?:according\s+to\s+(?!(?:the\s+|its\s+|a\s+)?(?:\w+\s+)?(?:plan|programme|program|"
    r"strategy|budget|document|draft|declaration|government|ministry|cabinet|officials?|"
    r"sources|agreement|statement|communiqu|decision|reports?|newspaper|media|people|persons?|"
    r"familiar))|estimat(?:e|es|ed|ing)|"
    r"forecast(?:s|ed|ing)?|projected|projections?|predict(?:s|ed|ion|ions)?|analysts?|"
    r"economists?|SIPRI|IISS|Stockholm\s+International|think[- ]tanks?|researchers?|"
    r"calculations?|(?:is|are|was|were)\s+(?:widely\s+)?expected\s+to|(?:is|are)\s+likely\s+to|"
    r"unlikely|on\s+current\s+trends|data\s+show|figures\s+show|surveys?|polls?|"
    r"observers|experts?|reckon(?:s|ed)?)\b",
    _I,
)
HYPO = re.compile(
    r"\b(?:were\s+to|would\s+(?:cost|need|require|have\s+to|take\s+(?:years|decades|\w+\s+years|"
    r"until|longer)|mean|amount|add|leave|force|"
    r"eat|swallow|be\s+needed)|could|might|hypothetical(?:ly)?|in\s+theory|suppose|imagine|"
    r"what\s+if|scenarios?|were\s+\w+(?:\s+\w+)?\s+to\s+(?:spend|raise|reach|lift|increase|go)|simulat\w+|if\s+(?:\w+\s+){1,4}(?:were|had)\b|to\s+reach\s+\S+\s+"
    r"(?:\S+\s+){0,4}would|needed\s+to\s+(?:reach|meet|hit))",
    _I,
)
CLAUSE_BREAK = re.compile(
    r";|\s[-–—]\s|,?\s+but\s+|,\s*while\s+|\s+whereas\s+|,\s*(?:al)?though\s+|,\s*which\s+|"
    r",\s*after\s+|,\s*as\s+|\s+while\s+",
    _I,
)

DEFENCE = re.compile(
    r"\b(?:defen[cs]e|military|armed\s+forces|security|nato|alliance|arms|rearm\w*|"
    r"build-?up|bundeswehr|war\s+chest|forces|army|navy|all(?:y|ies)|pentagon|warships?|missiles?|"
    r"armaments?|weapons)\b",
    _I,
)
NON_DEFENCE = re.compile(
    r"\b(?:gdp\s+growth|growth\s+(?:rate|forecast)|economic\s+growth|econom(?:y|ies)|"
    r"deficits?|debt|borrowing|aid|assistance|humanitarian|wages?|"
    # military aid and security assistance are money given to another country
    r"(?:military|security|defen[cs]e|weapons|arms)\s+(?:aid|assistance|support\s+for)|"
    # pay as a noun (a pay rise, monthly pay), not the verb ("should pay 5 %")
    r"pay\s+(?:rises?|increases?|awards?|hikes?|for\s+(?:troops|soldiers|personnel|conscripts))|"
    r"(?:monthly|basic|military|soldiers'|conscripts')\s+pay|"
    r"salar(?:y|ies)|pensions?|inflation|interest\s+rates?|tariffs?|exports?|imports?|"
    r"tax(?:es)?|revenues?|health|welfare|education|climate|unemployment|approval|votes?|"
    r"stake|market|bonds?|yields?|population|birth\s+rate|turnout|loans?)\b",
    _I,
)
# What an amount or share may be "for" or "on" and still be the defence budget as a whole
# (or NATO's related part), rather than one line item inside it.
DEF_OBJECT = re.compile(
    r"^(?:(?:its|their|the|our|his|her|national|core|overall|total|annual|own|japan's|"
    r"the\s+country's|[a-z]+'s|a)\s+)*(?:\w+[- ]year\s+)?(?:defen[cs]e|military|security|"
    r"armed\s+forces|forces|build-?up|bundeswehr|rearm\w*|related|resilience|"
    r"civil|programme|program|plan|budget|spending|arms|armaments?|weapons)\b",
    _I,
)
LINE_ITEM_AFTER = re.compile(
    r"\s*(?:(?:of\s+(?:its\s+|the\s+)?gdp|a\s+year|annually|per\s+year|each\s+year)\s+)?"
    # "a €500 billion special fund for infrastructure": the fund's purpose is its object
    r"(?:(?:special\s+|new\s+|extra\s+|additional\s+)?(?:fund|package|programme|program|"
    r"allocation|envelope)\s+)?"
    r"(?:for|on|to\s+(?:buy|purchase|acquire|develop|build|procure|fund|pay\s+for))\s+"
    r"(?P<object>[^,.;]{1,50})",
    _I,
)
BASELINE_BEFORE = re.compile(
    r"(?:\bfrom|\bup\s+from|\bdown\s+from|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|"
    r"\bcurrent(?:ly)?(?:\s+at)?|\btoday's|\blast\s+year's|\bthe\s+current|\bagainst|"
    r"\brelative\s+to|\bfirst\s+(?:\w+\s+){0,3}(?:to\s+)?(?:top|exceed|surpass|pass|break|cross)\w*)"
    r"\s+(?:(?:about|around|roughly|some|just|nearly|almost|under|over|"
    r"a\s+mere|only|the)\s+)*$",
    _I,
)
BOUND_BEFORE: dict[str, re.Pattern[str]] = {
    "at_least": re.compile(
        r"\b(?:at\s+least|a\s+minimum\s+of|no\s+less\s+than|more\s+than|"
        r"over|above|beyond)\s+$",
        _I,
    ),
    "up_to": re.compile(r"\b(?:up\s+to|as\s+much\s+as|no\s+more\s+than|a\s+maximum\s+of)\s+$", _I),
    "about": re.compile(
        r"\b(?:about|around|roughly|some|nearly|almost|approximately|close\s+"
        r"to)\s+$",
        _I,
    ),
}
AIM = re.compile(
    r"\b(?:aim(?:s|ed|ing)?|goal|target(?:s|ed|ing)?|objective|ambition|hopes?|seek(?:s|ing)?|"
    r"sought|strive|aspir\w+|wants?)\b",
    _I,
)
QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "if elected",
        re.compile(
            r"\b(?:if\s+(?:re-?)?elected|if\s+(?:it|they|he|she)\s+wins?|"
            r"should\s+(?:it|they|he|she)\s+win|if\s+returned\s+to\s+power)\b",
            _I,
        ),
    ),
    (
        "",
        re.compile(
            r"\b(?P<q>(?:subject\s+to|provided(?:\s+that)?|conditional\s+on|depending\s+"
            r"on|as\s+long\s+as|if)\s+[^,.;]{3,60})",
            _I,
        ),
    ),
)
PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|for|with|from|against|than|like|toward|towards|on|at|in|about|including|as|by|"
    r"among|between|unlike|alongside|such\s+as|into|behind|over|under|after|before|and\s+"
    r"with)\s+(?:the\s+)?$",
    _I,
)
PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|its|they|their|she|he|we|the\s+(?:government|country|nation|ministry|cabinet|"
    r"administration|coalition|prime\s+minister|chancellor|president|minister|premier|"
    r"defen[cs]e\s+ministry|finance\s+ministry|state)|officials|the\s+plan|the\s+programme|"
    r"the\s+program|the\s+budget|the\s+strategy|the\s+document|the\s+white\s+paper|"
    r"the\s+draft)\b",
    _I,
)
UNRESOLVED_SUBJECT = re.compile(
    r"\b(?:asian|european|pacific|gulf|indo-pacific|other|some|several|many|eastern|nordic|"
    r"baltic|regional|western|its|their|washington's|america's)\s+(?:allies|partners|members|"
    r"countries|states|governments|nations)\b",
    _I,
)
NAMED_SUBJECT = re.compile(
    r"(?<!^)(?<![.!?]\s)\b(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|"
    r"February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z][a-z]+"
    r"|^[A-Z][a-z]+\s+[A-Z][a-z]+"
)
"""A capitalised word that is not the sentence's first: a person or body the tables do not know."""
WEAK_CUE = re.compile(
    r"^(?:target|goal|objective|ambition|commitment|agreement|plan|intention|decision|proposal|"
    r"request|budget)",
    _I,
)
"""Nouns that name a pledge; a verb earlier in the clause governs before them ("Italy backed
the NATO commitment", "Canada signed on to the alliance goal")."""
REPORTING = re.compile(r"\b(?:said|says|told|argued|insisted|wrote|declared|stated)\b", _I)
TIME_OBJECT = re.compile(
    r"^(?:fiscal|fy|financial|\d{4}|next|this|(?:\d{1,2}|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|fifteen|twenty)\s+(?:fiscal\s+)?years|"
    r"the\s+(?:coming|next|current|fiscal|financial|"
    r"following|\w+\s+years?|years?)|each|every|years?|the\s+period|a\s+year)\b",
    _I,
)
DISMISSED_AFTER = re.compile(
    r"\s*(?:of\s+(?:its\s+)?GDP\s+)?(?:is|was|were|are)\s+(?:not\s+enough|too\s+(?:little|low)|"
    r"insufficient|no\s+longer\s+enough|outdated)",
    _I,
)
"""After a number: "2 % was not enough" dismisses a level rather than pledging it."""
CHANGE_PAST = re.compile(
    r"^(?:rose|grew|increased|climbed|jumped|lifted|raised|boosted|rises|grows|increases|climbs|"
    r"jumps|goes\s+up)$",
    _I,
)
