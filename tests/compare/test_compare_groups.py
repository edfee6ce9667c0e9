"""Country groups: the bundled file, accession years, and users' own group files."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildup.compare import Group, load_groups, resolve_group
from buildup.errors import InputError

# NATO, Member countries (https://www.nato.int/cps/en/natohq/topics_52044.htm): 32 allies.
NATO_JOINED = {
    1949: {"BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "USA"},
    1952: {"GRC", "TUR"},
    1955: {"DEU"},
    1982: {"ESP"},
    1999: {"CZE", "HUN", "POL"},
    2004: {"BGR", "EST", "LVA", "LTU", "ROU", "SVK", "SVN"},
    2009: {"ALB", "HRV"},
    2017: {"MNE"},
    2020: {"MKD"},
    2023: {"FIN"},
    2024: {"SWE"},
}


def test_nato_members_and_accession_years() -> None:
    nato = resolve_group("NATO")
    expected = {iso3: year for year, codes in NATO_JOINED.items() for iso3 in codes}
    assert {m.iso3: m.joined for m in nato.memberships} == expected
    assert len(nato.members(2024)) == 32
    assert len(nato.members(2022)) == 30
    assert "FIN" not in nato.members(2022)
    assert nato.is_member("FIN", 2023)
    assert not nato.is_member("SWE", 2023)
    assert nato.source.startswith("NATO, Member countries")


@pytest.mark.parametrize(
    ("name", "size"),
    [("G7", 7), ("QUAD", 4), ("US_INDO_PACIFIC_ALLIES", 5), ("EU", 27)],
)
def test_bundled_groups_have_members_and_a_source(name: str, size: int) -> None:
    group = resolve_group(name)
    assert len(group.members()) == size
    assert group.source


def test_the_quad_and_the_treaty_allies() -> None:
    assert set(resolve_group("QUAD").members()) == {"AUS", "IND", "JPN", "USA"}
    assert set(resolve_group("US_INDO_PACIFIC_ALLIES").members(2024)) == {
        "JPN",
        "KOR",
        "AUS",
        "PHL",
        "THA",
    }
    assert "GBR" not in resolve_group("EU").members(2024)


def test_names_are_case_insensitive() -> None:
    assert resolve_group("nato") == resolve_group("NATO")


def test_unknown_group_lists_the_known_ones() -> None:
    with pytest.raises(InputError) as raised:
        resolve_group("AUKUS")
    assert str(raised.value).startswith(
        "group = AUKUS: unknown group; expected one of EU, G7, NATO, QUAD, US_INDO_PACIFIC_ALLIES"
    )


def test_an_ad_hoc_group_counts_every_year() -> None:
    group = Group.of_countries(["JPN", "KOR"])
    assert group.members(1950) == ("JPN", "KOR")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_groups_file_adds_groups(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[groups.AUKUS]\nsource = "AUKUS partnership, 2021"\n'
        'members = { AUS = 2021, "United Kingdom" = 2021, USA = 2021 }\n',
    )
    groups = load_groups(path)
    assert "NATO" in groups
    aukus = resolve_group("aukus", path)
    assert {m.iso3: m.joined for m in aukus.memberships} == {"AUS": 2021, "GBR": 2021, "USA": 2021}
    assert aukus.members(2020) == ()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '[groups.X]\nsource = "s"\nmembers = ["JPN", "Atlantis"]\n',
            "groups.X.members: unknown country 'Atlantis'",
        ),
        ('[groups.X]\nmembers = ["JPN"]\n', "groups.X.source: Field required"),
        ('[groups.X]\nsource = "s"\nmembers = ["JPN"]\ncolour = 1\n', "groups.X.colour"),
        ('[groups.X]\nsource = "s"\nmembers = { JPN = 1800 }\n', "groups.X.members"),
        ('[groups.X]\nsource = "s"\nmembers = ["JPN", "jpn"]\n', "listed twice"),
        ("[groups.X\n", "is not valid TOML"),
    ],
)
def test_a_broken_groups_file_names_the_file_and_key(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_groups(path)
    message = str(raised.value)
    assert message.startswith(f"groups file {path}")
    assert fragment in message
    assert "\n" not in message


def test_an_unreadable_groups_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        load_groups(tmp_path / "absent.toml")
