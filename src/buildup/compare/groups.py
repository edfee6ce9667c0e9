"""Country groups (NATO, G7, the Quad, the US's Indo-Pacific allies, the EU) as data.

The bundled groups live in ``groups.toml`` next to this module; a user's own groups come
from a TOML file in the same format (the ``groups_file`` option). A member counts from the year it
joined: Finland is in NATO from 2023, not in 2022.

>>> nato = resolve_group("nato")
>>> len(nato.members(2024)), "FIN" in nato.members(2022)
(32, False)
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from buildup.data.countries import resolve_country
from buildup.errors import InputError, UnknownCountryError

__all__ = ["Group", "Membership", "load_groups", "resolve_group"]

_BUNDLED = "buildup/compare/groups.toml"
_Year = Annotated[int, Field(ge=1900, le=2100)]


@dataclass(frozen=True)
class Membership:
    """A country in a group: its ISO3 code and the year it joined (None: always)."""

    iso3: str
    joined: int | None


@dataclass(frozen=True)
class Group:
    """A named set of countries, each with the year it joined (None: a member always)."""

    name: str
    label: str
    source: str
    memberships: tuple[Membership, ...]

    @classmethod
    def of_countries(cls, countries: Sequence[str], label: str = "the listed countries") -> Group:
        """An ad-hoc group of ``countries``, members in every year."""
        members = tuple(Membership(c, None) for c in dict.fromkeys(countries))
        return cls("listed", label, "the countries given", members)

    def members(self, year: int | None = None) -> tuple[str, ...]:
        """The members in ``year`` (every member ever listed when ``year`` is None)."""
        return tuple(
            m.iso3 for m in self.memberships if year is None or self.is_member(m.iso3, year)
        )

    def joined_in(self, iso3: str) -> int | None:
        """The year ``iso3`` joined (None: a member always, or not a member)."""
        return next((m.joined for m in self.memberships if m.iso3 == iso3), None)

    def is_member(self, iso3: str, year: int) -> bool:
        """Whether ``iso3`` is a member in ``year`` (it joined in or before that year)."""
        for m in self.memberships:
            if m.iso3 == iso3:
                return m.joined is None or m.joined <= year
        return False


class _GroupSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = ""
    source: str = Field(min_length=1)
    members: dict[str, _Year] | list[str] = Field(min_length=1)


class _GroupsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    groups: dict[str, _GroupSpec]


@functools.cache
def _bundled() -> dict[str, Group]:
    text = (resources.files("buildup.compare") / "groups.toml").read_text(encoding="utf-8")
    return _parse(text, _BUNDLED)


def load_groups(groups_file: Path | None = None) -> dict[str, Group]:
    """The bundled groups, plus (and overridden by) those of ``groups_file``, keyed by name."""
    groups = dict(_bundled())
    if groups_file is not None:
        groups |= _parse(_read(groups_file), str(groups_file))
    return groups


def resolve_group(name: str, groups_file: Path | None = None) -> Group:
    """The group called ``name`` (any case), or an :class:`InputError` listing the known ones."""
    groups = load_groups(groups_file)
    by_folded = {key.casefold(): group for key, group in groups.items()}
    found = by_folded.get(name.strip().casefold())
    if found is None:
        raise InputError(
            what="group",
            given=name,
            problem="unknown group",
            expected=f"one of {', '.join(sorted(groups))}",
            fix="or define it in a groups file ({option:groups_file}; format: "
            "buildup/compare/groups.toml)",
        )
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"groups file {path} cannot be read ({type(exc).__name__}); give a UTF-8 TOML file"
        ) from exc


def _parse(text: str, where: str) -> dict[str, Group]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"groups file {where} is not valid TOML: {exc}") from exc
    try:
        spec = _GroupsFile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise InputError(
            f"groups file {where}: {key}: {error['msg']}; write [groups.NAME] with source and "
            "members (ISO3 = year joined, or a list of ISO3 codes)"
        ) from exc
    return {name: _group(name, entry, where) for name, entry in spec.groups.items()}


def _group(name: str, spec: _GroupSpec, where: str) -> Group:
    listed = spec.members if isinstance(spec.members, dict) else dict.fromkeys(spec.members)
    joined: dict[str, int | None] = {}
    for code, year in listed.items():
        try:
            iso3 = resolve_country(code)
        except UnknownCountryError as exc:
            raise InputError(f"groups file {where}: groups.{name}.members: {exc}") from exc
        if iso3 in joined:
            raise InputError(
                f"groups file {where}: groups.{name}.members: {code!r} is listed twice "
                f"(as {iso3}); list each country once"
            )
        joined[iso3] = year
    members = tuple(Membership(c, y) for c, y in joined.items())
    return Group(name, spec.label or name, spec.source, members)
