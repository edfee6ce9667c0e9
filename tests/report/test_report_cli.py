"""``buildup report``: the HTML and, through Debian's Chromium, the PDF, from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _buildup(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BUILDUP_DB": str(db)}
    command = [sys.executable, "-c", "from buildup.cli import main; main()", *args]
    return subprocess.run(
        command, check=False, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.browser
def test_report_writes_html_and_pdf(store_path: Path, tmp_path: Path) -> None:
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    done = _buildup(
        "report",
        str(EXAMPLES / "japan-dbp.toml"),
        "-o",
        str(html),
        "--pdf",
        str(pdf),
        "--draws",
        "4096",
        db=store_path,
    )
    assert done.returncode == 0, done.stderr
    assert f"report written to {html}" in done.stdout
    assert f"PDF written to {pdf}" in done.stdout
    text = html.read_text(encoding="utf-8")
    assert "4,096 simulated futures" in text
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000


def test_report_refuses_a_wrong_suffix_before_any_work(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    done = _buildup(
        "report", str(EXAMPLES / "japan-dbp.toml"), "-o", str(out / "r.txt"), db=store_path
    )
    assert done.returncode == 2
    assert done.stderr == "buildup: error: report file must end in .html (given r.txt)\n"
    assert list(out.iterdir()) == []
