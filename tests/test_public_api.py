from __future__ import annotations

import subprocess
import sys

import buildup


def _isort_style(name: str) -> tuple[int, str]:
    # The order ruff keeps __all__ in: CONSTANTS, then Classes, then functions.
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted_and_complete() -> None:
    assert buildup.__all__ == sorted(buildup.__all__, key=_isort_style)
    assert len(set(buildup.__all__)) == len(buildup.__all__)
    for name in buildup.__all__:
        assert getattr(buildup, name) is not None


def test_lazy_names_are_exactly_the_public_surface() -> None:
    assert set(buildup._LAZY) | {"__version__"} == set(buildup.__all__)


def test_import_buildup_is_light() -> None:
    code = "import sys, buildup; print(sorted(m for m in ('pandas', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
