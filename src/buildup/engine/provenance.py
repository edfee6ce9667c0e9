"""One provenance record, carried by every outcome: what produced it, from which data, where.

No local file paths: a provenance can be published with the result. Its JSON form is the
one serialiser's (``spec_hash`` is written as ``scenario_hash``, and ``dataset_editions``
maps each dataset to its edition beside the labelled ``editions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from buildup.serialize import renamed
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

    __json_extra__ = ("dataset_editions",)

    task: str
    spec_hash: str | None = field(default=None, metadata=renamed("scenario_hash"))
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

    @property
    def dataset_editions(self) -> dict[str, str]:
        """Dataset → edition (the short form of ``editions``)."""
        return {e.dataset: e.edition for e in self.editions}


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
