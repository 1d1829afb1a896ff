"""The web chat in headless Chromium: a keyboard-only submission, axe on every kind of screen,
a 320 px wide window, and 200 % zoom.

One browser and one ``innspill web`` process serve the whole module, so it stays quick.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.channels.web.real_browser import (
    axe_violations,
    require_browser,
    start_chromium,
    stop_chromium,
)
from tests.conftest import process_env

pytestmark = pytest.mark.slow

BROWSER = require_browser()
LONG_WORD = "Kommunesammenslåingsutredningsarbeidsgruppemedlemmer" * 3
"""A word longer than a phone screen: it must wrap, not push the page sideways."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``innspill web`` on a free loopback port, with its own database."""
    folder = tmp_path_factory.mktemp("web")
    port = free_port()
    env = process_env(folder, WEB_POSTS_PER_MINUTE="10000", LOG_LEVEL="WARNING")
    log = (folder / "web.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--listen", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/helse", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((folder / "web.log").read_text()) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def chrome() -> Iterator[Any]:
    """One headless Chromium for the module."""
    browser = start_chromium(*BROWSER)
    try:
        yield browser
    finally:
        stop_chromium(browser)


@pytest.fixture
def fresh(chrome: Any, site: str) -> Any:
    """The browser as a new visitor (no cookie), at a normal window size."""
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.get(site + "/helse")
    chrome.delete_all_cookies()
    return chrome


# --- acting with the keyboard only -----------------------------------------------------------


def keys() -> Any:
    from selenium.webdriver.common.keys import Keys

    return Keys


def focused(chrome: Any) -> Any:
    return chrome.switch_to.active_element


def wait_for(chrome: Any, condition: Callable[[], object], what: str, timeout: float = 10) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(chrome, timeout, poll_frequency=0.05).until(
        lambda _driver: condition(), message=f"waited for {what}"
    )


def turn(chrome: Any) -> str:
    """The page's turn counter: it changes with every answer the server took (or refused)."""
    return attribute_of(chrome, "id", "chat", "data-turn")


def attribute_of(chrome: Any, by: str, value: str, name: str) -> str:
    """An element's attribute, or ``""`` while the next page replaces this one.

    Between finding an element and reading it the page may be swapped for the next one;
    Chromium then says the element is stale, or that its node "does not belong to the
    document": either way the page is loading, and the caller waits.
    """
    from selenium.common.exceptions import WebDriverException

    try:
        found = chrome.find_elements(by, value)
        return str(found[0].get_attribute(name) or "") if found else ""
    except WebDriverException:  # stale element, or a node of a page already gone
        return ""


def question(chrome: Any) -> str:
    return str(
        chrome.execute_script(
            "const q = document.getElementById('sporsmal'); return q ? q.innerText : '';"
        )
    )


def tab_to(chrome: Any, match: Callable[[Any], bool], what: str, limit: int = 40) -> Any:
    """Press Tab until the focused element matches (as a keyboard user does)."""
    for _ in range(limit):
        focused(chrome).send_keys(keys().TAB)
        element = focused(chrome)
        if match(element):
            return element
    raise AssertionError(f"Tab never reached {what}")


def press(chrome: Any, label: str, *, changes: bool = True) -> None:
    """Tab to the button ``label`` and press Enter; wait for the page to answer."""
    before = turn(chrome)
    button = tab_to(
        chrome,
        lambda e: e.tag_name == "button" and label in e.text,
        f"the button {label!r}",
    )
    button.send_keys(keys().ENTER)
    if changes:
        wait_for(chrome, lambda: turn(chrome) not in ("", before), f"the answer to {label!r}")


def answer(chrome: Any, text: str) -> None:
    """Tab to the answer field, type ``text``, Tab to «Send», press Enter."""
    before = turn(chrome)
    field = tab_to(chrome, lambda e: e.tag_name == "textarea", "the answer field")
    field.send_keys(text)
    tab_to(chrome, lambda e: e.tag_name == "button" and e.text == "Send", "Send").send_keys(
        keys().ENTER
    )
    wait_for(chrome, lambda: turn(chrome) not in ("", before), f"the answer to {text[:20]!r}")


def assert_accessible(chrome: Any, screen: str) -> None:
    violations = axe_violations(chrome)
    assert not violations, f"{screen}: " + "; ".join(violations)


def assert_no_sideways_scrolling(chrome: Any, screen: str) -> None:
    wide = chrome.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];"
    )
    assert wide[0] <= wide[1], f"{screen}: the page is {wide[0]} px wide in {wide[1]} px"


# --- the tests ---------------------------------------------------------------------------------


