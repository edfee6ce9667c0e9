"""Charts and documents drawn from results; formatting only, no arithmetic.

matplotlib is imported here and nowhere else, lazily, so that importing the package is cheap.
"""

from __future__ import annotations

from buildup.report.charts import plot_plan
from buildup.report.compare_charts import plot_comparison
from buildup.report.portfolio_charts import plot_portfolio
from buildup.report.risk_charts import plot_fan
from buildup.report.track_charts import plot_tracking

__all__ = ["plot_comparison", "plot_fan", "plot_plan", "plot_portfolio", "plot_tracking"]
