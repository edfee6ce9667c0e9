"""Issue 12: the fuzz suite (hypothesis, bounded) over the inputs a user gives buildup.

Scenario files, tracking files, programme and envelope CSVs and command-line flags, each a
valid input with one part replaced by a hostile value (NaN, infinity, zero, huge and tiny
numbers, far years, control characters, wrong types, unknown keys). Every generated input
must end in exit 0 with finite, standard JSON, or exit 2 with exactly one line on stderr —
never exit 1, a traceback, a warning (warnings are errors in the test run), a hang (each run
has a timer) or ``NaN``/``Infinity`` in the output.

The runs are in-process (``buildup.cli.main``) against a private copy of the built store;
``BUILDUP_FUZZ_EXAMPLES`` scales the number of examples per target (default 30).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("BUILDUP_FUZZ_EXAMPLES", "30"))
RUN_TIMEOUT_S = 90  # one command; the slowest valid input here runs in a few seconds
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class Hang(BaseException):
    """A run took longer than RUN_TIMEOUT_S (BaseException: no handler in buildup eats it)."""


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str


@contextlib.contextmanager
def _timer(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run(*args: str) -> Run:
    from buildup.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _timer(RUN_TIMEOUT_S):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Hang:
            pytest.fail(f"hang: buildup {' '.join(args)}")
    return Run(args, code, out.getvalue(), err.getvalue())


def _refuse_constant(name: str) -> Any:
    raise AssertionError(f"non-standard JSON constant {name} in the output")


def check(run: Run, *, json_out: bool) -> None:
    """The contract: exit 0 with finite standard JSON, or exit 2 with one line."""
    where = f"buildup {' '.join(run.args)}\n--- stderr:\n{run.err}\n--- stdout:\n{run.out[:2000]}"
    assert run.code in (0, 2), where
    assert "Traceback" not in run.err, where
    assert "Warning" not in run.err, where
    if run.code == 2:
        lines = run.err.strip().splitlines()
        assert len(lines) == 1, where
        assert lines[0].startswith("buildup: error: "), where
        assert "internal error" not in lines[0], where
        return
    for token in ("NaN", "Infinity"):
        assert token not in run.out, where
    if json_out:
        document = json.loads(run.out, parse_constant=_refuse_constant)
        _check_finite(document, where)


def _check_finite(value: Any, where: str) -> None:
    if isinstance(value, float):
        assert math.isfinite(value), where
    elif isinstance(value, dict):
        for item in value.values():
            _check_finite(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_finite(item, where)


@pytest.fixture(scope="module")
def fuzz_env(built_store_path: Path) -> Iterator[Path]:
    """A private store and a scratch folder; BUILDUP_DB points at the store."""
    folder = Path(tempfile.mkdtemp(prefix="buildup-fuzz-"))
    store = folder / "store.duckdb"
    shutil.copy(built_store_path, store)
    old = os.environ.get("BUILDUP_DB")
    os.environ["BUILDUP_DB"] = str(store)
    os.environ.setdefault("COLUMNS", "200")
    try:
        yield folder
    finally:
        if old is None:
            os.environ.pop("BUILDUP_DB", None)
        else:
            os.environ["BUILDUP_DB"] = old
        shutil.rmtree(folder, ignore_errors=True)


# --- hostile values -------------------------------------------------------------------------

_SPECIAL_FLOATS = [
    math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 1.0, 1.5, 100.0, 1e308, -1e308, 1e-308,
    5e-324, 1e-9, 2.0**53, 0.02, 0.035, -0.5,
]  # fmt: skip
_SPECIAL_INTS = [0, -1, 1, 1899, 1900, 1980, 2024, 2030, 2100, 2101, 10**8, 2**63, -(2**63)]
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),  # no lone surrogates (not UTF-8)
    max_size=20,
)
_CONTROL = st.sampled_from(["\x1b[31m", "\u202e", "\x00", "\x07", "\n", "\r", "\t", "\x7f"])
hostile_float = st.one_of(st.sampled_from(_SPECIAL_FLOATS), st.floats())
hostile_int = st.one_of(st.sampled_from(_SPECIAL_INTS), st.integers(-(10**12), 10**12))
hostile_text = st.one_of(_TEXT, st.builds(lambda a, c, b: a + c + b, _TEXT, _CONTROL, _TEXT))
scalar = st.one_of(hostile_float, hostile_int, hostile_text, st.booleans())
hostile_value = st.one_of(
    scalar,
    st.lists(scalar, max_size=4),
    st.dictionaries(st.sampled_from(["2025", "2030", "x", "9999"]), scalar, max_size=3),
)


def _toml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)  # escapes controls below 0x20
        return text.replace("\x7f", "\\u007f")  # TOML forbids a raw DEL in a string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_scalar(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(value)


def _toml_key(key: Any) -> str:
    return json.dumps(str(key), ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(data: dict[str, Any]) -> str:
    """A small TOML writer for the shapes scenario and tracking files have."""
    lines: list[str] = []
    tables: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict) or _is_table_array(value):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_scalar(value)}")
    for key, value in tables:
        if isinstance(value, list):
            for item in value:
                lines.append(f"[[{key}]]")
                lines.extend(f"{_toml_key(k)} = {_toml_scalar(v)}" for k, v in item.items())
        else:
            inner = {k: v for k, v in value.items() if not _is_table_array(v)}
            lines.append(f"[{key}]")
            lines.extend(f"{_toml_key(k)} = {_toml_scalar(v)}" for k, v in inner.items())
            for k, v in value.items():
                if _is_table_array(v):
                    for item in v:
                        lines.append(f"[[{key}.{k}]]")
                        lines.extend(f"{_toml_key(a)} = {_toml_scalar(b)}" for a, b in item.items())
    return "\n".join(lines) + "\n"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with ``path`` (dots; [i] for list items) set to ``value``."""
    copy = json.loads(json.dumps(data))
    node: Any = copy
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if not isinstance(node, dict | list):
            return copy
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return copy


