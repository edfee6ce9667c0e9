"""buildup: plan, track and stress-test national defence-spending build-ups."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
