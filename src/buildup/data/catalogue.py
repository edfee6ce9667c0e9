"""The catalogue of bundled datasets and the loaders that read them in buildup's units.

Each dataset has an entry in ``files/catalogue.toml``: its file, publisher, edition,
address, licence, the columns with their units, and the sha256 of the shipped file. The
loaders turn a shipped file into the dataset's table as buildup serves it: shares of GDP
become fractions, SIPRI's font-colour flags become columns, notes that say a figure was
derived, disputed or approximate become a ``flag`` column.

>>> sorted(load_catalogue())[:3]
['cbo_errors', 'fx', 'gdp']
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LOADER_MODULES",
    "SIGNED_COLUMNS",
    "Column",
    "Dataset",
    "bundled_path",
    "file_sha256",
    "get_dataset",
    "load_bundled",
    "load_catalogue",
    "load_footnotes",
    "loader_digest",
]

# Numeric columns that may hold negative values; every other numeric column must not.
SIGNED_COLUMNS = frozenset({"mean_error_pct", "real_gdp_growth_pct"})
SIPRI_FIELDS = ("milex_local_current", "milex_current_usd", "milex_constant_usd", "share_gdp")
_FLAG_WORDS = (
    ("derived", ("DERIVED",)),
    ("disputed", ("DISCREPANCY", "disputed", "sources differ", "Contains an error")),
    ("approximate", ("approx", "about ", "'about", "~")),
)


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a dataset, with its unit as buildup serves it."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """A catalogue entry: what a bundled dataset is and where it came from."""

    name: str
    file: str
    title: str
    publisher: str
    edition: str
    edition_label: str
    address: str
    licence: str
    read_from: str
    sources_doc: str
    sha256: str
    keys: tuple[str, ...]
    year_column: str | None
    columns: tuple[Column, ...]
    extra_files: tuple[str, ...] = ()
    extra_sha256: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the dataset's columns, in order."""
        return tuple(c.name for c in self.columns)

    @property
    def has_countries(self) -> bool:
        """Whether rows are keyed by an ``iso3`` country code."""
        return "iso3" in self.column_names


def _files() -> Path:
    return Path(str(resources.files("buildup.data") / "files"))


def bundled_path(file: str) -> Path:
    """Path of a file shipped in the package's data folder."""
    return _files() / file


