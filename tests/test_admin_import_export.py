"""Import and export in the admin: preview, confirm, refusal, and who may do it."""

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relations import models as records
from relations.formats import FORMATS
from relations.registry import RESOURCES

pytestmark = pytest.mark.django_db

CSV_INDEX = str([f.__name__ for f in FORMATS].index("CSV"))

NEW_MISSION = (
    "Slug,Sending country,Host country,City,Kind,Source,Publication status\r\n"
    "southland-embassy-nordby,SA,NA,nordby,embassy,report,published\r\n"
)


def upload(client, name, text, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(
        reverse(f"admin:relations_{name}_import"),
        {"format": CSV_INDEX, "import_file": SimpleUploadedFile(f"{name}.csv", data, content_type="text/csv")},
    )


def confirm(client, name, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:relations_{name}_process_import"), form.initial, follow=True)


def test_upload_preview_confirm_creates_the_records(superuser_client, world):
    preview = upload(superuser_client, "mission", NEW_MISSION)
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    page = preview.content.decode()
    assert "New" in page
    assert not records.Mission.objects.filter(slug="southland-embassy-nordby").exists()

    done = confirm(superuser_client, "mission", preview)
    assert done.status_code == 200
    mission = records.Mission.objects.get(slug="southland-embassy-nordby")
    assert (mission.sender.code, mission.host.code, mission.place.slug) == ("SA", "NA", "nordby")


def test_preview_of_a_bad_file_names_row_and_column_and_offers_no_confirmation(superuser_client, world):
    text = NEW_MISSION + "bad,XX,NA,nordby,embassy,report,published\r\n"
    preview = upload(superuser_client, "mission", text)
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    assert "No country has the ISO code “XX”." in page
    assert "Sending country" in page
    assert records.Mission.objects.count() == 1


def test_unknown_column_is_reported_in_the_preview(superuser_client, world):
    preview = upload(superuser_client, "topic", "Slug,Name,Colour\r\nspace,Space,blue\r\n")
    assert "Unknown columns: “Colour”." in preview.content.decode()
    assert not records.Topic.objects.filter(slug="space").exists()


def test_unreadable_encoding_gets_a_clear_message(superuser_client, world):
    text = "Slug,Current name,Country\r\nalmaty,Алматы,SA\r\n".encode("cp1251")
    preview = upload(superuser_client, "place", text)
    assert preview.status_code == 200
    assert "CSV UTF-8" in preview.content.decode()


def test_turkish_windows_file_imports_through_the_admin(superuser_client, world):
    text = "Slug;Current name;Country\r\nigdir;Iğdır;NA\r\n"
    preview = upload(superuser_client, "place", text, encoding="cp1254")
    confirm(superuser_client, "place", preview)
    assert records.Place.objects.get(slug="igdir").name == "Iğdır"


def test_too_large_a_file_is_refused(superuser_client, world, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    preview = upload(superuser_client, "mission", NEW_MISSION)
    assert "can be imported" in preview.content.decode()
    assert records.Mission.objects.count() == 1


def test_export_of_the_filtered_list_as_csv(superuser_client, world):
    url = reverse("admin:relations_mission_export") + "?kind__exact=embassy"
    response = superuser_client.post(url, {"format": CSV_INDEX, "resource": "0", **all_fields("mission")})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Slug,Sending country,Host country,City,Kind")
    assert ",NA,SA,sudby,embassy," in text


@pytest.mark.parametrize("format_name", ["CSV", "XLSX", "JSON"])
def test_export_in_each_format(superuser_client, world, format_name):
    index = str([f.__name__ for f in FORMATS].index(format_name))
    response = superuser_client.post(
        reverse("admin:relations_topic_export"), {"format": index, "resource": "0", **all_fields("topic")}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def all_fields(model_name):
    """Every column ticked on the export form."""
    resource = next(r for r in RESOURCES.values() if r._meta.model._meta.model_name == model_name)
    return {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}


# Who may import and export ---------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    def make(*codenames):
        user = django_user_model.objects.create_user("editor", "editor@example.org", "a-long-test-password")
        user.is_staff = True
        user.save()
        user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
        client.force_login(user)
        return client

    return make


def test_staff_who_may_only_view_see_no_buttons_and_reach_no_import_or_export(staff_client, world):
    client = staff_client("view_mission")
    page = client.get(reverse("admin:relations_mission_changelist"))
    assert page.status_code == 200
    assert reverse("admin:relations_mission_import") not in page.content.decode()
    assert reverse("admin:relations_mission_export") not in page.content.decode()
    assert client.get(reverse("admin:relations_mission_import")).status_code == 403
    assert client.post(reverse("admin:relations_mission_export"), {"format": CSV_INDEX}).status_code == 403


def test_staff_with_the_import_right_can_import(staff_client, world):
    client = staff_client("view_mission", "add_mission", "change_mission", "import_mission")
    assert client.get(reverse("admin:relations_mission_import")).status_code == 200
    preview = upload(client, "mission", NEW_MISSION)
    confirm(client, "mission", preview)
    assert records.Mission.objects.filter(slug="southland-embassy-nordby").exists()


def test_staff_with_the_export_right_see_the_button(staff_client, world):
    client = staff_client("view_mission", "export_mission")
    page = client.get(reverse("admin:relations_mission_changelist"))
    assert reverse("admin:relations_mission_export") in page.content.decode()
    assert client.get(reverse("admin:relations_mission_import")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for name in ("import", "export", "process_import"):
        response = client.get(reverse(f"admin:relations_mission_{name}"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def statistics_csv(stored_change, *new_rows):
    """The stored figure's row with a change, then new rows made from it."""
    stored = RESOURCES["statistics"]().export()
    row = stored.dict[0]
    dataset = tablib.Dataset(headers=stored.headers)
    for change in (stored_change, *new_rows):
        dataset.append([dict(row, **change)[header] for header in stored.headers])
    return dataset.csv


MINISTRY_FIGURE = {"Source": "ministry", "Value": "6300000000", "Preferred value": "yes"}


def test_preview_and_confirm_move_the_preferred_figure_to_a_new_source(superuser_client, world):
    preview = upload(superuser_client, "statistic", statistics_csv({"Preferred value": "no"}, MINISTRY_FIGURE))
    assert preview.context["confirm_form"] is not None, preview.content.decode()
    confirm(superuser_client, "statistic", preview)
    preferred = records.Statistic.objects.get(is_preferred=True)
    assert (preferred.source.slug, preferred.value) == ("ministry", 6300000000)


def test_preview_refuses_a_second_preferred_figure_and_says_why(superuser_client, world):
    preview = upload(superuser_client, "statistic", statistics_csv({}, MINISTRY_FIGURE))
    assert "confirm_form" not in preview.context
    assert "Another figure is already preferred" in preview.content.decode()
    assert records.Statistic.objects.count() == 1


def test_a_refused_row_shows_its_messages_and_the_spreadsheets_row_number(superuser_client, world):
    text = NEW_MISSION + "bad,XX,NA,nordby,embassy,report,published\r\n"
    page = upload(superuser_client, "mission", text).content.decode()
    refusals = page.split('class="import-preview import-refusals"')[1].split("</table>")[0]
    # The header is the spreadsheet's row 1, the good row its row 2: the bad one is row 3.
    assert "<td>3</td>" in refusals
    assert "No country has the ISO code “XX”." in refusals
    assert "validation-error-container" not in refusals


def test_preview_of_figures_shows_the_cells_of_new_and_changed_rows(superuser_client, world):
    preview = upload(superuser_client, "statistic", statistics_csv({"Preferred value": "no"}, MINISTRY_FIGURE))
    page = " ".join(preview.content.decode().split())
    changed = page[page.index('<tr class="update">') : page.index('<tr class="new">')]
    new = page[page.index('<tr class="new">') :]
    assert "<span>bilateral-trade</span>" in changed
    assert "<del>yes</del> → <ins>no</ins>" in changed
    assert "<ins>6300000000</ins>" in new
    assert "<ins>ministry</ins>" in new


def test_the_export_form_starts_on_csv_and_names_columns_as_the_file_does(superuser_client, world):
    page = superuser_client.get(reverse("admin:relations_statistic_export")).content.decode()
    assert "---" not in page.split('name="format"')[1].split("</select>")[0]
    assert 'value="0" selected' in page
    assert "Period Kind (Period)" not in page
    assert ">Period<" in page or "Period</label>" in page


def test_the_preview_counts_new_changed_and_unchanged_rows_at_the_top(superuser_client, world):
    stored = RESOURCES["missions"]().export()
    changed = dict(zip(stored.headers, stored[0], strict=True), Address="Harbour Street 1")
    dataset = tablib.Dataset(headers=stored.headers)
    dataset.append([changed[header] for header in stored.headers])
    page = upload(superuser_client, "mission", dataset.csv).content.decode()
    assert "0 new, 1 changed, 0 unchanged" in page
    page = upload(superuser_client, "mission", NEW_MISSION).content.decode()
    assert "1 new, 0 changed, 0 unchanged" in page


def test_a_record_saved_by_another_confirmation_meanwhile_is_refused_in_words(superuser_client, world, monkeypatch):
    """Two confirmations of one file at the same instant: the second finds the record saved by the first between
    its checks and its save, and says so instead of showing the database's own message."""
    from relations.resources import MissionResource

    preview = upload(superuser_client, "mission", NEW_MISSION)
    saved = records.Mission.objects.values().get()

    def saved_meanwhile(self, instance, row, **kwargs):
        records.Mission.objects.create(
            **{**saved, "id": None, "slug": instance.slug, "address": "Saved by the other confirmation"}
        )

    monkeypatch.setattr(MissionResource, "before_save_instance", saved_meanwhile)
    page = confirm(superuser_client, "mission", preview).content.decode()
    assert "saved by another import or editor at the same moment" in page
    assert "duplicate key" not in page and "UNIQUE constraint" not in page
