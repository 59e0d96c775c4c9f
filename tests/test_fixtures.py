"""Every fact of the article of 29 July 2025 is in fixtures/, sourced and published."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from relations import models as records

pytestmark = pytest.mark.django_db

ARTICLE = "article-2025-07-29"


def test_fixtures_load_into_an_empty_database(article):
    assert records.Country.objects.count() == 2
    assert records.Mission.objects.count() == 16
    assert records.Organization.objects.count() == 9
    assert records.Membership.objects.count() == 18
    assert records.Statistic.objects.count() == 11
    assert records.Visit.objects.count() == 1
    assert records.CouncilMeeting.objects.count() == 1
    assert records.AgendaItem.objects.count() == 9
    assert records.Person.objects.count() == 2
    assert records.Milestone.objects.count() == 6


def test_every_fixture_record_passes_the_model_rules(article):
    for model in apps.get_app_config("relations").get_models():
        for obj in model._default_manager.all():
            obj.full_clean()


def test_every_fact_cites_the_article_and_quotes_it(article):
    for model in (records.Visit, records.CouncilMeeting, records.Mission, records.Statistic, records.Milestone):
        for obj in model.objects.select_related("source"):
            assert obj.source.slug == ARTICLE or obj.source.reported_in.slug == ARTICLE
            assert obj.quote, obj
            assert obj.is_published


def test_bootstrap_loads_only_into_an_empty_database(db):
    first = io.StringIO()
    call_command("bootstrap", stdout=first)
    assert "Loaded 6 fixture files." in first.getvalue()
    assert "Created the superuser 'admin'" in first.getvalue()
    counts = {model: model._default_manager.count() for model in apps.get_app_config("relations").get_models()}
    second = io.StringIO()
    call_command("bootstrap", stdout=second)
    assert "fixtures not loaded again" in second.getvalue()
    assert counts == {model: model._default_manager.count() for model in counts}


MISSIONS = [
    ("TR", "embassy", "astana"),
    ("TR", "consulate-general", "almaty"),
    ("TR", "consulate-general", "aktau"),
    ("TR", "consulate-general", "turkistan"),
    ("TR", "honorary-consulate", "shymkent"),
    ("KZ", "embassy", "ankara"),
    ("KZ", "consulate-general", "istanbul"),
    ("KZ", "consulate-general", "antalya"),
    ("KZ", "consulate-general", "izmir"),
    *[("KZ", "honorary-consulate", city) for city in ("denizli", "alanya", "bursa", "bitlis", "hatay", "konya")],
    ("KZ", "honorary-consulate", "mersin"),
]


@pytest.mark.parametrize(("sender", "kind", "city"), MISSIONS)
def test_article_missions(article, sender, kind, city):
    mission = records.Mission.objects.get(sender__code=sender, kind=kind, place__slug=city)
    assert mission.host.code != sender
    assert mission.place.country == mission.host


# (indicator, qualifier, value, unit, period start, period end, from, to, equivalent)
FIGURES = [
    ("presidential-visits", "more-than", "20", "visits", "1991-12-16", "2025-07-29", "KZ", "TR", None),
    ("bilateral-meetings", "exact", "14", "meetings", "2019-01-01", "2025-07-29", None, None, None),
    ("bilateral-trade", "exact", "5000000000", "USD", "2024-01-01", "2024-12-31", None, None, ("202860000000", "TRY")),
    ("bilateral-trade", "exceeded", "1900000000", "USD", "2025-01-01", "2025-05-31", None, None, None),
    ("investment", "exact", "5200000000", "USD", "2005-01-01", "2024-12-31", "TR", "KZ", None),
    ("companies", "exact", "3538", "companies", "2025-07-29", "2025-07-29", "TR", "KZ", None),
    ("joint-projects", "exact", "78", "projects", "2025-07-29", "2025-07-29", None, None, None),
    ("students", "more-than", "12000", "persons", "2025-07-29", "2025-07-29", "KZ", "TR", None),
    ("scholarships", "exact", "300", "persons", "2024-09-01", "2025-08-31", "KZ", "TR", None),
    ("tourists", "exact", "863000", "persons", "2024-01-01", "2024-12-31", "KZ", "TR", None),
    ("tourists", "exact", "130000", "persons", "2024-01-01", "2024-12-31", "TR", "KZ", None),
]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda figure: f"{figure[0]}-{figure[2]}")
def test_article_figures(article, figure):
    indicator, qualifier, value, unit, start, end, sender, receiver, equivalent = figure
    statistic = records.Statistic.objects.get(
        indicator__slug=indicator,
        value=Decimal(value),
        period_start=datetime.date.fromisoformat(start),
        period_end=datetime.date.fromisoformat(end),
    )
    assert (statistic.qualifier, statistic.unit) == (qualifier, unit)
    assert (statistic.from_country and statistic.from_country.code) == sender
    assert (statistic.to_country and statistic.to_country.code) == receiver
    if equivalent:
        assert (statistic.equivalent_value, statistic.equivalent_unit) == (Decimal(equivalent[0]), equivalent[1])


def test_january_to_may_trade_is_sourced_to_the_kazakh_ministry(article):
    statistic = records.Statistic.objects.get(period_kind="months")
    assert "Ministry of Trade and Integration" in statistic.source.publisher
    assert statistic.source.reported_in.slug == ARTICLE


def test_the_visit(article):
    visit = records.Visit.objects.get()
    assert visit.guest.name == "Kassym-Jomart Tokayev"
    assert visit.host.name == "Recep Tayyip Erdoğan"
    assert visit.invited_by == visit.host
    assert (visit.country.code, visit.place.name, visit.kind) == ("TR", "Ankara", "official")
    assert visit.start_date == datetime.date(2025, 7, 29)
    assert "airport" in visit.protocol and "exception" in visit.protocol


def test_the_council_meeting_and_its_agenda(article):
    meeting = records.CouncilMeeting.objects.get()
    assert meeting.number == 5
    assert meeting.council.name == "Türkiye-Kazakhstan High-Level Strategic Cooperation Council"
    assert set(meeting.council.members.values_list("code", flat=True)) == {"TR", "KZ"}
    assert set(meeting.co_chairs.values_list("slug", flat=True)) == {"recep-tayyip-erdogan", "kassym-jomart-tokayev"}
    assert meeting.status == "scheduled"
    assert meeting.visit is not None
    agenda_topics = set(meeting.agenda_items.values_list("topic__slug", flat=True))
    expected = {"energy", "defense-industry", "trade", "agriculture", "media", "culture", "middle-corridor"}
    assert expected <= agenda_topics
    assert "enhanced strategic partnership" in " ".join(meeting.agenda_items.values_list("title", flat=True))
    assert meeting.outcomes.get().kind == "documents"


@pytest.mark.parametrize(
    ("slug", "date", "precision"),
    [
        ("recognition-of-independence", "1991-12-16", "day"),
        ("diplomatic-relations-established", "1992-03-02", "day"),
        ("kazakhstan-opens-embassy-in-ankara", "1992-01-01", "year"),
        ("strategic-partnership", "2009-01-01", "year"),
        ("enhanced-strategic-partnership", "2022-01-01", "year"),
        ("visa-free-stay-extended-to-90-days", "2025-01-01", "year"),
    ],
)
def test_article_milestones(article, slug, date, precision):
    milestone = records.Milestone.objects.get(slug=slug)
    assert (milestone.date.isoformat(), milestone.date_precision) == (date, precision)


def test_the_relationship(article):
    relationship = records.Relationship.objects.get()
    assert {relationship.country_a.code, relationship.country_b.code} == {"TR", "KZ"}
    assert relationship.established_on == datetime.date(1992, 3, 2)
    current = relationship.current_level()
    assert (current.level, current.since_year) == ("enhanced strategic partnership", 2022)
    assert (
        relationship.anniversary_display(on=datetime.date(2025, 7, 29))
        == "34th year of diplomatic relations (33rd anniversary)"
    )
    assert "shared cultural roots" in relationship.summary


def test_the_presidents(article):
    tokayev = records.Person.objects.get(slug="kassym-jomart-tokayev")
    assert (tokayev.role, tokayev.in_office_since_display()) == ("President of Kazakhstan", "2019")
    assert records.Person.objects.get(slug="recep-tayyip-erdogan").role == "President of Türkiye"


def test_astana_keeps_its_former_name(article):
    astana = records.Place.objects.get(slug="astana")
    assert astana.display_name() == "Astana (formerly Nur-Sultan)"
    assert str(astana.former_names.get()) == "Nur-Sultan (2019–2022)"


@pytest.mark.parametrize(
    ("acronym", "name", "parent"),
    [
        ("OTS", "Organization of Turkic States", None),
        ("TURKPA", "Turkic Parliamentary Assembly", "OTS"),
        ("", "Turkic Academy", "OTS"),
        ("TÜRKSOY", "International Organization of Turkic Culture", "OTS"),
        ("", "Turkic Culture and Heritage Foundation", "OTS"),
        ("UN", "United Nations", None),
        ("OIC", "Organisation of Islamic Cooperation", None),
        ("CICA", "Conference on Interaction and Confidence-Building Measures in Asia", None),
        ("ECO", "Economic Cooperation Organization", None),
    ],
)
def test_article_organizations_with_both_countries(article, acronym, name, parent):
    organization = records.Organization.objects.get(name=name, acronym=acronym)
    assert (organization.parent and organization.parent.acronym) == parent
    assert set(organization.memberships.values_list("country__code", flat=True)) == {"TR", "KZ"}


def test_both_countries_are_founding_members_of_the_ots_formerly_turkic_council(article):
    ots = records.Organization.objects.get(acronym="OTS")
    assert set(ots.memberships.values_list("role", flat=True)) == {"founding-member"}
    assert ots.former_names.get().name == "Turkic Council"


def test_every_record_loaded_by_bootstrap_has_a_first_version_to_return_to(db, superuser_client):
    from relations.history import models_with_history
    from tests.admin_pages import admin_form

    call_command("bootstrap", stdout=io.StringIO())
    for model in models_with_history():
        assert model.history.count() == model._default_manager.count(), model.__name__
    visit = records.Visit.objects.get()
    first = visit.history.get()
    assert (first.history_type, first.history_change_reason) == ("+", "Loaded from the fixtures")
    topics = set(visit.topics.values_list("pk", flat=True))
    assert {row.topic_id for row in first.topics.all()} == topics

    url = f"/admin/relations/visit/{visit.pk}/change/"
    response = superuser_client.post(
        url, admin_form(superuser_client, url, summary="Edited", topics=[str(min(topics))])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit.refresh_from_db()
    assert visit.summary == "Edited" and visit.topics.count() == 1
    restore_url = f"/admin/relations/visit/{visit.pk}/history/{first.history_id}/"
    assert superuser_client.post(restore_url, admin_form(superuser_client, restore_url)).status_code == 302
    visit.refresh_from_db()
    assert visit.summary == first.summary
    assert set(visit.topics.values_list("pk", flat=True)) == topics
