"""Deterministic synthetic records for many pairs of countries, to measure the site at scale.

    python manage.py seed_scale --pairs 100 --seed 1

With 100 pairs: about 20,000 visits, 3,000 council meetings, 5,000 missions,
100,000 statistics over 500 indicators, 1,000 organizations with memberships
and 20,000 milestones, written with bulk_create into the database DATABASE_URL names;
then every record gets a first version, as after any command that creates records.

One random sequence draws every name, date and choice, area after area in a fixed order,
so the same --seed and --pairs make the same records.
"""

import dataclasses
import datetime
import itertools
import random
import string
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relations import models as records
from relations import search
from relations.cache import records_changed
from relations.dates import Precision
from relations.history import give_first_versions

VISITS_PER_PAIR = 200
# One visit in so many has a programme part and an outcome: most sources name neither.
VISIT_PARTS_EVERY = 20
MEETINGS_PER_PAIR = 30
CITIES_PER_COUNTRY = 25
STATISTICS_PER_PAIR = 1000
INDICATORS_PER_PAIR = 50
INDICATORS = 500
ORGANIZATIONS_PER_PAIR = 10
MILESTONES_PER_PAIR = 200
TOPICS = 20
BATCH = 2000
VERSION_REASON = "Synthetic data for benchmarks"

SYLLABLES = ["ka", "ra", "zan", "tur", "mir", "sol", "ven", "dor", "lia", "ost", "bel", "nor", "ta", "gu", "rin"]


def synthetic_name(rng, parts=3):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def spread_date(rng, start_year=1992, end_year=2025):
    start = datetime.date(start_year, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(end_year, 12, 31).toordinal()))


@dataclasses.dataclass
class Scale:
    """What the records of every area share: the random sequence they draw from, the prefix of their
    names and slugs (one per seed) and their source."""

    rng: random.Random
    prefix: str
    source: records.Source


class Command(BaseCommand):
    help = "Add deterministic synthetic relations for many pairs of countries (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, pairs, seed, **options):
        if pairs < 1:
            raise CommandError("--pairs must be at least 1.")
        if records.Source.objects.filter(slug=f"scale-{seed}").exists():
            raise CommandError(f"Scale data of seed {seed} is already in this database.")
        started = time.perf_counter()
        with transaction.atomic():
            counts = seed_scale(pairs, seed)
            search.rebuild()
            give_first_versions(VERSION_REASON)
        records_changed()
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"Seeded {summary} in {seconds:.1f} s.")


def seed_scale(pair_count, seed):
    """One hub country paired with `pair_count` partners, and the records of each pair; how many were made."""
    scale = Scale(
        rng=random.Random(seed),
        prefix=f"s{seed}",
        source=records.Source.objects.create(slug=f"scale-{seed}", title=f"Synthetic data, seed {seed}"),
    )
    topics = make_topics(scale)
    countries = make_countries(scale, pair_count + 1)
    hub, partners = countries[0], countries[1:]
    cities = make_cities(scale, countries)
    leaders = make_leaders(scale, countries)
    relationships = make_relationships(scale, hub, partners)
    visits = make_visits(scale, relationships, leaders, cities, topics)
    parts = make_visit_parts(scale, visits)
    meetings = make_councils_and_meetings(scale, relationships, cities, topics)
    missions = make_missions(scale, relationships, cities)
    indicators = make_indicators(scale)
    statistics = make_statistics(scale, relationships, indicators)
    organizations, memberships = make_organizations(scale, pair_count, hub, partners)
    milestones = make_milestones(scale, relationships)
    return {
        "relationships": len(relationships),
        "visits": len(visits),
        "visits' programme parts and outcomes": parts,
        "council meetings": len(meetings),
        "missions": len(missions),
        "statistics": len(statistics),
        "indicators": len(indicators),
        "organizations": len(organizations),
        "memberships": len(memberships),
        "milestones": len(milestones),
    }


