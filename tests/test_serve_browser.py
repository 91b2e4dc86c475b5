"""``planner serve`` in a real browser (headless Chromium through chromedriver, Debian's, as
tests/test_report_browser.py drives it): screen, plan, open today's session, tick it done with
RPE and pain, swap an exercise, download the CSV and check it with the validator; on the way,
every input has a label, the buttons' colours contrast, and Tab reaches "Save the session".
With PLANNER_SCREENSHOTS=docs each page is saved at phone and desktop width as
docs/serve-PAGE-WIDTH.png, the README's. Where no browser is installed the tests skip and say
so (.ci/run installs it)."""

from __future__ import annotations

import csv
import io
import time

import pytest

pytest.importorskip("uvicorn", reason="planner serve's extra (pip install -e '.[serve]')")
from planner.check import check_plan  # noqa: E402
from planner.plan import read_plan  # noqa: E402
from planner.profile import Profile  # noqa: E402
from planner.web import Site  # noqa: E402
from planner.web.server import serving  # noqa: E402
from test_report_browser import (  # noqa: E402, F401 (browser: the shared fixture)
    CHROMIUM,
    DESKTOP,
    DRIVER,
    PHONE,
    browser,
    overflow,
    screenshot,
    show,
)
from test_serve import BUDGET, FORM  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, chromedriver)",
)

UNLABELLED = """
return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id);
"""


def pictures(driver, url: str, name: str, tmp_path) -> None:
    """``url`` at phone and desktop width: no sideways scroll, every input labelled, and the
    screenshots; the page is left open at phone width."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        show(driver, url, size)
        assert overflow(driver, size[0]) == 0, (name, label)
        assert driver.execute_script(UNLABELLED) == [], name
        screenshot(driver, f"serve-{name}-{label}.png", tmp_path)


def luminance(colour: str) -> float:
    """The relative luminance (WCAG 2) of a computed 'rgb(r, g, b)' colour."""
    channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def wait_for(driver, css: str, seconds: float = 120.0):
    """The first element matching ``css``, waiting while the page polls a solve."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {css} after {seconds} s on {driver.current_url}")


def test_the_whole_flow(browser, tmp_path):  # noqa: F811 (the fixture imported above)
    """Screen, plan, today's session done with RPE and pain, swap, CSV download validated."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    site = Site(tmp_path / "log.db", budget=BUDGET)
    with serving(site) as base:
        css = browser.find_element
        # Screening first: nothing on record, so / leads there.
        pictures(browser, f"{base}/", "screen", tmp_path)
        assert browser.current_url == f"{base}/screen"
        for radio in browser.find_elements(By.CSS_SELECTOR, "input[type=radio][value=n]"):
            radio.click()
        css(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(browser, "form[action='/profile']")

        pictures(browser, f"{base}/profile", "profile", tmp_path)
        for box in browser.find_elements(By.CSS_SELECTOR, "input[name=days]"):
            if box.is_selected() != (box.get_attribute("value") in FORM["days"]):
                box.click()
        for name in ("minutes", "weeks"):
            field = css(By.ID, name)
            field.clear()
            field.send_keys(FORM[name])
        css(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(browser, "#load-chart")  # the progress page reloads itself when done
        button = css(By.CSS_SELECTOR, "nav a")
        ratio = contrast(button.value_of_css_property("color"), "rgb(11, 79, 138)")
        assert ratio >= 4.5, ratio
        pictures(browser, f"{base}/plan", "plan", tmp_path)

        # The CSV, downloaded by the page's own link, passes the validator.
        link = css(By.CSS_SELECTOR, "a[href='/plan/download/csv']")
        text = browser.execute_async_script(
            "fetch(arguments[0]).then(r => r.text()).then(arguments[1]);",
            link.get_attribute("href"),
        )
        path = tmp_path / "plan.csv"
        path.write_text(text, "utf-8")
        profile = Profile.for_level("beginner", days=tuple(FORM["days"]), minutes=20, weeks=1)
        assert check_plan(read_plan(path, site.catalog, profile)) == []
        first = next(csv.DictReader(io.StringIO(text)))

        # Today's session: the hold timer counts down, Tab reaches the save button.
        pictures(browser, f"{base}/today", "today", tmp_path)
        cards = browser.find_elements(By.CSS_SELECTOR, "section.card")
        assert cards
        timers = browser.find_elements(By.CSS_SELECTOR, "button.timer")
        if timers:
            browser.execute_script("arguments[0].scrollIntoView();", timers[0])
            timers[0].click()
            time.sleep(1.2)
            assert "s left" in timers[0].text
        save = css(By.ID, "log")
        body = css(By.TAG_NAME, "body")
        body.click()
        for _ in range(200):
            if browser.switch_to.active_element == save:
                break
            browser.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.switch_to.active_element == save
        boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=done]")
        browser.execute_script("arguments[0].scrollIntoView();", boxes[0])
        boxes[0].click()  # the first exercise left out
        css(By.ID, "rpe").send_keys("5")
        css(By.ID, "pain").send_keys("2")
        save.click()
        saved = wait_for(browser, "p.saved")
        assert f"{len(boxes) - 1} of {len(boxes)} exercises done" in saved.text

        # Swap: the alternatives, then the new plan with what changed.
        where = f"exercise={first['exercise_id']}&week={first['week']}&day={first['day']}"
        pictures(browser, f"{base}/swap?{where}", "swap", tmp_path)
        choices = browser.find_elements(By.CSS_SELECTOR, "input[name=replacement]")
        assert choices, "alternatives listed"
        css(By.CSS_SELECTOR, "form[action='/swap'] button").click()
        assert f"- {first['exercise']} (" in wait_for(browser, "pre.diff").text
        pictures(browser, f"{base}/plan", "swapped", tmp_path)
