"""The rules of the pledge extractor, one behaviour per test (examples from the issue)."""

from __future__ import annotations

import datetime

import pytest

from buildup.pledges import extract_pledges

D = datetime.date(2025, 6, 25)


def _one(text: str, date: datetime.date = D) -> tuple[object, ...]:
    (p,) = extract_pledges(text, date).pledges
    return (p.actor, p.kind, p.measure, p.value, p.year)


def _none(text: str, date: datetime.date = D) -> None:
    assert extract_pledges(text, date).pledges == ()


def test_doubling_to_two_percent_is_one_pledge_with_its_programme() -> None:
    text = (
        "Japan is in the middle of a five-year build-up that will double its defence budget "
        "to 2 % of GDP by 2027."
    )
    (p,) = extract_pledges(text, datetime.date(2025, 1, 10)).pledges
    assert (p.actor, p.kind, p.measure, p.value, p.year) == (
        "JPN",
        "commitment",
        "share_gdp",
        0.02,
        2027,
    )
    assert (p.start_year, p.end_year) == (2023, 2027)
    assert p.text == text
    assert p.span == (0, len(text))


def test_nato_total_and_core_from_one_sentence() -> None:
    found = extract_pledges(
        "Allies agreed to invest 5 % of GDP by 2035, at least 3.5 % of it on core defence.", D
    ).pledges
    assert [(p.actor, p.value, p.year, p.component) for p in found] == [
        ("NATO", 0.05, 2035, "total"),
        ("NATO", 0.035, 2035, "core"),
    ]


def test_growth_next_year_resolves_against_the_date() -> None:
    assert _one("Seoul will raise next year's defence budget by 7.5 %.", datetime.date(2025, 8, 29)) == (
        "KOR", "commitment", "growth", 0.075, 2026)  # fmt: skip


def test_demand_is_on_the_party_asked() -> None:
    (p,) = extract_pledges("Washington urged Tokyo to spend 3.5 % of GDP on defence.", D).pledges
    assert (p.actor, p.kind, p.demanded_by) == ("JPN", "demand", "USA")


def test_passive_demand() -> None:
    (p,) = extract_pledges(
        "South Korea has been asked by the United States to raise military spending to 3.5% of GDP.",
        D,
    ).pledges
    assert (p.actor, p.kind, p.demanded_by) == ("KOR", "demand", "USA")


def test_amount_programme_in_full_units_with_its_years() -> None:
    (p,) = extract_pledges(
        "Japan will spend ¥43 trillion on defence over five years from FY2023.",
        datetime.date(2022, 12, 16),
    ).pledges
    assert (p.measure, p.value, p.currency) == ("amount", 43e12, "JPY")
    assert (p.start_year, p.end_year, p.year, p.fiscal_year) == (2023, 2027, 2027, True)


def test_split_fiscal_year_counts_as_its_first_year() -> None:
    (p,) = extract_pledges(
        "Australia will lift defence spending to 2.33% of GDP by 2033-34.", D
    ).pledges
    assert (p.year, p.fiscal_year) == (2033, True)


@pytest.mark.parametrize(
    ("phrase", "year"),
    [("within a decade", 2035), ("next year", 2026), ("this fiscal year", 2025),
     ("by the end of the decade", 2030), ("within eight years", 2033)],
)  # fmt: skip
def test_relative_years(phrase: str, year: int) -> None:
    (p,) = extract_pledges(f"Canada will raise defence spending to 2% of GDP {phrase}.", D).pledges
    assert p.year == year


@pytest.mark.parametrize(
    "text",
    [
        "Japan spent 1.4 % of GDP on defence in 2024.",  # spending already done
        "According to SIPRI, Japan's military spending will reach 1.8% of GDP in 2025.",  # estimate
        "Analysts expect Germany's defence budget to reach 3% of GDP by 2028.",  # forecast
        "NATO estimates that Poland will spend 4.5% of GDP on defence this year.",  # estimate
        "Spain will not meet the 5 % target.",  # refusal
        "Madrid rejected NATO's 5% of GDP defence goal.",  # refusal
        "If Japan were to spend 3.5% of GDP on defence, it would cost ¥21 trillion.",  # hypothetical
        "The economy will grow 1.2% next year, the defence ministry said.",  # GDP growth
        "Poland's budget deficit will stay above 6% of GDP as military bills rise.",  # deficit
        "Congress approved $61 billion in aid for Ukraine.",  # aid
        "Soldiers will get a 4.5% pay rise this year, the defence ministry said.",  # pay
        "The defence budget includes ¥1 trillion for stand-off missiles.",  # line item
        "Allies agreed to devote 20% of their defence budgets to new equipment.",  # budget share
        "Germany will provide €9 billion a year to Ukraine in military support.",  # aid
        "Japan will raise spending from 1.4% of GDP.",  # a baseline, no target
    ],
)
def test_not_a_pledge(text: str) -> None:
    _none(text)


def test_baseline_is_not_a_pledge_but_the_target_is() -> None:
    assert _one("Germany will raise defence spending from 2.1% to 3.5% of GDP by 2029.") == (
        "DEU", "commitment", "share_gdp", 0.035, 2029)  # fmt: skip


