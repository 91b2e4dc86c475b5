"""The report page in a real browser (headless Chromium): no sideways scroll of the page at
phone (390 px) or desktop (1280 px) width, one session a card in one column on the phone, a
grid on the desktop. The screenshots it takes are the README's: run it with
PLANNER_SCREENSHOTS=docs to write them there.

CI installs Debian's chromium and chromium-driver; where the browser is absent the tests skip
and say so (everything else here runs without it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from planner import Profile, solve
from planner.plan import Plan
from planner.report import build_report

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, chromedriver)",
)
PHONE, DESKTOP = (390, 844), (1280, 900)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, through chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(shipped, tmp_path_factory) -> Path:
    """The report on a real 4-week beginner programme, as the person would open it."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"))
    plan = solve(shipped, profile)
    report = build_report(Plan.from_frame(plan.to_frame(), shipped, profile), shipped)
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(report.html(), "utf-8")
    return path


def show(driver, url: str, size: tuple[int, int]) -> None:
    """Open ``url`` in a viewport of ``size`` CSS pixels, as a phone when narrower than 700."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700},
    )
    driver.get(url)


def overflow(driver, width: int) -> int:
    """How many CSS pixels the page is wider than a screen ``width`` wide (0: no sideways
    scroll). Measured against the screen, not ``innerWidth``: a phone widens its layout to
    fit a page too wide and zooms out, which is the failure sought."""
    scroll = driver.execute_script("return document.documentElement.scrollWidth;")
    return max(0, scroll - width)


def card_columns(driver) -> int:
    """How many distinct left edges the session cards have: the columns they stand in."""
    return driver.execute_script(
        "return new Set([...document.querySelectorAll('table.grid td:not(.rest)')]"
        ".map(td => Math.round(td.getBoundingClientRect().left))).size;"
    )


def screenshot(driver, name: str, tmp_path: Path) -> Path:
    """Save the viewport as ``name`` in $PLANNER_SCREENSHOTS (the README's) or ``tmp_path``."""
    folder = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert driver.save_screenshot(str(path)), path
    return path


def test_the_check_catches_a_page_wider_than_the_phone(browser, tmp_path):
    """A page with a 600 px box overflows a 390 px phone by 210 px: the check is not blind."""
    wide = tmp_path / "wide.html"
    wide.write_text(
        '<!DOCTYPE html><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<body style="margin:0"><div style="width:600px;height:10px"></div></body>',
        "utf-8",
    )
    show(browser, wide.as_uri(), PHONE)
    assert overflow(browser, PHONE[0]) == 210


def test_report_fits_a_phone_one_card_a_session(browser, page, tmp_path):
    """At 390 px the page never scrolls sideways and every session card is in one column."""
    show(browser, page.as_uri(), PHONE)
    assert overflow(browser, PHONE[0]) == 0
    assert card_columns(browser) == 1
    # The README shows the phone at the first session, what the person follows.
    browser.execute_script("document.querySelector('tr.week').scrollIntoView();")
    assert screenshot(browser, "report-390.png", tmp_path).stat().st_size > 0


def test_report_fits_a_desktop_as_a_week_grid(browser, page, tmp_path):
    """At 1280 px the page never scrolls sideways and the sessions stand in a 3-day grid."""
    show(browser, page.as_uri(), DESKTOP)
    assert overflow(browser, DESKTOP[0]) == 0
    assert card_columns(browser) == 3
    assert screenshot(browser, "report-1280.png", tmp_path).stat().st_size > 0
