"""Open every HTML report in headless Chromium (Debian's ``chromium`` driven by Playwright).

Checks: every image decodes (naturalWidth > 0), no request leaves the file (only ``file:`` and
``data:`` URLs), no console error, and data text containing ``<script>`` never runs. Without
Chromium the test is skipped with what to install; under CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ehelse_market.publishing import report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "headless Chromium is needed for the browser test: install Debian's 'chromium' package "
    "(sudo apt-get install chromium) and the test extra (pip install -e '.[test]', which brings playwright); "
    "set CHROMIUM=/path/to/chromium if it lives elsewhere. No 'playwright install' is needed."
)


def chromium_path() -> str | None:
    """$CHROMIUM if set (only that), else Debian's /usr/bin/chromium or a chromium on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"] if Path(os.environ["CHROMIUM"]).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing browser is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    exe = chromium_path()
    if exe is None:
        missing(INSTALL_HINT)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing(INSTALL_HINT)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = report.build(out)
    assert result.ok, [o.message for o in result.failures]
    return out


def visit(browser, path: Path) -> dict:
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load")
    images = page.evaluate(
        "() => Array.from(document.images).map(i => ({src: i.src.slice(0, 30), complete: i.complete, width: i.naturalWidth}))"
    )
    pwned = page.evaluate("() => window.pwned === 1")
    page.close()
    return {"requests": requests, "errors": errors, "images": images, "pwned": pwned}


def test_every_report_opens_offline_with_all_figures(browser, reports):
    pages = sorted(reports.glob("*/*.html")) + [reports / "index.html"]
    assert len(pages) >= 2 * 6 + 1
    total_images = 0
    for page in pages:
        seen = visit(browser, page)
        outside = [u for u in seen["requests"] if not u.startswith(("file://", "data:"))]
        assert not outside, f"{page.name} requested {outside}"
        assert not seen["errors"], f"{page.name} console errors: {seen['errors']}"
        broken = [i for i in seen["images"] if not i["complete"] or i["width"] == 0]
        assert not broken, f"{page.name}: images that do not decode: {broken}"
        assert not seen["pwned"]
        total_images += len(seen["images"])
    assert total_images > 0


def test_index_links_resolve(browser, reports):
    page = browser.new_page()
    page.goto((reports / "index.html").as_uri())
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.href)")
    page.close()
    assert hrefs
    for href in hrefs:
        assert href.startswith("file://")
        assert Path(href.removeprefix("file://")).is_file(), href


def test_missing_browser_is_a_skip_locally_and_a_failure_under_ci(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    assert chromium_path() is None
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        missing(INSTALL_HINT)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing(INSTALL_HINT)
