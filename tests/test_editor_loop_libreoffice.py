"""The editor's loop in a real browser with the files LibreOffice saved (tests/files/libreoffice/), as an
editor made with `createeditor` runs it: upload each file, read its preview, confirm, open a record's history
and revert a later change to the imported version. Screenshots of each step go to the test's temporary folder.

Needs Debian's chromium (`bash .ci/install-browser-tools`); skipped, saying so, without it.
"""

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from relations import models as records
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT, require
from tests.test_libreoffice_files import FILES

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"


@pytest.fixture
def served_world(transactional_db, live_server, world):
    call_command("createeditor", "ayse", "--password", PASSWORD, stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def page(served_world):
    # Chromium starts after the data is in, as in tests.test_browser.browser.
    require(CHROMIUM.exists(), "Debian's chromium (/usr/bin/chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason=f"Playwright for Python: {INSTALL_HINT}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(served_world + "/admin/login/")
        page.fill("#id_username", "ayse")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        yield page
        # The test's own reads ran beside Playwright's event loop, on connections of their own: close them
        # while it runs, or PostgreSQL's test database cannot be dropped at the end.
        connections.close_all()
        browser.close()


class Walk:
    def __init__(self, page, base, folder):
        self.page, self.base, self.folder, self.step = page, base, folder, 0

    def shot(self, name):
        self.step += 1
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{name}.png"), full_page=True)

    def upload(self, model, filename):
        self.page.goto(f"{self.base}/admin/relations/{model}/import/")
        self.page.set_input_files("#id_import_file", str(FILES / filename))
        self.page.select_option("#id_format", label="xlsx" if filename.endswith(".xlsx") else "csv")
        with self.page.expect_navigation():
            self.page.click("#content input[type=submit]")
        self.shot(f"{filename}-preview")
        return self.page.locator("#content").inner_text()

    def confirm(self, name):
        with self.page.expect_navigation():
            self.page.click("form[action*=process_import] input[type=submit]")
        self.shot(f"{name}-confirmed")
        return self.page.locator(".messagelist").inner_text()

    def import_all(self, model, name, counts, rows):
        """The three files LibreOffice saved: the first imports, the others find its `rows` records unchanged."""
        first, *others = [f"{name}-windows1254.csv", f"{name}-utf8.csv", f"{name}.xlsx"]
        text = self.upload(model, first)
        assert counts in text, text
        assert "Traceback" not in text
        assert "Import finished" in self.confirm(first)
        for filename in others:
            text = self.upload(model, filename)
            assert f"0 new, 0 changed, {rows} unchanged, 0 refused" in text, (filename, text)
            assert "Import finished: 0 new, 0 updated" in self.confirm(filename)

    def change_then_revert(self, model, record, field, typed):
        """Change a field of an imported record in its form, then revert to the imported version."""
        self.page.goto(f"{self.base}/admin/relations/{model}/{record.pk}/change/")
        self.page.fill(f"#id_{field}", typed)
        self.page.click("input[name=_save]")
        assert "was changed successfully" in self.page.locator(".messagelist").inner_text()
        self.page.goto(f"{self.base}/admin/relations/{model}/{record.pk}/history/")
        self.shot(f"{model}-history")
        history = self.page.locator("#change-history").inner_text()
        # The import's version, by the editor who confirmed it, then the change.
        assert history.count("ayse") == 2 and "Changed" in history, history
        self.page.locator("#change-history a[href*='/history/']").last.click()
        self.shot(f"{model}-revert-form")
        self.page.click("#content input[type=submit]")
        self.shot(f"{model}-reverted")


def test_an_editor_imports_places_saved_by_libreoffice_and_reverts_a_change(page, served_world, tmp_path):
    walk = Walk(page, served_world, tmp_path)
    walk.import_all("place", "places", "5 new, 0 changed, 0 unchanged, 0 refused", 5)
    igdir = records.Place.objects.get(slug="igdir")
    assert (igdir.name, igdir.latitude, igdir.longitude) == ("Iğdır", Decimal("39.9237"), Decimal("44.045"))
    walk.change_then_revert("place", igdir, "name", "Igdir")
    igdir.refresh_from_db()
    assert igdir.name == "Iğdır"


def test_an_editor_imports_visits_saved_by_libreoffice_and_reverts_a_change(page, served_world, tmp_path):
    walk = Walk(page, served_world, tmp_path)
    walk.import_all("visit", "visits", "3 new, 0 changed, 0 unchanged, 0 refused", 3)
    visit = records.Visit.objects.get(slug="devlet-ziyareti-nordby-2012")
    assert (visit.start_date, visit.start_date_precision) == (datetime.date(2012, 1, 1), "year")
    summary = visit.summary
    assert "çarşıdaki çiçekçi Gülşen Öztürk" in summary
    walk.change_then_revert("visit", visit, "summary", "Ilk devlet ziyareti")
    visit.refresh_from_db()
    assert (visit.summary, visit.start_date, visit.start_date_precision) == (summary, datetime.date(2012, 1, 1), "year")


def test_an_editor_imports_figures_saved_by_libreoffice_and_reverts_a_change(page, served_world, tmp_path):
    walk = Walk(page, served_world, tmp_path)
    walk.import_all("statistic", "statistics", "2 new, 0 changed, 1 unchanged, 0 refused", 3)
    figure = records.Statistic.objects.get(period_start=datetime.date(2025, 1, 1))
    assert (figure.value, figure.equivalent_value) == (Decimal("1234567890.50"), Decimal("49382715620.25"))
    walk.change_then_revert("statistic", figure, "value", "1234567891")
    figure.refresh_from_db()
    assert figure.value == Decimal("1234567890.50")
    assert figure.note == "Ocak–Mayıs dönemi; geçici (ön) veri, ihracat ağırlıklı."
