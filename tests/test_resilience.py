"""The site keeps serving when a part fails: Redis down or hung, the database hung; and the page cache
holds only what a page's own parameters can produce."""

import errno
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from relations import cache as page_cache_module
from relations import models as records
from tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# The machine's Redis, in a database of its own that the tests may empty.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
KEY_PREFIX = f"relations-tests-{os.getpid()}"


def redis_cache(location, timeout=0.5):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            # Keys of this run only: another process (a benchmark, another run) may use the same Redis.
            "KEY_PREFIX": KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port():
    """A port nothing listens on: connections are refused."""
    return free_port()


@pytest.fixture
def silent_port():
    """A server that accepts connections and never says a word, as a hung Redis or database does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for held_connection in held:
        held_connection.close()


def within(seconds, call):
    """The result of call(), failing the test (rather than hanging it) when it takes longer than `seconds`.
    An alarm in this thread: the test database belongs to it."""

    def too_slow(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def real_redis(settings):
    client = redis.Redis.from_url(REDIS_TEST_URL)
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    yield client
    for key in client.scan_iter(match=f"{KEY_PREFIX}:*"):
        client.delete(key)


PUBLIC_PAGES = ["/", "/robots.txt", "/visits/", "/missions/?kind=embassy", "/statistics/", "/timeline/", "/sitemap.xml"]


# Redis down or hung ------------------------------------------------------------------------------


def test_with_redis_unreachable_readers_get_every_page_and_health_says_which_part_is_down(
    client, world, closed_port, caplog
):
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
        for path in PUBLIC_PAGES:
            assert client.get(path).status_code == 200, path
        health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable", "uploads": "ok"}
    assert any("Page cache unavailable" in record.getMessage() for record in caplog.records)


def test_with_redis_unreachable_an_editor_saves_and_imports(superuser_client, world, closed_port, tmp_path):
    topic = world["energy"]
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    form = admin_form(superuser_client, url, name="Energy and mining")
    path = tmp_path / "topics.csv"
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
        assert superuser_client.post(url, form).status_code == 302
        call_command("export", "topics", "--output", str(path), stdout=io.StringIO())
        exported = path.read_text(encoding="utf-8-sig")
        path.write_text(exported.replace("Energy and mining", '"Energy, mining and power"'), encoding="utf-8")
        call_command("import", "topics", str(path), "--dry-run", stdout=io.StringIO())
        call_command("import", "topics", str(path), stdout=io.StringIO())
    topic.refresh_from_db()
    assert topic.name == "Energy, mining and power"


def test_health_says_when_import_files_cannot_be_stored(client, settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = not_a_folder / "uploads"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "ok", "uploads": "unwritable"}


def no_space_left(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_health_says_when_the_disk_of_the_cache_and_the_uploads_is_full(client, settings, tmp_path, monkeypatch):
    """On a full disk every read still works: only a write shows it, so the check writes (and removes) a probe."""
    cache_folder = str(tmp_path / "cache")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": cache_folder}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", "uploads": "ok"}
    # The probes leave nothing behind; the upload folder is made when missing, as an upload would make it.
    assert list((tmp_path / "media").iterdir()) == []
    assert list((tmp_path / "cache").iterdir()) == []
    # The disk fills up: each write fails as the operating system makes it fail.
    monkeypatch.setattr(FileBasedCache, "_write_content", no_space_left)
    monkeypatch.setattr(Path, "write_bytes", no_space_left)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "full", "uploads": "full"}
    assert list((tmp_path / "media").iterdir()) == []


def test_health_says_when_the_cache_answers_but_keeps_nothing(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    health = client.get("/healthz").json()
    assert health == {"status": "degraded", "database": "ok", "cache": "unwritable", "uploads": "ok"}


def test_production_settings_bound_every_wait_on_redis_and_postgresql():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
    env.update(REDIS_URL="redis://127.0.0.1:6379/0", DATABASE_URL="postgres://postgres@127.0.0.1:5432/relations")
    script = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.CACHES['default']['OPTIONS'], settings.DATABASES['default']['OPTIONS'])"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "'socket_connect_timeout': 0.5, 'socket_timeout': 0.5" in result.stdout
    assert "'connect_timeout': 5" in result.stdout


def test_a_hung_redis_costs_one_short_timeout_then_pages_are_served_uncached(client, world, silent_port):
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{silent_port}/0", timeout=0.5)):
        statuses = within(10, lambda: [client.get(path).status_code for path in PUBLIC_PAGES * 3])
        health = within(5, lambda: client.get("/healthz").json())
    assert set(statuses) == {200}
    assert health["cache"] == "unavailable"


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_pages_changed_while_redis_was_down_are_not_served_stale_when_it_is_back(
    client, world, real_redis, closed_port, monkeypatch
):
    monkeypatch.setattr(page_cache_module, "PAUSE_AFTER_FAILURE", 0)
    mission = records.Mission.objects.get()
    assert "Sudby" in client.get("/missions/").content.decode()
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
        mission.place.name = "New Sudby"
        mission.place.save()
    assert "New Sudby" in client.get("/missions/").content.decode()


# Committed: a new generation starts on the commit.
@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_redis_was_unreachable_is_announced_after_its_process_has_gone(
    client,
    world,
    real_redis,
    closed_port,
    monkeypatch,
):
    """An import, a shell session or a cron job changes a record while Redis is unreachable, then exits: the
    first process to reach Redis again starts a new generation."""
    monkeypatch.setattr(page_cache_module, "PAUSE_AFTER_FAILURE", 0)
    mission = records.Mission.objects.get()
    assert "Sudby" in client.get("/missions/").content.decode()
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port}/0")):
        mission.place.name = "New Sudby"
        mission.place.save()
    # The process that made the change exits; a web process that never saw Redis fail serves the page.
    monkeypatch.setattr(page_cache_module, "page_cache", page_cache_module.PageCache())
    assert "New Sudby" in client.get("/missions/").content.decode()
    assert not records.MissedPageCacheChange.objects.exists()


# What the page cache stores -------------------------------------------------------------------------


def stored_pages(real_redis):
    return sum(1 for _ in real_redis.scan_iter(match=f"{KEY_PREFIX}:*relations:page:*"))


def test_made_up_query_strings_are_served_but_never_stored(client, world, real_redis):
    client.get("/")
    client.get("/visits/?year=2025")
    pages = stored_pages(real_redis)
    assert pages == 2
    for number in range(30):
        assert client.get(f"/?junk={number}").status_code == 200
        # The stored page of its known parameters, or a redirect to their one address.
        assert client.get(f"/visits/?year=2025&utm_source={number}").status_code == 200
        response = client.get(f"/visits/?year={'0' * (number % 5 + 1)}2025")
        assert (response.status_code, response["Location"]) == (301, "/visits/?year=2025")
        assert client.get("/visits/?year=2025&year=2025").status_code == 200
    assert client.get("/search/?q=energy").status_code == 200
    assert stored_pages(real_redis) == pages


def test_a_page_stored_for_one_host_or_scheme_is_not_served_for_another(client, world, settings):
    settings.ALLOWED_HOSTS = ["localhost", "relations.example.org"]
    client.get("/robots.txt", HTTP_HOST="localhost")
    robots = client.get("/robots.txt", HTTP_HOST="relations.example.org", secure=True).content.decode()
    assert "Sitemap: https://relations.example.org/sitemap.xml" in robots
    home = client.get("/", HTTP_HOST="relations.example.org", secure=True).content.decode()
    client.get("/", HTTP_HOST="localhost")
    assert home == client.get("/", HTTP_HOST="relations.example.org", secure=True).content.decode()
    assert "http://localhost" not in home


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_public_pages_answer_405_to_methods_that_would_write(client, world, method):
    for path in ["/", "/visits/", "/robots.txt", "/sitemap.xml", "/healthz", "/search/"]:
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method, path)
        assert "GET" in response["Allow"]


def test_a_bad_query_string_is_logged_as_one_line_without_a_traceback(client, world, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/visits/?year=nineteen").status_code == 400
    record = next(record for record in caplog.records if getattr(record, "status_code", None) == 400)
    handler = logging.getLogger().handlers[0]
    assert handler.filter(record)
    line = handler.format(record)
    assert "/visits/" in line
    assert "Traceback" not in line and "File " not in line


def test_the_public_csv_download_escapes_formulas(client, world):
    source = world["source"]
    source.title = '=HYPERLINK("http://attacker.example","click")'
    source.save()
    indicator = records.Indicator.objects.get()
    download = client.get(reverse("relations:indicator-detail", args=[indicator.slug]), {"format": "csv"})
    text = download.content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert ",=HYPERLINK(" not in text and '"=HYPERLINK(' not in text


# The database hung ----------------------------------------------------------------------------------


def get(url, timeout=20):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def server_with_a_hung_database(silent_port):
    """The site under gunicorn with production settings, its PostgreSQL a socket that never answers."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-the-checks-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_port}/relations",
            "DJANGO_DB_CONNECT_TIMEOUT": "2",
        }
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