def make_topics(scale):
    return records.Topic.objects.bulk_create(
        records.Topic(name=f"{scale.prefix} topic {n}", slug=f"{scale.prefix}-topic-{n}") for n in range(TOPICS)
    )


def free_country_codes(count):
    """`count` two-letter codes no country of the database has yet, in alphabetical order."""
    taken = set(records.Country.objects.values_list("code", flat=True))
    free = (a + b for a, b in itertools.product(string.ascii_uppercase, repeat=2) if a + b not in taken)
    codes = list(itertools.islice(free, count))
    if len(codes) < count:
        raise CommandError("Not enough free two-letter codes for that many pairs.")
    return codes


def make_countries(scale, count):
    countries = []
    for code in free_country_codes(count):
        name = f"{synthetic_name(scale.rng)} {code}"
        countries.append(
            records.Country(code=code, name=name, slug=f"{scale.prefix}-{code.lower()}", adjective=f"{name}ian")
        )
    return records.Country.objects.bulk_create(countries)


def make_cities(scale, countries):
    """CITIES_PER_COUNTRY places in each country, the first its capital; by country id."""
    places = records.Place.objects.bulk_create(
        records.Place(
            name=f"{synthetic_name(scale.rng, 2)} {country.code}-{n}",
            slug=f"{scale.prefix}-{country.code.lower()}-city-{n}",
            country=country,
            is_capital=n == 0,
        )
        for country in countries
        for n in range(CITIES_PER_COUNTRY)
    )
    cities = {country.pk: [] for country in countries}
    for place in places:
        cities[place.country_id].append(place)
    return cities


def make_leaders(scale, countries):
    """The president of each country, by country id."""
    people = records.Person.objects.bulk_create(
        records.Person(
            name=f"{synthetic_name(scale.rng, 2)} {synthetic_name(scale.rng)}",
            slug=f"{scale.prefix}-{country.code.lower()}-leader",
            country=country,
            role=f"President of {country.name}",
        )
        for country in countries
    )
    return {person.country_id: person for person in people}


def make_relationships(scale, hub, partners):
    """One relationship per partner, and its level reached in a year (a level record: the current level is
    derived from them), drawn in the same order as when the level was a field of the relationship."""
    rng = scale.rng
    levels = ["strategic partnership", "enhanced strategic partnership", "partnership"]
    drawn = [
        (partner, spread_date(rng, 1991, 1995), rng.choice(levels), rng.randint(2000, 2024)) for partner in partners
    ]
    relationships = records.Relationship.objects.bulk_create(
        records.Relationship(
            slug=f"{scale.prefix}-{hub.code.lower()}-{partner.code.lower()}",
            country_a=hub,
            country_b=partner,
            established_on=established_on,
            source=scale.source,
        )
        for partner, established_on, _, _ in drawn
    )
    records.RelationshipLevel.objects.bulk_create(
        records.RelationshipLevel(
            relationship=relationship,
            level=level,
            since=datetime.date(year, 1, 1),
            since_precision=Precision.YEAR,
            source=scale.source,
        )
        for relationship, (_, _, level, year) in zip(relationships, drawn, strict=True)
    )
    return relationships


def make_visits(scale, relationships, leaders, cities, topics):
    """VISITS_PER_PAIR visits of one leader of a pair to the other, each on two topics."""
    visits = records.Visit.objects.bulk_create(
        (
            make_visit(scale, relationship, n, leaders, cities, topics)
            for relationship in relationships
            for n in range(VISITS_PER_PAIR)
        ),
        batch_size=BATCH,
    )
    records.Visit.topics.through.objects.bulk_create(
        (
            records.Visit.topics.through(visit_id=visit.pk, topic_id=topic.pk)
            for visit in visits
            for topic in scale.rng.sample(topics, 2)
        ),
        batch_size=BATCH,
    )
    return visits


