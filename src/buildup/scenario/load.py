"""Read scenario files (TOML, with ``extends``) and the country presets.

Errors name the file, the key and the fix, on one line, as :class:`ScenarioError`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from buildup.errors import ScenarioError
from buildup.limits import MAX_EXTENDS, describe_invalid, parse_user_toml, read_user_text
from buildup.scenario.model import Component, Definition, Scenario

__all__ = [
    "CountryPreset",
    "load_preset",
    "read_scenario",
    "read_scenario_document",
    "scenario_from_dict",
    "scenario_from_document",
    "scenario_hash",
]


@dataclass(frozen=True)
class CountryPreset:
    """A country's fiscal-year convention, budget series and spending definitions."""

    fiscal_year: str
    budget_label: str
    budget_history: str
    primary: str
    components: tuple[Component, ...]
    definitions: tuple[Definition, ...]


@functools.cache
def _presets() -> dict[str, Any]:
    text = (resources.files("buildup.scenario") / "presets.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_preset(iso3: str) -> CountryPreset:
    """The presets for a country (its own entry, else the defaults)."""
    raw = _presets()
    entry = dict(raw.get("countries", {}).get(iso3, raw["default"]))
    return CountryPreset(
        fiscal_year=entry["fiscal_year"],
        budget_label=entry["budget_label"],
        budget_history=entry["budget_history"],
        primary=entry["primary"],
        components=tuple(Component(**c) for c in entry.get("components", ())),
        definitions=tuple(Definition(**d) for d in entry.get("definitions", ())),
    )


# Keys whose value only means something beside another key of the same table: an inherited
# amount belongs to the inherited year, an inherited price path to the inherited index. A file
# that changes the anchor without restating its dependants does not inherit them.
_BOUND = {
    "baseline": ("year", ("amount", "source")),
    "denominator": ("year", ("amount", "source")),
    "prices": ("index", ("path",)),
}


def _is_year_table(value: Any) -> bool:
    """A table keyed by years (``amounts``, ``rates``, ``path``): one series, never mixed."""
    return isinstance(value, Mapping) and bool(value) and all(str(k).isdigit() for k in value)


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge tables; arrays, values and year tables in ``override`` replace ``base``'s.

    A table of yearly values (``path.amounts``, ``gdp.path``, ``fx.rates``…) is one series: a
    file that gives it gives all of it, so that a year it leaves out is not silently taken from
    the file it extends.
    """
    merged = dict(base)
    for key, value in override.items():
        inherited = merged.get(key)
        if (
            isinstance(value, Mapping)
            and isinstance(inherited, Mapping)
            and not _is_year_table(value)
            and not _is_year_table(inherited)
        ):
            merged[key] = _merge(_unbind(key, inherited, value), value)
        else:
            merged[key] = value
    return merged


def _unbind(key: str, inherited: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(inherited)
    if key in _BOUND:
        anchor, dependants = _BOUND[key]
        if anchor in override and override[anchor] != inherited.get(anchor):
            for name in dependants:
                if name not in override:
                    out.pop(name, None)
    return out


def _key_paths(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted keys a file sets: tables and their keys, down to values and year tables."""
    out = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        out.append(path)
        if isinstance(value, Mapping) and not _is_year_table(value):
            out.extend(_key_paths(value, f"{path}."))
    return out


def _load_toml(path: Path, chain: tuple[Path, ...]) -> tuple[Path, dict[str, Any]]:
    """One file of an ``extends`` chain, parsed (errors name the file and the fix)."""
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(
            f"{chain[-1].name}: extends: cycle {cycle}; remove one of these extends"
        )
    where = f"{chain[-1].name}: extends: " if chain else ""
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(
            f"{where}more than {MAX_EXTENDS} files in the extends chain; extend a file that "
            "does not itself extend so many"
        )
    if not resolved.exists():
        raise ScenarioError(f"{where}no such file {path}; give the path of a scenario file")
    text = read_user_text(resolved, "a scenario file (TOML)", error=ScenarioError)
    return resolved, parse_user_toml(text, path.name, error=ScenarioError)


def _read_toml(
    path: Path, chain: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[str, tuple[int, str]]]:
    """The merged data and, per dotted key, the file that set it (depth 0: ``path`` itself)."""
    resolved, data = _load_toml(path, chain)
    parent = data.pop("extends", None)
    origins = {key: (len(chain), path.name) for key in _key_paths(data)}
    if parent is None:
        return data, origins
    if not isinstance(parent, str):
        raise ScenarioError(f"{path.name}: extends: give the path of a scenario file as a string")
    base, base_origins = _read_toml(resolved.parent / parent, (*chain, resolved))
    return _merge(base, data), base_origins | origins


def read_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file, following ``extends``.

    The scenario remembers which file set each key (:meth:`Scenario.set_in`), so that a key
    set in the file itself can beat one it inherits.
    """
    file = Path(path)
    data, origins = _read_toml(file, ())
    scenario = scenario_from_dict(data, file.name)
    scenario.record_origins(origins)
    return scenario


def scenario_from_dict(data: Mapping[str, Any], origin: str | None = None) -> Scenario:
    """Validate a scenario given as a mapping; ``origin`` (a file's name, if it came from one)
    is where errors say it came from — a caller that knows better attaches it itself."""
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid_error(exc, Scenario, origin) from exc


def invalid_error(exc: ValidationError, model: type[BaseModel], where: str | None) -> ScenarioError:
    """A spec file's validation error as a :class:`ScenarioError` naming the key at fault."""
    found = describe_invalid(
        exc, model, missing_fix="add it (see examples/ for a complete scenario)"
    )
    return ScenarioError(where=where, what=found.key or None, problem=found.problem, fix=found.fix)


def scenario_hash(scenario: Scenario) -> str:
    """A stable sha256 of the validated scenario (after ``extends`` and defaults)."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_scenario_document(path: str | Path) -> dict[str, Any]:
    """A scenario file and the files it extends as one JSON document, nested by ``extends``.

    Each level keeps its own keys and names its file in ``origin``, so that
    :func:`scenario_from_document` validates it into the very scenario :func:`read_scenario`
    gives — the keys a file sets itself still beat those it inherits. This is what the web
    API takes and saves.
    """
    return _document(Path(path), ())


def _document(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    resolved, data = _load_toml(path, chain)
    parent = data.pop("extends", None)
    document = {"origin": path.name, **data}
    if parent is None:
        return document
    if not isinstance(parent, str):
        raise ScenarioError(f"{path.name}: extends: give the path of a scenario file as a string")
    document["extends"] = _document(resolved.parent / parent, (*chain, resolved))
    return document


def _resolve_document(
    document: Mapping[str, Any], origin: str, depth: int
) -> tuple[dict[str, Any], dict[str, tuple[int, str]]]:
    if depth > MAX_EXTENDS:
        raise ScenarioError(
            f"{origin}: extends: more than {MAX_EXTENDS} levels; flatten the scenario"
        )
    data = dict(document)
    parent = data.pop("extends", None)
    name = data.pop("origin", None)
    if name is not None and not isinstance(name, str):
        raise ScenarioError(f"{origin}: origin: give the name of the level as a string")
    name = name or (origin if depth == 0 else f"{origin} (extends, level {depth})")
    origins = dict.fromkeys(_key_paths(data), (depth, name))
    if parent is None:
        return data, origins
    if not isinstance(parent, Mapping):
        raise ScenarioError(
            f"{name}: extends: give the scenario it extends as a document (a JSON object)"
        )
    base, base_origins = _resolve_document(parent, origin, depth + 1)
    return _merge(base, data), base_origins | origins


def scenario_from_document(document: Mapping[str, Any], origin: str) -> Scenario:
    """Validate a scenario document (:func:`read_scenario_document`), following ``extends``.

    A document without ``extends`` is one scenario as it stands; ``origin`` names it in errors.
    """
    if not isinstance(document, Mapping):
        raise ScenarioError(f"{origin}: a scenario is a JSON object (a TOML table)")
    data, origins = _resolve_document(document, origin, 0)
    scenario = scenario_from_dict(data, str(document.get("origin") or origin))
    scenario.record_origins(origins)
    return scenario
