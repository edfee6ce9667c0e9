"""Running chunks of blocks in one process or on a Dask cluster.

Dask is imported only here, and only when a cluster is asked for. Chunk results are merged
as they complete: their integer parts add exactly and their float sums are kept per block,
so the order of completion never changes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np

from buildup.errors import InputError
from buildup.risk.portfolio import (
    PORTFOLIO_BLOCK,
    PortfolioModel,
    PortfolioResult,
    merge_portfolio,
    portfolio_blocks,
    simulate_portfolio_blocks,
)
from buildup.risk.simulate import (
    BLOCK,
    BlockResult,
    PlanModel,
    block_sizes,
    merge,
    simulate_blocks,
    simulate_packed,
    unpack,
)

__all__ = [
    "CONNECT_TIMEOUT_S",
    "LOCAL_CHUNK",
    "PORTFOLIO_CHUNK",
    "chunk_blocks",
    "dask_client",
    "map_in_order",
    "run_chunks",
    "run_plans",
    "run_portfolio_chunks",
    "workers_of",
]

# Draws per chunk of a portfolio Monte Carlo: 8 blocks, large enough that a worker's time
# goes into simulating rather than into the scheduler's round trip.
PORTFOLIO_CHUNK = 8 * PORTFOLIO_BLOCK

# Draws per chunk of a plan's Monte Carlo in one process when none is asked for: 16 blocks.
LOCAL_CHUNK = 16 * BLOCK

CONNECT_TIMEOUT_S = 5
T = TypeVar("T")
Progress = Callable[[int, int], None]


def chunk_blocks(draws: int, chunk_draws: int | None, workers: int) -> list[list[tuple[int, int]]]:
    """The (block, draws) pairs of a run of ``draws``, in chunks of about ``chunk_draws``
    (whole blocks); with None, :data:`LOCAL_CHUNK` in one process (``workers`` 0) and one
    even share of the blocks per worker on a cluster."""
    blocks = list(enumerate(block_sizes(draws)))
    if chunk_draws is None and workers:
        per_chunk = -(-len(blocks) // workers)
    else:
        per_chunk = max(1, -(-(chunk_draws or LOCAL_CHUNK) // BLOCK))
    return [blocks[i : i + per_chunk] for i in range(0, len(blocks), per_chunk)]


def run_chunks(
    model: PlanModel,
    seed: int,
    draws: int,
    chunk_draws: int | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> BlockResult:
    """Simulate ``draws`` in chunks of whole blocks (see :func:`run_plans`), locally or on a
    Dask ``client``; ``progress(done, total)`` is called as chunks finish."""
    return run_plans([(model, draws)], seed, chunk_draws, client, progress)[0]


def run_plans(
    runs: Sequence[tuple[PlanModel, int]],
    seed: int,
    chunk_draws: int | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> list[BlockResult]:
    """Several Monte Carlo runs of one seed, each a (model, draws) pair, in chunks of about
    ``chunk_draws``; ``progress(done, total)`` follows the first run as its chunks finish.

    Without ``chunk_draws``, a chunk is :data:`LOCAL_CHUNK` draws in one process (progress,
    and a web job's cancel, every 16 blocks) and one even share per worker on a cluster:
    each chunk costs a scheduler round trip and a result to fetch and merge, so fewer is
    faster on a cluster (2 workers, 1,000,000 draws, the whole run against one process:
    median 1.80× in one chunk per worker, 1.66× in chunks of 16 blocks, 1.55× of 8; eight
    runs each, benchmarks/RESULTS.md). On a cluster every
    chunk of every run is sent at once, so the workers go from one run to the next without
    waiting for the caller, and a chunk comes back packed (its histograms cut to their
    non-empty bins). The result is the same as in one process either way.
    """
    workers = 0 if client is None else workers_of(client)
    chunks = [chunk_blocks(draws, chunk_draws, workers) for _, draws in runs]
    totals: list[BlockResult | None] = [None] * len(runs)
    done = 0
    if client is None:
        results: Iterator[tuple[int, BlockResult]] = (
            (i, simulate_blocks(model, seed, c))
            for i, (model, _) in enumerate(runs)
            for c in chunks[i]
        )
    else:
        results = _dask_results(client, runs, seed, chunks)
    for i, result in results:
        total = totals[i]
        totals[i] = result if total is None else merge(total, result)
        if i == 0:
            done += result.draws
            if progress is not None:
                progress(done, runs[0][1])
    assert all(total is not None for total in totals)
    return [total for total in totals if total is not None]


def _dask_results(
    client: Any,
    runs: Sequence[tuple[PlanModel, int]],
    seed: int,
    chunks: Sequence[Sequence[list[tuple[int, int]]]],
) -> Iterator[tuple[int, BlockResult]]:
    from dask.distributed import as_completed

    # The model (arrays over the plan's years, under 2 kB) travels with each task: cheaper
    # than scattering it first (a round trip to every worker before any work starts), and a
    # worker lost under load costs a recomputation, never a lost scattered dependency.
    futures = {
        client.submit(simulate_packed, model, seed, c, pure=False): i
        for i, (model, _) in enumerate(runs)
        for c in chunks[i]
    }
    # with_results: each result is fetched as soon as its chunk is done, while others run.
    for future, packed in as_completed(futures, with_results=True):
        yield futures[future], unpack(packed)


def run_portfolio_chunks(
    model: PortfolioModel,
    seed: int,
    draws: int,
    *,
    first_block: int = 0,
    client: Any = None,
    chunk_draws: int = PORTFOLIO_CHUNK,
    progress: Progress | None = None,
) -> PortfolioResult:
    """A portfolio Monte Carlo of ``draws`` from ``first_block`` in chunks of whole blocks,
    locally or on a Dask ``client``: the same result either way (exact merge)."""
    blocks = portfolio_blocks(draws, first_block)
    per_chunk = max(1, -(-chunk_draws // PORTFOLIO_BLOCK))
    if client is not None:  # at least two chunks per worker, so that none waits idle
        per_chunk = max(1, min(per_chunk, -(-len(blocks) // (2 * workers_of(client)))))
    chunks = [blocks[i : i + per_chunk] for i in range(0, len(blocks), per_chunk)]
    results: Iterator[PortfolioResult]
    if client is None:
        results = (simulate_portfolio_blocks(model, seed, c) for c in chunks)
    else:
        from dask.distributed import as_completed

        # The model (arrays per selected programme) is small: it travels with each task, so a
        # worker lost under load costs a recomputation, never a lost scattered dependency.
        futures = [
            client.submit(simulate_portfolio_blocks, model, seed, c, pure=False) for c in chunks
        ]
        results = (future.result() for future in as_completed(futures))
    total = PortfolioResult(0, np.zeros(len(model.envelope), dtype=np.int64), 0)
    for result in results:
        merge_portfolio(total, result)
        if progress is not None:
            progress(total.draws, draws)
    return total


def map_in_order(
    client: Any,
    function: Callable[..., T],
    items: Sequence[tuple[Any, ...]],
    progress: Progress | None = None,
) -> list[T]:
    """``function(*item)`` for every item — on the Dask ``client`` if given, one task per
    item — returned in item order; ``progress(done, total)`` as items finish."""
    total = len(items)
    if client is None:
        out = []
        for done, item in enumerate(items, start=1):
            out.append(function(*item))
            if progress is not None:
                progress(done, total)
        return out
    from dask.distributed import as_completed

    futures = {client.submit(function, *item, pure=False): i for i, item in enumerate(items)}
    results: list[Any] = [None] * total
    for done, future in enumerate(as_completed(futures), start=1):
        results[futures[future]] = future.result()
        if progress is not None:
            progress(done, total)
    return results


def workers_of(client: Any) -> int:
    """The number of workers a Dask client sees (at least 1)."""
    if client is None:
        return 1
    return max(1, len(client.nthreads()))


@contextmanager
def dask_client(scheduler: str | None, cluster: str | None) -> Iterator[Any]:
    """A Dask client for ``tcp://HOST:PORT`` or a LocalCluster for ``local:N``; None if neither."""
    if scheduler is None and cluster is None:
        yield None
        return
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if cluster is not None:
        workers = _local_workers(cluster)
        with (
            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in every worker it spawns; a fixed
            # trim threshold also freezes glibc's mmap threshold at 128 KiB, so each block's
            # arrays were mapped and unmapped afresh and a chunk ran 2x slower in a worker than
            # in this process (benchmarks/risk_bench.py). Workers keep glibc's defaults.
            dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # Without a dashboard the scheduler still serves HTTP, on 8787 by default: a
                # second run at the same time warned "Hosting the HTTP server on port … instead"
                # to the user. Any free port, chosen by the system.
                scheduler_kwargs={"dashboard_address": ":0"},
            ) as local,
            Client(local) as client,
        ):
            yield client
        return
    assert scheduler is not None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT_S} s "
            f"({type(exc).__name__}); check the address (tcp://HOST:PORT) and that it runs"
        ) from exc
    try:
        yield client
    finally:
        client.close()


def _local_workers(spec: str) -> int:
    kind, _, count = spec.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise InputError(
            what="cluster", given=spec, expected="local:N with N ≥ 1 workers", fix="e.g. local:2"
        )
    return int(count)