def make_visit_parts(scale, visits):
    """Talks with the host and an action plan signed, for one visit in VISIT_PARTS_EVERY: how many were made."""
    chosen = visits[::VISIT_PARTS_EVERY]
    talks = records.Engagement.objects.bulk_create(
        (
            records.Engagement(visit=visit, position=1, kind=records.Engagement.Kind.TALKS, place_id=visit.place_id)
            for visit in chosen
        ),
        batch_size=BATCH,
    )
    records.Engagement.people.through.objects.bulk_create(
        (
            records.Engagement.people.through(engagement_id=part.pk, person_id=visit.host_id)
            for part, visit in zip(talks, chosen, strict=True)
        ),
        batch_size=BATCH,
    )
    outcomes = records.VisitOutcome.objects.bulk_create(
        (
            records.VisitOutcome(
                visit=visit,
                position=1,
                title=f"Action plan for {visit.start_date.year}–{visit.start_date.year + 1}",
                kind=records.VisitOutcome.Kind.PROGRAMME,
                signed=True,
                source=scale.source,
            )
            for visit in chosen
        ),
        batch_size=BATCH,
    )
    return len(talks) + len(outcomes)


def make_visit(scale, relationship, n, leaders, cities, topics):
    rng = scale.rng
    guest_country, host_country = rng.sample([relationship.country_a, relationship.country_b], 2)
    start = spread_date(rng)
    return records.Visit(
        slug=f"{scale.prefix}-{relationship.pk}-visit-{n}",
        guest=leaders[guest_country.pk],
        host=leaders[host_country.pk],
        country=host_country,
        place=rng.choice(cities[host_country.pk]),
        start_date=start,
        end_date=start + datetime.timedelta(days=rng.randint(0, 3)),
        kind=rng.choice(records.Visit.Kind.values),
        summary=f"Talks on {rng.choice(topics).name}.",
        source=scale.source,
    )


def make_councils_and_meetings(scale, relationships, cities, topics):
    """A cooperation council for each pair, its two countries its members, and its meetings; the meetings."""
    councils = records.Council.objects.bulk_create(
        records.Council(
            slug=f"{scale.prefix}-{relationship.pk}-council",
            name=f"{relationship} High-Level Cooperation Council",
            source=scale.source,
        )
        for relationship in relationships
    )
    records.Council.members.through.objects.bulk_create(
        records.Council.members.through(council_id=council.pk, country_id=country.pk)
        for council, relationship in zip(councils, relationships, strict=True)
        for country in relationship.countries
    )
    meetings = make_meetings(scale, councils, relationships, cities)
    make_agenda_items(scale, meetings, topics)
    return meetings


def make_meetings(scale, councils, relationships, cities):
    """MEETINGS_PER_PAIR held meetings of each council, one a year from 1996, in a city of either country."""
    rng = scale.rng
    return records.CouncilMeeting.objects.bulk_create(
        (
            records.CouncilMeeting(
                council=council,
                number=number,
                date=datetime.date(1995 + number, rng.randint(1, 12), rng.randint(1, 28)),
                place=rng.choice(cities[rng.choice(relationship.countries).pk]),
                status=records.CouncilMeeting.Status.HELD,
                source=scale.source,
            )
            for council, relationship in zip(councils, relationships, strict=True)
            for number in range(1, MEETINGS_PER_PAIR + 1)
        ),
        batch_size=BATCH,
    )


def make_agenda_items(scale, meetings, topics):
    """Three topics on the agenda of each meeting."""
    records.AgendaItem.objects.bulk_create(
        (
            records.AgendaItem(meeting=meeting, position=position, title=topic.name, topic=topic)
            for meeting in meetings
            for position, topic in enumerate(scale.rng.sample(topics, 3), 1)
        ),
        batch_size=BATCH,
    )


