"""``buildup scenario FILE.toml``: a scenario file as the JSON document the web API takes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

__all__ = ["scenario"]


def scenario(
    scenario_file: Path = typer.Argument(..., help="Scenario TOML (see examples/)."),
) -> None:
    """Print a scenario file (and the files it extends, nested) as one JSON document, checked:
    the body of the web API's plan and scenario routes."""
    import buildup

    document = buildup.read_scenario_document(scenario_file)
    buildup.read_scenario(scenario_file)  # the same checks as every command that reads it
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
