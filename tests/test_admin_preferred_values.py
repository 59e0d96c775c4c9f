"""A figure's "preferred value" as editors meet it: only an observed figure is ever stored or shown as
preferred; a target or a change is stored without the flag, whether saved from the form, imported from a
file that marks it "yes", or made in code, and the statistics list shows nothing for it."""

import datetime
import re
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db


def target_and_change(world, **fields):
    common = {"indicator": world["indicator"], "relationship": world["pair"], "source": world["source"], **fields}
    target = records.Statistic.objects.create(
        kind="target",
        value=Decimal("10000000000"),
        unit="USD",
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        stated_on=datetime.date(2025, 7, 29),
        **common,
    )
    change = records.Statistic.objects.create(
        kind="change",
        value=Decimal("-5.4"),
        unit="%",
        base_year=2023,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        **common,
    )
    return target, change


def test_a_target_and_a_change_made_in_code_are_stored_not_preferred(world):
    target, change = target_and_change(world, is_preferred=True)
    assert records.Statistic.objects.get(pk=target.pk).is_preferred is False
    assert records.Statistic.objects.get(pk=change.pk).is_preferred is False
    # The figure of the world keeps its flag.
    assert records.Statistic.objects.get(kind="figure").is_preferred is True


def test_a_target_saved_from_the_form_with_the_box_ticked_is_stored_not_preferred(editor_client, world):
    target, _ = target_and_change(world)
    url = reverse("admin:relations_statistic_change", args=[target.pk])
    response = editor_client.post(url, admin_form(editor_client, url, is_preferred="on", value="12000000000"))
    assert response.status_code == 302, response.content.decode()
    target.refresh_from_db()
    assert (target.value, target.is_preferred) == (Decimal("12000000000"), False)
    assert target.history.latest().is_preferred is False


def test_a_figure_changed_into_a_target_on_the_form_loses_its_preference(editor_client, world):
    figure = records.Statistic.objects.get()
    url = reverse("admin:relations_statistic_change", args=[figure.pk])
    response = editor_client.post(url, admin_form(editor_client, url, kind="target", stated_on="29.07.2025"))
    assert response.status_code == 302, response.content.decode()
    figure.refresh_from_db()
    assert (figure.kind, figure.is_preferred) == ("target", False)


def statistics_file(world, *rows):
    exported = RESOURCES["statistics"]().export()
    stored = exported.dict[0]
    dataset = tablib.Dataset(headers=exported.headers)
    for row in rows:
        dataset.append([{**stored, **row}[header] for header in exported.headers])
    return dataset


def target_and_change_marked_preferred(world):
    """A file's target and change marked "yes", as files exported while they were stored ticked mark them."""
    return statistics_file(
        world,
        {"Kind": "target", "Value": "10000000000", "Period start": "2030-01-01", "Period end": "2030-12-31",
         "Stated on": "29.07.2025", "Preferred value": "yes"},
        {"Kind": "change", "Value": "-5.4", "Unit": "%", "Compared with (year)": "2023", "Preferred value": "yes"},
    )  # fmt: skip


def test_a_file_marking_a_target_and_a_change_preferred_imports_them_not_preferred(world):
    dataset = target_and_change_marked_preferred(world)
    result = import_file(RESOURCES["statistics"], dataset)
    assert describe_errors(result) == []
    assert result.totals["new"] == 2
    stored = records.Statistic.objects.exclude(kind="figure")
    assert sorted(stored.values_list("kind", "is_preferred")) == [("change", False), ("target", False)]
    # The figure of the same period and source stays the preferred one.
    assert records.Statistic.objects.get(kind="figure").is_preferred is True


def test_the_same_file_imported_again_leaves_its_targets_and_changes_unchanged(world):
    dataset = target_and_change_marked_preferred(world)
    import_file(RESOURCES["statistics"], dataset)
    versions = records.Statistic.history.count()
    again = import_file(RESOURCES["statistics"], dataset)
    assert describe_errors(again) == []
    assert (again.totals["skip"], again.totals["update"]) == (2, 0)
    assert records.Statistic.history.count() == versions


def preferred_cells(page):
    """The 'preferred value' cell of each row of the statistics list, by the row's figure column."""
    rows = re.findall(r"<tr>.*?</tr>", " ".join(page.split()))
    cells = {}
    for row in rows:
        figure = re.search(r'<td class="field-figure">(.*?)</td>', row)
        preferred = re.search(r'<td class="field-preferred[^"]*">(.*?)</td>', row)
        if figure and preferred:
            cells[figure.group(1)] = preferred.group(1).strip()
    return cells


def test_the_statistics_list_marks_figures_preferred_or_not_and_targets_and_changes_with_nothing(editor_client, world):
    target_and_change(world)
    records.Statistic.objects.create(
        indicator=world["indicator"],
        relationship=world["pair"],
        source=records.Source.objects.get(slug="ministry"),
        value=Decimal("6300000000"),
        unit="USD",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        is_preferred=False,
    )
    page = editor_client.get(reverse("admin:relations_statistic_changelist")).content.decode()
    cells = preferred_cells(page)
    assert set(cells) == {"$5 billion (TL 202.86 billion)", "$6.3 billion", "target: $10 billion", "down 5.4% on 2023"}
    assert 'alt="True"' in cells["$5 billion (TL 202.86 billion)"]
    assert 'alt="False"' in cells["$6.3 billion"]
    assert cells["target: $10 billion"] == ""
    assert cells["down 5.4% on 2023"] == ""
    # The column keeps its heading and sorts by the flag.
    assert "Preferred value" in page


def test_the_form_says_the_box_applies_to_observed_figures(editor_client, world):
    target, _ = target_and_change(world)
    page = editor_client.get(reverse("admin:relations_statistic_change", args=[target.pk])).content.decode()
    help_text = page.split('id="id_is_preferred_helptext"')[1].split("</div>")[0]
    assert "Observed figures only" in help_text
    assert "A target or a change is never preferred" in help_text
    # The target is shown as it is stored: the box is not ticked.
    box = re.search(r'<input type="checkbox" name="is_preferred"[^>]*>', page).group(0)
    assert "checked" not in box
