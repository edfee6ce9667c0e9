"""One chart definition for every interface: a :class:`Chart` is plain data.

A chart is built once from an outcome (``buildup.report.figures``) and then drawn by
whichever interface needs it: :func:`to_plotly` gives the Plotly figure (a JSON-ready
mapping) for the web pages and the reports, :func:`buildup.report.static.draw_chart` gives
matplotlib's figure for the CLI's PNG, and :func:`chart_csv` gives the CSV of what is shown.
No arithmetic on the values happens here beyond scaling amounts to the axis unit.

>>> chart = Chart("demo", "A", "year", (Panel("share of GDP", "share"),),
...               (Series("x", (2024, 2025), (0.01, None)),), source="Source: test.")
>>> chart_csv(chart).splitlines()[1]
'x,2024,0.01,share of GDP'
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "Chart",
    "Mark",
    "Panel",
    "Series",
    "chart_csv",
    "clean_values",
    "to_plotly",
]

Kind = Literal["line", "bar", "band", "markers"]
Dash = Literal["solid", "dash", "dot"]
Unit = Literal["share", "amount", "number"]
_DASH = {"solid": "solid", "dash": "dash", "dot": "dot"}


@dataclass(frozen=True)
class Series:
    """One line, bar set, band or set of markers; ``y`` in the panel's unit (amounts unscaled).

    A band fills between ``low`` and ``high``; ``y`` is then its middle (or empty).
    Series with the same ``group`` toggle together in an interactive legend.
    """

    name: str
    x: tuple[int, ...] | tuple[str, ...]
    y: tuple[float | None, ...]
    kind: Kind = "line"
    panel: int = 0
    colour: str = "#1f5f99"
    dash: Dash = "solid"
    width: float = 2.0
    low: tuple[float | None, ...] = ()
    high: tuple[float | None, ...] = ()
    legend: bool = True
    group: str = ""


@dataclass(frozen=True)
class Panel:
    """A y axis: its title, the unit of its values and, for amounts, the scale shown.

    ``scale`` divides amounts for display (1e12 with ``scale_word`` "trillion");
    ``currency`` names the unit of an amount panel.
    """

    title: str
    unit: Unit
    scale: float = 1.0
    scale_word: str = ""
    currency: str = ""
    weight: float = 1.0

    @property
    def unit_label(self) -> str:
        """The unit as a reader sees it: ``%``, ``JPY trillion`` or the title."""
        if self.unit == "share":
            return "% of GDP" if "of GDP" in self.title else "%"
        if self.unit == "amount":
            return " ".join(w for w in (self.currency, self.scale_word) if w)
        return ""


@dataclass(frozen=True)
class Mark:
    """A horizontal reference line (a target) on one panel, with its label."""

    y: float
    label: str
    panel: int = 0
    colour: str = "#555555"
    x: int | None = None  # the year it applies to, drawn as a point on the line


@dataclass(frozen=True)
class Chart:
    """A chart: panels stacked top to bottom sharing the x axis, series, marks, a source."""

    key: str
    title: str
    x_title: str
    panels: tuple[Panel, ...]
    series: tuple[Series, ...]
    marks: tuple[Mark, ...] = ()
    shade: tuple[int, int] | None = None  # the years of the plan, shaded
    shade_label: str = "plan"
    source: str = ""
    subtitle: str = ""
    categorical_x: bool = False  # x holds labels (e.g. countries), not years
    stacked: bool = False  # bars stack (areas of one year's spending), else side by side


def clean_values(values: Iterable[Any]) -> tuple[float | None, ...]:
    """Floats, with NaN and missing values as ``None`` (a gap, never a zero)."""
    out: list[float | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        number = float(value)
        out.append(None if math.isnan(number) else number)
    return tuple(out)


def _shown(panel: Panel, values: Sequence[float | None]) -> list[float | None]:
    if panel.unit == "share":
        return [None if v is None else v * 100 for v in values]
    if panel.unit == "amount":
        return [None if v is None else v / panel.scale for v in values]
    return list(values)


def _hover(panel: Panel) -> str:
    if panel.unit == "share":
        return "%{y:.2f} %" + (" of GDP" if "of GDP" in panel.title else "")
    if panel.unit == "amount":
        return f"%{{y:,.3f}} {panel.unit_label}"
    return "%{y:,.4g}"


def _axis_names(index: int) -> tuple[str, str]:
    suffix = "" if index == 0 else str(index + 1)
    return f"x{suffix}", f"y{suffix}"


def to_plotly(chart: Chart) -> dict[str, Any]:
    """The chart as a Plotly figure: ``{"data": [...], "layout": {...}}``, JSON-ready.

    Panels are stacked subplots sharing the x axis; hover shows values with their units;
    shares are shown in percent; the source line sits under the plot.
    """
    data: list[dict[str, Any]] = []
    for series in chart.series:
        panel = chart.panels[series.panel]
        xname, yname = _axis_names(series.panel)
        common: dict[str, Any] = {
            "name": series.name,
            "x": list(series.x),
            "xaxis": xname,
            "yaxis": yname,
            "showlegend": series.legend,
            "legendgroup": series.group or series.name,
            "hovertemplate": f"%{{x}}: {_hover(panel)}<extra>{_escape_hover(series.name)}</extra>",
        }
        if series.kind == "bar":
            data.append(
                common | {"type": "bar", "y": _shown(panel, series.y),
                          "marker": {"color": series.colour}}
            )  # fmt: skip
        elif series.kind == "band":
            high = _shown(panel, series.high)
            low = _shown(panel, series.low)
            data.append(
                common | {"type": "scatter", "mode": "lines", "y": high,
                          "line": {"width": 0, "color": series.colour}, "showlegend": False,
                          "hoverinfo": "skip", "hovertemplate": None}
            )  # fmt: skip
            data.append(
                common | {"type": "scatter", "mode": "lines", "y": low, "fill": "tonexty",
                          "fillcolor": series.colour, "line": {"width": 0, "color": series.colour}}
            )  # fmt: skip
        else:
            mode = "markers" if series.kind == "markers" else "lines+markers"
            data.append(
                common | {"type": "scatter", "mode": mode, "y": _shown(panel, series.y),
                          "connectgaps": False,
                          "line": {"color": series.colour, "width": series.width,
                                   "dash": _DASH[series.dash]},
                          "marker": {"size": 5 if series.kind == "line" else 9}}
            )  # fmt: skip
    layout: dict[str, Any] = {
        "hovermode": "x unified" if not chart.categorical_x else "closest",
        "barmode": "stack" if chart.stacked else "group",
        "margin": {"l": 60, "r": 20, "t": 24, "b": 60},
        "legend": {"orientation": "h", "y": -0.16, "yanchor": "top", "x": 0, "font": {"size": 11}},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "shapes": [],
        "annotations": [],
        "autosize": True,
    }
    _add_axes(chart, layout)
    _add_marks(chart, data, layout)
    # title and source are drawn on exported images only; a page shows them in the caption
    layout["meta"] = {
        "title": _title_html(chart),
        "source": _escape_hover(chart.source).replace("\n", "<br>"),
    }
    return {"data": data, "layout": layout}


def _add_axes(chart: Chart, layout: dict[str, Any]) -> None:
    bottom = len(chart.panels) - 1
    weights = [p.weight for p in chart.panels]
    total, gap = sum(weights), 0.06
    top = 1.0
    for i, panel in enumerate(chart.panels):
        xname, yname = _axis_names(i)
        height = (1.0 - gap * bottom) * panel.weight / total
        y_axis: dict[str, Any] = {
            "domain": [max(top - height, 0.0), top],
            "title": {"text": _axis_title(panel)},
            "rangemode": "tozero",
            "gridcolor": "#e6e6e6",
            "zeroline": True,
            "zerolinecolor": "#999999",
            "anchor": xname,
        }
        if panel.unit == "share":
            y_axis["ticksuffix"] = " %"
        x_axis: dict[str, Any] = {"anchor": yname, "showgrid": False}
        if not chart.categorical_x:
            x_axis["tickformat"] = "d"
            x_axis["dtick"] = None
        if i > 0:
            x_axis["matches"] = "x"
        if i < bottom:
            x_axis["showticklabels"] = False
        else:
            x_axis["title"] = {"text": chart.x_title}
        layout[f"xaxis{'' if i == 0 else i + 1}"] = x_axis
        layout[f"yaxis{'' if i == 0 else i + 1}"] = y_axis
        top -= height + gap
        if chart.shade is not None:
            layout["shapes"].append(
                {"type": "rect", "xref": xname, "yref": f"{yname} domain",
                 "x0": chart.shade[0] - 0.5, "x1": chart.shade[1] + 0.5, "y0": 0, "y1": 1,
                 "fillcolor": "#f0f0f0", "line": {"width": 0}, "layer": "below"}
            )  # fmt: skip
    if chart.shade is not None:
        layout["annotations"].append(
            {"text": chart.shade_label, "xref": "x", "yref": "y domain", "x": chart.shade[0] - 0.4,
             "y": 0.02, "xanchor": "left", "showarrow": False, "font": {"color": "#666666"}}
        )  # fmt: skip


def _add_marks(chart: Chart, data: list[dict[str, Any]], layout: dict[str, Any]) -> None:
    for k, mark in enumerate(chart.marks):
        panel = chart.panels[mark.panel]
        xname, yname = _axis_names(mark.panel)
        (shown,) = _shown(panel, [mark.y])
        layout["shapes"].append(
            {"type": "line", "xref": f"{xname} domain", "yref": yname, "x0": 0, "x1": 1,
             "y0": shown, "y1": shown, "line": {"color": mark.colour, "width": 1, "dash": "dot"}}
        )  # fmt: skip
        layout["annotations"].append(
            {"text": _escape_hover(mark.label), "xref": f"{xname} domain", "yref": yname,
             "x": 0.01, "y": shown, "yshift": 9 + 12 * k, "xanchor": "left", "showarrow": False,
             "font": {"color": mark.colour, "size": 11}}
        )  # fmt: skip
        if mark.x is not None:
            data.append(
                {"type": "scatter", "mode": "markers", "x": [mark.x], "y": [shown],
                 "xaxis": xname, "yaxis": yname, "name": mark.label, "showlegend": False,
                 "marker": {"symbol": "line-ew-open", "size": 22, "color": mark.colour,
                            "line": {"width": 3, "color": mark.colour}},
                 "hovertemplate": f"%{{x}}: {_hover(panel)}<extra>target</extra>"}
            )  # fmt: skip


def _axis_title(panel: Panel) -> str:
    """Short enough for a small panel: the unit for amounts, the title otherwise."""
    if panel.unit == "amount" and panel.unit_label:
        return _escape_hover(panel.unit_label)
    return _escape_hover(panel.title)


def _title_html(chart: Chart) -> str:
    title = f"<b>{_escape_hover(chart.title)}</b>"
    if chart.subtitle:
        title += f"<br><span style='font-size:12px'>{_escape_hover(chart.subtitle)}</span>"
    return title


def _escape_hover(text: str) -> str:
    """Plotly renders a small HTML subset in labels: a user's text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_csv(chart: Chart) -> str:
    """The values the chart shows, one row per series and x: ``series,x,value,unit``.

    Amounts are in the panel's currency unit (not scaled), shares are fractions; a band gives
    two rows per x (``low`` and ``high`` in the series' name).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    x_name = "x" if chart.categorical_x else "year"
    writer.writerow(["series", x_name, "value", "unit"])
    for series in chart.series:
        panel = chart.panels[series.panel]
        unit = panel.currency if panel.unit == "amount" else panel.title
        parts = [(series.name, series.y)]
        if series.kind == "band":
            parts = [(f"{series.name} (low)", series.low), (f"{series.name} (high)", series.high)]
        for name, values in parts:
            for x, value in zip(series.x, values, strict=True):
                writer.writerow([name, x, "" if value is None else repr(value), unit])
    for mark in chart.marks:
        panel = chart.panels[mark.panel]
        writer.writerow([mark.label, "" if mark.x is None else mark.x, repr(mark.y), panel.title])
    return buffer.getvalue()
