"""No staff user does more than their permissions allow, through any admin URL a library adds."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relations.registry import RECORD_TYPES
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

# Every record type's admin (the jobs' list, "Your imports and exports", is not a record type: test_background_jobs).
RELATION_MODELS = [record_type.model for record_type in RECORD_TYPES]


def by_name(model):
    return model._meta.model_name


@pytest.fixture
def viewer_client(django_user_model):
    """A staff user who may view every record type and nothing else (a browser of their own)."""
    client = Client()
    viewers = Group.objects.create(name="Viewers")
    viewers.permissions.set(
        Permission.objects.filter(content_type__app_label="relations", codename__startswith="view_")
    )
    user = django_user_model.objects.create_user("viewer", password="a-long-test-password", is_staff=True)
    user.groups.add(viewers)
    client.force_login(user)
    return client


def database_state():
    """Every record and every history entry of the app, as text."""
    state = {}
    for model in RELATION_MODELS:
        state[by_name(model)] = serializers.serialize("json", model._default_manager.order_by("pk"))
        state[f"{by_name(model)} history"] = model.history.count()
    return state


@pytest.mark.parametrize("model", RELATION_MODELS, ids=by_name)
def test_a_view_only_user_can_read_every_admin_page_but_change_nothing_through_any(
    viewer_client, superuser_client, world, model
):
    record = model._default_manager.first()
    info = f"admin:relations_{by_name(model)}"
    version = record.history.earliest()
    version_url = reverse(f"{info}_simple_history", args=[record.pk, version.history_id])
    change_url = reverse(f"{info}_change", args=[record.pk])
    # What an editor's browser would post on each page, read from the pages as the superuser sees them.
    change_form = admin_form(superuser_client, change_url)
    version_form = admin_form(superuser_client, version_url)
    before = database_state()

    for url in (reverse(f"{info}_changelist"), change_url, reverse(f"{info}_history", args=[record.pk]), version_url):
        assert viewer_client.get(url).status_code == 200, url
    for url in (reverse(f"{info}_add"), reverse(f"{info}_delete", args=[record.pk])):
        assert viewer_client.get(url).status_code == 403, url
    for url in (reverse(f"{info}_import"), reverse(f"{info}_export")):
        assert viewer_client.get(url).status_code == 403, url

    posts = [
        (version_url, version_form),
        (change_url, change_form),
        (reverse(f"{info}_add"), change_form),
        (reverse(f"{info}_delete", args=[record.pk]), {"post": "yes"}),
        (reverse(f"{info}_import"), {"format": "0", "import_file": SimpleUploadedFile("x.csv", b"Name\r\nx\r\n")}),
        (reverse(f"{info}_process_import"), {"format": "0", "import_file_name": "x.csv", "original_file_name": "x"}),
        (reverse(f"{info}_export"), {"format": "0"}),
    ]
    for url, data in posts:
        assert viewer_client.post(url, data).status_code == 403, url
    for action in ("delete_selected", "publish", "unpublish", "export_admin_action"):
        viewer_client.post(reverse(f"{info}_changelist"), {"action": action, "_selected_action": [record.pk]})

    assert database_state() == before


def test_the_history_page_shows_a_view_only_user_no_revert_button(viewer_client, world):
    topic = world["energy"]
    version = topic.history.earliest()
    page = viewer_client.get(reverse("admin:relations_topic_simple_history", args=[topic.pk, version.history_id]))
    assert page.status_code == 200
    assert "Revert" not in page.content.decode().split('id="content"')[1].split("</h1>")[1]


def test_an_editor_reverts_a_record_through_its_history_and_the_version_names_them(editor_client, world):
    topic = world["energy"]
    first = topic.history.earliest()
    topic.name = "Energy and mining"
    topic.save()
    url = reverse("admin:relations_topic_simple_history", args=[topic.pk, first.history_id])
    response = editor_client.post(url, admin_form(editor_client, url))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Energy"
    assert topic.history.latest().history_user.username == "editor"