# Its server reads staticfiles/ as it starts, which the benchmark test rewrites: never at the same time.
@pytest.mark.xdist_group("staticfiles")
def test_with_the_database_hung_the_site_answers_503_within_seconds(server_with_a_hung_database):
    for path, expected in [("/healthz", '"database": "unavailable"'), ("/visits/", "briefly unavailable")]:
        started = time.monotonic()
        status, body = get(server_with_a_hung_database + path)
        assert status == 503, (path, body)
        assert expected in body
        assert time.monotonic() - started < 10, path


def test_a_change_made_by_another_process_reaches_the_pages_this_one_serves(client, world, settings, tmp_path):
    """A command-line import or a shell session is another process: without Redis, the page cache is a
    folder every process shares, and its change starts a new generation for all."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    mission = records.Mission.objects.get()
    client.get(mission.get_absolute_url())
    # The record changes without this process being told, as another process's save would...
    records.Mission.objects.filter(pk=mission.pk).update(address="Harbour Street 1")
    assert "Harbour Street 1" not in client.get(mission.get_absolute_url()).content.decode()
    # ...and that process tells the shared cache.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
    env.update(DJANGO_CACHE_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from relations.cache import records_changed; records_changed(); print(settings.CACHES['default'])"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # The site's own settings without REDIS_URL: that shared folder.
    assert "FileBasedCache" in result.stdout and str(tmp_path) in result.stdout
    assert "Harbour Street 1" in client.get(mission.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/?page=%C2%B2",
        "/visits/?year=%C2%B2",
        "/councils/?relationship=%C2%B2",
        "/timeline/?year=%E2%91%A0",
        "/statistics/bilateral-trade/?format=%C2%B9",
        "/visits/?page=%D9%A3",
    ],
)
def test_a_unicode_digit_in_the_address_is_a_plain_refusal_not_a_server_error(client, world, address):
    response = client.get(address)
    assert response.status_code in (400, 404)
    assert "Traceback" not in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement and lock timeouts are PostgreSQL's")
# Committed: the test's own open transaction would hold the table, and the other connection wait for it.
@pytest.mark.django_db(transaction=True)
def test_a_table_locked_by_another_connection_makes_a_public_page_answer_503_within_seconds(client, world):
    import psycopg

    # The connection options the server's processes get (config/wsgi.py), with a one-second limit.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/relations",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_WEB_PROCESS="true",
        DJANGO_DB_STATEMENT_TIMEOUT="1",
    )
    script = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    options = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert options.stdout.strip() == "-c statement_timeout=1000 -c lock_timeout=1000", options.stderr
    connection.close()
    connection.settings_dict["OPTIONS"]["options"] = options.stdout.strip()
    database = connection.settings_dict
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"], dbname=database["NAME"]
    ) as other:
        other.execute("SET lock_timeout = '10s'")
        other.execute("LOCK TABLE relations_mission IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        # As the server answers: the site's 503 page, not the exception a test client raises by default.
        client.raise_request_exception = False
        response = client.get("/missions/?kind=consulate")
        waited = time.monotonic() - started
    connection.close()
    del connection.settings_dict["OPTIONS"]["options"]
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    assert waited < 5
