"""Takes the README's screenshot of the emulator console: ``python -m scripts.console_screenshot``.

Starts an in-memory demo emulator, signs in as the demo owner in Debian's headless Chromium and
captures a time-series query with its chart (docs/images/console.png by default).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from avista_dx.emulator import run_emulator

from .chromium import CHROMIUM_FLAGS, chromium_path

DEFAULT_OUTPUT = Path("docs/images/console.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--chromium", default=chromium_path() or "/usr/bin/chromium")
    arguments = parser.parse_args()
    with run_emulator(seed="demo") as emulator, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=arguments.chromium, args=list(CHROMIUM_FLAGS)
        )
        page = browser.new_page(viewport={"width": 1280, "height": 820}, base_url=emulator.base_url)
        page.goto("/_emulator/console")
        page.click("button.demo[data-role=owner]")
        page.click("nav >> text=Time-series databases")
        page.click("table.databases >> text=Demo meters")
        page.click("#run-sql")
        page.wait_for_selector(".chart polyline")
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(arguments.output))
        browser.close()


if __name__ == "__main__":
    main()