# --- scenario files (plan, risk) -------------------------------------------------------------

SCENARIO = {
    "name": "fuzz",
    "country": "JPN",
    "baseline": {"year": 2024},
    "targets": [{"year": 2030, "share_gdp": 0.02, "definition": "national"}],
    "path": {"shape": "goal-seek", "max_real_growth": 0.1},
    "gdp": {"growth_after_data": 0.02},
    "prices": {"inflation_after_data": 0.01},
    "fx": {"rates": {"2025": 150.0}, "planning_rate": 108.0, "foreign_share": 0.15},
    "denominator": {"year": 2022},
}
SCENARIO_PATHS = [
    "country", "name", "baseline.year", "baseline.amount", "targets[0].year",
    "targets[0].share_gdp", "targets[0].amount", "targets[0].round_to", "targets[0].definition",
    "path.shape", "path.end_year", "path.max_real_growth", "path.min_real_growth",
    "path.max_share_step", "path.amounts", "path.after", "gdp.growth_after_data", "gdp.path",
    "denominator.year", "denominator.amount", "prices.base_year", "prices.inflation_after_data",
    "prices.path", "prices.index", "fx.rates", "fx.planning_rate", "fx.foreign_share",
    "definition", "report", "targets", "unknown_key", "path.amounts.2025", "gdp.path.2027",
    "fx.rates.2026", "prices.path.2026",
]  # fmt: skip
RISK_PATHS = [
    "risk.window", "risk.covariance", "risk.as_of", "risk.execution_sd", "risk.cost_growth",
    "risk.slip", "risk.covariance_source",
]  # fmt: skip


def _write(folder: Path, name: str, text: str) -> Path:
    file = folder / name
    file.write_text(text, encoding="utf-8")
    return file


@FUZZ
@given(
    path=st.sampled_from(SCENARIO_PATHS),
    value=hostile_value,
    fmt=st.sampled_from(["json", "table"]),
)
def test_fuzz_plan_scenario(fuzz_env: Path, path: str, value: Any, fmt: str) -> None:
    file = _write(fuzz_env, "scenario.toml", to_toml(_set(SCENARIO, path, value)))
    check(_run("plan", str(file), "--format", fmt), json_out=fmt == "json")