def file_sha256(path: Path) -> str:
    """The sha256 of a file, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def load_catalogue() -> Mapping[str, Dataset]:
    """Read the catalogue of bundled datasets, keyed by dataset name."""
    raw = tomllib.loads(bundled_path("catalogue.toml").read_text(encoding="utf-8"))
    datasets: dict[str, Dataset] = {}
    for name, entry in raw["datasets"].items():
        columns = tuple(Column(**c) for c in entry.pop("columns"))
        datasets[name] = Dataset(
            name=name,
            columns=columns,
            keys=tuple(entry.pop("keys")),
            year_column=entry.pop("year_column", None),
            extra_files=tuple(entry.pop("extra_files", ())),
            extra_sha256=tuple(entry.pop("extra_sha256", ())),
            **entry,
        )
    return datasets


def get_dataset(name: str) -> Dataset:
    """The catalogue entry for ``name``, or a :class:`DataError` listing the known names."""
    catalogue = load_catalogue()
    if name not in catalogue:
        raise DataError(
            what="dataset",
            given=name,
            problem="unknown dataset",
            expected=f"one of {', '.join(sorted(catalogue))}",
        )
    return catalogue[name]


def _percent_to_fraction(frame: pd.DataFrame) -> pd.DataFrame:
    """The shipped share columns hold percentages: the import rule checks it, then converts."""
    from buildup.data.shares import share_divisor

    values = frame["share_gdp"].dropna()
    return frame.assign(
        share_gdp=frame["share_gdp"] / share_divisor(values, where="bundled file", percent=True)
    )


def _note_flags(frame: pd.DataFrame) -> pd.DataFrame:
    notes = frame["note"].fillna("").astype(str)

    def flag(note: str) -> str:
        found = [name for name, words in _FLAG_WORDS if any(w in note for w in words)]
        return ",".join(found)

    return frame.assign(flag=notes.map(flag))


def _sipri_flags(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    flags = pd.read_csv(bundled_path("milex_sipri_flags.csv"))
    kinds = {"estimate(blue)": "sipri_estimate", "highly_uncertain(red)": "sipri_uncertain"}
    unknown = set(flags["sipri_font_flag"]) - set(kinds)
    if unknown:
        raise DataError(
            where="milex_sipri_flags.csv",
            what="sipri_font_flag",
            problem=f"unknown flags {sorted(unknown)}",
            expected=f"one of {', '.join(kinds)}",
        )
    order = {f: i for i, f in enumerate(SIPRI_FIELDS)}
    flags = flags.assign(
        column=flags["sipri_font_flag"].map(kinds), rank=flags["field"].map(order)
    ).sort_values(["iso3", "year", "column", "rank"])
    joined = (
        flags.groupby(["iso3", "year", "column"])["field"]
        .agg(",".join)
        .unstack("column")
        .reindex(columns=list(kinds.values()))
        .reset_index()
    )
    out = frame.merge(joined, on=["iso3", "year"], how="left", validate="one_to_one")
    for column in kinds.values():
        out[column] = out[column].fillna("").astype(str)
    return out


def _milex(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(constant_usd_base_year=frame["constant_usd_base_year"].astype("Int64"))
    return _sipri_flags(_percent_to_fraction(frame))


_TRANSFORMS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "milex": _milex,
    "nato": _percent_to_fraction,
    "japan_budget": _note_flags,
    "japan_dbp": _note_flags,
    "japan_programs": _note_flags,
}


def load_bundled(name: str) -> pd.DataFrame:
    """Load a bundled dataset in buildup's units, with the catalogue's columns in order.

    >>> load_bundled("milex").query("iso3 == 'JPN' and year == 2024")["share_gdp"].round(4).item()
    0.0137
    """
    import pandas as pd

    dataset = get_dataset(name)
    frame = pd.read_csv(bundled_path(dataset.file), dtype={"gdp_deflator_base_year": "string"})
    transform = _TRANSFORMS.get(name)
    if transform is not None:
        frame = transform(frame)
    missing = [c for c in dataset.column_names if c not in frame.columns]
    if missing:
        raise DataError(
            where=dataset.file,
            problem=f"the bundled file lacks columns {missing} named in the catalogue",
            fix="reinstall buildup",
        )
    return frame[list(dataset.column_names)]


# The modules whose code makes a bundled dataset's table from its file: this one (reading,
# the transforms) and the share rule the transforms apply. A change in any of them changes
# what the store must hold (see :func:`buildup.store.common.bundled_checksum`).
LOADER_MODULES = ("buildup.data.catalogue", "buildup.data.shares")


@functools.cache
def loader_digest() -> str:
    """The sha256 of the loaders' source (:data:`LOADER_MODULES`), as hex."""
    import importlib.util

    digest = hashlib.sha256()
    for name in LOADER_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:  # pragma: no cover - a broken install
            raise DataError(f"the loader module {name} cannot be found; reinstall buildup")
        digest.update(file_sha256(Path(spec.origin)).encode())
    return digest.hexdigest()


def load_footnotes() -> dict[str, str]:
    """SIPRI's footnotes for key countries, keyed by ISO3 (SIPRI's own words)."""
    from buildup.data.countries import resolve_country

    notes: dict[str, str] = {}
    text = bundled_path("milex_sipri_footnotes.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("["):
            continue
        _, _, rest = line.partition("] ")
        country, _, note = rest.partition(": ")
        notes[resolve_country(country)] = f"SIPRI footnote: {note.strip()}"
    return notes
