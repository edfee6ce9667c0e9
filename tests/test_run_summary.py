"""`make run` ends with the five headline answers and the files written (issue 11)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from buildup.store import Store

SCRIPT = Path(__file__).parents[1] / "scripts" / "run_summary.py"


def test_the_five_answers(store: Store) -> None:
    spec = importlib.util.spec_from_file_location("run_summary", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.headline_answers(store, 2000)
    assert len(lines) == 5
    assert "1.96 % — below 2 % strictly, 2.0 % when rounded" in lines[0]
    assert "SIPRI's measure" in lines[1]
    assert "¥28.0 tn in FY2035 (3.50 %)" in lines[2]
    assert "strictly" in lines[3]
    assert "at the stated rounding" in lines[3]
    assert "binding years FY" in lines[4]
