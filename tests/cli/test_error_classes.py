"""Each error class through the CLI: exit code 2, one line naming the user's own flag or file
key; and the HTTP status the web app gives it, from the one table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from buildup import errors
from buildup.errors import http_status

EXAMPLES = Path(__file__).parents[2] / "examples"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def _bad_toml(tmp: Path) -> str:
    path = tmp / "japan-bad.toml"
    path.write_text('extends = "japan-dbp.toml"\n[path]\nshape = "zigzag"\n', encoding="utf-8")
    (tmp / "japan-dbp.toml").write_text((EXAMPLES / "japan-dbp.toml").read_text("utf-8"))
    return str(path)


def _tight(tmp: Path) -> str:
    path = tmp / "tight.csv"
    path.write_text("year,budget\n2025,10\n2026,10\n2027,10\n", encoding="utf-8")
    return str(path)


def _not_a_db(tmp: Path) -> str:
    path = tmp / "not-a-db.duckdb"
    path.write_text("this is not a database", encoding="utf-8")
    return str(path)


# class → (a command that raises it, what its one line must say, the HTTP status)
CASES: dict[str, tuple[Any, str, int]] = {
    "InputError": (
        lambda t: ["plan", "--country", "KOR", "--target-share", "2", "--by", "2030"],
        "--target-share 2: looks like a percent",
        422,
    ),
    "UnknownCountryError": (lambda t: ["overview", "Atlantis"], "unknown country 'Atlantis'", 422),
    "DataError": (
        lambda t: ["data", "import", "csv", str(FIXTURES / "tidy_good_fx.csv"), "--dataset", "fxx"],
        "--dataset fxx: unknown dataset; expected one of cbo_errors, ",
        422,
    ),
    "NotFoundError": (
        lambda t: ["data", "show", "gdp", "--edition", "1999"],
        "--edition 1999: dataset 'gdp' has no such edition",
        404,
    ),
    "ScenarioError": (lambda t: ["plan", _bad_toml(t)], "japan-bad.toml: path.shape", 422),
    "ImportValidationError": (
        lambda t: [
            "data",
            "import",
            "csv",
            str(FIXTURES / "broken" / "tidy_bad_last_row.csv"),
            "--dataset",
            "fx",
        ],
        "row 4",
        422,
    ),
    "InfeasibleError": (
        lambda t: [
            "optimize",
            "--programmes",
            str(FIXTURES / "portfolio" / "programmes.csv"),
            "--envelope",
            _tight(t),
        ],
        "no feasible portfolio: ",
        422,
    ),
    "StoreError": (
        lambda t: ["plan", str(EXAMPLES / "japan-dbp.toml"), "--db", _not_a_db(t)],
        "not-a-db.duckdb: the store is damaged",
        503,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_class_in_the_cli_and_over_http(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    command, fragment, status = CASES[name]
    raised: list[BaseException] = []
    real = errors.BuildupError.__init__

    def spy(self: errors.BuildupError, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        raised.append(self)

    monkeypatch.setattr(errors.BuildupError, "__init__", spy)
    result = cli(*command(tmp_path))
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err.strip().splitlines()
    assert line.startswith("buildup: error: ")
    assert fragment in line
    assert "Traceback" not in result.err
    last = raised[-1]
    assert type(last).__name__ == name
    assert http_status(last) == status


def test_every_class_has_a_cli_case_or_is_covered_elsewhere() -> None:
    # SolverError (HiGHS failing for a reason other than infeasibility), ConflictError and
    # the root are exercised in tests/test_errors.py and tests/test_store.py;
    # StaleVersionError (a save on an old version: HTTP 412) in tests/store/test_scenarios.py
    # and tests/web/test_scenarios_api.py.
    named = set(CASES) | {
        "SolverError",
        "ConflictError",
        "BuildupError",
        "StaleVersionError",
    }
    classes = {
        n
        for n in errors.__all__
        if isinstance(getattr(errors, n), type)
        and issubclass(getattr(errors, n), errors.BuildupError)
    }
    assert classes == named
