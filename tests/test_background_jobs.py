"""Long list actions run by a worker: the editor follows their progress, finds them again, and never gets
half of one."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from relations import history, tasks
from relations import models as records
from tests.admin_pages import FormValues
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db

MANY = tasks.BACKGROUND_RECORDS + 200


@pytest.fixture
def many_statistics(world):
    trade = records.Statistic.objects.first()
    figures = [
        records.Statistic(
            indicator=trade.indicator,
            relationship=trade.relationship,
            period_start=f"{100 + n:04}-01-01",
            period_end=f"{100 + n:04}-12-31",
            value=n,
            unit=trade.unit,
            source=trade.source,
            is_preferred=False,
            publication_status=records.PublicationStatus.DRAFT,
        )
        for n in range(MANY)
    ]
    records.Statistic.objects.bulk_create(figures)
    return records.Statistic.objects.filter(period_start__year__lt=1500)


def select_all(client, model, action):
    page_ids = list(model.objects.values_list("pk", flat=True)[:50])
    url = admin_url(model, "changelist")
    return client.post(url, {"action": action, "select_across": "1", "index": "0", "_selected_action": page_ids})


def test_publishing_thousands_runs_in_the_background_and_each_record_gets_a_version_naming_it(
    editor_client, many_statistics, run_worker
):
    answer = select_all(editor_client, records.Statistic, "publish")
    job = records.Job.objects.get()
    assert answer.status_code == 302 and answer.url == job.get_absolute_url()
    waiting = editor_client.get(answer.url).content.decode()
    assert "Waiting for a worker" in waiting and '<meta http-equiv="refresh"' in waiting
    assert many_statistics.filter(publication_status="published").count() == 0

    run_worker()

    assert many_statistics.filter(publication_status="draft").count() == 0
    version = many_statistics.first().history.first()
    assert version.history_user.username == "editor"
    assert version.history_change_reason == f"Publish of {MANY + 1:,} selected (job {job.pk})"
    done = editor_client.get(answer.url).content.decode()
    assert "Done" in done and 'http-equiv="refresh"' not in done
    assert "Your imports and exports" in editor_client.get(admin_url(records.Job, "changelist")).content.decode()


def test_a_small_selection_is_published_at_once(editor_client, world):
    url = admin_url(records.Statistic, "changelist")
    statistic = records.Statistic.objects.first()
    records.Statistic.objects.filter(pk=statistic.pk).update(publication_status="draft")
    editor_client.post(url, {"action": "publish", "index": "0", "_selected_action": [statistic.pk]})
    assert records.Statistic.objects.get(pk=statistic.pk).publication_status == "published"
    assert not records.Job.objects.exists()


def test_deleting_thousands_is_confirmed_then_done_by_a_worker_naming_who_asked(
    editor_client, many_statistics, run_worker, django_user_model
):
    editor = django_user_model.objects.get(username="editor")
    url = admin_url(records.Statistic, "changelist")
    confirmation = select_all(editor_client, records.Statistic, "delete_selected").content.decode()
    answer = editor_client.post(url, FormValues(confirmation).values)
    job = records.Job.objects.get()
    assert answer.url == job.get_absolute_url() and job.kind == "delete"
    ids = list(job.selected)

    run_worker()

    assert not records.Statistic.objects.filter(pk__in=ids).exists()
    deletion = records.Statistic.history.filter(id=ids[0], history_type="-").get()
    assert deletion.history_user == editor
    assert deletion.history_change_reason == f"Delete of {len(ids):,} selected (job {job.pk})"


def test_a_job_cancelled_before_a_worker_takes_it_writes_nothing(editor_client, many_statistics, run_worker):
    answer = select_all(editor_client, records.Statistic, "publish")
    job = records.Job.objects.get()
    editor_client.post(f"{answer.url}cancel/".replace("/change/cancel/", "/cancel/"))
    run_worker()
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert many_statistics.filter(publication_status="published").count() == 0
    assert "Cancelled before anything was written" in editor_client.get(answer.url).content.decode()


def test_a_job_whose_worker_died_says_it_stopped_and_wrote_nothing(editor_client, world):
    editor = records.Job._meta.get_field("user").related_model.objects.get(username="editor")
    job = records.Job.objects.create(
        kind="publish", record_type="statistics", user=editor, status="running", selected=[1], total=1
    )
    job.outcome = {"started_at": time.time() - tasks.HEARTBEAT_LOST - 5}
    job.save()
    cache.delete(tasks.heartbeat_key(job.pk))
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Stopped, nothing written: run it again" in page
    job.refresh_from_db()
    assert job.status == "stopped"


def test_a_job_failing_half_way_leaves_every_record_as_it_was(editor_client, many_statistics, run_worker, monkeypatch):
    calls = []
    update = history.update_with_history

    def fail_on_second_batch(queryset, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return update(queryset, *args, **kwargs)

    monkeypatch.setattr(history, "update_with_history", fail_on_second_batch)
    select_all(editor_client, records.Statistic, "publish")
    run_worker()
    job = records.Job.objects.get()
    assert job.status == "failed"
    assert many_statistics.filter(publication_status="published").count() == 0
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "wrote nothing" in page and "the disk is full" not in page


def test_an_editor_sees_only_the_jobs_they_started(editor_client, world, django_user_model):
    other = django_user_model.objects.create_user("other", password="a-long-test-password", is_staff=True)
    job = records.Job.objects.create(kind="publish", record_type="statistics", user=other, selected=[1])
    assert editor_client.get(job.get_absolute_url()).status_code == 404
    assert str(job) not in editor_client.get(admin_url(records.Job, "changelist")).content.decode()


# Large uploads -------------------------------------------------------------------------------------------


@pytest.fixture
def every_upload_is_large(monkeypatch):
    monkeypatch.setattr(tasks, "BACKGROUND_IMPORT_BYTES", 0)


def upload_figures(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_admin_import_export import CSV_INDEX

    return client.post(
        admin_url(records.Statistic, "import"),
        {"format": CSV_INDEX, "import_file": SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv")},
    )


def test_a_large_file_is_previewed_by_a_worker_then_confirmed_once_and_imported(
    editor_client, world, run_worker, every_upload_is_large
):
    from tests.test_admin_import_export import MINISTRY_FIGURE, statistics_csv

    answer = upload_figures(editor_client, statistics_csv({"Preferred value": "no"}, MINISTRY_FIGURE))
    preview = records.Job.objects.get()
    assert answer.status_code == 302 and answer.url == preview.get_absolute_url()
    assert "Waiting for a worker" in editor_client.get(answer.url).content.decode()

    run_worker()

    page = " ".join(editor_client.get(answer.url).content.decode().split())
    assert "Previewed: waiting for confirmation" in page
    assert "1 new, 1 changed, 0 unchanged, 0 refused" in page
    assert "<del>yes</del> → <ins>no</ins>" in page
    assert "Confirm import" in page
    assert records.Statistic.objects.count() == 1

    confirm_url = reverse("admin:relations_job_confirm", args=[preview.pk])
    first = editor_client.post(confirm_url)
    second = editor_client.post(confirm_url)
    job = records.Job.objects.get(kind="import")
    assert first.url == second.url == job.get_absolute_url()

    run_worker()

    preferred = records.Statistic.objects.get(is_preferred=True)
    assert (preferred.source.slug, preferred.value) == ("ministry", 6300000000)
    assert records.Statistic.objects.count() == 2
    assert "Imported." in editor_client.get(job.get_absolute_url()).content.decode()
    assert preferred.history.first().history_change_reason == f"Import of “figures.csv” (job {job.pk})"
    assert preferred.history.first().history_user.username == "editor"
    assert tasks.progress_of(job) == {"done": 2, "total": 2, "refused": 0, "seconds_left": 0}


def test_a_large_file_with_a_bad_row_is_refused_with_its_rows_messages_and_nothing_to_confirm(
    editor_client, world, run_worker, every_upload_is_large
):
    from tests.test_admin_import_export import MINISTRY_FIGURE, statistics_csv

    upload_figures(editor_client, statistics_csv({}, MINISTRY_FIGURE))
    run_worker()
    job = records.Job.objects.get()
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert job.status == "refused"
    assert tasks.progress_of(job)["refused"] == 1
    assert "Another figure is already preferred" in page
    assert "Confirm import" not in page
    assert records.Statistic.objects.count() == 1


def test_a_large_export_is_written_by_a_worker_and_ends_with_a_link_to_the_file(
    editor_client, world, run_worker, monkeypatch
):
    from tests.test_admin_import_export import CSV_INDEX, all_fields

    monkeypatch.setattr(tasks, "BACKGROUND_EXPORT_ROWS", 0)
    url = reverse("admin:relations_mission_export") + "?kind__exact=embassy"
    answer = editor_client.post(url, {"format": CSV_INDEX, "resource": "0", **all_fields("mission")})
    job = records.Job.objects.get()
    assert answer.url == job.get_absolute_url() and job.kind == "export"

    run_worker()

    page = editor_client.get(answer.url).content.decode()
    download = reverse("admin:relations_job_download", args=[job.pk])
    assert f'href="{download}"' in page
    response = editor_client.get(download)
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.startswith("Slug,Sending country,Host country,City,Kind")
    assert ",NA,SA,sudby,embassy," in text


def test_a_site_on_several_hosts_is_refused_without_a_cache_they_share(settings):
    from relations.checks import several_hosts_share_their_state

    settings.SEVERAL_HOSTS = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "x"}}
    assert [problem.id for problem in several_hosts_share_their_state(None)] == ["relations.E001", "relations.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://"}}
    assert [problem.id for problem in several_hosts_share_their_state(None)] == ["relations.W001"]
    settings.SEVERAL_HOSTS = False
    assert several_hosts_share_their_state(None) == []


def test_files_of_jobs_ended_a_day_ago_are_removed_when_another_job_starts(editor_client, world, run_worker):
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    stored = default_storage.save("exports/old.csv", ContentFile(b"Slug\n"))
    old = records.Job.objects.create(
        kind="export",
        record_type="missions",
        status="done",
        stored_file=stored,
        finished_at=timezone.now() - datetime.timedelta(days=2),
    )
    statistic = records.Statistic.objects.first()
    tasks.run_list_action.enqueue(
        records.Job.objects.create(kind="publish", record_type="statistics", selected=[statistic.pk]).pk
    )
    run_worker()
    assert not default_storage.exists(stored)
    old.refresh_from_db()
    assert old.stored_file == ""


def test_on_sqlite_readers_are_served_while_a_long_import_holds_the_write_lock(tmp_path, settings):
    """The site's SQLite settings (write-ahead log): a page's queries do not wait for a writer's transaction."""
    from django.db import connection
    from django.db.backends.sqlite3.base import DatabaseWrapper

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's journal mode")
    options = settings.DATABASES["default"]["OPTIONS"]
    database = {**settings.DATABASES["default"], "NAME": str(tmp_path / "site.sqlite3"), "OPTIONS": options}
    writer, reader = DatabaseWrapper(database, alias="writer"), DatabaseWrapper(database, alias="reader")
    with writer.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE figure (value INTEGER)")
        cursor.execute("INSERT INTO figure VALUES (1)")
    writer.set_autocommit(False)
    with writer.cursor() as cursor:
        cursor.executemany("INSERT INTO figure VALUES (?)", [(n,) for n in range(10_000)])
    started = time.perf_counter()
    with reader.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM figure").fetchone()[0] == 1
    assert time.perf_counter() - started < 1
    writer.commit()
    with reader.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM figure").fetchone()[0] == 10_001
    writer.close()
    reader.close()


def test_a_job_whose_worker_died_runs_again_as_it_was(editor_client, many_statistics, run_worker):
    select_all(editor_client, records.Statistic, "publish")
    stopped = records.Job.objects.get()
    records.Job.objects.filter(pk=stopped.pk).update(status="stopped")
    page = editor_client.get(stopped.get_absolute_url()).content.decode()
    assert "Run it again" in page
    again = editor_client.post(reverse("admin:relations_job_again", args=[stopped.pk]))
    job = records.Job.objects.exclude(pk=stopped.pk).get()
    assert again.url == job.get_absolute_url() and job.selected == stopped.selected
    run_worker()
    assert many_statistics.filter(publication_status="draft").count() == 0
