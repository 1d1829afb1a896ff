"""Headless Chromium for the browser tests: find it, start it, and run axe-core in a page.

Debian's ``chromium`` and ``chromium-driver`` packages and axe-core from npm (vendored into
``tests/channels/web/axe/node_modules`` by ``npm install``) are needed; without them the
browser tests are skipped locally with one line saying how to install them, and fail in CI
(``CI=true``), where ``.ci/run`` installs them first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "axe" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = (
    "browser tests need: apt-get install -y chromium chromium-driver && "
    "npm install --prefix tests/channels/web/axe"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
"""WCAG 2.1 A and AA, and axe's best practices (landmarks, headings, …)."""


_PROFILES: dict[int, str] = {}
"""Each running browser's fresh profile folder."""


def chromium_paths() -> tuple[str, str] | None:
    """The browser and its driver, if both are installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def require_browser() -> tuple[str, str]:
    """The browser and driver, or skip (locally) / fail (in CI) saying how to install them."""
    found = chromium_paths()
    if found is None or not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(INSTALL)
        pytest.skip(INSTALL, allow_module_level=True)
    assert found is not None
    return found


def start_chromium(browser: str, driver: str) -> Any:
    """A fresh headless Chromium that makes no connection of its own to the outside."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="innspill-chromium-")
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=nb-NO",
    ):
        options.add_argument(argument)
    # A Norwegian browser, as most of the chat's visitors have.
    options.add_experimental_option("prefs", {"intl.accept_languages": "nb-NO,nb,no"})
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    chrome.set_page_load_timeout(20)
    _PROFILES[id(chrome)] = profile  # removed by stop_chromium
    return chrome


def stop_chromium(chrome: Any) -> None:
    """Quit the browser and remove its profile."""
    profile = _PROFILES.pop(id(chrome), None)
    chrome.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(chrome: Any) -> list[str]:
    """Run axe-core in the current page; one line per violation (empty: none)."""
    if not chrome.execute_script("return typeof window.axe !== 'undefined'"):
        chrome.execute_script(AXE.read_text(encoding="utf-8"))
    chrome.set_script_timeout(30)
    result = chrome.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' +"
        " v.nodes.map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));",
        AXE_TAGS,
    )
    return list(result)
