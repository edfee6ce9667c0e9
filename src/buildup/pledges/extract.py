"""Rule-based extraction of spending pledges from text, offline and transparent.

For each sentence the extractor finds the numbers that can be targets (:mod:`quantities`),
the years (:mod:`years`) and the actors (:mod:`actors`); then, for each number, the verb that
governs it (the nearest cue of :mod:`cues` before it, else after it) decides what it is: a
commitment, a demand, or nothing (spending already done, a refusal, a third party's
estimate, a hypothetical, a number that is not about defence spending, a line item, a
baseline "from 1.4 %"). The subject before the verb — or, for a demand, the object after
it — is the actor; "it", "the government" and the like take the actor of the sentences
before. A statement whose actor no table names is reported as unresolved.

>>> import datetime
>>> result = extract_pledges("Seoul will raise next year's defence budget by 7.5 %.",
...                          datetime.date(2025, 8, 29))
>>> [(p.actor, p.kind, p.measure, p.value, p.year) for p in result.pledges]
[('KOR', 'commitment', 'growth', 0.075, 2026)]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from buildup.pledges import cues
from buildup.pledges.actors import ActorMention, find_actors
from buildup.pledges.quantities import Quantity, find_quantities
from buildup.pledges.record import Component, Kind, Pledge, Unresolved
from buildup.pledges.text import Document, Sentence, document_from_text
from buildup.pledges.years import YearMention, find_years

__all__ = ["Extraction", "extract_document", "extract_pledges"]

_NATO_NAMED = re.compile(r"\bNATO\b|\bNato\b|North Atlantic|\bthe [Aa]lliance\b|Hague summit")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What was read from one text: the pledges, and the statements with no nameable actor."""

    pledges: tuple[Pledge, ...]
    unresolved: tuple[Unresolved, ...]


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class _Context:
    date: datetime.date
    nato_named: bool
    defence_document: bool = False
    last_pledge: Pledge | None = None
    last_paragraph: int = -1
    focus: str | None = None  # the last actor a sentence was about, for "it", "the government"
    focus_paragraph: int = -1


def extract_pledges(text: str, date: datetime.date) -> Extraction:
    """Read the pledges in ``text`` (plain or HTML), resolving relative years against ``date``."""
    return extract_document(document_from_text(text), date)


