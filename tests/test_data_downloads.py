"""Bulk downloads at /data/: zips of the CSV files `export all` writes, published records only, each with a
Frictionless data package that validates, dated; per pair; and imported into an empty site, the same records."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import frictionless
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from relations import downloads
from relations import models as records
from relations.cache import page_cache
from relations.formats import export_bytes
from relations.registry import RECORD_TYPES, RESOURCES
from tests.test_import_export import wipe

pytestmark = pytest.mark.django_db

FILES = [downloads.file_name(record_type) for record_type in RECORD_TYPES]


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Builds kept in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fetched(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "application/zip"
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def everything_in(archive):
    return "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def validated(archive, folder):
    """The archive's files in `folder`, checked by frictionless as a reader would check them."""
    archive.extractall(folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    return folder


def new_generation():
    """What a committed change does: the data moved on (records_changed waits for a commit no test makes)."""
    page_cache.bump()


@pytest.fixture
def drafts(world):
    """Drafts beside the published world, and published records hanging from them: none may be downloaded."""
    north, south = world["north"], world["south"]
    embargoed = records.Source.objects.create(slug="embargoed-report", title="Embargoed report")
    draft_visit = records.Visit.objects.create(
        guest=world["host"],
        host=world["guest"],
        country=north,
        start_date=datetime.date(2025, 9, 1),
        source=embargoed,
        publication_status="draft",
    )
    # A published meeting held during the draft visit: the link is left out, the meeting stays.
    world["meeting"].visit = draft_visit
    world["meeting"].save()
    secret = records.Council.objects.create(name="Secret Council", source=embargoed, publication_status="draft")
    secret.members.set([north, south])
    meeting = records.CouncilMeeting.objects.create(
        council=secret, number=1, date=datetime.date(2025, 1, 1), source=world["source"]
    )
    records.AgendaItem.objects.create(meeting=meeting, position=1, title="Secret item")
    hidden = records.Organization.objects.create(name="Hidden Union", publication_status="draft")
    records.OrganizationName.objects.create(organization=hidden, name="Old Hidden Union")
    records.Membership.objects.create(organization=hidden, country=north, source=world["source"])
    records.Organization.objects.filter(name="Academy of Lands").update(parent=hidden)
    # A person's source backs an editor's entry: one no published fact cites stays unseen.
    records.Person.objects.create(name="Cy Adviser", country=north, role="Adviser", source=embargoed)
    records.Statistic.objects.update(note="Check with the ministry before publishing more")
    east = records.Country.objects.create(code="EA", name="Eastland")
    secret_pair = records.Relationship.objects.create(
        country_a=north, country_b=east, source=world["source"], publication_status="draft"
    )
    records.Statistic.objects.create(
        indicator=world["indicator"],
        relationship=secret_pair,
        value=Decimal(7),
        unit="USD",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        source=world["source"],
    )
    records.Milestone.objects.create(
        relationship=secret_pair, date=datetime.date(2020, 1, 1), title="Secret talks", source=world["source"]
    )
    return {"visit": draft_visit, "pair": secret_pair}


@pytest.fixture
def second_pair(world):
    """Another published pair of Northland, with records and a source of its own."""
    east = records.Country.objects.create(code="EA", name="Eastland")
    eastern = records.Source.objects.create(slug="eastern-statistics", title="Eastern statistics office")
    guest = records.Person.objects.create(name="Ed East", country=east)
    pair = records.Relationship.objects.create(country_a=world["north"], country_b=east, source=eastern)
    records.Visit.objects.create(
        guest=guest, country=world["north"], start_date=datetime.date(2024, 5, 1), source=eastern
    )
    records.Statistic.objects.create(
        indicator=world["indicator"],
        relationship=pair,
        value=Decimal(3),
        unit="USD",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        source=eastern,
    )
    capital = records.Place.objects.create(name="Ostby", country=east, longitude=Decimal("-12.5"))
    records.Mission.objects.create(sender=world["north"], host=east, place=capital, kind="embassy", source=eastern)
    return pair


def test_the_whole_data_set_is_a_dated_zip_of_the_files_export_all_writes(client, world):
    today = timezone.localdate().isoformat()
    response, archive = fetched(client, "/data/all.zip")
    assert response["Content-Disposition"] == f'attachment; filename="bilateral-relations-{today}.zip"'
    assert archive.namelist() == ["datapackage.json", *FILES]
    assert {member.date_time[:3] for member in archive.infolist()} == {timezone.localdate().timetuple()[:3]}
    for name, resource in RESOURCES.items():
        written = archive.read(downloads.file_name(downloads.BY_NAME[name]))
        if name == "statistics":
            exported = resource().export()
            del exported["Note for editors"]
            assert written == export_bytes(exported, "csv")
        elif name != "sources":
            assert written == export_bytes(resource().export(), "csv"), name
    # A source no published record cites (one only reported in another) is no published fact's.
    assert [row["Slug"] for row in rows(archive, "02-sources.csv")] == ["report"]


def test_frictionless_validates_the_whole_data_set_and_each_pair(client, world, second_pair, tmp_path):
    # A negative number is written formula-safe ('-5.4), which the package says.
    records.Statistic.objects.create(
        indicator=world["indicator"],
        relationship=world["pair"],
        kind="change",
        value=Decimal("-5.4"),
        unit="%",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        base_year=2023,
        source=world["source"],
    )
    _, archive = fetched(client, "/data/all.zip")
    assert "'-5.4" in archive.read("18-statistics.csv").decode()
    assert "'-12.5" in archive.read("04-places.csv").decode()
    validated(archive, tmp_path / "all")
    for pair in [world["pair"], second_pair]:
        _, archive = fetched(client, f"/data/relationships/{pair.slug}.zip")
        validated(archive, tmp_path / pair.slug)


def test_the_data_package_gives_each_columns_type_and_meaning_and_the_licence(client, world):
    _, archive = fetched(client, "/data/all.zip")
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert package["version"] == timezone.localdate().isoformat()
    assert datetime.datetime.fromisoformat(package["created"]).date() == timezone.localdate()
    assert package["homepage"] == "http://testserver/data/"
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert list(resources) == [record_type.name for record_type in RECORD_TYPES]
    for record_type in RECORD_TYPES:
        described = resources[record_type.name]
        assert described["path"] == downloads.file_name(record_type)
        assert (described["format"], described["mediatype"], described["encoding"]) == ("csv", "text/csv", "utf-8")
        header = next(csv.reader(io.StringIO(archive.read(described["path"]).decode("utf-8-sig"))))
        assert [column["name"] for column in described["schema"]["fields"]] == header
        assert all(column["description"] for column in described["schema"]["fields"])
    visits = {column["name"]: column for column in resources["visits"]["schema"]["fields"]}
    assert visits["Start date"]["type"] == "date"
    assert "“Date precision” says how much of it is known" in visits["Start date"]["description"]
    assert visits["Planned"] == {**visits["Planned"], "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}
    assert visits["Guest"]["description"].endswith("Names a record of 06-people.csv by its Slug.")
    assert visits["Kind"]["constraints"]["enum"][:2] == ["state", "official"]
    figures = {column["name"]: column for column in resources["statistics"]["schema"]["fields"]}
    assert figures["Value"]["type"] == "number"
    assert figures["Compared with (year)"]["type"] == "year"
    assert "Note for editors" not in figures
    assert resources["places"]["schema"]["primaryKey"] == ["Slug"]
    assert {"fields": ["Country"], "reference": {"resource": "countries", "fields": ["ISO code"]}} in resources[
        "places"
    ]["schema"]["foreignKeys"]


def test_the_licence_set_for_the_site_is_the_packages(client, world):
    site = records.SiteSettings.current()
    site.data_licence = "CC0-1.0"
    site.save()
    new_generation()
    _, archive = fetched(client, "/data/all.zip")
    assert json.loads(archive.read("datapackage.json"))["licenses"][0]["name"] == "CC0-1.0"
    assert "Creative Commons Zero 1.0 Universal" in client.get("/data/").content.decode()


def test_drafts_records_of_drafts_and_editors_notes_are_left_out(client, world, drafts):
    _, archive = fetched(client, "/data/all.zip")
    text = everything_in(archive)
    for hidden in [
        "embargoed-report",
        "Embargoed report",
        drafts["visit"].slug,
        "Secret Council",
        "Secret item",
        "Hidden Union",
        drafts["pair"].slug,
        "Secret talks",
        "Check with the ministry",
    ]:
        assert hidden not in text
    # What hangs from a draft by a link it can do without stays, the link left blank.
    meeting = rows(archive, "11-council-meetings.csv")
    assert [(row["Council"], row["Number"], row["Held during the visit"]) for row in meeting] == [
        ("joint-council", "5", "")
    ]
    academy = next(row for row in rows(archive, "19-organizations.csv") if row["Name"] == "Academy of Lands")
    assert academy["Part of"] == ""
    adviser = next(row for row in rows(archive, "06-people.csv") if row["Name"] == "Cy Adviser")
    assert adviser["Source"] == ""
    assert [row["Value"] for row in rows(archive, "18-statistics.csv")] == ["5000000000"]


def test_a_pairs_zip_holds_only_that_pairs_records(client, world, second_pair):
    today = timezone.localdate().isoformat()
    response, archive = fetched(client, f"/data/relationships/{world['pair'].slug}.zip")
    assert response["Content-Disposition"] == f'attachment; filename="{world["pair"].slug}-{today}.zip"'
    assert archive.namelist() == ["datapackage.json", *FILES]
    assert [row["Slug"] for row in rows(archive, "07-relationships.csv")] == [world["pair"].slug]
    assert [row["ISO code"] for row in rows(archive, "01-countries.csv")] == ["NA", "SA"]
    assert [row["Slug"] for row in rows(archive, "09-visits.csv")] == [world["visit"].slug]
    assert [row["Relationship"] for row in rows(archive, "18-statistics.csv")] == [world["pair"].slug]
    assert [row["Host country"] for row in rows(archive, "16-missions.csv")] == ["SA"]
    assert "eastern-statistics" not in everything_in(archive)
    assert json.loads(archive.read("datapackage.json"))["name"] == world["pair"].slug
    _, whole = fetched(client, "/data/all.zip")
    assert {row["Slug"] for row in rows(whole, "07-relationships.csv")} == {world["pair"].slug, second_pair.slug}
    assert "eastern-statistics" in everything_in(whole)


def test_the_whole_download_imported_into_an_empty_site_gives_the_same_published_records(
    client, world, drafts, tmp_path, django_capture_on_commit_callbacks
):
    published_visits = set(records.Visit.objects.published().values_list("slug", flat=True))
    _, before = fetched(client, "/data/all.zip")
    folder = tmp_path / "download"
    before.extractall(folder)
    wipe()
    records.Source.objects.all().delete()
    assert not any(record_type.model.objects.exists() for record_type in RECORD_TYPES)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "all", str(folder), stdout=io.StringIO())
    new_generation()
    assert set(records.Visit.objects.values_list("slug", flat=True)) == published_visits
    assert not records.Visit.objects.filter(publication_status="draft").exists()
    _, after = fetched(client, "/data/all.zip")
    for name in FILES:
        assert after.read(name) == before.read(name), name


def test_the_data_page_lists_each_download_with_its_size_rows_and_date(client, article):
    today = timezone.localdate()
    page = client.get("/data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"bilateral-relations-{today.isoformat()}.zip" in html
    assert f"turkiye-kazakhstan-{today.isoformat()}.zip" in html
    assert 'href="/data/all.zip"' in html and 'href="/data/relationships/turkiye-kazakhstan.zip"' in html
    build = page.context["build"]
    assert f"{build.whole.rows} records in 22 CSV files" in html
    assert f"made on {today.day} {today:%B %Y}" in html
    assert "<td><code>18-statistics.csv</code></td><td>Statistics</td><td>11</td>" in html
    assert 'href="/statistics/bilateral-trade/?format=csv"' in html
    assert "Creative Commons Attribution 4.0 International" in html
    assert 'href="/data/"' in client.get("/").content.decode()
    pair_page = client.get("/relationships/turkiye-kazakhstan/").content.decode()
    assert 'href="/data/relationships/turkiye-kazakhstan.zip"' in pair_page


def test_a_draft_or_unknown_pair_has_no_download_and_one_named_the_other_way_leads_to_it(client, world, drafts):
    assert client.get(f"/data/relationships/{drafts['pair'].slug}.zip").status_code == 404
    assert client.get("/data/relationships/nowhere.zip").status_code == 404
    turned = client.get("/data/relationships/southland-northland.zip")
    assert turned.status_code == 301
    assert turned["Location"] == f"/data/relationships/{world['pair'].slug}.zip"


def test_a_large_data_set_is_built_by_a_worker_and_the_previous_build_served_meanwhile(
    client, world, monkeypatch, run_worker
):
    monkeypatch.setattr(downloads, "BUILD_IN_REQUEST_WORK", 0)
    first = client.get("/data/")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert "being made for the first time" in b"".join(first.streaming_content).decode()
    pending = client.get("/data/all.zip")
    assert pending.status_code == 503 and pending["Retry-After"] == "60"
    assert "being made" in b"".join(pending.streaming_content).decode()
    run_worker()
    _, archive = fetched(client, "/data/all.zip")
    assert len(rows(archive, "09-visits.csv")) == 1
    built = client.get("/data/").context["build"]

    records.Visit.objects.create(
        guest=world["host"], country=world["north"], start_date=datetime.date(2025, 10, 1), source=world["source"]
    )
    new_generation()
    stale = client.get("/data/")
    assert stale.status_code == 200 and stale["Cache-Control"] == "no-store"
    assert "The changes made since are being added" in b"".join(stale.streaming_content).decode()
    _, previous = fetched(client, "/data/all.zip")
    assert len(rows(previous, "09-visits.csv")) == 1
    run_worker()
    _, rebuilt = fetched(client, "/data/all.zip")
    assert len(rows(rebuilt, "09-visits.csv")) == 2
    current = client.get("/data/")
    assert current.context["current"] and current.context["build"].created > built.created
    assert "being added" not in current.content.decode()
    # The build before the latest is kept for a reader still downloading it; older ones go.
    new_generation()
    latest = downloads.build(downloads.current_generation())
    assert len(downloads.build_folders()) == 2
    assert downloads.latest_build().generation == latest.generation


def test_only_one_build_is_queued_however_many_readers_ask(client, world, monkeypatch):
    monkeypatch.setattr(downloads, "BUILD_IN_REQUEST_WORK", 0)
    for _ in range(3):
        client.get("/data/")
        client.get("/data/all.zip")
    assert DBTaskResult.objects.count() == 1


def test_the_command_writes_a_dated_zip_of_everything_or_of_one_pair(world, tmp_path):
    today = timezone.localdate().isoformat()
    call_command("data_package", "--output", str(tmp_path), stderr=io.StringIO())
    call_command("data_package", "--output", str(tmp_path), "--relationship", world["pair"].slug, stderr=io.StringIO())
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [f"bilateral-relations-{today}.zip", f"{world['pair'].slug}-{today}.zip"]
    with zipfile.ZipFile(tmp_path / names[0]) as archive:
        validated(archive, tmp_path / "checked")


@pytest.mark.django_db(transaction=True)
def test_a_build_reads_the_data_of_one_moment_and_the_connection_is_as_before_after():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's read transaction keeps one snapshot by itself")

    def setting(name):
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    with downloads.one_moment():
        during = setting("transaction_isolation"), setting("transaction_read_only")
    with transaction.atomic():
        after = setting("transaction_isolation"), setting("transaction_read_only")
    assert during == ("repeatable read", "on")
    assert after == ("read committed", "off")
