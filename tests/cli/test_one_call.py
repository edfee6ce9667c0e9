"""Each CLI command is parse → one task call → render; ``risk --portfolio`` plans once."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import buildup.compare as compare_package
from buildup.engine import tasks

EXAMPLES = Path(__file__).parents[2] / "examples"
TASKS = (
    (tasks, "plan"),
    (tasks, "quick_plan"),
    (tasks, "track"),
    (tasks, "optimise"),
    (tasks, "plan_risk"),
    (tasks, "portfolio_risk"),
    (tasks, "stress_test"),
    (compare_package, "compare_allies"),
)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the task calls made from outside the tasks (a task may use another inside)."""
    counter: Counter[str] = Counter()
    depth = [0]

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                counter[name] += 1
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapper

    for module, name in TASKS:
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    return counter


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the runs of the deterministic planner, wherever it was imported."""
    import buildup.engine.plan as plan_module

    counter: Counter[str] = Counter()
    real = plan_module.run

    def run(*args: Any, **kwargs: Any) -> Any:
        counter["run"] += 1
        return real(*args, **kwargs)

    for module in list(sys.modules.values()):
        if (
            getattr(module, "__name__", "").startswith("buildup")
            and getattr(module, "run", None) is real
        ):
            monkeypatch.setattr(module, "run", run)
    return counter


COMMANDS = [
    (("plan", str(EXAMPLES / "japan-dbp.toml"), "-f", "json"), "plan"),
    (("plan", "--country", "KOR", "--target-share", "0.03", "--by", "2029"), "quick_plan"),
    (("track", str(EXAMPLES / "japan-dbp-tracking.toml"), "-f", "json"), "track"),
    (
        (
            "optimize",
            "--programmes",
            str(EXAMPLES / "japan-programmes.csv"),
            "--envelope",
            str(EXAMPLES / "japan-envelope.csv"),
            "-f",
            "json",
        ),
        "optimise",
    ),
    (("risk", str(EXAMPLES / "japan-dbp.toml"), "--draws", "2000", "-f", "json"), "stress_test"),
    (("compare", "JPN", "KOR", "-f", "json"), "compare_allies"),
]


@pytest.mark.parametrize(("args", "task"), COMMANDS, ids=[t for _, t in COMMANDS])
def test_each_command_makes_exactly_one_task_call(
    cli: Any, calls: Counter[str], args: tuple[str, ...], task: str
) -> None:
    result = cli(*args)
    assert result.code == 0, result.err
    assert calls == Counter({task: 1})


def test_risk_with_a_portfolio_plans_once(
    cli: Any, calls: Counter[str], plans: Counter[str]
) -> None:
    result = cli(
        "risk",
        str(EXAMPLES / "japan-dbp.toml"),
        "--draws",
        "2000",
        "--portfolio",
        str(EXAMPLES / "japan-programmes.csv"),
        "--envelope-share",
        "0.1",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    assert calls == Counter({"stress_test": 1})
    assert plans["run"] == 1
