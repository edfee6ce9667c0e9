"""Charts and documents drawn from results; formatting only, no arithmetic.

matplotlib is imported here and nowhere else, lazily, so that importing the package is cheap.
"""

from __future__ import annotations

from buildup.report.charts import plot_plan

__all__ = ["plot_plan"]
