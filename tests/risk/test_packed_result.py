"""A chunk's result travels packed (histograms cut to their non-empty bins) and unpacks to
exactly what was packed."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from buildup.engine.risk import build_plan_model
from buildup.risk.simulate import (
    BLOCK,
    BlockResult,
    merge,
    pack,
    pack_counts,
    simulate_blocks,
    simulate_packed,
    unpack,
)
from buildup.scenario import read_scenario
from buildup.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples"


def _same(a: BlockResult, b: BlockResult) -> None:
    for name, value in vars(a).items():
        other = getattr(b, name)
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype, name
            assert value.shape == other.shape, name
            assert np.array_equal(value, other, equal_nan=True), name
        else:
            assert value == other, name


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 40)),
        elements=st.sampled_from([0, 0, 0, 1, 7, 2**31 - 1, 2**31, 2**40]),
    )
)
def test_packed_counts_unpack_to_the_same_counts(counts: np.ndarray) -> None:
    packed = pack_counts(counts)
    dense = packed.dense()
    assert dense.dtype == np.int64
    assert np.array_equal(dense, counts)
    # 32-bit values only where every count fits in them.
    assert (packed.values.dtype == np.int32) == bool(counts.max() < 2**31)


def test_packed_counts_keep_only_each_row_s_span() -> None:
    counts = np.zeros((3, 10), dtype=np.int64)
    counts[0, 2], counts[0, 5] = 4, 1  # span 2..5
    counts[2, 9] = 3  # row 1 empty, row 2 only its last bin
    packed = pack_counts(counts)
    assert packed.starts.tolist() == [2, 0, 9]
    assert packed.ends.tolist() == [6, 0, 10]
    assert packed.values.tolist() == [4, 0, 0, 1, 3]


def test_a_packed_chunk_is_the_chunk_and_is_smaller(store: Store) -> None:
    model, _, _ = build_plan_model(read_scenario(EXAMPLES / "korea-3.5pct-2035.toml"), store)
    blocks = [(0, BLOCK), (1, BLOCK), (2, 17)]
    dense = simulate_blocks(model, 4, blocks)
    packed = simulate_packed(model, 4, blocks)
    _same(unpack(packed), dense)
    _same(unpack(pack(dense)), dense)
    assert len(pickle.dumps(packed)) < len(pickle.dumps(dense)) / 4
    # Merged in either order, packed halves give the whole.
    first, second = simulate_packed(model, 4, blocks[:1]), simulate_packed(model, 4, blocks[1:])
    _same(merge(unpack(second), unpack(first)), dense)
