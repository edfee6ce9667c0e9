from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
RISK = Path(__file__).parents[1] / "fixtures" / "scenarios" / "risk"


def test_risk_json_fields(cli, tmp_path: Path) -> None:
    chart = tmp_path / "fan.png"
    result = cli(
        "risk",
        str(EXAMPLES / "japan-dbp.toml"),
        "--draws",
        "20000",
        "--seed",
        "4",
        "-f",
        "json",
        "--chart",
        str(chart),
    )
    assert result.code == 0, result.err
    out = json.loads(result.out)
    (target,) = out["targets"]
    assert target["year"] == 2027
    assert target["definition"] == "defense_related"
    assert 0.0 < target["probability_met"] < 1.0
    row = out["quantiles"][0]
    assert set(row) == {"year", "variable", "definition", "p5", "p25", "p50", "p75", "p95"}
    prov = out["provenance"]
    assert prov["seed"] == 4
    assert prov["draws"] == 20000
    assert "CBO" in out["parameters"]["execution_error"]["source"]
    assert (
        "fitted on JPN history 1995–2024" in out["parameters"]["covariance_log_changes"]["source"]
    )
    assert chart.read_bytes()[:4] == b"\x89PNG"


BAD = [
    (("--draws", "0"), "--draws 0: give a positive number of draws"),
    (("--cluster", "remote:2"), "--cluster remote:2: expected local:N with N ≥ 1 workers"),
    (
        ("--scheduler", "tcp://127.0.0.1:9"),
        "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 5 s",
    ),
]


@pytest.mark.parametrize(("args", "fragment"), BAD)
def test_bad_options(cli, args: tuple[str, ...], fragment: str) -> None:
    result = cli("risk", str(RISK / "closed_form.toml"), *args)
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert fragment in line


BROKEN = {
    "not_positive_definite.toml": "risk.covariance: the covariance is not positive definite",
    "negative_variance.toml": "risk.covariance: the covariance has a negative variance",
    "slip_probability.toml": "risk.slip: slip probabilities must lie in [0, 1]",
}


@pytest.mark.parametrize(("file", "fragment"), sorted(BROKEN.items()))
def test_broken_risk_parameters(cli, file: str, fragment: str) -> None:
    result = cli("risk", str(RISK / file), "--draws", "100")
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert fragment in line
