"""The rules of the records hold in the database itself and give readable messages in full_clean."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relations.dates import Precision, format_partial_date, ordinal
from relations.models import (
    Council,
    CouncilMeeting,
    Country,
    Indicator,
    Membership,
    Mission,
    Organization,
    Person,
    Place,
    PlaceName,
    Relationship,
    Source,
    Statistic,
    Visit,
)
from relations.text import slugify_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    source = Source.objects.create(title="A report", published_on=datetime.date(2025, 7, 29))
    north = Country.objects.create(code="NA", name="Northland", adjective="Northern")
    south = Country.objects.create(code="SA", name="Southland", adjective="Southern")
    north_city = Place.objects.create(name="Nordby", country=north, is_capital=True)
    south_city = Place.objects.create(name="Sudby", country=south)
    guest = Person.objects.create(name="Ana Guest", country=north, role="President of Northland")
    host = Person.objects.create(name="Bo Host", country=south, role="President of Southland")
    relationship = Relationship.objects.create(country_a=north, country_b=south, source=source)
    return {
        "source": source,
        "north": north,
        "south": south,
        "north_city": north_city,
        "south_city": south_city,
        "guest": guest,
        "host": host,
        "relationship": relationship,
    }


def assert_refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make().save()


def assert_refused_by_full_clean(make, message):
    with pytest.raises(ValidationError) as caught:
        make().full_clean()
    assert message in str(caught.value)


def mission(world, **overrides):
    values = {
        "sender": world["north"],
        "host": world["south"],
        "place": world["south_city"],
        "kind": Mission.Kind.EMBASSY,
        "source": world["source"],
        "slug": "",
    }
    values.update(overrides)
    return Mission(**values)


def test_mission_host_must_differ_from_sender(world):
    def make():
        return mission(world, host=world["north"], place=world["north_city"], slug="own")

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "A country cannot host its own diplomatic mission.")


def test_one_mission_per_sender_kind_and_city(world):
    mission(world, slug="first").save()

    def make():
        return mission(world, slug="second")

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "This country already has a mission of this kind in this city.")


def test_mission_city_must_be_in_host_country(world):
    assert_refused_by_full_clean(lambda: mission(world, place=world["north_city"]), "Nordby is not in Southland.")


def meeting(world, council, number):
    return CouncilMeeting(council=council, number=number, date=datetime.date(2025, 7, 29), source=world["source"])


def test_one_meeting_number_per_council(world):
    council = Council.objects.create(name="Joint Council", source=world["source"])
    meeting(world, council, 5).save()

    assert_refused_by_database(lambda: meeting(world, council, 5))
    assert_refused_by_full_clean(
        lambda: meeting(world, council, 5), "This council already has a meeting with this number."
    )


def test_meeting_numbers_start_at_one(world):
    council = Council.objects.create(name="Joint Council", source=world["source"])
    assert_refused_by_database(lambda: meeting(world, council, 0))


def visit(world, **overrides):
    values = {
        "guest": world["guest"],
        "host": world["host"],
        "country": world["south"],
        "place": world["south_city"],
        "start_date": datetime.date(2025, 7, 29),
        "source": world["source"],
    }
    values.update(overrides)
    return Visit(**values)


def test_visit_cannot_end_before_it_starts(world):
    def make():
        return visit(world, end_date=datetime.date(2025, 7, 28), slug="backwards")

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "A visit cannot end before it starts.")


def test_visit_slug_is_filled_in_from_guest_country_and_date(world):
    saved = visit(world)
    saved.save()
    assert saved.slug == "ana-guest-southland-2025-07-29"


def test_names_in_cyrillic_give_slugs_in_latin_letters(world):
    city = Place.objects.create(name="Шымкент", country=world["south"])
    person = Person.objects.create(name="Қасым-Жомарт Тоқаев", country=world["south"])
    assert (city.slug, person.slug) == ("shymkent", "kasym-zhomart-tokaev")
    assert [slugify_name(name) for name in ("Андрей Бойко", "Ёлкин", "Київ", "Љубљана", "Тошкент шаҳри")] == [
        "andrey-boyko",
        "yolkin",
        "kiyiv",
        "ljubljana",
        "toshkent-shahri",
    ]


def test_a_name_without_latin_or_cyrillic_letters_asks_for_a_slug(world):
    with pytest.raises(ValidationError) as error:
        Place(name="東京", country=world["south"]).full_clean()
    assert "give a slug in Latin letters" in str(error.value.message_dict["slug"])
    Place(name="東京", slug="tokyo", country=world["south"]).full_clean()


def statistic(world, **overrides):
    indicator, _ = Indicator.objects.get_or_create(name="Bilateral trade")
    values = {
        "indicator": indicator,
        "relationship": world["relationship"],
        "value": Decimal("5000000000"),
        "unit": "USD",
        "period_start": datetime.date(2024, 1, 1),
        "period_end": datetime.date(2024, 12, 31),
        "source": world["source"],
    }
    values.update(overrides)
    return Statistic(**values)


def test_figures_cannot_be_negative(world):
    def make():
        return statistic(world, value=Decimal("-1"))

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "A figure or a target cannot be negative")


def test_only_one_preferred_figure_per_period(world):
    statistic(world).save()
    other_source = Source.objects.create(title="Another report")

    def make():
        return statistic(world, source=other_source, value=Decimal("6300000000"))

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "Another figure is already preferred for this indicator, period and direction.")
    statistic(world, source=other_source, value=Decimal("6300000000"), is_preferred=False).save()
    assert Statistic.objects.count() == 2


def test_direction_must_stay_within_the_pair(world):
    elsewhere = Country.objects.create(code="EA", name="Eastland")
    assert_refused_by_full_clean(
        lambda: statistic(world, from_country=elsewhere, to_country=world["south"]),
        "This country is not part of Northland – Southland.",
    )


def test_period_cannot_end_before_it_starts(world):
    def make():
        return statistic(world, period_end=datetime.date(2023, 12, 31))

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "A period cannot end before it starts.")


def test_one_membership_per_organization_and_country(world):
    organization = Organization.objects.create(name="Union of Lands", acronym="UL")
    Membership.objects.create(organization=organization, country=world["north"], source=world["source"])

    def make():
        return Membership(organization=organization, country=world["north"], source=world["source"])

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "This country already has a membership of this organization.")


def test_acronyms_are_unique_but_may_be_blank(world):
    Organization.objects.create(name="Union of Lands", acronym="UL")
    Organization.objects.create(name="Academy of Lands")
    Organization.objects.create(name="Foundation of Lands")
    assert_refused_by_database(lambda: Organization(name="Other Union", acronym="UL", slug="other"))


def test_one_relationship_per_pair_in_either_order(world):
    def make():
        return Relationship(country_a=world["south"], country_b=world["north"], source=world["source"], slug="again")

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "These two countries already have a relationship record.")


def test_relationship_joins_two_different_countries(world):
    def make():
        return Relationship(country_a=world["north"], country_b=world["north"], source=world["source"], slug="self")

    assert_refused_by_database(make)


def test_former_name_years_in_order(world):
    def make():
        return PlaceName(place=world["south_city"], name="Old Sudby", start_year=2022, end_year=2019)

    assert_refused_by_database(make)
    assert_refused_by_full_clean(make, "The last year a name was used cannot be before the first.")


def test_place_shows_its_former_names(world):
    PlaceName.objects.create(place=world["south_city"], name="Old Sudby", start_year=2019, end_year=2022)
    assert world["south_city"].display_name() == "Sudby (formerly Old Sudby)"


def test_country_code_must_be_two_capital_letters():
    with pytest.raises(ValidationError) as caught:
        Country(code="TUR", name="Somewhere").full_clean()
    assert "code" in caught.value.message_dict


@pytest.mark.parametrize(
    ("precision", "shown"),
    [(Precision.DAY, "2 March 1992"), (Precision.MONTH, "March 1992"), (Precision.YEAR, "1992")],
)
def test_dates_are_shown_at_their_precision(precision, shown):
    assert format_partial_date(datetime.date(1992, 3, 2), precision) == shown


def test_anniversary_is_computed_from_the_establishment_date(world):
    relationship = world["relationship"]
    relationship.established_on = datetime.date(1992, 3, 2)
    assert relationship.anniversary_display(on=datetime.date(2025, 7, 29)) == (
        "34th year of diplomatic relations (33rd anniversary)"
    )
    # The day: 25 November 2026 is in the 35th year, the 34th anniversary having passed on 2 March.
    assert relationship.anniversary_display(on=datetime.date(2026, 11, 25)).startswith("35th year")
    assert relationship.anniversary_display(on=datetime.date(2026, 3, 1)).startswith("34th year")
    assert relationship.anniversary_display(on=datetime.date(2026, 3, 2)).startswith("35th year")
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "shown"),
    [
        ({"equivalent_value": Decimal("202860000000"), "equivalent_unit": "TRY"}, "$5 billion (TL 202.86 billion)"),
        ({"value": Decimal("12000"), "unit": "persons", "qualifier": "more-than"}, "more than 12,000 persons"),
        ({"value": Decimal("1900000000"), "qualifier": "exceeded"}, "exceeded $1.9 billion"),
    ],
)
def test_figures_read_as_their_source_words_them(world, overrides, shown):
    assert statistic(world, **overrides).value_display() == shown


def test_periods_read_as_people_say_them(world):
    months = statistic(
        world, period_kind="months", period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 5, 31)
    )
    span = statistic(
        world, period_kind="span", period_start=datetime.date(2005, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    assert months.period_display() == "January–May 2025"
    one_month = statistic(
        world, period_kind="months", period_start=datetime.date(2000, 5, 1), period_end=datetime.date(2000, 5, 31)
    )
    assert one_month.period_display() == "May 2000"
    assert span.period_display() == "2005–2024"
    assert statistic(world).period_display() == "2024"


@pytest.mark.parametrize(
    ("kind", "start", "end", "message"),
    [
        ("year", "2023-01-01", "2023-06-30", "A calendar year runs from 1 January to 31 December of one year"),
        ("year", "2023-01-01", "2024-12-31", "A calendar year runs from 1 January to 31 December of one year"),
        ("span", "2005-01-01", "2005-12-31", "A span of years runs from 1 January of one year to 31 December"),
        ("months", "2025-01-01", "2025-05-30", "A range of months runs from the first day of a month"),
        ("academic-year", "2024-09-01", "2026-06-30", "An academic year runs from one year into the next"),
        ("as-of", "2025-07-01", "2025-07-29", "A figure as of a date has one date"),
    ],
)
def test_a_period_and_its_kind_must_agree(world, kind, start, end, message):
    figure = statistic(
        world,
        period_kind=kind,
        period_start=datetime.date.fromisoformat(start),
        period_end=datetime.date.fromisoformat(end),
    )
    with pytest.raises(ValidationError, match=message):
        figure.full_clean()


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("year", "2024-01-01", "2024-12-31"),
        ("span", "2005-01-01", "2024-12-31"),
        ("months", "2025-01-01", "2025-05-31"),
        ("months", "2024-02-01", "2024-02-29"),
        ("academic-year", "2024-09-01", "2025-06-30"),
        ("as-of", "2025-07-29", "2025-07-29"),
        ("since", "2019-01-01", "2025-07-29"),
    ],
)
def test_a_period_that_agrees_with_its_kind_is_accepted(world, kind, start, end):
    figure = statistic(
        world,
        period_kind=kind,
        period_start=datetime.date.fromisoformat(start),
        period_end=datetime.date.fromisoformat(end),
    )
    figure.full_clean()


def test_a_dash_between_words_keeps_them_apart_in_a_slug():
    assert slugify_name("Türkiye–Uzbekistan Strategic Council") == "turkiye-uzbekistan-strategic-council"
    assert slugify_name("Ankara — Tashkent") == "ankara-tashkent"
    assert slugify_name("Nur-Sultan") == "nur-sultan"
