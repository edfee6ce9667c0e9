"""Import rules that import-linter cannot state: nothing below the interfaces imports the root."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "buildup"
INTERFACES = ("cli/", "web/")


def _root_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import buildup" for a in node.names if a.name == "buildup"]
        elif isinstance(node, ast.ImportFrom) and node.module == "buildup" and node.level == 0:
            subpackages = {p.stem for p in SRC.iterdir()}
            found += [
                f"{node.lineno}: from buildup import {a.name}"
                for a in node.names
                if a.name not in subpackages
            ]
    return found


def test_nothing_below_the_interfaces_imports_the_package_root() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "__init__.py" or rel.startswith(INTERFACES):
            continue
        offenders += [f"{rel}:{hit}" for hit in _root_imports(path)]
    assert offenders == []


def test_the_check_sees_a_root_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from buildup import __version__\nfrom buildup import store\n")
    assert _root_imports(module) == ["1: from buildup import __version__"]
