"""The gather step of every task: everything it needs from the store, read at once.

A task reads the store in one step before it computes (:func:`gather_inputs`): the editions
table and the current edition of each dataset, for the countries the task is about. The
engines then work on that :class:`~buildup.store.GatheredStore` in memory, so a task's
answer rests on one consistent reading of the store (an import that lands while a long
Monte Carlo runs changes nothing under it), no query waits on the store in the middle of a
computation, and the store can be released as soon as the task has its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from buildup.data.countries import resolve_country
from buildup.errors import UnknownCountryError

if TYPE_CHECKING:
    from buildup.store import DatasetStore, GatheredStore

__all__ = ["countries_of", "gather_inputs"]


def countries_of(names: Iterable[str]) -> tuple[str, ...]:
    """The ISO3 codes of the country names that resolve; a name that does not is left for the
    engine to report (with its key and suggestions) — nothing of it can be read anyway."""
    out = []
    for name in names:
        try:
            out.append(resolve_country(name))
        except UnknownCountryError:
            continue
    return tuple(dict.fromkeys(out))


def gather_inputs(
    store: DatasetStore,
    *,
    countries: Sequence[str] | None,
    datasets: Sequence[str] | None = None,
) -> GatheredStore:
    """Read what a task needs from ``store``: the current edition of ``datasets`` (default:
    all) for ISO3 ``countries`` (``None``: every country), as an in-memory snapshot."""
    from buildup.store import GatheredStore

    return GatheredStore.read(store, countries=countries, datasets=datasets)
