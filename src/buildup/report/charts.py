"""A plan's chart: shares of GDP against targets and history, and the budget in local currency.

``plot_plan(outcome, path)`` writes a PNG, or an HTML page holding the chart as inline SVG
with a table of the yearly values, the assumptions and the provenance.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from buildup.report.files import check_chart_path, save_figure, svg_body

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from buildup.engine import Outcome

__all__ = ["plot_plan"]

HISTORY_YEARS = 15  # published history shown before the baseline [years]
_SOURCE_NAMES = {
    "milex": "SIPRI Military Expenditure Database",
    "gdp": "IMF WEO",
    "prices": "IMF WEO",
    "fx": "World Bank WDI",
    "japan_budget": "Japan MOD/MOF budgets",
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # the rect leaves room at the bottom for the source line, which layout does not manage
    figure = Figure(figsize=(12, 9), layout=ConstrainedLayoutEngine(rect=(0, 0.06, 1, 0.94)))
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    start = int(outcome.years["year"].iloc[0]) - HISTORY_YEARS
    history = outcome.history[outcome.history["year"] >= start]
    _draw_shares(top, outcome, history)
    _draw_budget(bottom, outcome, history)
    place = f"{outcome.scenario.country} ({outcome.iso3})"
    if outcome.scenario.country.upper() == outcome.iso3:
        place = outcome.iso3
    figure.suptitle(f"{outcome.scenario.name} — {place}", fontsize=15, weight="bold")
    figure.text(0.01, 0.01, _source_line(outcome), fontsize=8, color="0.3", va="bottom")
    return figure


def _draw_shares(ax: Axes, outcome: Outcome, history: pd.DataFrame) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    years = outcome.years
    planned = years["planned"].to_numpy(dtype=bool)
    _shade_plan(ax, years["year"][planned].tolist(), label=True)
    _draw_history(ax, history, "share_gdp")
    for i, (name, label) in enumerate(outcome.definitions.items()):
        colour, width = f"C{i}", 2.8 if name == outcome.primary else 1.4
        share = years[f"share_gdp_{name}"]
        ax.plot(years["year"][~planned], share[~planned], color=colour, lw=width, marker="o")
        start = max(int((~planned).sum()) - 1, 0)  # the dashed plan joins the last known year
        ax.plot(years["year"].iloc[start:], share.iloc[start:], color=colour, lw=width, ls="--")
        ax.plot([], [], color=colour, lw=width, label=_wrap(label))
    for k, target in enumerate(t for t in outcome.targets if t.kind == "share_gdp"):
        verdict = "met" if target.met else "missed"
        colour = "#1a7f37" if target.met else "#c0392b"
        ax.axhline(target.target, color=colour, lw=0.8, ls=":")
        ax.plot(target.year, target.target, marker="_", ms=24, mew=3, color=colour)
        text = f"target {_percent(target.target)} ({target.definition}) — {verdict}"
        ax.annotate(
            text, (target.year, target.target), xytext=(-8, 6 + 14 * k),
            textcoords="offset points", ha="right", color=colour, fontsize=9, weight="bold",
        )  # fmt: skip
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)  # headroom for the target labels
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _percent(v)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylabel("share of GDP")
    ax.grid(axis="y", color="0.9")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


def _draw_budget(ax: Axes, outcome: Outcome, history: pd.DataFrame) -> None:
    from matplotlib.ticker import FuncFormatter

    years = outcome.years
    planned = years["planned"].to_numpy(dtype=bool)
    _shade_plan(ax, years["year"][planned].tolist())
    scale, word = _scale(
        [*years["budget_local"], *years["spending_local"], *history["amount_local"]]
    )
    _draw_history(ax, history, "amount_local")
    budget = years["budget_local"]
    ax.bar(years["year"][~planned], budget[~planned], color="#33638d", label="budget, baseline")
    ax.bar(years["year"][planned], budget[planned], color="#9dbbd8", label="budget, planned")
    label = f"total: {outcome.definitions.get(outcome.primary, outcome.primary)}"
    ax.plot(years["year"], years["spending_local"], color="C0", lw=2.2, marker="o", ms=4,
            label=_wrap(label))  # fmt: skip
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / scale:,.4g}"))
    ax.set_ylabel(f"{outcome.currency} {word}")
    fiscal = outcome.fiscal_year != "calendar"
    ax.set_xlabel(f"{'fiscal year' if fiscal else 'year'} (plan); history by calendar year")
    ax.grid(axis="y", color="0.9")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


def _draw_history(ax: Axes, history: pd.DataFrame, column: str) -> None:
    for series, rows in history.groupby("series", sort=False):
        values = rows.set_index("year")[column]
        # a year missing from the data is a gap in the line, not a segment across it
        values = values.reindex(range(int(values.index.min()), int(values.index.max()) + 1))
        ax.plot(values.index, values, color="0.55", marker="o", ms=3, lw=1.2, label=str(series))


def _shade_plan(ax: Axes, planned: list[int], *, label: bool = False) -> None:
    if not planned:
        return
    ax.axvspan(min(planned) - 0.5, max(planned) + 0.5, color="#f1f1f1", zorder=0)
    if label:
        where = ax.get_xaxis_transform()
        ax.text(min(planned) - 0.4, 0.02, "plan", transform=where, fontsize=9, color="0.4")


def _scale(values: Iterable[float]) -> tuple[float, str]:
    largest = max((abs(v) for v in values if not math.isnan(v)), default=0.0)
    return next(((s, w) for s, w in _SCALES if largest >= s), _SCALES[-1])


def _source_line(outcome: Outcome) -> str:
    editions = outcome.provenance.get("dataset_editions", {})
    named = dict.fromkeys(
        f"{_SOURCE_NAMES.get(name, name)} (edition {edition})" for name, edition in editions.items()
    )
    lines = [f"Sources: {', '.join(named)}." if named else "Sources: not recorded."]
    notes = []
    if outcome.fiscal_year != "calendar":
        notes.append(f"Fiscal years ({outcome.fiscal_year.capitalize()} start)")
    notes.append("SIPRI history by calendar year; dashed lines are the plan")
    version = outcome.provenance.get("package_version")
    scenario_hash = str(outcome.provenance.get("scenario_hash", ""))[:12]
    if version:
        notes.append(f"buildup {version}, scenario {scenario_hash}")
    lines.append(". ".join(notes) + ".")
    return "\n".join(lines)


def _percent(share: float) -> str:
    text = f"{share * 100:.2f}"
    return f"{text[:-1] if text.endswith('0') else text} %"


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 34))


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
        for key, value in outcome.provenance.items()
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
    scale, word = _scale([*outcome.years["budget_local"], *outcome.years["spending_local"]])
    unit = f"{outcome.currency} {word}"
    shares = list(outcome.definitions)
    head = ["year", f"budget ({unit})", f"total, {outcome.primary} ({unit})"]
    head += [f"share of GDP, {outcome.definitions[n]}" for n in shares]
    rows = []
    for row in outcome.years.to_dict("records"):
        cells = [str(int(row["year"])), _amount(row["budget_local"], scale)]
        cells.append(_amount(row["spending_local"], scale))
        cells += [_share(row[f"share_gdp_{n}"]) for n in shares]
        kind = "planned" if row["planned"] else "baseline"
        rows.append(f'<tr class="{kind}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _amount(value: float, scale: float) -> str:
    return "–" if math.isnan(value) else f"{value / scale:,.3f}"  # NaN is a gap, not zero


def _share(value: float) -> str:
    return "–" if math.isnan(value) else _percent(value)


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)