def extract_document(
    document: Document,
    date: datetime.date,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Read the pledges in an already split :class:`Document`; ``progress(done, total)`` is
    called every 200 sentences."""
    context = _Context(
        date=date,
        nato_named=bool(_NATO_NAMED.search(document.text)),
        # A headline or lead about defence makes the whole article about it.
        defence_document=bool(cues.DEFENCE.search(document.text[:300])),
    )
    pledges: list[Pledge] = []
    unresolved: list[Unresolved] = []
    previous: Sentence | None = None
    total = len(document.sentences)
    for index, sentence in enumerate(document.sentences):
        if progress is not None and index % 200 == 0:
            progress(index, total)
        found, missing = _read_sentence(sentence, previous, context)
        pledges.extend(found)
        unresolved.extend(missing)
        previous = sentence
    return Extraction(tuple(_merge(pledges)), tuple(unresolved))


_AFTER_MODAL = re.compile(
    r"\b(?:will|would|to|'ll|shall|can|could|must|should|may|might|not)\s+$", re.I
)


def _cues(sentence: str) -> list[_Cue]:
    found: list[_Cue] = []
    for kind, pattern in cues.GOVERNING.items():
        for m in pattern.finditer(sentence):
            if kind in ("past", "demand") and _AFTER_MODAL.search(sentence[: m.start()]):
                # "will hit 2 %", "to push spending to 5 %": a bare verb, the subject's own act.
                continue
            if not any(c.start <= m.start() < c.end for c in found):
                found.append(_Cue(kind, m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


def _clause(sentence: str, position: int) -> tuple[int, int]:
    start, end = 0, len(sentence)
    for m in cues.CLAUSE_BREAK.finditer(sentence):
        if m.end() <= position:
            start = m.end()
        elif m.start() > position:
            end = m.start()
            break
    return start, end


def _actors(sentence: str, context: _Context) -> list[ActorMention]:
    mentions = find_actors(sentence)
    kept = []
    for m in mentions:
        if m.needs_context:
            before = sentence[: m.start].rstrip().lower()
            if re.search(
                r"\b(?:asian|european|pacific|gulf|indo-pacific|other|some|several|many|eastern|"
                r"nordic|baltic|regional|western|its|their|washington's|america's|us|u\.s\.|key|"
                r"major|close|treaty|democratic|eu|g7|quad|aukus)$",
                before,
            ):
                continue
        kept.append(m)
    # "the US ally Japan": drop an adjective that qualifies the next actor's noun phrase.
    return kept


def _is_subject(sentence: str, mention: ActorMention) -> bool:
    return not cues.PREPOSITION_BEFORE.search(sentence[: mention.start])


def _group_ending_at(sentence: str, mentions: list[ActorMention], last: int) -> list[str]:
    """The actors of a coordinated subject ending with ``mentions[last]``: "A, B and C"."""
    codes = [mentions[last].code]
    i = last
    while i > 0:
        gap = sentence[mentions[i - 1].end : mentions[i].start]
        if not re.fullmatch(r"\s*(?:'s)?\s*(?:,|and|&|,\s*and|as\s+well\s+as|plus)\s*", gap):
            break
        if not _is_subject(sentence, mentions[i - 1]):
            break  # "At Vilnius, NATO allies …": not a coordinated subject
        i -= 1
        codes.insert(0, mentions[i].code)
    return list(dict.fromkeys(codes))


def _subject(
    sentence: str, mentions: list[ActorMention], before: int, floor: int
) -> list[str] | None:
    candidates = [
        i
        for i, m in enumerate(mentions)
        if floor <= m.start and m.end <= before and _is_subject(sentence, m)
    ]
    if not candidates:
        return None
    return _group_ending_at(sentence, mentions, candidates[-1])


def _governing(
    text: str, cue_list: list[_Cue], q: Quantity, floor: int, ceiling: int
) -> _Cue | None:
    before = [c for c in cue_list if floor <= c.start and c.end <= q.start]
    if before:
        last = before[-1]
        if (
            last.kind == "commit"
            and len(before) > 1
            and before[-2].kind == "should"
            and not text[before[-2].end : last.start].strip()
        ):
            return before[-2]  # "should aim for", "must plan to": the modal governs
        if last.kind == "commit" and cues.WEAK_CUE.match(text[last.start : last.end]):
            strong = [c for c in before[:-1] if not cues.WEAK_CUE.match(text[c.start : c.end])]
            if strong and strong[-1].kind in ("commit", "neg", "demand", "past"):
                return strong[-1]
        return last
    after = [
        c
        for c in cue_list
        if q.end <= c.start < ceiling
        and c.kind in ("commit", "past", "neg", "demand")
        and not re.match(r"(?:target|goal|objective|ambition)", c.kind)
    ]
    return after[0] if after else None


def _negated(sentence: str, cue_list: list[_Cue], cue: _Cue, q: Quantity) -> bool:
    window_start = max(0, cue.start - 14)
    return any(
        c.kind == "neg" and window_start <= c.start < q.start and c is not cue for c in cue_list
    )


def _topic_is_defence(
    sentence: str, previous: Sentence | None, q: Quantity, defence_document: bool
) -> bool:
    # "military aid": a defence word inside a non-defence phrase does not make it defence.
    other = [(m.start(), m.end()) for m in cues.NON_DEFENCE.finditer(sentence)]
    near_def = [
        min(abs(m.start() - q.start), abs(m.end() - q.end))
        for m in cues.DEFENCE.finditer(sentence)
        if not any(a <= m.start() < b for a, b in other)
    ]
    if not near_def:
        if not defence_document and (previous is None or not cues.DEFENCE.search(previous.text)):
            return False
        near_def = [10_000]
    window = sentence[max(0, q.start - 30) : q.end + 25]
    offset = max(0, q.start - 30)
    for m in cues.NON_DEFENCE.finditer(window):
        distance = min(abs(offset + m.start() - q.start), abs(offset + m.end() - q.end))
        if distance < min(near_def):
            return False
    return True


def _subject_not_defence(sentence: str, cue: _Cue, floor: int) -> bool:
    """ "Poland's budget deficit will stay above 6 % of GDP": the subject before the verb is
    not defence spending."""
    head = sentence[max(floor, cue.start - 40) : cue.start]
    return bool(cues.NON_DEFENCE.search(head)) and not cues.DEFENCE.search(head)


_GIVE_BEFORE = re.compile(
    r"\b(?:give|gives|giving|gave|send|sends|sending|sent|offer(?:s|ed|ing)?|provid(?:e|es|ed|"
    r"ing)|grant(?:s|ed|ing)?|lend(?:s|ing)?|lent|promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing))"
    r"\s+(?:the\s+)?$",
    re.I,
)


def _line_item(sentence: str, q: Quantity, mentions: list[ActorMention]) -> bool:
    """A part of a budget ("¥1 trillion for stand-off missiles"), or money given to another
    country ("€9 billion a year to Ukraine", "give Ukraine €9 billion"), rather than a
    defence budget as a whole."""
    for mention in mentions:
        if re.fullmatch(
            r"\s+(?:a\s+further\s+|another\s+|an\s+(?:extra|additional)\s+)?",
            sentence[mention.end : q.start],
        ) and _GIVE_BEFORE.search(sentence[: mention.start]):
            return True
        gap = sentence[q.end : mention.start]
        owner = sentence[mention.end : mention.end + 2] == "'s" or mention.kind == "adjective"
        if (
            0 <= len(gap) <= 40
            and not owner  # "for Taiwan's defence" is the actor's own budget
            and re.fullmatch(r"[^.;,]*?\b(?:to|for)\s+(?:the\s+)?", gap, re.I)
        ):
            return True
    m = cues.LINE_ITEM_AFTER.match(sentence, q.end)
    part_of = re.search(
        r"\b(?:including|includes|of\s+which|among\s+them|of\s+that)\s+$", sentence[: q.start], re.I
    )
    if m is None:
        # "5 % by 2035, of which 3.5 % will go to core defence": NATO's parts, not a line item
        component = q.measure == "share_gdp" and re.match(
            r"[^.;,]{0,30}?\b(?:core|related|resilience)\b", sentence[q.end :], re.I
        )
        return bool(part_of) and not component
    target = m["object"].strip()
    return not (cues.DEF_OBJECT.match(target) or cues.TIME_OBJECT.match(target))


def _conversion(sentence: str, q: Quantity, quantities: list[Quantity]) -> bool:
    """An amount that restates the one before it in another currency: "₩66tn ($47bn)"."""
    if q.measure != "amount":
        return False
    for other in quantities:
        if other is not q and other.measure == "amount" and other.end <= q.start:
            gap = sentence[other.end : q.start]
            if re.fullmatch(
                r"\s*(?:\(|,?\s*or|,?\s*about|,?\s*roughly|,?\s*around|,?\s*some|"
                r",?\s*equivalent\s+to|,?\s*worth)\s*(?:about\s+|around\s+|roughly\s+|"
                r"some\s+|an\s+estimated\s+|nearly\s+)?(?:US)?\s*",
                gap,
                re.I,
            ):
                return True
    return False


def _year_for(
    sentence: str,
    q: Quantity,
    years: list[YearMention],
    quantities: list[Quantity],
    floor: int,
    ceiling: int,
) -> YearMention | None:
    usable = [
        y
        for y in years
        if y.role in ("target", "from") and y.year is not None and floor <= y.start_char < ceiling
    ]
    others = [o for o in quantities if o is not q]

    def blocked(a: int, b: int) -> bool:
        return any(a <= o.start < b for o in others)

    after = [y for y in usable if y.start_char >= q.end and not blocked(q.end, y.start_char)]
    targets = [y for y in after if y.role == "target"]
    if targets:
        return targets[0]

    def owned(y: YearMention) -> bool:
        # "2.5 % by 2027, …, and 3 %": 2027 belongs to the number just before it.
        return any(o.end <= y.start_char and y.start_char - o.end <= 40 for o in others)

    before = [
        y
        for y in usable
        if y.end_char <= q.start
        and not blocked(y.end_char, q.start)
        and y.role == "target"
        and not owned(y)
    ]
    if before:
        return before[-1]
    starts = [
        y
        for y in usable
        if y.role == "from"
        and not owned(y)
        and not (
            q.measure == "growth"
            and re.match(r"\s*(?:\S+\s+){0,3}?from\s", sentence[q.end : y.start_char + 1])
        )
    ]
    return starts[0] if starts else None


def _period(
    q: Quantity,
    quantities: list[Quantity],
    years: list[YearMention],
    floor: int,
    ceiling: int,
    target: YearMention | None,
) -> tuple[int | None, int | None, bool]:
    def nearest(y: YearMention) -> Quantity | None:
        # "double … to 2 %" is one pledge, the 2 %: the doubling owns no period
        inside = [
            o for o in quantities if floor <= o.start < ceiling and (o is q or not o.doubling)
        ]
        return min(inside, key=lambda o: abs(o.start - y.start_char), default=None)

    # "2 % within eight years, backed by NZ$12 billion over the next four": a period belongs
    # to the number nearest to it.
    spans = [
        y
        for y in years
        if floor <= y.start_char < ceiling and (y.role != "period" or nearest(y) in (q, None))
    ]
    ranges = [y for y in spans if y.role == "period" and y.start is not None]
    if ranges:
        r = min(ranges, key=lambda y: abs(y.start_char - q.start))
        return r.start, r.end, r.fiscal
    lengths = [y for y in spans if y.role == "period" and y.length is not None]
    if not lengths:
        return None, None, False
    n = min(lengths, key=lambda y: abs(y.start_char - q.start)).length
    assert n is not None
    starts = [y for y in spans if y.role == "from" and y.year is not None]
    if starts:
        first = starts[0]
        assert first.year is not None
        return first.year, first.year + n - 1, first.fiscal
    if target is not None and target.year is not None and target.by:
        return target.year - n + 1, target.year, target.fiscal
    return None, None, False


def _component(sentence: str, q: Quantity, quantities: list[Quantity]) -> Component | None:
    after = sentence[q.end : q.end + 60].lower()
    before = sentence[max(0, q.start - 40) : q.start].lower()
    if re.match(r"[^.;]{0,30}?\bcore\b", after) or re.search(r"\bcore\b[^.;]{0,25}$", before):
        return "core"
    has_core = bool(re.search(r"\bcore\b", sentence, re.I))
    if re.match(
        r"[^.;]{0,40}?\b(?:related|resilience|infrastructure|civil\s+preparedness)\b", after
    ) and (has_core or re.search(r"security-related|and\s+security", after)):
        return "related"
    if re.search(
        r"\b(?:total|overall|in\s+all|combined|altogether|headline)\b", before + " " + after[:30]
    ):
        return "total"
    later = [o for o in quantities if o.start > q.start and o.measure == "share_gdp"]
    if q.measure == "share_gdp" and later and later[0].anaphoric:
        return "total"  # "5 % of GDP, at least 3.5 % of it on core defence"
    if has_core and q.measure == "share_gdp":
        shares = [o.value for o in quantities if o.measure == "share_gdp" and o is not q]
        if any(abs(a + b - q.value) < 1e-9 for a in shares for b in shares if a is not b):
            return "total"
    return None


def _qualifier(sentence: str, clause: str, cue: _Cue | None) -> str | None:
    for label, pattern in cues.QUALIFIERS:
        m = pattern.search(sentence)
        if m is not None:
            return label or " ".join(m.group("q").split())
    if cues.AIM.search(clause):
        return "aim"
    return None


def _bound(sentence: str, q: Quantity) -> str | None:
    before = sentence[max(0, q.start - 25) : q.start]
    for name, pattern in cues.BOUND_BEFORE.items():
        if pattern.search(before):
            return name
    return None


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one sentence holds, found once and shared by the steps that read a number."""

    text: str
    quantities: list[Quantity]
    mentions: list[ActorMention]
    years: list[YearMention]
    cue_list: list[_Cue]
    previous: Sentence | None


def _rejected(r: _Reading, q: Quantity, floor: int, ceiling: int, context: _Context) -> bool:
    """Whether a number is, on its face, no pledge (whatever verb governs it)."""
    text, clause = r.text, r.text[floor:ceiling]
    if q.doubling and any(
        o is not q and not o.doubling and floor <= o.start < ceiling for o in r.quantities
    ):
        return True  # "double its budget to 2 % of GDP": one pledge, the 2 %
    return bool(
        cues.BASELINE_BEFORE.search(text[max(0, q.start - 40) : q.start])
        or cues.DISMISSED_AFTER.match(text, q.end)
        or _conversion(text, q, r.quantities)
        or _line_item(text, q, r.mentions)
        or not _topic_is_defence(text, r.previous, q, context.defence_document)
        or _estimate(clause)
        or cues.HYPO.search(clause)
    )


_OWN_DOCUMENT = re.compile(
    r"\b(?:budget|draft|government|ministry|official|plan|programme|program|treasury|cabinet)"
    r"(?:'s)?\s+(?:\w+\s+)?$",
    re.I,
)


def _estimate(clause: str) -> bool:
    """A third party's estimate or forecast in the clause; "draft budget figures show" is the
    government's own plan, not an estimate."""
    for m in cues.ESTIMATE.finditer(clause):
        word = m.group(0).lower()
        if word.startswith(("figures", "data", "projected", "projection")) and _OWN_DOCUMENT.search(
            clause[: m.start()]
        ):
            continue
        return True
    return False


def _cue_for(
    r: _Reading,
    q: Quantity,
    floor: int,
    ceiling: int,
    year: YearMention | None,
    date: datetime.date,
) -> _Cue | None:
    cue = _relative_clause(r.text, r.mentions, r.cue_list, q) or _governing(
        r.text, r.cue_list, q, floor, ceiling
    )
    if year is None:
        # "rises 12 % next year to 165 trillion rupiah": the clause's year for the level too
        year = next(
            (y for y in r.years if y.role == "target" and floor <= y.start_char < ceiling), None
        )
    if (
        cue is not None
        and cue.kind == "past"
        and cues.CHANGE_PAST.match(r.text[cue.start : cue.end])
        and year is not None
        and year.year is not None
        and year.year > (_fiscal_now(date) if year.fiscal else date.year)
    ):
        # "India raised its defence allocation by 9.5 % for the coming fiscal year": a
        # decision taken, on money not yet spent.
        cue = _Cue("commit", cue.start, cue.end)
    return cue


def _dates(
    r: _Reading,
    q: Quantity,
    year: YearMention | None,
    head: Pledge | None,
    floor: int,
    ceiling: int,
) -> tuple[int | None, bool, int | None, int | None]:
    """Target year, fiscal flag, first and last year of the programme."""
    year_value = year.year if year is not None else None
    fiscal = year.fiscal if year is not None else False
    start_year, end_year, period_fiscal = _period(q, r.quantities, r.years, floor, ceiling, year)
    if year is not None and year.role == "from" and end_year is not None:
        year_value, fiscal = None, year.fiscal  # a programme's first year: see below
    if head is not None and year is None:
        year_value, fiscal = head.year, head.fiscal_year
    if year_value is None and end_year is not None:
        explicit = any(
            y.role == "period" and y.start is not None and y.length is None for y in r.years
        )
        # "5-6 % from 2026 to 2030" holds from its first year; an amount over a programme,
        # or a level reached "over the next ten years", is for its last.
        year_value = start_year if (explicit and q.measure != "amount") else end_year
        fiscal = fiscal or period_fiscal
    fiscal = fiscal or (
        period_fiscal and year_value is not None and (year_value in (start_year, end_year))
    )
    return year_value, fiscal, start_year, end_year


def _read_sentence(
    sentence: Sentence, previous: Sentence | None, context: _Context
) -> tuple[list[Pledge], list[Unresolved]]:
    text = sentence.text
    quantities = find_quantities(text)
    mentions = _actors(text, context)
    subjects = [m for m in mentions if _is_subject(text, m)]
    if sentence.paragraph > context.focus_paragraph + 1:
        context.focus = None
    if not quantities:
        if subjects:
            context.focus, context.focus_paragraph = subjects[0].code, sentence.paragraph
        return [], []
    r = _Reading(text, quantities, mentions, find_years(text, context.date), _cues(text), previous)
    unresolved: list[Unresolved] = []
    accepted: list[tuple[Quantity, Pledge]] = []
    for q in quantities:
        floor, ceiling = _clause(text, q.start)
        if _rejected(r, q, floor, ceiling, context):
            continue
        year = _year_for(text, q, r.years, quantities, floor, ceiling)
        cue = _cue_for(r, q, floor, ceiling, year, context.date)
        if q.anaphoric and accepted and cue is not None and cue.kind not in ("commit", "demand"):
            cue = None
        head = accepted[-1][1] if (q.anaphoric and accepted) else None
        if head is None and (cue is None or cue.kind in ("past", "neg")):
            continue
        if cue is not None and (
            _negated(text, r.cue_list, cue, q) or _subject_not_defence(text, cue, floor)
        ):
            continue
        if head is not None:
            kind, actor_codes, demanded_by = head.kind, [head.actor], head.demanded_by
        else:
            assert cue is not None
            resolved = _resolve(text, mentions, cue, q, floor, ceiling, r.cue_list, context)
            if resolved is None:
                continue
            kind, actor_codes, demanded_by = resolved
        year_value, fiscal, start_year, end_year = _dates(r, q, year, head, floor, ceiling)
        if not actor_codes:
            unresolved.append(
                Unresolved(
                    text=text,
                    span=(sentence.start, sentence.end),
                    measure=q.measure,
                    value=q.value,
                    year=year_value,
                    reason="no actor named that the country tables know (a person, a group "
                    "such as 'Asian allies', or none)",
                )
            )
            continue
        for code in actor_codes:
            currency = q.currency
            if currency == "JPY" and code == "CHN" and "¥" in text[q.start : q.end]:
                currency = "CNY"
            pledge = Pledge(
                actor=code,
                kind=kind,
                measure=q.measure,
                value=q.value,
                currency=currency,
                year=year_value,
                fiscal_year=fiscal,
                start_year=start_year,
                end_year=end_year,
                component=_component(text, q, quantities),
                text=text,
                span=(sentence.start, sentence.end),
                qualifier=(
                    _qualifier(text, text[floor:ceiling], cue) if kind == "commitment" else None
                ),
                bound=_bound(text, q),  # type: ignore[arg-type]
                value_high=q.value_high,
                demanded_by=demanded_by if demanded_by != code else None,
            )
            accepted.append((q, pledge))
    pledges = _share_years(text, accepted, r.cue_list)
    pledges = _continue_previous(pledges, bool(mentions), sentence, context)
    if pledges:
        context.last_pledge, context.last_paragraph = pledges[-1], sentence.paragraph
    if pledges:
        context.focus, context.focus_paragraph = pledges[-1].actor, sentence.paragraph
    elif subjects:
        context.focus, context.focus_paragraph = subjects[0].code, sentence.paragraph
    return pledges, unresolved


def _resolve(
    text: str,
    mentions: list[ActorMention],
    cue: _Cue,
    q: Quantity,
    floor: int,
    ceiling: int,
    cue_list: list[_Cue],
    context: _Context,
) -> tuple[Kind, list[str], str | None] | None:
    """Kind, actors and demander for a number governed by ``cue``; ``None`` if not a pledge."""
    subject = _subject(text, mentions, cue.start, floor) or _subject(text, mentions, cue.start, 0)
    if subject is None and cue.start > q.start:
        subject = _subject(text, mentions, len(text), 0)
    passive = cues.PASSIVE_DEMAND.search(text[max(floor, cue.start - 30) : cue.end + 25])
    if cue.kind == "demand" or (passive and cue.kind in ("ask_obj", "demand", "commit")):
        if passive:
            by = re.search(r"\bby\s+", text[cue.end : q.start])
            demander = None
            if by is not None:
                after_by = [m for m in mentions if m.start >= cue.end + by.end()]
                demander = after_by[0].code if after_by else None
            target = subject or _pronoun(text, floor, cue.start, context)
            return "demand", target or [], demander
        target = _object(text, mentions, cue.end, max(q.start, cue.end))
        if target is None:
            after = [
                i
                for i, m in enumerate(mentions)
                if m.start >= q.end
                and m.start < ceiling
                and re.search(r"\b(?:from|of|on|for)\s+(?:the\s+)?$", text[: m.start])
            ]
            target = [mentions[after[0]].code] if after else []
        demander_list = _subject(text, mentions, cue.start, 0)
        demander = demander_list[-1] if demander_list else None
        if not target and demander is None:
            return None
        return "demand", target, demander
    if cue.kind == "ask_obj":
        to = re.search(r"\bto\b", text[cue.end : q.start])
        span_end = cue.end + to.start() if to else q.start
        target = _object(text, mentions, cue.end, span_end)
        if target:
            demander_list = _subject(text, mentions, cue.start, 0)
            return "demand", target, demander_list[-1] if demander_list else None
        word = text[cue.start : cue.end].lower()
        if word.startswith(("told", "tell")) or (
            word.startswith("expect") and not re.match(r"\s+to\b", text[cue.end :])
        ):
            return None
        target = subject or _pronoun(text, floor, cue.start, context)
        return "commitment", target or [], None
    if cue.kind == "should":
        target = subject or _pronoun(text, floor, cue.start, context)
        if not target:
            return None
        others = [m.code for m in mentions if m.code not in target]
        nearest = max(
            (m.start for m in mentions if m.code in target and m.end <= cue.start),
            default=cue.start,
        )
        reported = cues.REPORTING.search(text[:nearest])
        if others:
            return "demand", target, others[-1]
        if reported:
            # "Trump said NATO members should spend 5 %": someone else's demand.
            return "demand", target, None
        return None
    # A commitment.
    target = subject or _pronoun(text, floor, cue.start, context)
    if not target:
        owner = [
            o
            for o in mentions
            if cue.end <= o.start
            and o.end <= q.start
            and (text[o.end : o.end + 2] == "'s" or o.kind == "adjective")
        ]
        if owner:
            target = [owner[0].code]  # "Lai promised to raise Taiwan's defence budget to 3 %"
    if not target:
        # "… NT$949.5 billion for Taiwan's defence": whose defence the money is for.
        owners = [
            m
            for m in mentions
            if q.end <= m.start <= q.end + 25
            and text[m.end : m.end + 2] == "'s"
            and cues.DEFENCE.match(text, m.end + 3)
        ]
        if owners:
            target = [owners[0].code]
    if not target:
        speakers = [m for m in mentions if m.start >= q.end and _is_subject(text, m)]
        if speakers:
            target = [speakers[0].code]  # "… 2 % of GDP by 2027, Japan said"
    return "commitment", target or [], None


def _object(text: str, mentions: list[ActorMention], start: int, end: int) -> list[str] | None:
    """The first actor (or coordinated actors) after a verb: "urged Tokyo and Seoul to …"."""
    inside = [i for i, m in enumerate(mentions) if start <= m.start and m.end <= end]
    if not inside:
        return None
    last = inside[0]
    while last + 1 in inside and re.fullmatch(
        r"\s*(?:,|and|&|,\s*and)\s*", text[mentions[last].end : mentions[last + 1].start]
    ):
        last += 1
    return list(dict.fromkeys(m.code for m in mentions[inside[0] : last + 1]))


def _relative_clause(
    text: str, mentions: list[ActorMention], cue_list: list[_Cue], q: Quantity
) -> _Cue | None:
    """ "the 2 % Tokyo has promised": a pledge verb right after the number governs it."""
    after = [m for m in mentions if q.end <= m.start <= q.end + 25]
    if not after:
        return None
    m = after[0]
    gap = text[q.end : m.start]
    if not re.fullmatch(
        r"\s*(?:of\s+(?:its\s+)?GDP\s+)?(?:that\s+|which\s+)?(?:the\s+)?", gap, re.I
    ):
        return None
    for c in cue_list:
        if (
            m.end <= c.start <= m.end + 12
            and c.kind == "commit"
            and not cues.WEAK_CUE.match(text[c.start : c.end])
        ):
            between = text[m.end : c.start]
            if re.fullmatch(r"(?:'s)?\s*(?:has|had|have|government|has\s+long)?\s*", between):
                return c
    return None


# How two numbers of one clause are joined when the second (or first) shares the other's year.
_TO_NEXT = re.compile(r"\band\b|\bplus\b|\bto\s+(?:lift|raise|reach|bring|increase|boost|take)\b")
_TO_PREVIOUS = re.compile(
    r"\band\b|\bplus\b"
    r"|,\s*(?:including|of\s+which|with)\s+(?:at\s+least\s+|up\s+to\s+)?$"  # a part of a whole
    r"|,\s*(?:up|an?\s+(?:increase|rise))"  # "61.2 trillion won, up 3.6 %"
    r"|,\s*or\s+(?:about\s+|some\s+)?$"  # "€152.8 billion in 2029, or 3.5 % of GDP"
    # "4.8 % of GDP next year, about 200 billion złoty": the same level restated
    r"|,\s*(?:about|around|roughly|some|nearly|almost|equal\s+to|equivalent\s+to)\s+$"
    r"|\bto\s+(?:(?:about|around|some|nearly|almost|roughly)\s+)?$"  # "by 8.2 % to 66.3 trillion"
    r"|\bto\s+(?:reach|hit|meet|lift|raise|bring|take)\b"  # "add C$9 billion … to reach 2 %"
)


_OWN_VERB = re.compile(
    r"will|would|shall|'ll|aim|pledg|vow|promis|commit|intend|seek|sought|agree|decid|approv|"
    r"adopt|announc|unveil|set\s+to|expect|ambition|goal|objective|target",
    re.I,
)


def _share_years(
    text: str, accepted: list[tuple[Quantity, Pledge]], cue_list: list[_Cue]
) -> list[Pledge]:
    """Numbers of one series share a year: "3.5 % on core defence and 1.5 % on resilience by
    2035"; "a budget of 61.2 trillion won, up 3.6 %" (the year of its neighbour)."""
    out = [p for _, p in accepted]
    for i, (q, p) in enumerate(accepted):
        if p.year is not None:
            continue
        for j in (i + 1, i - 1):
            if not 0 <= j < len(accepted):
                continue
            q2, p2 = accepted[j]
            if p2.year is None or (p2.actor, p2.kind) != (p.actor, p.kind):
                continue
            lo, hi = (q.end, q2.start) if j > i else (q2.end, q.start)
            gap = text[lo:hi]
            joined = (_TO_NEXT if j > i else _TO_PREVIOUS).search(gap)
            # "2.6 % from 2027 and aims for 3 %": a verb of its own makes a pledge of its own.
            own_verb = any(lo <= c.start < hi and _OWN_VERB.match(text, c.start) for c in cue_list)
            if len(gap) <= 90 and not cues.CLAUSE_BREAK.search(gap) and joined and not own_verb:
                out[i] = replace(p, year=p2.year, fiscal_year=p2.fiscal_year)
                break
    return out


def _continue_previous(
    pledges: list[Pledge], names_someone: bool, sentence: Sentence, context: _Context
) -> list[Pledge]:
    """ "Allies agreed on 5 % by 2035. At least 3.5 % of output is to go on core needs.": a
    sentence that names no one and no year continues the pledge before it (same paragraph)."""
    before = context.last_pledge if context.last_paragraph == sentence.paragraph else None
    if names_someone or before is None or before.year is None:
        return pledges
    return [
        replace(p, year=before.year, fiscal_year=before.fiscal_year)
        if p.year is None and (p.actor, p.kind) == (before.actor, before.kind)
        else p
        for p in pledges
    ]


def _fiscal_now(date: datetime.date) -> int:
    return date.year if date.month >= 4 else date.year - 1


def _pronoun(text: str, floor: int, before: int, context: _Context) -> list[str] | None:
    """The actor of the sentences before, for "it", "the government", or a sentence that
    names no one; ``None`` when a name the tables do not know stands in the subject."""
    head = text[floor:before]
    if context.focus is None or cues.UNRESOLVED_SUBJECT.search(head):
        return None
    if cues.PRONOUN_SUBJECT.search(head):
        return [context.focus]
    if not cues.NAMED_SUBJECT.search(head):
        return [context.focus]
    return None


def _merge(pledges: list[Pledge]) -> list[Pledge]:
    """One record per pledge: repeats of the same pledge, and a yearless mention of a pledge
    that is also stated with its year, fold into the first full statement."""
    merged: list[Pledge] = []
    for p in pledges:
        same = [
            i
            for i, m in enumerate(merged)
            if (m.actor, m.kind, m.measure) == (p.actor, p.kind, p.measure)
            and abs(m.value - p.value) <= 1e-9 * max(1.0, abs(p.value))
            and (m.year == p.year or m.year is None or p.year is None)
        ]
        if not same:
            merged.append(p)
            continue
        i = same[0]
        if merged[i].year is None and p.year is not None:
            merged[i] = replace(p, qualifier=p.qualifier or merged[i].qualifier)
        elif merged[i].start_year is None and p.start_year is not None:
            merged[i] = replace(merged[i], start_year=p.start_year, end_year=p.end_year)
    return merged
