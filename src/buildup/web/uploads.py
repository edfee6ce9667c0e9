"""Files a request carries as text (programmes, envelopes, actuals): read by the CLI's readers.

The text is written to a private temporary folder under the name the request gives, and read
there with the very reader the CLI uses, so a file checks and fails the same way whether it is
named on the command line or posted; messages name the file as the request named it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["read_actuals_text", "read_envelope_text", "read_programmes_text", "with_file"]

_T = TypeVar("_T")


def with_file(text: str, name: str, read: Callable[[Path], _T]) -> _T:
    """``read(path)`` of ``text`` saved as ``name`` in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="buildup-upload-") as folder:
        path = Path(folder) / Path(name).name
        path.write_text(text, encoding="utf-8")
        return read(path)


def read_programmes_text(text: str, name: str = "programmes.csv") -> Any:
    from buildup.scenario.programmes import read_programmes

    return with_file(text, name, read_programmes)


def read_envelope_text(text: str, name: str = "envelope.csv", currency: str = "") -> Any:
    from buildup.scenario.programmes import read_envelope

    return with_file(text, name, lambda path: read_envelope(path, currency=currency))


def read_actuals_text(text: str, spec: Any, name: str = "actuals.csv") -> Any:
    from buildup.scenario.tracking import read_actuals_csv

    return with_file(text, name, lambda path: read_actuals_csv(path, spec))
