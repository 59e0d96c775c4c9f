"""Contacts other than visits: phone calls of the presidents, meetings on the sidelines of a summit, possibly
in a third country. Each counts for the pair of its two people's countries."""

import datetime

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db

BOTH_PEOPLE = "A phone call or a meeting on the sidelines is between two people: give the host (the other party) too."


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def contacts(world):
    """A phone call of the world's presidents, and their meeting on the sidelines of a summit in a third
    country, Westland, which has a relationship with Northland of its own."""
    west = records.Country.objects.create(code="WE", name="Westland")
    summit_city = records.Place.objects.create(name="Westhaven", country=west)
    records.Relationship.objects.create(country_a=world["north"], country_b=west, source=world["source"])
    call = records.Visit.objects.create(
        kind="phone-call",
        guest=world["guest"],
        host=world["host"],
        start_date=datetime.date(2025, 9, 3),
        summary="The presidents discussed energy projects.",
        source=world["source"],
    )
    call.topics.set([world["energy"]])
    sidelines = records.Visit.objects.create(
        kind="sidelines",
        guest=world["host"],
        host=world["guest"],
        country=west,
        place=summit_city,
        occasion="the Summit of Lands in Westhaven",
        start_date=datetime.date(2025, 10, 1),
        source=world["source"],
    )
    return {"call": call, "sidelines": sidelines, "west": west}


# The model ------------------------------------------------------------------------------------


def test_a_contact_is_between_two_people(world):
    call = records.Visit(
        kind="phone-call", guest=world["guest"], start_date=datetime.date(2025, 9, 3), source=world["source"]
    )
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert error.value.message_dict == {"host": [BOTH_PEOPLE]}
    call.country = world["north"]
    with pytest.raises(IntegrityError), transaction.atomic():
        call.save()


def test_a_phone_call_without_a_destination_is_placed_in_the_hosts_country(world):
    call = records.Visit(
        kind="phone-call",
        guest=world["guest"],
        host=world["host"],
        start_date=datetime.date(2025, 9, 3),
        source=world["source"],
    )
    call.full_clean()
    assert call.country == world["south"]
    visit = records.Visit(guest=world["guest"], start_date=datetime.date(2025, 9, 3), source=world["source"])
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert "country" in error.value.message_dict


def test_contacts_are_named_as_what_they_were(contacts, world):
    assert contacts["call"].title() == "Phone call between Ana Guest and Bo Host"
    assert contacts["call"].slug == "ana-guest-bo-host-phone-call-2025-09-03"
    assert (
        contacts["sidelines"].title()
        == "Meeting of Bo Host and Ana Guest on the sidelines of the Summit of Lands in Westhaven"
    )
    contacts["sidelines"].occasion = ""
    assert contacts["sidelines"].title() == "Meeting of Bo Host and Ana Guest in Westhaven"
    assert world["visit"].title() == "Visit of Ana Guest to Southland"


def test_a_contact_in_a_third_country_belongs_to_the_pair_of_its_two_people(contacts, world):
    north, west = world["north"], contacts["west"]
    pair = records.Visit.objects.of_relationship(world["pair"])
    assert set(pair) == {world["visit"], contacts["call"], contacts["sidelines"]}
    northland_westland = records.Relationship.objects.get(country_a=north, country_b=west)
    assert contacts["sidelines"] not in records.Visit.objects.of_relationship(northland_westland)


# Public pages ---------------------------------------------------------------------------------


def test_the_pairs_page_lists_visits_and_contacts(client, contacts, world):
    html = page(client, world["pair"].get_absolute_url())
    section = html.split('id="visits"')[1].split("</section>")[0]
    assert ">Visits and contacts</h2>" in section
    assert "Phone call between Ana Guest and Bo Host</a>, 3 September 2025" in section
    assert "Meeting of Bo Host and Ana Guest on the sidelines of the Summit of Lands in Westhaven</a>" in section
    assert "Visit of Ana Guest to Southland</a>" in section
    listed = page(client, f"/visits/?relationship={world['pair'].slug}")
    assert "Phone call between Ana Guest and Bo Host" in listed
    assert "Meeting of Bo Host and Ana Guest" in listed


def test_the_timeline_shows_contacts_as_contacts(client, contacts):
    html = page(client, "/timeline/")
    call = html.split(f'id="visit-{contacts["call"].pk}"')[1].split("</li>")[0]
    assert '<span class="tag">Contact</span>' in call and "Phone call between Ana Guest and Bo Host" in call
    assert html.index("Visit of Ana Guest to Southland") < html.index("Phone call between")


def test_a_contacts_own_page_names_both_people_and_the_occasion(client, contacts):
    html = page(client, contacts["sidelines"].get_absolute_url())
    assert "<h1>Meeting of Bo Host and Ana Guest on the sidelines of the Summit of Lands in Westhaven</h1>" in html
    assert "<dt>Between</dt><dd>Bo Host, President of Southland, and Ana Guest, President of Northland</dd>" in html
    assert "<dt>Occasion</dt><dd>The Summit of Lands in Westhaven</dd>" in html
    assert 'href="/countries/westland/">Westland</a>' in html
    call = page(client, contacts["call"].get_absolute_url())
    assert "<h1>Phone call between Ana Guest and Bo Host</h1>" in call and "<dt>Place</dt>" not in call
    assert "Destination" not in call


def test_the_home_pages_latest_visit_stays_a_visit(client, contacts):
    html = page(client, "/")
    card = html.split("Latest visit")[1].split("</div>")[0]
    assert "Visit of Ana Guest to" in card and "29 July 2025" in card
    assert "Phone call" not in card and "sidelines" not in card


# Import and export ----------------------------------------------------------------------------


def test_a_visits_file_from_before_imports_unchanged_and_the_occasion_round_trips(contacts):
    exported = RESOURCES["visits"]().export()
    assert "Occasion" in exported.headers
    assert import_file(RESOURCES["visits"], exported).totals["skip"] == 3
    older = tablib.Dataset(headers=[header for header in exported.headers if header != "Occasion"])
    for row in exported.dict:
        older.append([row[header] for header in older.headers])
    result = import_file(RESOURCES["visits"], older)
    assert describe_errors(result) == [] and result.totals["skip"] == 3
    contacts["sidelines"].refresh_from_db()
    assert contacts["sidelines"].occasion == "the Summit of Lands in Westhaven"


def test_a_phone_call_row_takes_the_hosts_country_and_needs_a_host(world):
    headers = ["Slug", "Guest", "Host", "Destination country", "Start date", "Kind", "Source", "Publication status"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["", "ana-guest", "bo-host", "", "2025-09-03", "Phone call", "report", "published"])
    dataset.append(["", "ana-guest", "", "", "2025-09-04", "phone-call", "report", "published"])
    result = import_file(RESOURCES["visits"], dataset)
    assert describe_errors(result) == [f"Row 3, column “Host”: {BOTH_PEOPLE}"]
    del dataset[1]
    assert describe_errors(import_file(RESOURCES["visits"], dataset)) == []
    call = records.Visit.objects.get(slug="ana-guest-bo-host-phone-call-2025-09-03")
    assert (call.kind, call.country) == ("phone-call", world["south"])
