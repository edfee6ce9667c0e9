/* buildup charts: draw every chart defined on the page with Plotly, and wire its downloads.
 * A chart is a <figure data-chart="ID"> holding <div class="plot"> and, beside it, a
 * <script type="application/json" id="ID-figure"> with the Plotly figure (data, layout) and,
 * optionally, <script type="application/json" id="ID-csv"> with the CSV of the full series.
 * No inline script runs: this file is loaded with <script src> (or embedded in a report). */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function narrow(plot) {
    return plot.clientWidth > 0 && plot.clientWidth < 600;
  }

  function layoutFor(plot, layout) {
    var copy = JSON.parse(JSON.stringify(layout));
    if (narrow(plot)) { // a phone's width: smaller margins and fonts, legend below
      copy.margin = { l: 44, r: 8, t: 20, b: 40 };
      copy.font = Object.assign({}, copy.font, { size: 10 });
      copy.legend = Object.assign({}, copy.legend, { font: { size: 9 } });
    }
    return copy;
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* The CSV of what is shown: the visible traces, values as drawn (shares in %). */
  function shownCsv(plot) {
    var rows = [["series", "x", "value", "axis"]];
    plot.data.forEach(function (trace) {
      if (trace.visible === "legendonly" || trace.visible === false || trace.hoverinfo === "skip") {
        return;
      }
      var axis = plot.layout[(trace.yaxis || "y").replace("y", "yaxis")] || {};
      var unit = axis.title && axis.title.text ? axis.title.text : "";
      if (axis.ticksuffix) { unit = unit + " (" + axis.ticksuffix.trim() + ")"; }
      (trace.x || []).forEach(function (x, i) {
        var y = trace.y ? trace.y[i] : null;
        rows.push([trace.name, x, y === null || y === undefined ? "" : y, unit]);
      });
    });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\n") + "\n";
  }

  function save(name, text) {
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  /* For a downloaded image: the legend at the right and the source line under the plot. */
  function exportFigure(plot) {
    var layout = JSON.parse(JSON.stringify(plot.layout));
    layout.legend = Object.assign({}, layout.legend, { orientation: "v", x: 1.02, xanchor: "left", y: 1, yanchor: "top" });
    layout.margin = { l: 70, r: 430, t: 80, b: 130 };
    layout.annotations = (layout.annotations || []).slice();
    if (layout.meta && layout.meta.title) {
      layout.title = { text: layout.meta.title, x: 0.01, xanchor: "left", font: { size: 16 } };
    }
    if (layout.meta && layout.meta.source) {
      layout.annotations.push({ text: layout.meta.source, xref: "paper", yref: "paper", x: 0, y: 0,
        yshift: -62, xanchor: "left", yanchor: "top", showarrow: false, align: "left",
        font: { size: 10, color: "#555555" } });
    }
    return { data: plot.data, layout: layout };
  }

  function wire(figure, plot, id) {
    var name = figure.getAttribute("data-filename") || id;
    figure.querySelectorAll("button[data-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        var kind = button.getAttribute("data-download");
        if (kind === "png" || kind === "svg") {
          window.Plotly.downloadImage(exportFigure(plot), { format: kind, filename: name, width: 1500, height: 850 });
        } else if (kind === "csv-shown") {
          save(name + "-shown.csv", shownCsv(plot));
        } else if (kind === "csv-full") {
          var full = document.getElementById(id + "-csv");
          if (full) { save(name + ".csv", JSON.parse(full.textContent)); }
        }
      });
    });
  }

  function draw(figure) {
    var id = figure.getAttribute("data-chart");
    var spec = readJson(id + "-figure");
    var plot = figure.querySelector(".plot");
    if (!spec || !plot || !window.Plotly) { return Promise.resolve(); }
    var config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: figure.querySelector("a[data-image]")
        ? ["select2d", "lasso2d", "autoScale2d", "toImage"] // the page serves the images
        : ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { filename: figure.getAttribute("data-filename") || id }
    };
    return window.Plotly.newPlot(plot, spec.data, layoutFor(plot, spec.layout), config).then(function () {
      plot.setAttribute("data-drawn", "1");
      wire(figure, plot, id);
    });
  }

  function drawAll(root) {
    var figures = (root || document).querySelectorAll("figure[data-chart]");
    return Promise.all(Array.prototype.map.call(figures, draw));
  }

  window.buildupCharts = { drawAll: drawAll, shownCsv: shownCsv, exportFigure: exportFigure };
  function start() {
    window.buildupChartsReady = drawAll(document).then(function () {
      document.documentElement.setAttribute("data-charts-ready", "1");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