def test_a_whole_submission_with_the_keyboard_only_and_axe_on_every_screen(
    fresh: Any, site: str
) -> None:
    chrome = fresh
    chrome.get(site + "/")
    assert chrome.find_element("tag name", "html").get_attribute("lang") == "nb"
    assert "Hvordan vil du svare?" in question(chrome)
    assert_accessible(chrome, "welcome")

    press(chrome, "Svar på spørsmålene")
    # The script moved focus to the new question and read it out in the live region.
    assert focused(chrome).get_attribute("id") == "sporsmal"
    wait_for(
        chrome,
        lambda: (
            "Hvem svarer du for?"
            in chrome.find_element("id", "kunngjoring").get_attribute("textContent")
        ),
        "the live region to read the question",
    )
    press(chrome, "Privatperson")
    assert_accessible(chrome, "a question")

    answer(chrome, "")  # an empty answer: the error screen
    assert chrome.find_elements("id", "problem")
    assert focused(chrome).get_attribute("id") == "problem"
    assert chrome.title.startswith("Feil:")
    assert_accessible(chrome, "an error")

    answer(chrome, "Kari Nordmann")
    answer(chrome, "Harstad")
    answer(chrome, "kari@example.no")
    assert "Hvilke tema" in question(chrome)
    press(chrome, "Tilgjengelighet")
    assert focused(chrome).get_attribute("aria-pressed") == "true"
    assert_accessible(chrome, "the theme choice")
    press(chrome, "Ferdig")
    answer(chrome, "Flere bussavganger mellom byen og bygdene. " + LONG_WORD)
    press(chrome, "Hopp over resten")
    assert "Oppsummering" in question(chrome)
    assert_accessible(chrome, "the summary")

    press(chrome, "Send inn")
    wait_for(chrome, lambda: "SMB-" in question(chrome), "the reference number")
    assert_accessible(chrome, "the receipt")
    for path in ("/personvern", "/tilgjengelighet", "/fortsett", "/slett", "/finnes-ikke"):
        chrome.get(site + path)
        assert_accessible(chrome, path)


def test_the_page_fits_320_px_and_200_percent_zoom(fresh: Any, site: str) -> None:
    chrome = fresh
    chrome.get(site + "/")
    press(chrome, "Svar på spørsmålene")
    press(chrome, "Privatperson")
    answer(chrome, LONG_WORD)
    answer(chrome, "Harstad")
    # 320 CSS px (WCAG 1.4.10 reflow), then a 1280 px window at 200 % zoom (= 640 CSS px).
    for width, scale, screen in ((320, 1, "320 px"), (640, 2, "200 % zoom")):
        chrome.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": scale, "mobile": False},
        )
        for path in ("/", "/personvern", "/tilgjengelighet", "/fortsett"):
            chrome.get(site + path)
            assert_no_sideways_scrolling(chrome, f"{path} at {screen}")
        chrome.get(site + "/")
        assert LONG_WORD[:30] in chrome.find_element("id", "chat").text
        assert_accessible(chrome, f"the chat at {screen}")
        send = chrome.find_element("css selector", "form.text button")
        assert send.is_displayed()
        assert send.rect["x"] + send.rect["width"] <= width


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_a_submission_in_nynorsk_and_english_without_javascript(
    chrome: Any, site: str, lang: str
) -> None:
    """The same chat with scripts off: every turn is a page load (post/redirect/get)."""
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.get(site + "/helse")
    chrome.delete_all_cookies()
    chrome.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})

    def shown() -> str:
        return str(chrome.find_element("id", "sporsmal").text)

    def click(label: str) -> None:
        before = turn(chrome)
        button = chrome.find_element("xpath", f"//button[contains(., '{label}')]")
        button.send_keys(keys().ENTER)
        wait_for(chrome, lambda: turn(chrome) not in ("", before), label)

    def write(text: str) -> None:
        before = turn(chrome)
        chrome.find_element("id", "svar-tekst").send_keys(text)
        chrome.find_element("css selector", "form.text button").send_keys(keys().ENTER)
        wait_for(chrome, lambda: turn(chrome) not in ("", before), text)

    def html_lang() -> str:
        return attribute_of(chrome, "tag name", "html", "lang")

    labels = {
        "nn": ("Nynorsk", "Svar på spørsmåla", "Privatperson", "Ferdig", "Send inn"),
        "en": ("English", "Answer the questions", "Private individual", "Done", "Send"),
    }[lang]
    try:
        chrome.get(site + "/")
        click(labels[0])
        wait_for(chrome, lambda: html_lang() == lang, f"<html lang={lang}>")
        click(labels[1])
        click(labels[2])
        for text in ("Kari Nordmann", "Harstad", "kari@example.no"):
            write(text)
        click("Tilgjenge" if lang == "nn" else "Transport and connections")
        click(labels[3])
        write("Fleire bussar." if lang == "nn" else "More buses.")
        click("Hopp over resten" if lang == "nn" else "Skip the rest")
        click(labels[4])
        assert "SMB-" in shown()
        assert html_lang() == lang
    finally:
        chrome.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
