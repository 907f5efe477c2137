"""A demo emulator and one headless Chromium for the console's browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")

from avista_dx.emulator import run_emulator
from avista_dx.emulator.runner import EmulatorHandle
from scripts.chromium import CHROMIUM_FLAGS, chromium_path


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with run_emulator(seed="demo") as handle:
        yield handle


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests (they share one module), closed before the rest of the
    suite runs, so Playwright's event loop never outlives them."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium to drive: install Debian's `chromium` package (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, emulator: EmulatorHandle) -> Iterator[Any]:
    """A fresh page; any request leaving the emulator fails the test (the console is offline)."""
    context = browser.new_context(base_url=emulator.base_url, accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []

    def only_the_emulator(route: Any) -> None:
        if route.request.url.startswith((emulator.base_url, "blob:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_emulator)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], f"the page reached outside the emulator: {outside}"
    assert page_errors == [], f"JavaScript errors: {page_errors}"
