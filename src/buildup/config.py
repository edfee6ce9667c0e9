"""Settings: where the embedded store lives.

The store path is, in order: the ``--db`` option, the ``BUILDUP_DB`` environment variable,
then ``buildup.duckdb`` in the user's data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV_VAR", "resolve_db_path"]

DB_ENV_VAR = "BUILDUP_DB"


def resolve_db_path(explicit: str | Path | None = None) -> Path:
    """Return the path of the store file from an explicit path, the environment or the default."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV_VAR, "")
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("buildup", appauthor=False)) / "buildup.duckdb"
