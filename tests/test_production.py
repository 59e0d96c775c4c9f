"""What a site on the internet needs: roles, history, security headers, lockout, health, backups, deploy checks."""

import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import models as records
from relations.history import one_history_entry
from relations.management.commands.backup import backed_up_models
from relations.registry import RECORD_TYPES, RESOURCES
from relations.resources import describe_errors, import_file
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# Every record type's admin (the jobs' list, "Your imports and exports", is not a record type: test_background_jobs).
RELATION_MODELS = [record_type.model for record_type in RECORD_TYPES]


def admin_urls(model, obj=None):
    info = f"admin:relations_{model._meta.model_name}"
    urls = [reverse(f"{info}_changelist"), reverse(f"{info}_add"), reverse(f"{info}_import")]
    urls.append(reverse(f"{info}_export"))
    if obj is not None:
        urls += [reverse(f"{info}_change", args=[obj.pk]), reverse(f"{info}_history", args=[obj.pk])]
    return urls


# Roles -----------------------------------------------------------------------------------------


def test_editors_group_holds_every_record_right_and_nothing_else():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {app for app, _ in codenames} == {"relations"}
    for model in RELATION_MODELS:
        for action in ("view", "add", "change", "delete", "import", "export"):
            assert ("relations", f"{action}_{model._meta.model_name}") in codenames


@pytest.mark.parametrize("model", RELATION_MODELS, ids=lambda model: model._meta.model_name)
def test_editor_reaches_every_record_page_with_import_and_export(editor_client, world, model):
    for url in admin_urls(model, model._default_manager.first()):
        assert editor_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", RELATION_MODELS, ids=lambda model: model._meta.model_name)
def test_superuser_reaches_every_record_page(superuser_client, world, model):
    for url in admin_urls(model, model._default_manager.first()):
        assert superuser_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", RELATION_MODELS, ids=lambda model: model._meta.model_name)
