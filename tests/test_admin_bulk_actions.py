"""List actions on thousands of records: a confirmation page of bounded size, and a confirmation that works."""

import pytest

from relations import models as records
from tests.admin_pages import FormValues
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db

MANY = 1_500  # more than the 1,000 fields Django accepts in one form (DATA_UPLOAD_MAX_NUMBER_FIELDS)


@pytest.fixture
def many_topics(world):
    records.Topic.objects.bulk_create(records.Topic(name=f"Topic {n:04}", slug=f"topic-{n:04}") for n in range(MANY))


def select_all(client, url, action):
    page_ids = list(records.Topic.objects.order_by("name").values_list("pk", flat=True)[:50])
    return client.post(url, {"action": action, "select_across": "1", "index": "0", "_selected_action": page_ids})


def test_deleting_every_record_of_a_filtered_list_is_confirmed_on_a_short_page(
    superuser_client, many_topics, run_worker
):
    url = admin_url(records.Topic, "changelist") + "?q=Topic"
    confirmation = select_all(superuser_client, url, "delete_selected")
    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert len(page) < 100_000
    assert f"Topics: {MANY:,}".replace(",", "") in page.replace(",", "")
    assert "… and 1,480 more topics" in page
    answer = FormValues(page).values
    assert len(answer) < 10
    # So many records are deleted by a worker; the editor follows it on the job's page.
    job_page = superuser_client.post(url, answer).url
    run_worker()
    done = superuser_client.get(job_page)
    assert done.status_code == 200
    assert "Done" in done.content.decode()
    # The filter of the list was kept: the topics of the world, not named "Topic …", are still there.
    assert set(records.Topic.objects.values_list("name", flat=True)) == {"Energy", "Trade"}


def test_a_small_selection_is_still_listed_record_by_record(superuser_client, world):
    url = admin_url(records.Topic, "changelist")
    health = records.Topic.objects.create(name="Health")
    page = superuser_client.post(
        url, {"action": "delete_selected", "index": "0", "_selected_action": [health.pk]}
    ).content.decode()
    assert "Health" in page and "more topics" not in page
    superuser_client.post(url, FormValues(page).values)
    assert not records.Topic.objects.filter(pk=health.pk).exists()


def test_records_linked_to_topics_deleted_from_the_list_get_a_version_without_them(
    superuser_client, many_topics, world, run_worker
):
    visit, milestone, trade = world["visit"], world["milestone"], world["trade"]
    url = admin_url(records.Topic, "changelist") + "?q=T"
    page = select_all(superuser_client, url, "delete_selected").content.decode()
    superuser_client.post(url, FormValues(page).values)
    run_worker()
    assert not records.Topic.objects.filter(pk=trade.pk).exists()
    for record in (visit, milestone):
        version = record.history.first()
        assert version.history_change_reason == "Topic “Trade” deleted"
        assert [link.topic_id for link in version.topics.all()] == ([world["energy"].pk] if record == visit else [])
