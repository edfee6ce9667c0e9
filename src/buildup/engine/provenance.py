"""One provenance record, carried by every outcome: what produced it, from which data, where.

No local file paths: a provenance can be published with the result. The record reads like
the mapping earlier outcomes carried (``provenance["dataset_editions"]``,
``provenance["scenario_hash"]``, ``provenance.get("package_version")``), so that charts and
reports keep working; :meth:`Provenance.to_dict` is its JSON form.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from buildup.version import __version__

if TYPE_CHECKING:
    from buildup.store import DatasetStore

__all__ = ["EditionRef", "Execution", "Provenance", "Setting", "editions_of"]


class Execution(StrEnum):
    """Where a computation ran."""

    PROCESS = "one process"
    LOCAL_CLUSTER = "Dask LocalCluster"
    SCHEDULER = "Dask scheduler"


@dataclass(frozen=True, slots=True)
class EditionRef:
    """A dataset edition used: its name, edition and the publisher's label for it."""

    dataset: str
    edition: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Setting:
    """One named value (an option given, or where an input came from)."""

    name: str
    value: str | int | float | bool | None


@dataclass(frozen=True)
class Provenance:
    """What produced an outcome.

    ``spec_hash`` identifies the scenario (or tracking file) after ``extends``; ``editions``
    the datasets read; ``seed``/``draws`` a Monte Carlo; ``solver``/``options`` an
    optimisation; ``ran_on`` (with ``workers`` or ``scheduler``) where it ran; ``inputs``
    where each input figure of the spec came from.
    """

    task: str
    spec_hash: str | None = None
    package_version: str = __version__
    editions: tuple[EditionRef, ...] = ()
    seed: int | None = None
    draws: int | None = None
    block: int | None = None
    solver: str | None = None
    options: tuple[Setting, ...] = ()
    ran_on: Execution = Execution.PROCESS
    workers: int | None = None
    scheduler: str | None = None
    inputs: tuple[Setting, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (editions also as ``dataset_editions``: name → edition)."""
        return {
            "task": self.task,
            "scenario_hash": self.spec_hash,
            "package_version": self.package_version,
            "dataset_editions": {e.dataset: e.edition for e in self.editions},
            "editions": [
                {"dataset": e.dataset, "edition": e.edition, "label": e.label}
                for e in self.editions
            ],
            "seed": self.seed,
            "draws": self.draws,
            "block": self.block,
            "solver": self.solver,
            "options": {s.name: s.value for s in self.options},
            "ran_on": self.ran_on.value,
            "workers": self.workers,
            "scheduler": self.scheduler,
            "inputs": {s.name: s.value for s in self.inputs},
        }

    # A read-only mapping view, for readers of the earlier dict-valued provenance.
    def _view(self) -> dict[str, Any]:
        view = {k: v for k, v in self.to_dict().items() if v not in (None, {}, [])}
        view["dataset_editions"] = {e.dataset: e.edition for e in self.editions}
        return view

    def __getitem__(self, key: str) -> Any:
        return self._view()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._view().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._view()

    def keys(self) -> Any:
        return self._view().keys()

    def items(self) -> Any:
        return self._view().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._view())


def editions_of(store: DatasetStore, datasets: Sequence[str]) -> tuple[EditionRef, ...]:
    """The current edition (with its label) of each of ``datasets``, in one query."""
    frame = store.editions()
    current = frame[frame["is_current"].astype(bool)]
    labels = {
        str(r.dataset): (str(r.edition), "" if r.label is None else str(r.label))
        for r in current.itertuples()
    }
    out = []
    for name in dict.fromkeys(datasets):
        if name in labels:
            out.append(EditionRef(name, *labels[name]))
    return tuple(out)
