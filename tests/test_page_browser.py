"""The publication page in a real browser: Debian's Chromium, driven by chromium-driver through
Selenium, at a desktop's width and as a phone (375 CSS pixels, mobile viewport). Nothing it
links to is missing, nothing scrolls sideways, its own CSS applies and nothing else runs, it
prints, and ``timeline-pdf preview`` pictures it (as docs/page-desktop.png and
docs/page-phone.png are made, by tools/render_previews.py).

Skipped, saying so, only where no Chromium and chromium-driver are installed (``.ci/run``
installs them with apt).
"""

from __future__ import annotations

import base64
import io
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import LAYOUTS, ROOT
from timeline_pdf.build import build
from timeline_pdf.layout.load import load_layout
from timeline_pdf.preview import BROWSERS, browser_arguments, screenshot_page

BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(BROWSER is None or DRIVER is None, reason="no Chromium and chromium-driver to run the page in: apt-get install chromium chromium-driver")
PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    result = build(ROOT / "inputs" / "escalation.xlsx", (), out, LAYOUTS)
    return next(p.path for p in result.built if p.kind == "page")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = BROWSER
        for argument in browser_arguments(Path(profile)):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def open_as(driver, page: Path, device: dict):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", device)
    driver.get_log("browser")  # what earlier pages logged
    driver.get(page.as_uri())
    return driver.get_log("browser")


def rgb(colour: str) -> str:
    return f"rgb({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)})"


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_nothing_is_missing_nothing_scrolls_sideways_and_its_own_css_applies(browser, built, device):
    log = open_as(browser, built, device)
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []  # no failed load, no refused style
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert width == device["width"]  # the phone lays the page out at its own width (the viewport meta tag)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    overflowing = browser.execute_script(
        "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map(e => e.outerHTML.slice(0, 80))")
    assert overflowing == []
    assert browser.execute_script("const t = document.querySelector('.table'); return t.scrollWidth <= t.clientWidth")  # the casualty table fits without scrolling
    images = browser.execute_script("return [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.getBoundingClientRect().width])")
    assert len(images) == 3 and all(complete and natural == 360 and shown > 50 for _src, complete, natural, shown in images), images
    spec = load_layout(LAYOUTS / "page.toml").spec
    heading = browser.execute_script("const s = getComputedStyle(document.querySelector('h1')); return [s.color, s.fontFamily, parseFloat(s.fontSize)]")
    assert heading[0] == rgb(spec.colours.accent) and heading[1].startswith('"Noto Sans"') and heading[2] >= 29
    body = browser.execute_script("const s = getComputedStyle(document.querySelector('.summary p')); return [s.color, s.fontFamily, parseFloat(s.fontSize)]")
    assert body[0] == rgb(spec.colours.text) and body[1].startswith('"Noto Serif"') and body[2] >= 16


def test_a_script_or_a_remote_image_put_into_the_page_is_refused_by_its_policy(browser, built, tmp_path):
    """The Content-Security-Policy is the page's second line: were a script ever to reach it, the
    browser would not run it, nor load a remote image."""
    for file in built.parent.iterdir():
        shutil.copy(file, tmp_path / file.name)
    tampered = tmp_path / built.name
    html = tampered.read_text(encoding="utf-8")
    tampered.write_text(html.replace("<main>", '<main><script>document.title = "ran"</script><img id="remote" src="https://example.com/x.png" alt="remote">'), encoding="utf-8")
    log = open_as(browser, tampered, DESKTOP)
    assert browser.title == "US-Iran Escalation in Iraq"
    assert browser.execute_script("return document.getElementById('remote').naturalWidth") == 0
    refused = " ".join(entry["message"] for entry in log)
    deadline = time.monotonic() + 10  # the browser may report a refusal after the page has loaded
    while not ("script" in refused and "img-src" in refused) and time.monotonic() < deadline:
        time.sleep(0.2)
        refused += " ".join(entry["message"] for entry in browser.get_log("browser"))
    assert "Content Security Policy" in refused and "script" in refused and "img-src" in refused


def test_the_page_prints_on_a_few_pages_with_its_links_named(browser, built):
    open_as(browser, built, DESKTOP)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script("return getComputedStyle(document.querySelector('.products a'), '::after').content") == "none"
    assert browser.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = PdfReader(io.BytesIO(base64.b64decode(browser.print_page())))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert 2 <= len(pdf.pages) <= 5
    assert "US-Iran Escalation in Iraq" in text and "escalation-timeline.pdf" in text and "Casualties in attacks" in text


def test_preview_pictures_the_page_at_a_desktops_and_a_phones_width(built, tmp_path):
    desktop, phone = screenshot_page(built, tmp_path)
    assert (desktop.name, phone.name) == ("escalation-page-desktop.png", "escalation-page-phone.png")
    for path, width in ((desktop, 1280), (phone, 375)):
        with Image.open(path) as image:
            assert image.width == width and 1500 < image.height < 8000  # the whole page, cut below its end
            grey = image.convert("L")
            assert grey.getextrema()[0] < 80 and grey.getpixel((width - 3, image.height - 3)) > 240


def test_preview_of_a_page_on_the_command_line(built, tmp_path):
    from click.testing import CliRunner

    from timeline_pdf.cli import cli

    result = CliRunner().invoke(cli, ["preview", str(built), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"wrote {tmp_path / 'escalation-page-desktop.png'}", f"wrote {tmp_path / 'escalation-page-phone.png'}"]
