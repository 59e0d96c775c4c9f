"""Deterministic synthetic records for many pairs of countries, to measure the site at scale.

    python manage.py seed_scale --pairs 100 --seed 1

With 100 pairs: about 20,000 visits, 3,000 council meetings, 5,000 missions,
100,000 statistics over 500 indicators, 1,000 organizations with memberships
and 20,000 milestones, written with bulk_create into the database DATABASE_URL names.
"""

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

VISITS_PER_PAIR = 200
MEETINGS_PER_PAIR = 30
CITIES_PER_COUNTRY = 25
STATISTICS_PER_PAIR = 1000
INDICATORS = 500
ORGANIZATIONS_PER_PAIR = 10
MILESTONES_PER_PAIR = 200
TOPICS = 20
BATCH = 2000

SYLLABLES = ["ka", "ra", "zan", "tur", "mir", "sol", "ven", "dor", "lia", "ost", "bel", "nor", "ta", "gu", "rin"]


def synthetic_name(rng, parts=3):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def spread_date(rng, start_year=1992, end_year=2025):
    start = datetime.date(start_year, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(end_year, 12, 31).toordinal()))


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
        rng = random.Random(seed)
        with transaction.atomic():
            counts = self.seed(rng, pairs, seed)
            search.rebuild()
        records_changed()
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"Seeded {summary} in {seconds:.1f} s.")

    def seed(self, rng, pair_count, seed):
        prefix = f"s{seed}"
        source = records.Source.objects.create(slug=f"scale-{seed}", title=f"Synthetic data, seed {seed}")
        topics = records.Topic.objects.bulk_create(
            records.Topic(name=f"{prefix} topic {n}", slug=f"{prefix}-topic-{n}") for n in range(TOPICS)
        )

        taken = set(records.Country.objects.values_list("code", flat=True))
        free_codes = (a + b for a, b in itertools.product(string.ascii_uppercase, repeat=2) if a + b not in taken)
        countries = []
        for code in itertools.islice(free_codes, pair_count + 1):
            name = f"{synthetic_name(rng)} {code}"
            countries.append(
                records.Country(code=code, name=name, slug=f"{prefix}-{code.lower()}", adjective=f"{name}ian")
            )
        if len(countries) < pair_count + 1:
            raise CommandError("Not enough free two-letter codes for that many pairs.")
        countries = records.Country.objects.bulk_create(countries)
        hub, partners = countries[0], countries[1:]

        places = records.Place.objects.bulk_create(
            records.Place(
                name=f"{synthetic_name(rng, 2)} {country.code}-{n}",
                slug=f"{prefix}-{country.code.lower()}-city-{n}",
                country=country,
                is_capital=n == 0,
            )
            for country in countries
            for n in range(CITIES_PER_COUNTRY)
        )
        cities = {country.pk: [] for country in countries}
        for place in places:
            cities[place.country_id].append(place)

        people = records.Person.objects.bulk_create(
            records.Person(
                name=f"{synthetic_name(rng, 2)} {synthetic_name(rng)}",
                slug=f"{prefix}-{country.code.lower()}-leader",
                country=country,
                role=f"President of {country.name}",
            )
            for country in countries
        )
        leader = {person.country_id: person for person in people}

        relationships = records.Relationship.objects.bulk_create(
            records.Relationship(
                slug=f"{prefix}-{hub.code.lower()}-{partner.code.lower()}",
                country_a=hub,
                country_b=partner,
                established_on=spread_date(rng, 1991, 1995),
                level=rng.choice(["strategic partnership", "enhanced strategic partnership", "partnership"]),
                level_since=rng.randint(2000, 2024),
                source=source,
            )
            for partner in partners
        )
        pair_of = {relationship.pk: relationship for relationship in relationships}

        visits = []
        for relationship in relationships:
            for n in range(VISITS_PER_PAIR):
                guest_country, host_country = rng.sample([relationship.country_a, relationship.country_b], 2)
                start = spread_date(rng)
                visits.append(
                    records.Visit(
                        slug=f"{prefix}-{relationship.pk}-visit-{n}",
                        guest=leader[guest_country.pk],
                        host=leader[host_country.pk],
                        country=host_country,
                        place=rng.choice(cities[host_country.pk]),
                        start_date=start,
                        end_date=start + datetime.timedelta(days=rng.randint(0, 3)),
                        kind=rng.choice(records.Visit.Kind.values),
                        summary=f"Talks on {rng.choice(topics).name}.",
                        source=source,
                    )
                )
        visits = records.Visit.objects.bulk_create(visits, batch_size=BATCH)
        records.Visit.topics.through.objects.bulk_create(
            (
                records.Visit.topics.through(visit_id=visit.pk, topic_id=topic.pk)
                for visit in visits
                for topic in rng.sample(topics, 2)
            ),
            batch_size=BATCH,
        )

        councils = records.Council.objects.bulk_create(
            records.Council(
                slug=f"{prefix}-{relationship.pk}-council",
                name=f"{relationship} High-Level Cooperation Council",
                source=source,
            )
            for relationship in relationships
        )
        records.Council.members.through.objects.bulk_create(
            records.Council.members.through(council_id=council.pk, country_id=country.pk)
            for council, relationship in zip(councils, relationships, strict=True)
            for country in relationship.countries
        )
        meetings = []
        for council, relationship in zip(councils, relationships, strict=True):
            for number in range(1, MEETINGS_PER_PAIR + 1):
                meetings.append(
                    records.CouncilMeeting(
                        council=council,
                        number=number,
                        date=datetime.date(1995 + number, rng.randint(1, 12), rng.randint(1, 28)),
                        place=rng.choice(cities[rng.choice(relationship.countries).pk]),
                        status=records.CouncilMeeting.Status.HELD,
                        source=source,
                    )
                )
        meetings = records.CouncilMeeting.objects.bulk_create(meetings, batch_size=BATCH)
        records.AgendaItem.objects.bulk_create(
            (
                records.AgendaItem(meeting=meeting, position=position, title=topic.name, topic=topic)
                for meeting in meetings
                for position, topic in enumerate(rng.sample(topics, 3), 1)
            ),
            batch_size=BATCH,
        )

        missions = []
        for relationship in relationships:
            for sender, host in (relationship.countries, reversed(relationship.countries)):
                for n, place in enumerate(cities[host.pk]):
                    kind = records.Mission.Kind.EMBASSY if n == 0 else rng.choice(records.Mission.Kind.values[1:])
                    missions.append(
                        records.Mission(
                            slug=f"{prefix}-{sender.code.lower()}-{kind}-{place.slug}",
                            sender=sender,
                            host=host,
                            place=place,
                            kind=kind,
                            opened_on=spread_date(rng),
                            opened_on_precision="year",
                            source=source,
                        )
                    )
        records.Mission.objects.bulk_create(missions, batch_size=BATCH)

        indicators = records.Indicator.objects.bulk_create(
            records.Indicator(
                name=f"{prefix} indicator {n}",
                slug=f"{prefix}-indicator-{n}",
                unit="USD" if n % 2 else "persons",
                is_headline=n < 5,
                position=n,
            )
            for n in range(INDICATORS)
        )
        statistics = []
        years = STATISTICS_PER_PAIR // 50
        for index, relationship in enumerate(relationships):
            for k in range(50):
                indicator = indicators[(index * 50 + k) % INDICATORS]
                for year in range(2025 - years, 2025):
                    statistics.append(
                        records.Statistic(
                            indicator=indicator,
                            relationship=relationship,
                            value=Decimal(rng.randint(1_000, 5_000_000_000)),
                            unit=indicator.unit,
                            qualifier=rng.choice(records.Statistic.Qualifier.values),
                            period_start=datetime.date(year, 1, 1),
                            period_end=datetime.date(year, 12, 31),
                            source=source,
                        )
                    )
        records.Statistic.objects.bulk_create(statistics, batch_size=BATCH)

        organizations = records.Organization.objects.bulk_create(
            records.Organization(
                name=f"{synthetic_name(rng)} Organization {prefix}-{n}",
                slug=f"{prefix}-organization-{n}",
                acronym=f"{prefix.upper()}O{n}",
                kind=rng.choice(records.Organization.Kind.values),
            )
            for n in range(ORGANIZATIONS_PER_PAIR * pair_count)
        )
        memberships = []
        for organization in organizations:
            members = {hub, *rng.sample(partners, min(5, len(partners)))}
            memberships.extend(
                records.Membership(
                    organization=organization,
                    country=country,
                    role=rng.choice(records.Membership.Role.values),
                    joined_on=spread_date(rng),
                    joined_on_precision="year",
                    source=source,
                )
                for country in members
            )
        records.Membership.objects.bulk_create(memberships, batch_size=BATCH)

        milestones = records.Milestone.objects.bulk_create(
            (
                records.Milestone(
                    slug=f"{prefix}-{relationship.pk}-milestone-{n}",
                    relationship=relationship,
                    date=spread_date(rng),
                    date_precision=rng.choice(Precision.values),
                    title=f"{rng.choice(records.Milestone.Kind.labels)} with {pair_of[relationship.pk].country_b}",
                    kind=rng.choice(records.Milestone.Kind.values),
                    source=source,
                )
                for relationship in relationships
                for n in range(MILESTONES_PER_PAIR)
            ),
            batch_size=BATCH,
        )

        return {
            "relationships": len(relationships),
            "visits": len(visits),
            "council meetings": len(meetings),
            "missions": len(missions),
            "statistics": len(statistics),
            "indicators": len(indicators),
            "organizations": len(organizations),
            "memberships": len(memberships),
            "milestones": len(milestones),
        }
