"""The golden cases: every shipped example, as the CLI's JSON (the one serialiser's output)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"
# Keys whose values measure the run, not the result: wall time, and the solver's progress when
# it stopped (its bound and the gap to it move with the solver's heuristics while the answer —
# objective, selection, years — stays; the answer is compared).
VOLATILE = frozenset({"seconds", "bound", "gap", "deterministic_gap"})
# Floats compare to this relative tolerance (absolute below 1e-9): the numbers must not move,
# but the last bits may differ between BLAS builds and platforms.
REL_TOL = 1e-9
ABS_TOL = 1e-9


def cases() -> dict[str, tuple[str, list[str]]]:
    """name → (the outcome's schema kind, the CLI arguments)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for scenario in sorted(EXAMPLES.glob("*.toml")):
        if scenario.stem.endswith("-tracking"):
            continue
        out[f"plan-{scenario.stem}"] = ("plan", ["plan", str(scenario), "-f", "json"])
    out["track-japan-dbp-tracking"] = (
        "track",
        ["track", str(EXAMPLES / "japan-dbp-tracking.toml"), "-f", "json"],
    )
    out["optimise-japan-programmes"] = (
        "optimise",
        [
            "optimize",
            "--programmes",
            str(EXAMPLES / "japan-programmes.csv"),
            "--envelope",
            str(EXAMPLES / "japan-envelope.csv"),
            "--currency",
            "JPY",
            "-f",
            "json",
        ],
    )
    out["risk-japan-dbp"] = (
        "risk",
        ["risk", str(EXAMPLES / "japan-dbp.toml"), "--draws", "20000", "--seed", "1", "-f", "json"],
    )
    out["risk-japan-dbp-portfolio"] = (
        "risk",
        [
            "risk",
            str(EXAMPLES / "japan-dbp.toml"),
            "--draws",
            "5000",
            "--seed",
            "1",
            "--portfolio",
            str(EXAMPLES / "japan-programmes.csv"),
            "--envelope",
            str(EXAMPLES / "japan-envelope.csv"),
            "-f",
            "json",
        ],
    )
    out["compare-indo-pacific-nato-3.5"] = (
        "compare",
        ["compare", "JPN", "KOR", "AUS", "PHL", "--target", "nato-3.5", "-f", "json"],
    )
    return out
