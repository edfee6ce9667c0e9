from __future__ import annotations

from pathlib import Path

import pytest

from buildup.errors import InputError
from buildup.scenario.portfolio import (
    AreaLimit,
    AreaLimits,
    Catalogue,
    Envelope,
    PortfolioSpec,
    Programme,
)
from buildup.scenario.programmes import (
    parse_weights,
    read_area_limits,
    read_envelope,
    read_programmes,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "portfolio"
EXAMPLES = Path(__file__).parents[2] / "examples"


def _programme(**changes: object) -> Programme:
    base: dict[str, object] = {
        "id": "a",
        "area": "x",
        "unit_cost": 10.0,
        "max_qty": 2,
        "payment_profile": (1.0,),
        "earliest_start": 2025,
        "latest_start": 2026,
        "value": 1.0,
    }
    return Programme.model_validate(base | changes)


ENVELOPE = Envelope(years=(2025, 2026, 2027), budgets=(10.0, 10.0, 10.0))


def test_read_programmes_csv_skips_comments_and_numbers_rows_as_lines() -> None:
    catalogue = read_programmes(FIXTURES / "programmes.csv")
    assert [p.id for p in catalogue.programmes][:2] == ["radar", "missile"]
    assert catalogue.locations[0] == "programmes.csv, row 3"  # line 1 a comment, 2 the header
    missile = catalogue.programmes[1]
    assert missile.payment_profile == (0.2, 0.4, 0.4)
    assert (missile.min_qty, missile.max_qty) == (2, 6)
    assert catalogue.programmes[3].mandatory
    assert catalogue.programmes[4].exclusive_group == "uav"


def test_read_envelope_and_area_limits() -> None:
    envelope = read_envelope(FIXTURES / "envelope.csv", currency="JPY")
    assert envelope.years == (2025, 2026, 2027)
    assert envelope.budgets == (120.0, 110.0, 100.0)
    assert envelope.currency == "JPY"
    limits = read_area_limits(FIXTURES / "area_limits.csv")
    assert limits.limits[0] == AreaLimit(area="stand-off", min_share=0.2, max_share=0.6)


def test_toml_programmes_with_missions_and_weights(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        """
[weights]
deterrence = 0.75
resilience = 0.25

[[programmes]]
id = "a"
area = "x"
unit_cost = 10.0
max_qty = 3
payment_profile = [0.5, 0.5]
earliest_start = 2025
latest_start = 2026
value_deterrence = 4.0
value_resilience = 8.0
requires = []
""",
        encoding="utf-8",
    )
    catalogue = read_programmes(path)
    assert catalogue.weights == {"deterrence": 0.75, "resilience": 0.25}
    assert catalogue.programmes[0].mission_values == {"deterrence": 4.0, "resilience": 8.0}
    problem = PortfolioSpec(catalogue=catalogue, envelope=ENVELOPE)
    assert problem.strategy == {"deterrence": 0.75, "resilience": 0.25}


def test_toml_unknown_key_names_the_table(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        '[[programmes]]\nid = "a"\narea = "x"\nunit_cost = 1.0\nmax_qty = 1\n'
        "payment_profile = [1.0]\nearliest_start = 2025\nlatest_start = 2025\nvalue = 1.0\n"
        "mandatroy = true\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError,
        match=r"programmes\[0\], column mandatroy: unknown key \(did you mean 'mandatory'\?\)",
    ):
        read_programmes(path)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        (
            {"diminishing_returns": ((2.0, 2.0), (4.0, 5.0))},
            "the curve is not concave and rising at 4:5",
        ),
        ({"diminishing_returns": ((2.0, 2.0), (1.0, 3.0))}, "quantities must increase from 0"),
        ({"max_qty": 0}, "column max_qty: 0 is below 1"),
        ({"payment_profile": (1.2, -0.2)}, "the fraction -0.2 is negative"),
    ],
)
def test_programme_rules(changes: dict[str, object], fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        Catalogue(programmes=(_programme(**changes),), locations=("p.csv, row 2",))


def test_start_windows_must_lie_within_the_envelope_years() -> None:
    late = Catalogue(programmes=(_programme(latest_start=2028),), locations=("p.csv, row 2",))
    with pytest.raises(
        InputError,
        match=r"p.csv, row 2, column latest_start: 2028 is after the last envelope year 2027",
    ):
        PortfolioSpec(catalogue=late, envelope=ENVELOPE)
    early = Catalogue(programmes=(_programme(earliest_start=2024),))
    with pytest.raises(
        InputError,
        match=r"^programmes\[0\]\.earliest_start: 2024 is before the first envelope year 2025",
    ):
        PortfolioSpec(catalogue=early, envelope=ENVELOPE)


def test_area_limits_must_name_an_area_and_be_fractions() -> None:
    catalogue = Catalogue(programmes=(_programme(),))
    limits = AreaLimits(
        limits=(AreaLimit(area="y", min_share=0.1),), locations=("limits.csv, row 2",)
    )
    with pytest.raises(
        InputError,
        match=r"limits.csv, row 2, column area: 'y' is not the area of any programme \(areas: x\)",
    ):
        PortfolioSpec(catalogue=catalogue, envelope=ENVELOPE, area_limits=limits)
    with pytest.raises(
        InputError,
        match=r"^limits\[0\]\.max_share: 40 is outside 0–1 \(a percentage\? write 0.3 for 30 %\)",
    ):
        AreaLimits(limits=(AreaLimit(area="x", max_share=40.0),))


def test_value_or_weights_are_needed() -> None:
    catalogue = Catalogue(programmes=(_programme(value=None, mission_values={"denial": 2.0}),))
    with pytest.raises(InputError, match=r"^programmes\[0\]\.value: empty; give a value score"):
        PortfolioSpec(catalogue=catalogue, envelope=ENVELOPE)
    problem = PortfolioSpec(catalogue=catalogue, envelope=ENVELOPE, weights={"denial": 1.5})
    assert problem.strategy == {"denial": 1.5}


def test_parse_weights() -> None:
    assert parse_weights("deterrence=0.6, resilience=0.4") == {"deterrence": 0.6, "resilience": 0.4}
    with pytest.raises(InputError, match="weights = deterrence: expected mission=weight"):
        parse_weights("deterrence")


def test_envelope_years_must_follow_each_other() -> None:
    with pytest.raises(
        InputError,
        match=r"^years\[1\]: 2025 follows 2025: the years must increase by one",
    ):
        Envelope(years=(2025, 2025), budgets=(1.0, 1.0))
    with pytest.raises(
        InputError, match="2029 follows 2026: the years have a gap \\(2027–2028 missing\\)"
    ):
        Envelope(years=(2026, 2029), budgets=(1.0, 1.0))
    with pytest.raises(InputError, match=r"^budgets\[0\]: -1 is negative"):
        Envelope(years=(2026,), budgets=(-1.0,))


def test_japan_envelope_file_is_the_plan_times_the_share(store) -> None:
    from buildup.engine.optimize import plan_envelope
    from buildup.scenario import read_scenario

    plan = plan_envelope(read_scenario(EXAMPLES / "japan-dbp.toml"), store, 0.10)
    written = read_envelope(EXAMPLES / "japan-envelope.csv")
    assert plan.currency == "JPY"
    assert written.years[: len(plan.years)] == plan.years == (2023, 2024, 2025, 2026, 2027)
    assert written.budgets[: len(plan.years)] == pytest.approx(plan.budgets, rel=1e-12)
    assert set(written.budgets[len(plan.years) :]) == {plan.budgets[-1]}  # FY2027's level held


def test_plan_envelope_share_is_a_fraction(store) -> None:
    from buildup.engine.optimize import plan_envelope
    from buildup.scenario import read_scenario

    with pytest.raises(InputError, match=r"envelope_share = 10: expected a fraction in \(0, 1\]"):
        plan_envelope(read_scenario(EXAMPLES / "japan-dbp.toml"), store, 10.0)


def test_japan_catalogue_reads_and_cites_its_sources() -> None:
    catalogue = read_programmes(EXAMPLES / "japan-programmes.csv")
    assert len(catalogue.programmes) >= 25
    assert all(p.source for p in catalogue.programmes)
    sources = (Path(__file__).parents[2] / "src/buildup/data/files/japan_programs.csv").read_text(
        encoding="utf-8"
    )
    for p in catalogue.programmes:
        for source_id in p.source.split(";"):
            assert source_id in sources, (p.id, source_id)
