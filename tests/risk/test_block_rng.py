"""Random numbers are made in one place: ``block_rng(seed, block)``."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from buildup.risk.simulate import block_rng

SRC = Path(__file__).parents[2] / "src" / "buildup"
_MAKERS = {"PCG64", "PCG64DXSM", "default_rng", "Generator", "MT19937", "Philox", "SFC64"}
# The synthetic catalogue of the benchmarks draws test data, not an analysis's draws.
_ALLOWED = {"risk/simulate.py": 1, "portfolio/synthetic.py": 1}


def test_every_generator_comes_from_block_rng() -> None:
    found: dict[str, int] = {}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hits = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                # Generator(PCG64(…)) is one generator: count the outermost maker only.
                inner = node.args[0] if node.args else None
                nested = isinstance(inner, ast.Call) and name == "Generator"
                hits += name in _MAKERS and not nested
        if hits:
            found[str(path.relative_to(SRC))] = hits
    assert found == {k: v for k, v in _ALLOWED.items() if k in found}, found


def test_a_block_depends_on_the_seed_and_its_number_only() -> None:
    a, b = block_rng(7, 3).standard_normal(4), block_rng(7, 3).standard_normal(4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, block_rng(7, 4).standard_normal(4))
    assert not np.array_equal(a, block_rng(8, 3).standard_normal(4))
    seq = np.random.SeedSequence(7, spawn_key=(3,))
    assert np.array_equal(a, np.random.Generator(np.random.PCG64(seq)).standard_normal(4))
