"""Browser tests: a real server on loopback (uvicorn in a thread) and Debian's Chromium driven
by Playwright, headless, off the network, with a fresh profile per test.

A failing test leaves a screenshot in a temporary folder, named in the failure message; every
page's console errors fail the test that saw them.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pages_app import make_app

from buildup.report.document import CHROMIUM_FLAGS

CHROMIUM = os.environ.get("BUILDUP_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(tempfile.gettempdir()) / "buildup-browser-failures"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(built_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 127.0.0.1 under uvicorn, with its own copy of the built store."""
    import uvicorn

    path = tmp_path_factory.mktemp("server") / "store.duckdb"
    shutil.copy(built_store_path, path)
    port = _free_port()
    config = uvicorn.Config(make_app(path), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start within 60 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[_REPORT] = report
        driver = getattr(item, "funcargs", {}).get("browser")
        if report.failed and isinstance(driver, Browser):
            path = _screenshot(driver, item.name)
            # named in the failure message itself, not only in the captured output
            report.longrepr = f"{report.longrepr}\n\nscreenshot of the failure: {path}"


_REPORT = pytest.StashKey[Any]()


class Browser:
    """A page in a fresh Chromium profile; console errors and outside requests are recorded."""

    def __init__(self, context: Any, base: str) -> None:
        self.context = context
        self.base = base
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        context.route("**/*", self._route)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location})")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith((self.base, "data:", "blob:", "about:", "file:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.wait_for_charts()
        return self.page

    def wait_for_charts(self) -> None:
        self.page.wait_for_selector("html[data-charts-ready]", timeout=30_000)


@pytest.fixture
def browser(
    request: pytest.FixtureRequest, server: str, playwright_driver: Any
) -> Iterator[Browser]:
    profile = tempfile.mkdtemp(prefix="buildup-chromium-")
    downloads = tempfile.mkdtemp(prefix="buildup-downloads-")
    context = playwright_driver.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=list(CHROMIUM_FLAGS),
        accept_downloads=True,
        downloads_path=downloads,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(30_000)
    driver = Browser(context, server)
    try:
        yield driver
        report = request.node.stash.get(_REPORT, None)
        failed = report is not None and report.failed
        if not failed and (driver.console_errors or driver.outside):
            shot = _screenshot(driver, request.node.name)
            pytest.fail(
                f"console errors {driver.console_errors} or requests to outside "
                f"{driver.outside}; screenshot: {shot}"
            )
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)


def _screenshot(driver: Browser, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}-{int(time.time())}.png"
    try:
        driver.page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # a screenshot is a courtesy: never hide the test's own failure
        return Path(f"(screenshot failed: {exc})")
    sys.stderr.write(f"\nscreenshot of the failure: {path}\n")
    return path


@pytest.fixture
def shot_on_failure(browser: Browser, request: pytest.FixtureRequest) -> Any:
    """``check(condition, what)``: assert, naming a screenshot of the page when it fails."""

    def check(condition: object, what: str) -> None:
        if not condition:
            path = _screenshot(browser, request.node.name)
            pytest.fail(f"{what}; screenshot: {path}")

    return check
