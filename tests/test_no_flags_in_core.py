"""No message outside the CLI names a command-line flag: the core speaks in keys."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "buildup"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
# report/document.py is skipped: its flags are the headless browser's command line.


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _flag_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"{node.lineno}: {m}" for m in FLAG.findall(node.value)]
    return found


def test_no_core_string_names_a_flag() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("cli/") or rel == "report/document.py":
            continue
        offenders += [f"{rel}:{hit}" for hit in _flag_strings(path)]
    assert offenders == []


def test_the_check_finds_a_flag_but_not_in_a_docstring(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""Docs may say ``--draws``."""\n\ndef f(n):\n    raise ValueError(f"give --draws {n}")\n'
    )
    assert _flag_strings(module) == ["4: --draws"]
