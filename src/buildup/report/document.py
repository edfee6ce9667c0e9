"""The report: one self-contained HTML document (charts embedded, nothing fetched), and its PDF.

``render_plan_report(outcome, risk)`` gives the HTML text: the question, the answer in a
sentence, the chart, the tables, the assumptions, the method notes, the sources (every
dataset and edition used) and the provenance. plotly.js comes from the installed plotly
package and is embedded, so the document opens offline. ``print_pdf`` prints it with headless
Chromium (Debian's binary, driven by Playwright).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildup.errors import BuildupError, InputError
from buildup.report.embed import asset_bytes, chart_html, plotly_js_path
from buildup.report.files import write_atomic
from buildup.report.numbers import format_percent
from buildup.report.plan_figure import plan_chart
from buildup.report.plan_view import plan_view

if TYPE_CHECKING:
    from buildup.engine import Outcome
    from buildup.engine.risk import RiskOutcome

__all__ = [
    "CHROMIUM_FLAGS",
    "check_report_path",
    "chromium_path",
    "print_pdf",
    "render_plan_report",
    "write_report",
]

# Headless and off the network: no sync, no updates, no background fetches, no QUIC.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("buildup.report", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _risk_block(risk: RiskOutcome) -> dict[str, Any]:
    sentences = []
    fy = "FY" if risk.plan.fiscal_year != "calendar" else ""
    for t in risk.targets:
        sentences.append(
            f"Across {risk.draws:,} simulated futures (seed {risk.seed}), the "
            f"{format_percent(t.share_gdp, 1)} target of {fy}{t.year} ({t.definition}) "
            f"is met in {t.probability_met:.1%} of them (standard error "
            f"{t.standard_error:.1%})."
        )
    tornado = [
        {
            "driver": r.driver.replace("_", " "),
            "probability": f"{r.probability_met:.1%}",
            "low": format_percent(r.share_p5),
            "high": format_percent(r.share_p95),
        }
        for r in risk.tornado
    ]
    return {
        "sentence": " ".join(sentences) or "The scenario sets no target to test.",
        "tornado": tornado,
        "draws": f"{risk.draws:,}",
        "seed": risk.seed,
    }


def render_plan_report(
    outcome: Outcome, risk: RiskOutcome | None = None, *, generated: dt.datetime | None = None
) -> str:
    """The report of a plan (and its risk, when given) as one self-contained HTML text."""
    from markupsafe import Markup

    from buildup.version import __version__

    view = plan_view(outcome)
    charts = {"plan": Markup(chart_html(plan_chart(outcome), "chart-plan"))}
    risk_block = None
    if risk is not None:
        from buildup.report.risk_figure import fan_chart

        charts["fan"] = Markup(chart_html(fan_chart(risk), "chart-fan"))
        risk_block = _risk_block(risk)
    when = generated or dt.datetime.now(dt.UTC)
    return str(
        _environment()
        .get_template("report.html")
        .render(
            view=view,
            charts=charts,
            risk=risk_block,
            version=__version__,
            generated=when.strftime("%Y-%m-%d %H:%M UTC"),
            css=Markup(asset_bytes("report.css").decode("utf-8")),
            plotly_js=Markup(Path(plotly_js_path()).read_text(encoding="utf-8")),
            charts_js=Markup(asset_bytes("charts.js").decode("utf-8")),
        )
    )


def check_report_path(path: Path, suffix: str) -> Path:
    """``path`` if it ends in ``suffix`` and its folder exists; else a one-line error."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise InputError(f"report file must end in {suffix} (given {path.name})")
    if not path.parent.is_dir():
        raise InputError(f"report folder {path.parent} does not exist; create it first")
    return path


def write_report(text: str, path: Path) -> Path:
    """Write the report's HTML to ``path`` atomically (nothing half-written on failure)."""
    path = check_report_path(path, ".html")
    data = text.encode("utf-8")
    write_atomic(path, lambda handle: handle.write(data))
    return path


def chromium_path() -> str:
    """The system Chromium: ``$BUILDUP_CHROMIUM``, else ``chromium`` on the PATH."""
    given = os.environ.get("BUILDUP_CHROMIUM")
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        raise BuildupError(
            "no Chromium found for the PDF: install Debian's chromium (make browser, or "
            "apt-get install -y chromium) or set BUILDUP_CHROMIUM to its path"
        )
    return found


def print_pdf(html_path: Path, pdf_path: Path, timeout_s: float = 60.0) -> Path:
    """Print the report at ``html_path`` to ``pdf_path`` (A4) with headless Chromium."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    pdf_path = check_report_path(pdf_path, ".pdf")
    executable = chromium_path()
    with tempfile.TemporaryDirectory(prefix="buildup-pdf-") as profile:
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch_persistent_context(
                    profile, executable_path=executable, headless=True,
                    args=list(CHROMIUM_FLAGS), viewport={"width": 760, "height": 1000},
                )  # fmt: skip
                try:
                    page = browser.new_page()
                    page.route("**/*", _only_local)
                    page.goto(Path(html_path).resolve().as_uri(), timeout=timeout_s * 1000)
                    page.wait_for_selector("html[data-charts-ready]", timeout=timeout_s * 1000)
                    page.emulate_media(media="print")
                    pdf = page.pdf(format="A4", print_background=True,
                                   margin={"top": "14mm", "bottom": "14mm",
                                           "left": "12mm", "right": "12mm"})  # fmt: skip
                finally:
                    browser.close()
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BuildupError(f"printing the PDF with Chromium failed: {first}") from None
    write_atomic(pdf_path, lambda handle: handle.write(pdf))
    return pdf_path


def _only_local(route: Any) -> None:
    """A report needs nothing from a network: any such request is refused."""
    if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


def describe(path: Path) -> str:
    """``out/report.html (4.9 MB)``: a path and its size, for the CLI's closing line."""
    size = Path(path).stat().st_size
    return f"{path} ({size / 1e6:.1f} MB)"
