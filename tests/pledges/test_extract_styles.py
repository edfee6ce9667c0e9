"""Rules for the styles of reporting found on the fourth held-out round (test4), each tested
on sentences of its own (not the held-out ones): other currencies and number styles, start
months, modals, surpassed levels, aid, the government's own figures, parts of a whole."""

from __future__ import annotations

import datetime

import pytest

from buildup.pledges import extract_pledges

D = datetime.date(2025, 6, 25)


def _all(text: str, date: datetime.date = D) -> list[tuple[object, ...]]:
    return [
        (p.actor, p.kind, p.measure, p.value, p.currency, p.year)
        for p in extract_pledges(text, date).pledges
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a decimal comma
        (
            "Austria will lift defence spending to 1,5 % of GDP by 2032.",
            [("AUT", "commitment", "share_gdp", 0.015, None, 2032)],
        ),
        (
            "Portugal will spend €4,5 billion on defence in 2026.",
            [("PRT", "commitment", "amount", 4.5e9, "EUR", 2026)],
        ),
        # ISO 4217 codes and currency names beyond the first table
        (
            "Saudi Arabia will spend SAR 290 billion on defence in 2026.",
            [("SAU", "commitment", "amount", 290e9, "SAR", 2026)],
        ),
        (
            "Ukraine plans to spend 2.2 trillion hryvnias on defence next year.",
            [("UKR", "commitment", "amount", 2.2e12, "UAH", 2026)],
        ),
        (
            "Prague will spend 200 billion Czech crowns on defence in 2026.",
            [("CZE", "commitment", "amount", 200e9, "CZK", 2026)],
        ),
        (
            "Warsaw will allocate 200 billion zł to defence in 2026.",
            [("POL", "commitment", "amount", 200e9, "PLN", 2026)],
        ),
        # a rise in the present tense is a growth rate; the amount after it its level
        (
            "Indonesia's defence budget rises 12 % next year to 165 trillion rupiah, the "
            "finance ministry said.",
            [
                ("IDN", "commitment", "growth", 0.12, None, 2026),
                ("IDN", "commitment", "amount", 165e12, "IDR", 2026),
            ],
        ),
        # "from January 2026": the month a level starts
        (
            "Romania will spend 2.5 % of GDP on defence from January 2026.",
            [("ROU", "commitment", "share_gdp", 0.025, None, 2026)],
        ),
        # "should aim for": the modal, not the aim, governs — someone else's demand
        (
            "A NATO official said Canada should aim for 3.5 % of GDP.",
            [("CAN", "demand", "share_gdp", 0.035, None, None)],
        ),
        # passing a budget is a decision
        (
            "Poland's parliament passed a 2026 budget with 200 billion złoty for defence.",
            [("POL", "commitment", "amount", 200e9, "PLN", 2026)],
        ),
        # the government's own draft figures are its plan, not a third party's estimate
        (
            "Hungary plans to raise defence spending to 2.1 % of GDP next year, draft budget "
            "figures show.",
            [("HUN", "commitment", "share_gdp", 0.021, None, 2026)],
        ),
        # "of which 3.5 % on core defence": a part of NATO's whole, not a line item
        (
            "Canada will spend 5 % of GDP on security by 2035, of which 3.5 % on core defence.",
            [
                ("CAN", "commitment", "share_gdp", 0.05, None, 2035),
                ("CAN", "commitment", "share_gdp", 0.035, None, 2035),
            ],
        ),
        # setting up a fund is a decision; the fund's years are its period
        (
            "Finland set up a €3 billion defence fund for 2026 and 2027.",
            [("FIN", "commitment", "amount", 3e9, "EUR", 2027)],
        ),
        # the same level restated after a comma shares its year
        (
            "Romania plans to spend 2.5 % of GDP on defence next year, about 45 billion lei.",
            [
                ("ROU", "commitment", "share_gdp", 0.025, None, 2026),
                ("ROU", "commitment", "amount", 45e9, "RON", 2026),
            ],
        ),
    ],
)
def test_styles_of_reporting(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _all(text) == expected


def test_a_period_with_its_unit_elided_belongs_to_the_nearest_number() -> None:
    text = (
        "Greece will spend 3 % of GDP on defence within ten years, backed by €12 billion "
        "over the next five."
    )
    share, amount = extract_pledges(text, D).pledges
    assert (share.year, share.start_year, share.end_year) == (2035, None, None)
    assert (amount.value, amount.year, amount.start_year, amount.end_year) == (
        12e9,
        2029,
        2025,
        2029,
    )


def test_a_past_month_is_a_date_not_a_start() -> None:
    text = (
        "The defence plan dates from March 2023, when Seoul set aside ₩349 trillion for five years."
    )
    (p,) = extract_pledges(text, D).pledges
    # not 2023 + five years: the programme's start is not known from this sentence
    assert (p.actor, p.measure, p.value, p.start_year) == ("KOR", "amount", 349e12, None)


@pytest.mark.parametrize(
    "text",
    [
        "Sweden's defence spending passed 2 % of GDP last year.",
        "Oslo will give Kyiv NOK 85 billion in military aid next year.",
        "Norway will provide €5 billion in security assistance next year.",
        "Berlin will send Ukraine a further €4 billion next year.",
    ],
)
def test_surpassed_levels_and_aid_are_not_pledges(text: str) -> None:
    assert _all(text) == []
