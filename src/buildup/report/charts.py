"""A plan's chart: shares of GDP against targets and history, and the budget in local currency.

``plot_plan(outcome, path)`` writes a PNG, or an HTML page holding the chart as inline SVG
with a table of the yearly values, the assumptions and the provenance.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, svg_body
from buildup.report.numbers import format_target
from buildup.report.plan_figure import plan_chart, source_line
from buildup.report.plan_view import provenance_items
from buildup.report.static import draw_chart
from buildup.units import column_scale, format_amount

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from buildup.engine import Outcome

__all__ = ["plot_plan"]

_PRIVATE = frozenset({"store"})  # a local file path: not for a page that is shared
_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
    "svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}tr.planned td{background:#eef3f9}"
)


def plot_plan(outcome: Outcome, path: Path) -> Path:
    """Draw ``outcome``'s path with its targets and history into ``path`` (.png or .html).

    The file is written atomically: a failure leaves no half-written file at ``path``.
    """
    path = check_chart_path(path)
    return save_figure(_figure(outcome), path, lambda svg: _page(outcome, svg))


def _figure(outcome: Outcome) -> Figure:
    return draw_chart(plan_chart(outcome))


def _source_line(outcome: Outcome) -> str:
    return source_line(outcome.provenance, outcome.fiscal_year)


def _page(outcome: Outcome, svg: str) -> str:
    e = html.escape
    title = f"{outcome.scenario.name} — {outcome.iso3}"
    targets = "".join(
        f"<li>{e(t.label)}: {_share(t.share_gdp)} in {t.year} — {'met' if t.met else 'missed'}</li>"
        for t in outcome.targets
    )
    assumptions = "".join(f"<li>{e(a)}</li>" for a in outcome.assumptions)
    provenance = "".join(
        f"<li>{e(str(key))}: {e(_flat(value))}</li>"
        for key, value in provenance_items(outcome.provenance)
        if key not in _PRIVATE
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}'
        f"</title><style>{_CSS}</style></head><body>\n<h1>{e(title)}</h1>\n"
        f"{svg_body(svg)}\n<h2>Targets</h2><ul>{targets}</ul>\n"
        f"<h2>Year by year</h2>\n{_table(outcome)}\n<h2>Assumptions</h2><ul>{assumptions}</ul>\n"
        f"<h2>Provenance</h2><ul>{provenance}</ul>\n<p>{e(_source_line(outcome))}</p>\n"
        "</body></html>\n"
    )


def _table(outcome: Outcome) -> str:
    e = html.escape
    scale, word = column_scale([*outcome.years["budget_local"], *outcome.years["spending_local"]])
    unit = f"{outcome.currency} {word}"
    shares = list(outcome.names)
    head = ["year", f"budget ({unit})", f"total, {outcome.primary} ({unit})"]
    head += [f"share of GDP, {outcome.label(n)}" for n in shares]
    rows = []
    own = {n: outcome.definition_years(n)["share_gdp"].tolist() for n in shares}
    for i, row in enumerate(outcome.years.to_dict("records")):
        cells = [str(int(row["year"])), format_amount(row["budget_local"], scale)]
        cells.append(format_amount(row["spending_local"], scale))
        cells += [_share(own[n][i]) for n in shares]
        kind = "planned" if row["planned"] else "baseline"
        rows.append(f'<tr class="{kind}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _share(value: float) -> str:
    return "–" if math.isnan(value) else format_target(value)


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)
