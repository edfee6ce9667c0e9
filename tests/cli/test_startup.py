"""What `buildup plan FILE --format json` loads: what it needs, not what it could show.

Timings are in benchmarks/startup_bench.py; this checks the libraries a plan does not need
(rich draws tables and progress; country-converter's converter reads country names, and a
plan file names its country by code) stay unloaded, so the start-up they cost cannot return
unnoticed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "japan-dbp.toml"

_SCRIPT = """
import json, sys
from buildup.cli import main
code = 0
try:
    main(["plan", sys.argv[1], "--format", "json"])
except SystemExit as exited:
    code = exited.code
from buildup.data import countries
loaded = {
    "rich": "rich" in sys.modules,
    "converter": countries._converter.cache_info().currsize > 0,
    "code": code,
}
print(json.dumps(loaded), file=sys.stderr)
"""


def test_plan_as_json_loads_neither_rich_nor_the_country_converter(store_path: Path) -> None:
    env = {**os.environ, "BUILDUP_DB": str(store_path)}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout)["scenario"]  # the plan was made
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert loaded == {"rich": False, "converter": False, "code": 0}