def make_missions(scale, relationships, cities):
    """A mission of each country of a pair in every city of the other: the embassy in the capital,
    consulates and other offices elsewhere."""
    rng = scale.rng
    missions = []
    for relationship in relationships:
        for sender, host in (relationship.countries, reversed(relationship.countries)):
            for n, place in enumerate(cities[host.pk]):
                kind = records.Mission.Kind.EMBASSY if n == 0 else rng.choice(records.Mission.Kind.values[1:])
                missions.append(
                    records.Mission(
                        slug=f"{scale.prefix}-{sender.code.lower()}-{kind}-{place.slug}",
                        sender=sender,
                        host=host,
                        place=place,
                        kind=kind,
                        opened_on=spread_date(rng),
                        opened_on_precision="year",
                        source=scale.source,
                    )
                )
    return records.Mission.objects.bulk_create(missions, batch_size=BATCH)


def make_indicators(scale):
    """INDICATORS indicators, alternately counted in persons and in dollars, the first five headline figures."""
    return records.Indicator.objects.bulk_create(
        records.Indicator(
            name=f"{scale.prefix} indicator {n}",
            slug=f"{scale.prefix}-indicator-{n}",
            unit="USD" if n % 2 else "persons",
            is_headline=n < 5,
            position=n,
        )
        for n in range(INDICATORS)
    )


def make_statistics(scale, relationships, indicators):
    """For each pair, INDICATORS_PER_PAIR indicators (the next ones in turn) measured each calendar year
    up to 2024, STATISTICS_PER_PAIR figures in all."""
    rng = scale.rng
    years = range(2025 - STATISTICS_PER_PAIR // INDICATORS_PER_PAIR, 2025)
    return records.Statistic.objects.bulk_create(
        (
            records.Statistic(
                indicator=indicator,
                relationship=relationship,
                value=Decimal(rng.randint(1_000, 5_000_000_000)),
                unit=indicator.unit,
                qualifier=rng.choice(records.Statistic.Qualifier.values),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                source=scale.source,
            )
            for index, relationship in enumerate(relationships)
            for indicator in indicators_of_pair(indicators, index)
            for year in years
        ),
        batch_size=BATCH,
    )


def indicators_of_pair(indicators, index):
    """The INDICATORS_PER_PAIR indicators measured for the pair at `index`, taking up where the pair before left off."""
    return [indicators[(index * INDICATORS_PER_PAIR + k) % INDICATORS] for k in range(INDICATORS_PER_PAIR)]


def make_organizations(scale, pair_count, hub, partners):
    """ORGANIZATIONS_PER_PAIR organizations for each pair, each with the hub and up to five partners
    as members; the organizations and the memberships."""
    rng = scale.rng
    organizations = records.Organization.objects.bulk_create(
        records.Organization(
            name=f"{synthetic_name(rng)} Organization {scale.prefix}-{n}",
            slug=f"{scale.prefix}-organization-{n}",
            acronym=f"{scale.prefix.upper()}O{n}",
            kind=rng.choice(records.Organization.Kind.values),
        )
        for n in range(ORGANIZATIONS_PER_PAIR * pair_count)
    )
    memberships = records.Membership.objects.bulk_create(
        (
            records.Membership(
                organization=organization,
                country=country,
                role=rng.choice(records.Membership.Role.values),
                joined_on=spread_date(rng),
                joined_on_precision="year",
                source=scale.source,
            )
            for organization in organizations
            for country in {hub, *rng.sample(partners, min(5, len(partners)))}
        ),
        batch_size=BATCH,
    )
    return organizations, memberships


def make_milestones(scale, relationships):
    rng = scale.rng
    return records.Milestone.objects.bulk_create(
        (
            records.Milestone(
                slug=f"{scale.prefix}-{relationship.pk}-milestone-{n}",
                relationship=relationship,
                date=spread_date(rng),
                date_precision=rng.choice(Precision.values),
                title=f"{rng.choice(records.Milestone.Kind.labels)} with {relationship.country_b}",
                kind=rng.choice(records.Milestone.Kind.values),
                source=scale.source,
            )
            for relationship in relationships
            for n in range(MILESTONES_PER_PAIR)
        ),
        batch_size=BATCH,
    )
