"""Open every HTML report, Norwegian and English, in headless Chromium (Debian's ``chromium``
driven by Playwright).

Checks: every figure is drawn (inline SVG with a size) and every image decodes, no request leaves
the file (only ``file:`` and ``data:`` URLs), no console error, data text containing ``<script>``
never runs; axe-core (shipped inside the ``axe-playwright-python`` wheel, so no network) finds no
serious or critical violation on any page; at 1280 px nothing runs off the page (the claims table's
status and explanation columns included); printed to PDF the report is A4 and nothing is wider than
the printed page. Without Chromium the test is skipped with what to install; under CI (``CI=true``)
that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote

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
    from ehelse_market.inputs.scenario import Scenario

    out = tmp_path_factory.mktemp("reports")
    for scenario in (Scenario.baseline(), Scenario.baseline().with_updates(lang="en")):
        result = report.build(out, scenario)
        assert result.ok, [o.message for o in result.failures]
    return out


def all_pages(reports: Path) -> list[Path]:
    return sorted(reports.glob("*/*.html")) + [reports / "index.html"]


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
    svgs = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure.register > svg')).map(s => s.getBoundingClientRect().height)"
    )
    pwned = page.evaluate("() => window.pwned === 1")
    page.close()
    return {"requests": requests, "errors": errors, "images": images, "svgs": svgs, "pwned": pwned}


def test_every_report_opens_offline_with_all_figures(browser, reports):
    pages = all_pages(reports)
    assert len(pages) >= 2 * 2 * 6 + 1
    figures_drawn = 0
    for page in pages:
        seen = visit(browser, page)
        outside = [u for u in seen["requests"] if not u.startswith(("file://", "data:"))]
        assert not outside, f"{page.name} requested {outside}"
        assert not seen["errors"], f"{page.name} console errors: {seen['errors']}"
        broken = [i for i in seen["images"] if not i["complete"] or i["width"] == 0]
        assert not broken, f"{page.name}: images that do not decode: {broken}"
        assert all(h > 100 for h in seen["svgs"]), f"{page.name}: a figure drawn without height: {seen['svgs']}"
        assert not seen["pwned"]
        figures_drawn += len(seen["svgs"])
    assert figures_drawn > 0


def test_axe_finds_no_serious_or_critical_violation_on_any_page(browser, reports):
    """axe-core in the real browser on every page of both languages (WCAG 2.1 AA rules)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        missing("axe-core for the accessibility test comes with the test extra: pip install -e '.[test]'")
    axe = Axe()
    found = []
    context = browser.new_context(bypass_csp=True)  # the page forbids scripts; axe is injected by the test
    for path in all_pages(reports):
        page = context.new_page()
        page.goto(path.resolve().as_uri(), wait_until="load")
        result = axe.run(page, options={"resultTypes": ["violations"],
                                        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
        page.close()
        for v in result.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                where = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
                found.append(f"{path.parent.name}/{path.name}: {v['id']} ({v['impact']}) x{len(v['nodes'])} at {where}")
    context.close()
    assert not found, "\n".join(found)


def overflow(page) -> dict:
    """How far the page and its widest element reach past the viewport (px)."""
    return page.evaluate(
        """() => {
            const vw = document.documentElement.clientWidth;
            let worst = {over: 0, what: ''};
            for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right - vw > worst.over) {
                    worst = {over: r.right - vw, what: el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 40)};
                }
            }
            return {scroll: document.documentElement.scrollWidth - vw, worst};
        }"""
    )


def test_nothing_runs_off_a_1280_px_screen_and_the_claims_table_shows_status_and_explanation(browser, reports):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in sorted(reports.glob("*/[0-9][0-9]_*.html")):
        if path.name.endswith(".code.html"):
            continue
        page.goto(path.resolve().as_uri(), wait_until="load")
        seen = overflow(page)
        assert seen["scroll"] <= 0 and seen["worst"]["over"] <= 1, f"{path.parent.name}/{path.name}: {seen}"
        if path.name == "06_claims.html":
            right = page.evaluate(
                "() => Math.max(...Array.from(document.querySelectorAll('table.data th')).map(th => th.getBoundingClientRect().right))"
            )
            heads = page.evaluate("() => Array.from(document.querySelectorAll('table.data th')).map(th => th.textContent)")
            assert right <= 1280, f"claims table reaches {right} px"
            assert any(h in ("Status", "Forklaring", "Explanation") for h in heads), heads
    page.close()


def test_a_report_prints_to_a4_without_anything_cut(browser, reports, tmp_path):
    """Chromium prints the claims report (the widest table) to PDF: A4 pages, and in print
    layout at the printable width (A4 less the @page margins) no element of any reader page is
    wider than the page."""
    import re

    page = browser.new_page()
    page.goto((reports / "baseline" / "06_claims.html").resolve().as_uri(), wait_until="load")
    pdf = tmp_path / "claims.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes()))
    assert boxes, "no page in the PDF"
    for w, h in boxes:
        assert abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2, f"page is {w} x {h} pt, not A4"
    # 210 mm less 2 x 15 mm margins = 180 mm = 680 CSS px
    page.set_viewport_size({"width": 680, "height": 1000})
    page.emulate_media(media="print")
    seen = overflow(page)
    assert seen["scroll"] <= 0 and seen["worst"]["over"] <= 1, f"cut off in print: {seen}"
    folded = page.evaluate(
        "() => Array.from(document.querySelectorAll('details:not(.plotted) table')).map(t => t.getBoundingClientRect().height)"
    )
    assert folded and all(h > 0 for h in folded), f"folded (<details>) content is printed: heights {folded}"
    for path in sorted(reports.glob("*/[0-9][0-9]_*.html")):  # every reader page's tables fit the paper too
        if not path.name.endswith(".code.html"):
            page.goto(path.resolve().as_uri(), wait_until="load")
            seen = overflow(page)
            assert seen["scroll"] <= 0 and seen["worst"]["over"] <= 1, f"{path.parent.name}/{path.name} cut off in print: {seen}"
    page.close()


def test_links_between_pages_and_to_downloads_resolve(browser, reports):
    """Every link of the index and of every report that stays on this machine points to a file
    that exists (reports, notebooks, manifests, the figures' downloads, the other language)."""
    page = browser.new_page()
    checked = 0
    for path in all_pages(reports):
        page.goto(path.resolve().as_uri())
        hrefs = page.evaluate("() => Array.from(document.links).map(a => a.href)")
        for href in hrefs:
            if href.startswith(("https://", "http://")):
                continue  # a source's address, printed for the reader, never fetched
            assert href.startswith("file://"), href
            assert Path(unquote(href.removeprefix("file://").split("#")[0])).is_file(), f"{path.name}: {href}"
            checked += 1
    page.close()
    assert checked > 0


def test_missing_browser_is_a_skip_locally_and_a_failure_under_ci(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    assert chromium_path() is None
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        missing(INSTALL_HINT)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing(INSTALL_HINT)
