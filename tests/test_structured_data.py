"""Detail pages describe their record in schema.org terms, as a JSON-LD block in their head."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations import structured_data

pytestmark = pytest.mark.django_db


class LdJsonBlocks(HTMLParser):
    """The text of each <script type="application/ld+json"> of a page, and whether it was in the head."""

    def __init__(self):
        super().__init__()
        self.blocks, self.in_head, self.current = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.current = []

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.current is not None:
            self.blocks.append(("".join(self.current), self.in_head))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def ld_json(client, url):
    """The one JSON-LD block of the page at `url`, read as a browser's parser ends a script element."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = LdJsonBlocks()
    parser.feed(response.content.decode())
    assert len(parser.blocks) == 1, url
    text, in_head = parser.blocks[0]
    assert in_head, url
    return json.loads(text)


def test_a_visit_is_an_event_with_its_people_place_and_source(client, world):
    visit = world["visit"]
    data = ld_json(client, visit.get_absolute_url())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == visit.title() == "Visit of Ana Guest to Southland"
    assert data["startDate"] == "2025-07-29"
    assert "endDate" not in data and "eventStatus" not in data
    assert data["url"] == f"http://testserver{visit.get_absolute_url()}"
    assert data["location"] == {
        "@type": "Place",
        "name": "Sudby",
        "address": {"@type": "PostalAddress", "addressLocality": "Sudby", "addressCountry": "SA"},
    }
    assert data["organizer"] == {"@type": "Person", "name": "Bo Host", "jobTitle": "President of Southland"}
    assert [someone["name"] for someone in data["attendee"]] == ["Ana Guest", "Bo Host"]
    # The source has no web address of its own: its page here.
    assert data["subjectOf"] == {
        "@type": "CreativeWork",
        "name": "Annual report",
        "url": "http://testserver/sources/report/",
        "datePublished": "2025-01-02",
    }


def test_a_planned_visit_known_to_the_month_is_scheduled_in_that_month(client, world):
    source = records.Source.objects.create(
        slug="announcement",
        title="Announcement",
        url="https://news.example/visit",
        published_on=datetime.date(2024, 1, 5),
    )
    visit = records.Visit.objects.create(
        guest=world["host"],
        host=world["guest"],
        country=world["north"],
        start_date=datetime.date(2024, 3, 1),
        start_date_precision="month",
        planned=True,
        kind="official",
        source=source,
    )
    data = ld_json(client, visit.get_absolute_url())
    assert data["name"] == "Official visit of Bo Host to Northland"
    assert data["startDate"] == "2024-03"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    # No city recorded: the country alone.
    assert data["location"] == {
        "@type": "Place",
        "name": "Northland",
        "address": {"@type": "PostalAddress", "addressCountry": "NA"},
    }
    assert data["subjectOf"]["url"] == "https://news.example/visit"
    assert data["subjectOf"]["datePublished"] == "2024-01-05"


def test_a_visit_known_to_the_year_and_a_phone_call_without_a_place(client, world):
    visit = records.Visit.objects.create(
        guest=world["guest"],
        host=world["host"],
        start_date=datetime.date(2023, 1, 1),
        start_date_precision="year",
        kind="phone-call",
        source=world["source"],
    )
    data = ld_json(client, visit.get_absolute_url())
    assert data["name"] == "Phone call between Ana Guest and Bo Host"
    assert data["startDate"] == "2023"
    assert "location" not in data


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("scheduled", "https://schema.org/EventScheduled"),
        ("postponed", "https://schema.org/EventPostponed"),
        ("cancelled", "https://schema.org/EventCancelled"),
        ("held", None),
        ("", None),
    ],
)
def test_a_council_meeting_is_an_event_of_its_council_with_its_status(client, world, status, expected):
    meeting = world["meeting"]
    meeting.status = status
    meeting.date, meeting.date_precision = datetime.date(2026, 5, 1), "month"
    meeting.save()
    data = ld_json(client, meeting.get_absolute_url())
    assert data["@type"] == "Event"
    assert data["name"] == "5th meeting of the Joint Council"
    assert data["startDate"] == "2026-05"
    assert data.get("eventStatus") == expected
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Joint Council",
        "url": f"http://testserver{world['council'].get_absolute_url()}",
    }
    assert data["location"]["address"] == {"@type": "PostalAddress", "addressLocality": "Sudby", "addressCountry": "SA"}
    assert sorted(someone["name"] for someone in data["attendee"]) == ["Ana Guest", "Bo Host"]


