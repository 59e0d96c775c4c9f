"""Pages checked as a browser and a validator see them: valid HTML, no serious accessibility faults, screenshots.

Needs Debian's chromium, Java, and `npm ci` (vnu-jar, axe-core): `bash .ci/install-browser-tools`.
Each test says what it skipped and why when one of them is missing.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "run `bash .ci/install-browser-tools`"

PAGES = [
    "/",
    "/relationships/turkiye-kazakhstan/",
    "/countries/kazakhstan/",
    "/visits/",
    "/visits/tokayev-official-visit-turkiye-2025-07-29/",
    "/councils/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/",
    "/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/",
    "/missions/",
    "/missions/tr-embassy-astana/",
    "/statistics/",
    "/statistics/bilateral-trade/",
    "/organizations/",
    "/organizations/ots/",
    "/timeline/",
    "/sources/article-2025-07-29/",
    "/search/?q=turk",
    "/data/",
    "/visits/?country=ZZ",
    "/no/such/page/",
    # The same pages in the other languages, each with its own `lang`.
    "/kk/relationships/turkiye-kazakhstan/",
    "/kk/statistics/bilateral-trade/",
    "/kk/timeline/",
    "/tr/visits/tokayev-official-visit-turkiye-2025-07-29/",
    "/tr/councils/turkiye-kazakhstan-high-level-strategic-cooperation-council/5/",
    "/ru/relationships/turkiye-kazakhstan/",
    "/ru/search/?q=Казахстан",
]

pytestmark = pytest.mark.browser


def require(condition, what):
    if not condition:
        pytest.skip(f"{what} is missing: {INSTALL_HINT}")


def test_pages_are_valid_html(client, article, tmp_path):
    require(shutil.which("java"), "Java (for the Nu HTML checker)")
    require(VNU.exists(), "node_modules/vnu-jar")
    files = []
    for number, url in enumerate(PAGES):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{PAGES[files.index(m['url'].removeprefix('file:'))]}: {m['message']} ({m.get('extract', '').strip()})"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


@pytest.fixture
def served_article(transactional_db, live_server):
    call_command("bootstrap", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def browser(served_article):
    """Chromium, started after the data is in: Playwright's event loop would otherwise give the loading
    its own database connection, left open and blocking the drop of the PostgreSQL test database."""
    require(CHROMIUM.exists(), "Debian's chromium (/usr/bin/chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason=f"Playwright for Python: {INSTALL_HINT}")
    # Playwright runs an event loop in this thread; the database is only used by the live server's thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_pages_have_no_serious_accessibility_violations(browser, served_article):
    require(AXE.exists(), "node_modules/axe-core")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = []
    for url in PAGES:
        page.goto(served_article + url)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        problems += [
            f"{url}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['html'][:120]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert problems == []


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 360, 780), ("desktop", 1280, 900)])
def test_screenshots_of_overview_and_indicator(browser, served_article, name, width, height):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    for slug, url in (("home", "/"), ("indicator", "/statistics/bilateral-trade/")):
        page.goto(served_article + url)
        # Nothing may overflow sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, url
        path = SCREENSHOTS / f"{slug}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    page.close()


@pytest.fixture
def chief(served_article, django_user_model):
    # Before the browser starts, for the reason given in `browser`.
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")


def test_admin_export_select_all_works_under_the_content_security_policy(chief, browser, served_article):
    page = browser.new_page()
    page.goto(served_article + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.goto(served_article + "/admin/relations/mission/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 5
    page.uncheck(".select-toggle")
    assert [fields.nth(n).is_checked() for n in range(fields.count())] == [False] * fields.count()
    page.check(".select-toggle")
    assert all(fields.nth(n).is_checked() for n in range(fields.count()))
    assert page.evaluate("getComputedStyle(document.querySelector('label[for=select-all-toggle]')).fontWeight") == "700"
    page.close()