def test_aim_and_conditional_are_commitments_with_a_qualifier() -> None:
    (aim,) = extract_pledges("Sweden aims to reach 3.5% of GDP on defence by 2030.", D).pledges
    assert (aim.kind, aim.qualifier) == ("commitment", "aim")
    (cond,) = extract_pledges(
        "The Liberal Democratic Party said that if re-elected it would keep Japan on course to "
        "spend 2% of GDP on defence by fiscal 2027.",
        D,
    ).pledges
    assert (cond.actor, cond.kind, cond.qualifier) == ("JPN", "commitment", "if elected")
    (subject,) = extract_pledges(
        "Taiwan will raise defence spending to 3% of GDP, subject to approval by the legislature.",
        D,
    ).pledges
    assert subject.qualifier == "subject to approval by the legislature"


@pytest.mark.parametrize(
    ("subject", "code"),
    [("Japanese officials said Japan", "JPN"), ("The South Korean government", "KOR"),
     ("Canberra", "AUS"), ("Manila", "PHL"), ("Berlin", "DEU"), ("Tokyo", "JPN"),
     ("The Pentagon", "USA"), ("NATO", "NATO"), ("The alliance", "NATO")],
)  # fmt: skip
def test_actors_from_names_adjectives_capitals_alliances(subject: str, code: str) -> None:
    (p,) = extract_pledges(
        f"{subject} will raise defence spending to 2.5% of GDP by 2030.", D
    ).pledges
    assert p.actor == code


def test_coordinated_subject_gives_one_pledge_each() -> None:
    found = extract_pledges(
        "Lithuania, Latvia and Estonia pledged to spend 5% of GDP on defence from 2026.", D
    ).pledges
    assert [(p.actor, p.year) for p in found] == [("LTU", 2026), ("LVA", 2026), ("EST", 2026)]


def test_unknown_actor_is_reported_not_guessed() -> None:
    result = extract_pledges("Hegseth said Asian allies will spend 5% of GDP on defence.", D)
    assert result.pledges == ()
    (u,) = result.unresolved
    assert (u.measure, u.value) == ("share_gdp", 0.05)


def test_pronoun_takes_the_actor_of_the_sentence_before() -> None:
    found = extract_pledges(
        "Germany's cabinet approved a draft budget. The government plans to reach 3.5% of GDP on "
        "core defence by 2029.",
        D,
    ).pledges
    assert [(p.actor, p.value, p.year, p.component) for p in found] == [
        ("DEU", 0.035, 2029, "core")
    ]


def test_html_markup_is_stripped_and_scripts_ignored() -> None:
    html = (
        "<html><head><script>var x = '5% of GDP';</script></head><body><p>Britain will raise "
        "defence spending to 2.5% of GDP by 2027.</p></body></html>"
    )
    (p,) = extract_pledges(html, D).pledges
    assert (p.actor, p.value, p.year) == ("GBR", 0.025, 2027)
    assert "<p>" not in p.text


def test_a_repeated_pledge_is_one_record() -> None:
    found = extract_pledges(
        "Japan will reach 2% of GDP by 2027. Officials said Japan would reach 2% of GDP on "
        "defence by 2027.",
        D,
    ).pledges
    assert len(found) == 1


def test_conversion_in_brackets_is_not_a_second_amount() -> None:
    found = extract_pledges(
        "Seoul proposed a 2026 defence budget of 66.3 trillion won ($47.6 billion).", D
    ).pledges
    assert [(p.currency, p.value) for p in found] == [("KRW", 66.3e12)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South Korean lawmakers passed a 2025 defence budget of 61.2 trillion won.",
         ("KOR", "commitment", "amount", 61.2e12, 2025)),
        ("The government will ask lawmakers for NT$949.5 billion for Taiwan's defence in 2026.",
         ("TWN", "commitment", "amount", 949.5e9, 2026)),
        ("Ottawa's defence policy would take spending to 1.76% of GDP by 2029-30.",
         ("CAN", "commitment", "share_gdp", 0.0176, 2029)),
        ("At Vilnius, NATO allies committed to spend at least 2% of GDP on defence.",
         ("NATO", "commitment", "share_gdp", 0.02, None)),
        ("Italy's prime minister said Rome would meet the 2% NATO target this year.",
         ("ITA", "commitment", "share_gdp", 0.02, 2025)),
        ("Trump singled out Madrid and said Spain should pay 5% like every other ally.",
         ("ESP", "demand", "share_gdp", 0.05, None)),
    ],
)  # fmt: skip
def test_general_rules_found_on_held_out_text(text: str, expected: tuple[object, ...]) -> None:
    assert _one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Germany approved a €500 billion special fund for infrastructure, alongside defence.",
        "Hegseth told NATO that 2% of GDP was not enough for defence.",
        "Washington announced $500 million in foreign military financing for Manila.",
    ],
)
def test_general_negatives_found_on_held_out_text(text: str) -> None:
    _none(text)


def test_the_issue_examples_in_one_text() -> None:
    text = (
        "Japan is in the middle of a five-year build-up that will double its defence budget to "
        "2 % of GDP by 2027. Allies agreed to invest 5 % of GDP by 2035, at least 3.5 % of it on "
        "core defence. Seoul will raise next year's defence budget by 7.5 %. Washington urged "
        "Tokyo to spend 3.5 %. Japan spent 1.4 % of GDP in 2024. Spain will not meet the 5 % target."
    )
    found = extract_pledges(text, D).pledges
    assert [(p.actor, p.kind, p.measure, p.value, p.year) for p in found] == [
        ("JPN", "commitment", "share_gdp", 0.02, 2027),
        ("NATO", "commitment", "share_gdp", 0.05, 2035),
        ("NATO", "commitment", "share_gdp", 0.035, 2035),
        ("KOR", "commitment", "growth", 0.075, 2026),
        ("JPN", "demand", "share_gdp", 0.035, None),
    ]