@settings(FUZZ, max_examples=max(5, EXAMPLES // 3))
@given(
    path=st.sampled_from(SCENARIO_PATHS + RISK_PATHS),
    value=hostile_value,
    seed=st.one_of(st.just("1"), hostile_int.map(str), hostile_text),
)
def test_fuzz_risk_scenario(fuzz_env: Path, path: str, value: Any, seed: str) -> None:
    file = _write(fuzz_env, "risk.toml", to_toml(_set(SCENARIO, path, value)))
    check(
        _run("risk", str(file), "--draws", "200", "--seed", seed, "--format", "json"), json_out=True
    )


# --- tracking files -------------------------------------------------------------------------

TRACKING = {
    "name": "fuzz programme",
    "country": "KOR",
    "plan": {
        "first_year": 2022,
        "last_year": 2025,
        "envelope": 400.0,
        "fixed": {"2025": 120.0},
        "planning_rates": {"2022": 1200.0},
        "assumed_inflation": 0.02,
        "foreign_share": 0.1,
        "areas": {"air": 200.0, "sea": 200.0},
    },
    "actuals": [
        {"fiscal_year": 2022, "kind": "initial", "amount": 95.0, "area": "air", "source": "t"}
    ],
    "contracts": {
        "categories": [{"name": "fms", "profile": [0.5, 0.5]}],
        "signed": [{"fiscal_year": 2022, "category": "fms", "amount": 100.0}],
    },
}
TRACKING_PATHS = [
    "country", "name", "as_of", "plan.first_year", "plan.last_year", "plan.envelope",
    "plan.fixed", "plan.fixed.2023", "plan.allocation", "plan.years", "plan.assumed_inflation",
    "plan.planning_rates", "plan.planning_rates.2023", "plan.foreign_share", "plan.areas",
    "plan.areas.air", "plan.revised", "plan.price_base_year", "plan.contract_envelope",
    "actuals[0].fiscal_year", "actuals[0].kind", "actuals[0].amount", "actuals[0].area",
    "contracts.categories[0].profile", "contracts.categories[0].name",
    "contracts.signed[0].fiscal_year", "contracts.signed[0].amount",
    "contracts.signed[0].category", "assumed_rates", "actuals_from",
]  # fmt: skip


@FUZZ
@given(
    path=st.sampled_from(TRACKING_PATHS),
    value=hostile_value,
    fmt=st.sampled_from(["json", "table"]),
)
def test_fuzz_tracking_file(fuzz_env: Path, path: str, value: Any, fmt: str) -> None:
    file = _write(fuzz_env, "tracking.toml", to_toml(_set(TRACKING, path, value)))
    check(_run("track", str(file), "--format", fmt), json_out=fmt == "json")


@FUZZ
@given(
    cells=st.lists(
        st.one_of(
            st.sampled_from(["2023", "initial", "supplementary", "10", "air", "nan", "inf", ""]),
            hostile_float.map(repr),
            hostile_text,
        ),
        min_size=0,
        max_size=6,
    ),
    header=st.sampled_from(
        ["fiscal_year,kind,amount", "fiscal_year,kind,amount,area,source", "fiscal_year,amount"]
    ),
)
def test_fuzz_actuals_csv(fuzz_env: Path, cells: list[str], header: str) -> None:
    plan = _write(fuzz_env, "tracking.toml", to_toml(TRACKING))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    actuals = _write(fuzz_env, "actuals.csv", f"{header}\n{buffer.getvalue()}")
    check(_run("track", str(plan), "--actuals", str(actuals), "--format", "json"), json_out=True)


# --- programme and envelope CSVs ------------------------------------------------------------

PROGRAMME_HEADER = [
    "id", "area", "unit_cost", "min_qty", "max_qty", "payment_profile", "earliest_start",
    "latest_start", "value", "requires", "exclusive_group", "mandatory", "diminishing_returns",
]  # fmt: skip
PROGRAMMES = [
    ["a", "air", "100", "0", "3", "0.5;0.5", "2023", "2024", "2", "", "", "false", ""],
    ["b", "sea", "80", "1", "2", "1", "2023", "2025", "1.5", "a", "", "false", "1:1;2:1.5"],
    ["c", "sea", "50", "0", "4", "0.2;0.3;0.5", "2024", "2025", "1", "", "g", "false", ""],
]
ENVELOPE = [["2023", "300"], ["2024", "300"], ["2025", "300"]]
cell = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "", "0", "-1", "1e308", "1e-308", "0.5;0.5", "1.5;-0.5",
                     "nan;nan", "2023", "99999", "true", "a", "x:y", '"', ",", "1e18"]),
    hostile_float.map(repr),
    hostile_int.map(str),
    hostile_text,
)  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@FUZZ
@given(
    row=st.integers(0, len(PROGRAMMES) - 1),
    column=st.integers(0, len(PROGRAMME_HEADER) - 1),
    value=cell,
    envelope_cell=st.one_of(st.none(), st.tuples(st.integers(0, 2), st.integers(0, 1), cell)),
    fmt=st.sampled_from(["json", "table", "csv"]),
)
def test_fuzz_programmes_and_envelope(
    fuzz_env: Path,
    row: int,
    column: int,
    value: str,
    envelope_cell: tuple[int, int, str] | None,
    fmt: str,
) -> None:
    rows = [list(r) for r in PROGRAMMES]
    rows[row][column] = value
    envelope = [list(r) for r in ENVELOPE]
    if envelope_cell is not None:
        envelope[envelope_cell[0]][envelope_cell[1]] = envelope_cell[2]
    programmes = _write(fuzz_env, "programmes.csv", _csv(PROGRAMME_HEADER, rows))
    budgets = _write(fuzz_env, "envelope.csv", _csv(["year", "budget"], envelope))
    run = _run(
        "optimize", "--programmes", str(programmes), "--envelope", str(budgets),
        "--time-limit", "10", "--format", fmt,
    )  # fmt: skip
    check(run, json_out=fmt == "json")


