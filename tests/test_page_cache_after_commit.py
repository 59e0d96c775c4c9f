"""The page cache starts a new generation only once a change is committed, and announces a change made while
it was unreachable once it answers again, whichever process made it."""

import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection, transaction

from relations import cache as page_cache_module
from relations import models as records
from tests.admin_pages import admin_form
from tests.test_admin_import_export import confirm, upload

pytestmark = pytest.mark.django_db(transaction=True)


def read(url):
    """(status, text) of a page as an anonymous reader gets it."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def generation():
    return page_cache_module.page_cache.generation()


def test_a_save_starts_a_new_generation_when_it_is_committed_not_before(world):
    mission = records.Mission.objects.get()
    before = generation()
    with transaction.atomic():
        mission.address = "Harbour Street 1"
        mission.save()
        assert generation() == before
    assert generation() != before


def test_a_change_rolled_back_starts_no_generation(world):
    mission = records.Mission.objects.get()
    before = generation()
    with transaction.atomic(), transaction.atomic():
        mission.address = "Harbour Street 1"
        mission.save()
        transaction.set_rollback(True)
    assert generation() == before


def test_an_import_preview_keeps_the_cached_pages_and_its_confirmation_starts_one_generation(superuser_client, world):
    topics = "Slug,Name\r\n" + "".join(f"topic-{number},Topic {number}\r\n" for number in range(50))
    before = generation()
    preview = upload(superuser_client, "topic", topics)
    assert preview.context["confirm_form"] is not None
    assert generation() == before
    confirm(superuser_client, "topic", preview)
    assert records.Topic.objects.filter(name__startswith="Topic ").count() == 50
    assert generation() == before + 1


def test_a_transaction_changing_many_records_starts_one_generation(world):
    before = generation()
    with transaction.atomic():
        for number in range(5):
            records.Topic.objects.create(name=f"Topic {number}")
    assert generation() == before + 1


def test_a_page_loaded_during_a_save_is_not_kept_after_it(world, live_server):
    """A reader loading the page between the save and its commit reads the old row (PostgreSQL: every other
    connection does until the commit); that page must not outlive the commit."""
    mission = records.Mission.objects.get()
    url = live_server.url + mission.get_absolute_url()
    assert read(url)[0] == 200
    with transaction.atomic():
        mission.address = "Harbour Street 1"
        mission.save()
        read(url)
    assert "Harbour Street 1" in read(url)[1]

    with transaction.atomic():
        mission.publication_status = records.PublicationStatus.DRAFT
        mission.save()
        read(url)
    assert read(url)[0] == 404


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is one connection the live server's threads share: no reader runs beside a save",
)
def test_readers_looping_during_saves_never_see_a_draft_or_an_old_page_after_the_save(world, live_server, admin_client):
    mission = records.Mission.objects.get()
    url = live_server.url + mission.get_absolute_url()
    change = f"/admin/relations/mission/{mission.pk}/change/"
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            read(url)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    seen_wrong = []
    try:
        for number in range(6):
            form = admin_form(admin_client, change)
            form.update(address=f"Street {number}", publication_status="published")
            assert admin_client.post(change, form).status_code == 302
            status, text = read(url)
            if status != 200 or f"Street {number}" not in text:
                seen_wrong.append((number, "edit", status))
            form.update(publication_status="draft")
            assert admin_client.post(change, form).status_code == 302
            if read(url)[0] != 404:
                seen_wrong.append((number, "draft"))
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert seen_wrong == []
