import datetime
import io
import tempfile
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.utils import translation

from relations import models as records

# The page cache of this test run in a folder of its own, not the one a developer's server uses
# (settings are read before this file: set before any cache is opened). Each process of a parallel run
# (`make test`, pytest-xdist) makes its own folders.
if django_settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    django_settings.CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="relations-test-cache-")
if django_settings.SESSION_ENGINE.endswith(".file"):
    django_settings.SESSION_FILE_PATH = tempfile.mkdtemp(prefix="relations-test-sessions-")
from relations.management.commands.bootstrap import fixture_files


class QuickPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 as in production, with a thousandth of its rounds: a quarter of a second per password made or
    checked was a minute of the suite (every superuser_client, editor_client and sign-in). The rounds are
    written into each hash, so a password made here still checks anywhere; no test is about the work factor."""

    iterations = 1_000


django_settings.PASSWORD_HASHERS = [f"{__name__}.QuickPasswordHasher"]
# WhiteNoise reads the whole of staticfiles/ whenever a request handler starts (each test's client), unless it
# looks a file up only when one is asked for, as it does under DEBUG. The benchmark test's `collectstatic`
# rewrites that folder while tests run beside it on the other worker of `make test`: a file listed then
# replaced made a handler fail to start. No test asks the test client for a static file.
django_settings.WHITENOISE_AUTOREFRESH = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests marked `starts_first` (the benchmark's run, about a minute, and no database of the suite's) go
    before all others, after pytest-django has put the tests in its order (database, then transactional, then
    without a database): on two workers, a long test started last keeps one busy while the other has finished."""
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)


@pytest.fixture(autouse=True)
def in_english():
    """Each test starts in English: Django's LocaleMiddleware activates a request's language in the thread and
    leaves it there, so after a request to /ru/… the next test's messages would be Russian."""
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_page_cache(monkeypatch):
    """Each test starts with no cached page (its database is not the previous test's), and with the page
    cache taken as reachable whatever an earlier test made of it."""
    from django.core.cache import cache

    from relations import cache as page_cache_module

    monkeypatch.setattr(page_cache_module, "page_cache", page_cache_module.PageCache())
    cache.clear()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the tasks waiting in the queue, as `manage.py db_worker` does, then come back (its signal handlers
    are the test run's again afterwards). The worker closes connections it finds inside a transaction, as a
    test's connection is (on PostgreSQL that would end the test's transaction): here it keeps it."""
    import signal

    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def article(db):
    """The article's records, loaded from fixtures/ as `make run` loads them."""
    call_command("loaddata", *fixture_files(), verbosity=0)


@pytest.fixture
def editor_client(client, django_user_model):
    call_command("createeditor", "editor", "--password", "a-long-test-password", stdout=io.StringIO())
    client.force_login(django_user_model.objects.get(username="editor"))
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def world():
    """A small pair of countries with one record of every type."""
    source = records.Source.objects.create(slug="report", title="Annual report", published_on=datetime.date(2025, 1, 2))
    records.Source.objects.create(slug="ministry", title="Ministry figures", reported_in=source)
    north = records.Country.objects.create(code="NA", name="Northland", adjective="Northern")
    south = records.Country.objects.create(code="SA", name="Southland", adjective="Southern")
    energy = records.Topic.objects.create(name="Energy")
    trade = records.Topic.objects.create(name="Trade")
    capital = records.Place.objects.create(name="Nordby", country=north, is_capital=True)
    city = records.Place.objects.create(name="Sudby", country=south, latitude=Decimal("41.01"))
    records.PlaceName.objects.create(place=city, name="Old Sudby", start_year=2019, end_year=2022)
    guest = records.Person.objects.create(name="Ana Guest", country=north, role="President of Northland")
    host = records.Person.objects.create(name="Bo Host", country=south, role="President of Southland")
    pair = records.Relationship.objects.create(
        country_a=north,
        country_b=south,
        source=source,
        established_on=datetime.date(1992, 3, 2),
    )
    # Its level, as a relationship's level field held it before levels were records of their own: no year.
    level = records.RelationshipLevel.objects.create(relationship=pair, level="strategic partnership", source=source)
    visit = records.Visit.objects.create(
        guest=guest, host=host, country=south, place=city, start_date=datetime.date(2025, 7, 29), source=source
    )
    visit.topics.set([energy, trade])
    council = records.Council.objects.create(name="Joint Council", source=source)
    council.members.set([north, south])
    meeting = records.CouncilMeeting.objects.create(
        council=council, number=5, date=datetime.date(2025, 7, 29), place=city, visit=visit, source=source
    )
    meeting.co_chairs.set([guest, host])
    records.AgendaItem.objects.create(meeting=meeting, position=1, title="Energy cooperation", topic=energy)
    records.Outcome.objects.create(meeting=meeting, position=1, title="Documents", kind="documents")
    records.VisitOutcome.objects.create(visit=visit, position=1, title="Action plan", kind="programme", signed=True)
    talks = records.Engagement.objects.create(visit=visit, position=1, kind="talks", title="Talks", place=city)
    talks.people.set([host])
    records.Mission.objects.create(
        sender=north, host=south, place=city, kind="embassy", source=source, opened_on=datetime.date(1992, 1, 1)
    )
    indicator = records.Indicator.objects.create(name="Bilateral trade", unit="USD", is_headline=True)
    records.Statistic.objects.create(
        indicator=indicator,
        relationship=pair,
        value=Decimal("5000000000"),
        unit="USD",
        equivalent_value=Decimal("202860000000"),
        equivalent_unit="TRY",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        source=source,
    )
    union = records.Organization.objects.create(name="Union of Lands", acronym="UL")
    records.Organization.objects.create(name="Academy of Lands", parent=union)
    records.OrganizationName.objects.create(organization=union, name="Council of Lands", end_year=2021)
    records.Membership.objects.create(organization=union, country=north, role="founding-member", source=source)
    milestone = records.Milestone.objects.create(
        relationship=pair, date=datetime.date(2009, 1, 1), date_precision="year", title="Partnership", source=source
    )
    milestone.topics.set([trade])
    return locals()