def test_anonymous_visitors_reach_no_admin_import_or_export_page(client, world, model):
    for url in admin_urls(model, model._default_manager.first()):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(reverse(f"admin:relations_{model._meta.model_name}_process_import"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/", "/admin/axes/accessattempt/"]
)
def test_editor_cannot_reach_user_administration(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_createeditor_refuses_an_existing_name(editor_client):
    with pytest.raises(Exception, match="already exists"):
        call_command("createeditor", "editor", stdout=io.StringIO())


# History ---------------------------------------------------------------------------------------


def test_admin_edit_leaves_history_and_an_earlier_version_can_be_restored(superuser_client, world):
    topic = world["energy"]
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    superuser_client.post(url, admin_form(superuser_client, url, name="Energy and mining"))
    topic.refresh_from_db()
    assert topic.name == "Energy and mining"
    history = list(topic.history.order_by("history_date"))
    assert history[-1].history_user.username == "chief"
    history_page = superuser_client.get(reverse("admin:relations_topic_history", args=[topic.pk])).content.decode()
    assert "chief" in history_page and "Energy and mining" in history_page
    restore_url = reverse("admin:relations_topic_simple_history", args=[topic.pk, history[0].history_id])
    restore_form = admin_form(superuser_client, restore_url)
    assert restore_form["name"] == ["Energy"]
    superuser_client.post(restore_url, restore_form)
    topic.refresh_from_db()
    assert topic.name == "Energy"


def test_changed_topics_are_kept_in_history_and_restored_with_their_version(superuser_client, world):
    milestone, trade, energy = world["milestone"], world["trade"], world["energy"]
    url = reverse("admin:relations_milestone_change", args=[milestone.pk])
    before = milestone.history.latest()
    entries = milestone.history.count()
    response = superuser_client.post(url, admin_form(superuser_client, url, topics=[str(energy.pk)]))
    assert response.status_code == 302
    assert list(milestone.topics.all()) == [energy]
    assert milestone.history.count() == entries + 1
    latest = milestone.history.latest()
    assert [row.topic for row in latest.topics.all()] == [energy]
    assert "topics" in latest.diff_against(before).changed_fields

    restore_url = reverse("admin:relations_milestone_simple_history", args=[milestone.pk, before.history_id])
    restore_form = admin_form(superuser_client, restore_url)
    assert restore_form["topics"] == [str(trade.pk)]
    assert superuser_client.post(restore_url, restore_form).status_code == 302
    assert list(milestone.topics.all()) == [trade]


def test_reimport_with_a_change_leaves_history(world):
    mission = records.Mission.objects.get()
    before = mission.history.count()
    dataset = RESOURCES["missions"]().export()
    dataset[0] = tuple(
        "Mission Street 1" if header == "Address" else value
        for header, value in zip(dataset.headers, dataset[0], strict=True)
    )
    assert describe_errors(import_file(RESOURCES["missions"], dataset)) == []
    assert mission.history.count() == before + 1
    assert mission.history.first().address == "Mission Street 1"


def test_reimport_with_other_topics_leaves_one_history_entry_holding_them(world):
    visit = world["visit"]
    entries = visit.history.count()
    dataset = RESOURCES["visits"]().export()
    dataset[0] = tuple(
        "trade" if header == "Topics" else value for header, value in zip(dataset.headers, dataset[0], strict=True)
    )
    assert describe_errors(import_file(RESOURCES["visits"], dataset)) == []
    assert visit.history.count() == entries + 1
    assert [row.topic.slug for row in visit.history.first().topics.all()] == ["trade"]


def test_deleted_record_history_keeps_its_topics_and_co_chairs(world):
    visit, meeting = world["visit"], world["meeting"]
    topics, co_chairs = set(visit.topics.all()), set(meeting.co_chairs.all())
    assert topics and co_chairs
    visit_id, meeting_id = visit.pk, meeting.pk
    meeting.delete()
    visit.delete()
    deleted_visit = records.Visit.history.get(id=visit_id, history_type="-")
    assert {row.topic for row in deleted_visit.topics.all()} == topics
    deleted_meeting = records.CouncilMeeting.history.get(id=meeting_id, history_type="-")
    assert {row.person for row in deleted_meeting.co_chairs.all()} == co_chairs


def test_deleting_a_topic_gives_the_records_linked_to_it_a_version_without_it(world):
    visit, milestone, trade = world["visit"], world["milestone"], world["trade"]
    entries = visit.history.count()
    trade.delete()
    assert visit.history.count() == entries + 1
    latest = visit.history.first()
    assert [row.topic.slug for row in latest.topics.all()] == ["energy"]
    assert latest.history_change_reason == "Topic “Trade” deleted"
    assert list(milestone.history.first().topics.all()) == []


def test_bulk_statistics_import_leaves_history(world):
    dataset = RESOURCES["statistics"]().export()
    records.Statistic.objects.all().delete()
    assert describe_errors(import_file(RESOURCES["statistics"], dataset)) == []
    statistic = records.Statistic.objects.get()
    assert statistic.history.filter(history_type="+", history_change_reason="Import").exists()


# Security --------------------------------------------------------------------------------------


def test_pages_carry_security_headers(client, world):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_repeated_failed_sign_ins_lock_out_and_say_so(client, django_user_model, settings):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "chief", "password": "a-long-test-password"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()


def test_a_locked_out_user_name_leaves_colleagues_at_the_same_address_free_to_sign_in(
    client, django_user_model, settings
):
    """An office signs in from one address: one person's mistyped passwords lock that person only."""
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    django_user_model.objects.create_superuser("deputy", "deputy@example.org", "another-long-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "chief", "password": "a-long-test-password"})
    assert response.status_code == 429
    colleague = Client()  # the same address (the test client's) as the locked-out user
    response = colleague.post("/admin/login/", {"username": "deputy", "password": "another-long-password"})
    assert response.status_code == 302
    assert colleague.get("/admin/").status_code == 200


def session_time_left(client, seconds=None):
    """The seconds before the client's session ends idle, as its store keeps them (SQLite: a file's age;
    PostgreSQL: a row's expiry date); with `seconds`, make it that."""
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    age = django_settings.SESSION_COOKIE_AGE
    if django_settings.SESSION_ENGINE.endswith(".file"):
        path = Path(django_settings.SESSION_FILE_PATH) / f"{django_settings.SESSION_COOKIE_NAME}{key}"
        if seconds is not None:
            touched = time.time() - (age - seconds)
            os.utime(path, (touched, touched))
        return age - (time.time() - path.stat().st_mtime)
    if seconds is not None:
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=seconds))
    return (Session.objects.get(pk=key).expire_date - timezone.now()).total_seconds()


def test_a_session_ends_after_the_documented_idle_time_and_each_request_starts_it_again(client, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    response = client.post("/admin/login/", {"username": "chief", "password": "a-long-test-password"})
    assert response.status_code == 302
    eight_hours = 8 * 60 * 60
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == eight_hours
    # A minute before the idle time is up: still signed in, and the request starts the idle time again.
    session_time_left(client, 60)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == eight_hours
    assert session_time_left(client) > eight_hours - 60
    # Idle longer than that: signed out.
    session_time_left(client, -1)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_on_sqlite_sessions_are_files_so_an_editors_pages_never_wait_on_a_workers_write(client, django_user_model):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps sessions in the database, which every host shares")
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    client.post("/admin/login/", {"username": "chief", "password": "a-long-test-password"})
    assert client.get("/admin/").status_code == 200
    assert not Session.objects.exists()
    assert session_time_left(client) > 0


def test_the_idle_time_of_a_session_comes_from_the_environment():
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    env = production_environment(DJANGO_SECRET_KEY=PRODUCTION_KEY, DJANGO_SESSION_IDLE_MINUTES="30")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "1800 True", result.stderr


def test_bootstrap_says_how_to_change_the_password_with_the_projects_python(db):
    first, again = io.StringIO(), io.StringIO()
    call_command("bootstrap", stdout=first)
    call_command("bootstrap", stdout=again)
    assert "change the password with: .venv/bin/python manage.py changepassword admin" in first.getvalue()
    assert "forgotten password: .venv/bin/python manage.py changepassword USERNAME" in again.getvalue()


def test_health_check_reports_the_database(client, monkeypatch):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", "uploads": "ok"}

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    from django.db import connection

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def production_environment(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "relations.example.org"})
    env.update(extra)
    return env


PRODUCTION_KEY = "k" * 20 + "-production-secret-key-" + "x" * 30


def deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_deploy_check_passes_with_production_settings():
    result = deploy_check(production_environment(DJANGO_SECRET_KEY=PRODUCTION_KEY))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_trial_switches_off_only_what_it_names():
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    production = production_environment(DJANGO_SECRET_KEY=PRODUCTION_KEY)
    trial = {**production, "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_SECURE_COOKIES": "false"}
    for env, shown in ((production, "True True True"), (trial, "False False True")):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.stdout.strip().splitlines()[-1] == shown, result.stderr
    check = deploy_check(trial)
    assert check.returncode == 0, check.stdout + check.stderr
    # Behind HTTPS (the redirect on), cookies that are not secure are still reported.
    check = deploy_check({**production, "DJANGO_SECURE_COOKIES": "false"})
    assert check.returncode != 0 and "security.W012" in check.stdout + check.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=production_environment(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# Backups ---------------------------------------------------------------------------------------


def full_export():
    return {name: resource().export().csv for name, resource in RESOURCES.items()}


def group_rights():
    return {group.name: set(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}


def history_counts():
    return {model._meta.label: model.objects.count() for model in backed_up_models()[1]}


# Restoring needs an empty database, made here with `flush`: outside a test transaction, as on a real
# site (PostgreSQL refuses to truncate inside one).
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_back_the_same_records_and_history(article, tmp_path, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    milestone = records.Milestone.objects.first()
    milestone._history_user = chief
    milestone.save()
    with one_history_entry(milestone):
        milestone.topics.set(records.Topic.objects.all()[:2])
    milestone.delete()  # its history, topics included, names a record that no longer exists
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.set(Permission.objects.filter(codename__in=["view_visit", "export_statistic"]))
    chief.groups.add(reviewers)
    before, history_before, groups_before = full_export(), history_counts(), group_rights()
    assert history_before["relations.HistoricalMilestone_topics"] == 4  # the change's two, the deletion's two

    backup = tmp_path / "backup.json"
    call_command("backup", "--output", str(backup), stdout=io.StringIO())
    with pytest.raises(Exception, match="already holds records"):
        call_command("restore", str(backup))
    call_command("flush", "--no-input")
    call_command("restore", str(backup), stdout=io.StringIO())

    assert full_export() == before
    assert history_counts() == history_before
    entry = records.Milestone.history.filter(history_type="~").get()
    assert entry.history_user.username == "chief"
    assert {row.topic for row in entry.topics.all()} == set(records.Topic.objects.all()[:2])
    assert group_rights() == groups_before
    assert list(django_user_model.objects.get(username="chief").groups.all()) == [Group.objects.get(name="Reviewers")]


# Bad input never gives a 500 -------------------------------------------------------------------

PUBLIC_PATHS = [
    "/",
    "/visits/",
    "/missions/",
    "/organizations/",
    "/timeline/",
    "/search/",
    "/statistics/",
    "/councils/",
]
PARAMETERS = ["page", "country", "year", "kind", "topic", "sender", "host", "city", "q", "format"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PUBLIC_PATHS),
    params=st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=300), max_size=4),
)
def test_random_query_strings_never_give_a_server_error(client, world, path, params):
    response = client.get(path, params)
    assert response.status_code in (200, 301, 400, 404), (path, params, response.status_code)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_raw_bytes_in_the_query_string_never_give_a_server_error(client, world, raw):
    from urllib.parse import quote_from_bytes

    response = client.get("/search/?q=" + quote_from_bytes(raw) + "&page=" + quote_from_bytes(raw[:20]))
    assert response.status_code in (200, 400, 404)


def test_a_request_for_another_host_is_a_400_page(client, world, settings):
    settings.ALLOWED_HOSTS = ["relations.example.org"]
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="attacker.example.com")
    assert response.status_code == 400
    assert "This address cannot be read" in response.content.decode()
    assert "ALLOWED_HOSTS" not in response.content.decode()


def test_publishing_from_the_list_gives_each_record_a_version_naming_the_action_and_the_editor(superuser_client, world):
    visit, mission = world["visit"], records.Mission.objects.get()
    records.Visit.objects.filter(pk=visit.pk).update(publication_status="draft")
    entries = visit.history.count()
    response = superuser_client.post(
        reverse("admin:relations_visit_changelist"), {"action": "publish", "_selected_action": [visit.pk]}
    )
    assert response.status_code == 302
    assert visit.history.count() == entries + 1
    latest = visit.history.first()
    assert (latest.publication_status, latest.history_change_reason) == ("published", "Published from the list")
    assert latest.history_user.username == "chief"
    assert [row.topic.slug for row in latest.topics.order_by("topic__slug")] == ["energy", "trade"]

    superuser_client.post(
        reverse("admin:relations_mission_changelist"), {"action": "unpublish", "_selected_action": [mission.pk]}
    )
    assert mission.history.first().history_change_reason == "Withdrawn to draft from the list"
    mission.refresh_from_db()
    assert mission.publication_status == "draft"
