"""The preview of a statistics file on a 1366 px screen: its table, as wide as the file's columns, scrolls
sideways in its own box, and the page does not, so the counts and the Confirm button stay in view.

Needs Debian's chromium (`bash .ci/install-browser-tools`); skipped, saying so, without it.
"""

import csv
import io

import pytest

from tests.test_browser import browser, served_article  # noqa: F401 (fixtures)
from tests.test_editor_loop import editor, page, upload  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def statistics_file_with_changes():
    """The article's figures as exported, four of them changed, with a note as long as editors write them."""
    from relations.formats import export_bytes
    from relations.registry import RESOURCES

    rows = list(
        csv.DictReader(io.StringIO(export_bytes(RESOURCES["statistics"]().export(), "csv").decode("utf-8-sig")))
    )
    for row in rows[:4]:
        row["Value"] = str(int(float(row["Value"])) + 1)
        row["Note for editors"] = "Revised by the statistics office in its second release of the year"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


def test_a_wide_preview_scrolls_in_its_own_box_and_the_page_does_not(page, served_article, tmp_path):  # noqa: F811
    upload(page, served_article, "statistic", tmp_path / "statistics.csv", statistics_file_with_changes())
    page.screenshot(path=str(tmp_path / "statistics-preview-1366.png"))

    assert "4 changed" in page.locator(".import-totals").inner_text()
    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_width <= screen_width, "the page scrolls sideways"
    table = page.locator("table.import-preview")
    content_width, box_width = table.evaluate("table => [table.scrollWidth, table.clientWidth]")
    assert content_width > box_width, "the file's columns are wider than the screen: the table scrolls"
    # Scrolled to its last column, the table moves and the page stays where it was.
    table.evaluate("table => { table.scrollLeft = table.scrollWidth }")
    assert table.evaluate("table => table.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0
    for shown in (page.locator(".import-totals"), page.locator("input[name=confirm]")):
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= screen_width
