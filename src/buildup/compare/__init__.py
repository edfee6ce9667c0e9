"""Line up several countries side by side: metrics, groups, counts and the cost of targets."""

from __future__ import annotations

from buildup.compare.cost import (
    TARGET_PRESETS,
    CostToTarget,
    TargetSpec,
    compare_cost_to_target,
    cost_table,
    resolve_target,
)
from buildup.compare.counts import Count, count_at_or_above, rank_countries, round_share
from buildup.compare.groups import Group, load_groups, resolve_group
from buildup.compare.metrics import Metric, MetricInfo, compare_countries, resolve_metric
from buildup.compare.overview import JAPAN_AND_PARTNERS, compare_overview
from buildup.compare.task import CompareOptions, Comparison, compare_allies

__all__ = [
    "JAPAN_AND_PARTNERS",
    "TARGET_PRESETS",
    "CompareOptions",
    "Comparison",
    "CostToTarget",
    "Count",
    "Group",
    "Metric",
    "MetricInfo",
    "TargetSpec",
    "compare_allies",
    "compare_cost_to_target",
    "compare_countries",
    "compare_overview",
    "cost_table",
    "count_at_or_above",
    "load_groups",
    "rank_countries",
    "resolve_group",
    "resolve_metric",
    "resolve_target",
    "round_share",
]
