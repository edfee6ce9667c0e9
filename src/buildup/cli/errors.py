"""How the CLI words an error: the key at fault becomes the flag the user typed.

The core names keys in the spec's and the options' vocabulary (``draws``, ``edition``,
``targets[0].share_gdp``). When the user gave that value with a flag on this command line,
the message names the flag (``--draws 0: …``); when it came from a file, the file key stays
(``japan.toml: targets[0].share_gdp = 2: …``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from buildup.errors import BuildupError

__all__ = ["FLAGS", "render_error"]

# Key (exactly, or its last part after a dot, without list indices) → the flags that set it.
FLAGS: dict[str, tuple[str, ...]] = {
    "alpha": ("--alpha",),
    "allow_missing": ("--allow-missing",),
    "baseline_amount": ("--baseline-amount",),
    "baseline_year": ("--baseline-year",),
    "by": ("--by",),
    "chunk": ("--chunk",),
    "cluster": ("--cluster",),
    "countries": ("--country", "-c"),
    "country": ("--country", "-c"),
    "dataset": ("--dataset",),
    "database_url": ("--store",),
    "draws": ("--draws",),
    "edition": ("--edition",),
    "envelope": ("--envelope",),
    "envelope_share": ("--envelope-share",),
    "group": ("--group",),
    "groups_file": ("--groups-file",),
    "jsonl": ("--jsonl",),
    "metric": ("--metric",),
    "pareto": ("--pareto",),
    "percent": ("--percent",),
    "programmes": ("--programmes",),
    "scenarios": ("--scenarios",),
    "scheduler": ("--scheduler",),
    "seed": ("--seed",),
    "shape": ("--shape",),
    "share_gdp": ("--target-share",),
    "store": ("--db",),
    "target": ("--target",),
    "target_share": ("--target-share",),
    "targets": ("--targets",),
    "threshold": ("--threshold",),
    "time_limit": ("--time-limit",),
    "weights": ("--weights",),
    "window": ("--window",),
    "year": ("--year",),
    "years": ("--years", "-y"),
}
_INDEX = re.compile(r"\[\d+\]")


def _typed(flags: Sequence[str], argv: Sequence[str]) -> str | None:
    for arg in argv:
        name = arg.split("=", 1)[0]
        if name in flags:
            return flags[0] if name.startswith("-") and not name.startswith("--") else name
    return None


def render_error(error: BuildupError, argv: Sequence[str]) -> str:
    """The error's one line, naming the flag the user typed for its key (if they typed one)."""

    def key(what: str) -> str | None:
        if error.where:  # the value came from a file: keep the file's key
            return None
        plain = _INDEX.sub("", what)
        flags = FLAGS.get(plain) or FLAGS.get(plain.rsplit(".", 1)[-1])
        return _typed(flags, argv) if flags else None

    def option(name: str) -> str:
        flags = FLAGS.get(name)
        return flags[0] if flags else "--" + name.replace("_", "-")

    return error.render(key, option)