def test_an_embassy_and_a_consulate(client, world):
    embassy = records.Mission.objects.get(kind="embassy")
    embassy.address, embassy.website = "1 Main Street\nSudby", "https://embassy.example/"
    embassy.save()
    data = ld_json(client, embassy.get_absolute_url())
    assert data["@type"] == "Embassy"
    assert data["name"] == "Northern embassy in Sudby"
    assert data["url"] == f"http://testserver{embassy.get_absolute_url()}"
    assert data["sameAs"] == "https://embassy.example/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 Main Street Sudby",
        "addressLocality": "Sudby",
        "addressCountry": "SA",
    }
    consulate = records.Mission.objects.create(
        sender=world["south"],
        host=world["north"],
        place=world["capital"],
        kind="consulate",
        source=world["source"],
        opened_on=datetime.date(2001, 6, 1),
        opened_on_precision="month",
    )
    data = ld_json(client, consulate.get_absolute_url())
    assert data["@type"] == "GovernmentOrganization"
    assert data["foundingDate"] == "2001-06"
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Nordby", "addressCountry": "NA"}


def test_an_organization_with_its_other_names_and_founding_year(client, world):
    union = world["union"]
    union.founded_on, union.founded_on_precision, union.website = (
        datetime.date(2009, 1, 1),
        "year",
        "https://ul.example/",
    )
    union.save()
    data = ld_json(client, union.get_absolute_url())
    assert data["@type"] == "Organization"
    assert data["name"] == "Union of Lands"
    assert data["alternateName"] == ["UL", "Council of Lands"]
    assert data["foundingDate"] == "2009"
    assert data["url"] == f"http://testserver{union.get_absolute_url()}"
    assert data["sameAs"] == "https://ul.example/"
    academy = records.Organization.objects.get(name="Academy of Lands")
    data = ld_json(client, academy.get_absolute_url())
    assert data["parentOrganization"]["name"] == "Union of Lands"
    assert "alternateName" not in data and "foundingDate" not in data


def test_a_draft_parent_organization_is_left_out(client, world):
    union = world["union"]
    union.publication_status = records.PublicationStatus.DRAFT
    union.save()
    academy = records.Organization.objects.get(name="Academy of Lands")
    assert "parentOrganization" not in ld_json(client, academy.get_absolute_url())


@pytest.mark.parametrize("narrowed", [False, True])
def test_an_indicator_is_a_dataset_whose_download_is_its_csv(client, world, narrowed):
    indicator, pair = world["indicator"], world["pair"]
    url = indicator.get_absolute_url() + (f"?relationship={pair.slug}" if narrowed else "")
    data = ld_json(client, url)
    assert data["@type"] == "Dataset"
    assert data["name"] == ("Bilateral trade: Northland and Southland" if narrowed else "Bilateral trade")
    assert data["description"]
    assert data["url"] == f"http://testserver{url}"
    assert data["temporalCoverage"] == "2024-01-01/2024-12-31"
    assert [source["name"] for source in data["isBasedOn"]] == ["Annual report"]
    [download] = data["distribution"]
    assert download["@type"] == "DataDownload" and download["encodingFormat"] == "text/csv"
    assert download["contentUrl"].startswith("http://testserver/")
    response = client.get(download["contentUrl"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Northland" in data["name"] or pair.slug in response.content.decode()


def test_a_closing_script_tag_in_a_summary_cannot_break_out(client, world):
    visit = world["visit"]
    hostile = 'Talks </script><script>alert("x")</script> <!-- & more -->'
    visit.summary = hostile
    visit.save()
    html = client.get(visit.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    # Read back, the summary is the editor's text, whole.
    assert json.loads(block)["description"] == hostile
    assert ld_json(client, visit.get_absolute_url())["description"] == hostile
    # The page runs no script of its own: only the data block.
    assert html.count("<script") == 1


def test_describing_a_page_reads_nothing_more(client, world, monkeypatch):
    """The description reads what the view has loaded: the same queries with and without it."""
    pages = [
        world["visit"].get_absolute_url(),
        world["meeting"].get_absolute_url(),
        records.Mission.objects.get().get_absolute_url(),
        world["union"].get_absolute_url(),
        world["indicator"].get_absolute_url(),
        world["indicator"].get_absolute_url() + f"?relationship={world['pair'].slug}",
    ]

    def counts():
        found = {}
        # Each page made afresh, not answered from the page cache.
        cache.clear()
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found[url] = len(queries)
        return found

    described = counts()
    monkeypatch.setattr(structured_data, "DESCRIBERS", {})
    plain = counts()
    assert described == plain
