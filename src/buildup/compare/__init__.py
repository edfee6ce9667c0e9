"""Line up several countries (and, later, several outcomes) side by side."""

from __future__ import annotations

from buildup.compare.overview import JAPAN_AND_PARTNERS, compare_overview

__all__ = ["JAPAN_AND_PARTNERS", "compare_overview"]