@FUZZ
@given(text=st.one_of(hostile_text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_fuzz_programmes_raw_text(fuzz_env: Path, text: str) -> None:
    """Whole files of noise (quotes, commas, NULs, stray bytes) after a valid header."""
    programmes = _write(fuzz_env, "noise.csv", ",".join(PROGRAMME_HEADER) + "\n" + text)
    budgets = _write(fuzz_env, "envelope.csv", _csv(["year", "budget"], ENVELOPE))
    run = _run("optimize", "--programmes", str(programmes), "--envelope", str(budgets),
               "--time-limit", "10", "--format", "json")  # fmt: skip
    check(run, json_out=True)


# --- command-line flags ---------------------------------------------------------------------

flag_value = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "0", "-1", "1e308", "1e-308", "3.5", "0.035", "2030",
                     "99999", "-0", "last", "", "2024:2015", "2015:", ":", "1:2:3", "JPN"]),
    hostile_float.map(repr),
    hostile_int.map(str),
    hostile_text.filter(lambda t: not t.startswith("-")),
)  # fmt: skip
COMMANDS = {
    "plan": (
        ["plan", "--country", "JPN", "--target-share", "0.02", "--by", "2030", "--format", "json"],
        ["--country", "--target-share", "--by", "--gdp-base-year", "--shape", "--max-real-growth",
         "--baseline-year", "--definition", "--gdp-growth", "--inflation", "--explain"],
    ),
    "compare": (
        ["compare", "JPN", "KOR", "--metric", "share_gdp", "--years", "2015:2024", "--format",
         "json"],
        ["--metric", "--years", "--window", "--target-share", "--by", "--count-threshold",
         "--count-year", "--group", "--target"],
    ),
    "overview": (["overview", "JPN", "--format", "json"], ["--window"]),
    "data show": (
        ["data", "show", "milex", "--country", "JPN", "--years", "2020:2024", "--format", "json"],
        ["--country", "--years", "--edition"],
    ),
    "risk": (
        ["risk", "examples/japan-dbp.toml", "--draws", "200", "--format", "json"],
        ["--draws", "--seed", "--chunk", "--alpha", "--envelope-share", "--scenarios"],
    ),
}  # fmt: skip


@FUZZ
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    choice=st.data(),
    value=flag_value,
)
def test_fuzz_cli_flags(fuzz_env: Path, command: str, choice: st.DataObject, value: str) -> None:
    base, flags = COMMANDS[command]
    flag = choice.draw(st.sampled_from(flags))
    args = [str(Path(__file__).parents[2] / a) if a.startswith("examples/") else a for a in base]
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    if flag == "--alpha":
        args += ["--portfolio", str(Path(__file__).parents[2] / "examples/japan-programmes.csv")]
    check(_run(*args), json_out=True)


def test_the_harness_catches_a_failure(fuzz_env: Path) -> None:
    """The contract check itself can fail: a bare NaN or a two-line error is caught."""
    with pytest.raises(AssertionError):
        check(Run(("x",), 0, '{"a": NaN}', ""), json_out=True)
    with pytest.raises(AssertionError):
        check(Run(("x",), 2, "", "buildup: error: a\nb\n"), json_out=False)
    with pytest.raises(AssertionError):
        check(Run(("x",), 1, "", "buildup: error: internal error: boom\n"), json_out=False)
    assert sys.platform != "win32"  # the timer needs SIGALRM
