"""The editor's daily loop in a real browser, as an editor made with `createeditor` runs it: open a file,
preview it, confirm, look at the history, revert; a refused file; publishing from the list; a year typed alone.

Needs Debian's chromium (`bash .ci/install-browser-tools`); skipped, saying so, without it.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connections

from relations import models as records
from tests.test_browser import browser, served_article  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"


@pytest.fixture
def editor(served_article):  # noqa: F811
    # Before the browser starts, for the reason given in tests.test_browser.browser.
    call_command("createeditor", "ayse", "--password", PASSWORD, stdout=io.StringIO())
    return "ayse"


@pytest.fixture
def page(editor, browser, served_article):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(served_article + "/admin/login/")
    page.fill("#id_username", editor)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    yield page
    page.close()
    # The test's own reads ran beside Playwright's event loop, on a connection of their own: close it,
    # or PostgreSQL's test database cannot be dropped at the end.
    connections.close_all()


def upload(page, base, model, path, content):
    path.write_bytes(content)
    page.goto(f"{base}/admin/relations/{model}/import/")
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    with page.expect_navigation():
        page.click("#content input[type=submit]")


def exported_csv(record_type):
    from relations.formats import export_bytes
    from relations.registry import RESOURCES

    return export_bytes(RESOURCES[record_type]().export(), "csv").decode("utf-8-sig")


def test_an_editor_imports_a_change_sees_it_in_the_preview_and_history_and_reverts_it(
    page,
    served_article,  # noqa: F811
    tmp_path,
):
    mission = records.Mission.objects.get(slug="tr-embassy-astana")
    before = mission.address
    rows = list(csv.DictReader(io.StringIO(exported_csv("missions"))))
    for row in rows:
        if row["Slug"] == "tr-embassy-astana":
            row["Address"] = "Kabanbay Batyr Avenue 6"
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload(page, served_article, "mission", tmp_path / "missions.csv", changed.getvalue().encode())

    preview = page.locator("table.import-preview")
    assert preview.locator("tr.update").count() == 1
    assert "Kabanbay Batyr Avenue 6" in preview.locator("tr.update ins").all_inner_texts()[0]
    with page.expect_navigation():
        page.click("form[action*=process_import] input[type=submit]")
    assert "1 updated" in page.locator(".messagelist").inner_text()
    mission.refresh_from_db()
    assert mission.address == "Kabanbay Batyr Avenue 6"

    page.goto(f"{served_article}/admin/relations/mission/{mission.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "ayse" in history and "Kabanbay Batyr Avenue 6" in history
    page.locator("#change-history a[href*='/history/']").last.click()
    page.click("#content input[type=submit]")
    mission.refresh_from_db()
    assert mission.address == before


def test_a_refused_file_shows_plain_messages_and_changes_nothing(page, served_article, tmp_path):  # noqa: F811
    count = records.Mission.objects.count()
    upload(page, served_article, "mission", tmp_path / "bad.csv", b"Slug,Colour\r\nx,blue\r\n")
    text = page.locator("#content").inner_text()
    assert "Unknown columns: \u201cColour\u201d" in text
    assert "Traceback" not in text and "site-packages" not in text
    assert records.Mission.objects.count() == count


def test_publishing_from_the_list_leaves_a_version_naming_it(page, served_article):  # noqa: F811
    visit = records.Visit.objects.get()
    records.Visit.objects.filter(pk=visit.pk).update(publication_status="draft")
    page.goto(f"{served_article}/admin/relations/visit/")
    page.check(f"input[name=_selected_action][value='{visit.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index], .actions button")
    assert "1 visit published." in page.locator(".messagelist").inner_text()
    page.goto(f"{served_article}/admin/relations/visit/{visit.pk}/history/")
    assert "Published from the list" in page.locator("#change-history").inner_text()


def test_a_year_typed_alone_is_kept_as_a_year(page, served_article):  # noqa: F811
    milestone = records.Milestone.objects.order_by("pk").first()
    page.goto(f"{served_article}/admin/relations/milestone/{milestone.pk}/change/")
    page.fill("#id_date", "2012")
    page.click("input[name=_save]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    milestone.refresh_from_db()
    assert (milestone.date.isoformat(), milestone.date_precision) == ("2012-01-01", "year")
    assert "2012" in page.locator("#result_list").inner_text()
