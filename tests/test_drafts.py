"""A record is public only when everything it hangs from is: no draft reaches a reader by any path."""

import pytest
from django.test import Client
from django.urls import reverse

from relations import models as records

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def every_public_page(client, world):
    """The text of every page and file a reader or a search engine can reach, but the record pages."""
    sitemap_sections = ["sections", "relationships", "visits", "councils", "meetings", "missions", "indicators"]
    sitemap_sections += ["organizations", "sources"]
    paths = ["/", world["pair"].get_absolute_url(), "/visits/", "/councils/", "/missions/", "/statistics/"]
    paths += ["/organizations/", "/organizations/?country=NA", "/timeline/", "/timeline/?year=2025", "/sitemap.xml"]
    paths += [f"/sitemap-{section}.xml" for section in sitemap_sections]
    paths += [world["source"].get_absolute_url(), world["visit"].get_absolute_url()]
    paths += [f"/search/?q={word}" for word in ("joint", "council", "union", "lands", "energy", "sudby")]
    return "\n".join(page(client, path) for path in paths)


@pytest.fixture
def staff_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True))
    return client


def test_a_published_meeting_of_a_draft_council_is_seen_nowhere_but_by_staff(client, staff_client, world):
    council, meeting = world["council"], world["meeting"]
    council.publication_status = records.PublicationStatus.DRAFT
    council.save()
    assert meeting.publication_status == records.PublicationStatus.PUBLISHED

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(council.get_absolute_url()).status_code == 404
    everything = every_public_page(client, world)
    assert "Joint Council" not in everything
    assert meeting.get_absolute_url() not in everything and council.get_absolute_url() not in everything

    preview = page(staff_client, meeting.get_absolute_url())
    assert "Draft preview" in preview and "Joint Council" in preview


def test_a_published_membership_of_a_draft_organization_is_seen_nowhere(client, world):
    union = records.Organization.objects.get(acronym="UL")
    union.publication_status = records.PublicationStatus.DRAFT
    union.save()
    assert client.get(union.get_absolute_url()).status_code == 404
    everything = every_public_page(client, world)
    assert "Union of Lands" not in everything
    assert union.get_absolute_url() not in everything
    # Its affiliate stays public, without naming the draft it belongs to.
    academy = page(client, records.Organization.objects.get(name="Academy of Lands").get_absolute_url())
    assert "Union of Lands" not in academy


def test_a_published_meeting_during_a_draft_visit_does_not_link_to_it(client, world):
    visit, meeting = world["visit"], world["meeting"]
    visit.publication_status = records.PublicationStatus.DRAFT
    visit.save()
    meeting_page = page(client, meeting.get_absolute_url())
    assert visit.get_absolute_url() not in meeting_page
    assert client.get(visit.get_absolute_url()).status_code == 404


def test_publishing_the_parent_brings_its_children_back(client, world):
    council = world["council"]
    council.publication_status = records.PublicationStatus.DRAFT
    council.save()
    assert client.get(world["meeting"].get_absolute_url()).status_code == 404
    council.publication_status = records.PublicationStatus.PUBLISHED
    council.save()
    assert "Joint Council" in page(client, world["meeting"].get_absolute_url())
    assert "Joint Council" in page(client, reverse("relations:timeline"))


# A draft relationship, and everything hanging from it ---------------------------------------------


def draft_pair(world):
    pair = world["pair"]
    pair.summary = "DRAFT NOTE: do not publish yet"
    pair.publication_status = records.PublicationStatus.DRAFT
    pair.save()
    return pair


def test_a_new_relationship_starts_as_a_draft_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:relations_relationship_add"))
    assert response.status_code == 200
    field = response.context["adminform"].form["publication_status"]
    assert field.value() == records.PublicationStatus.DRAFT


def test_a_relationship_saved_without_a_status_is_published_as_fixtures_and_old_files_expect(world):
    # The model's default, as the migration gave every existing relationship: only the admin starts drafts.
    assert world["pair"].publication_status == records.PublicationStatus.PUBLISHED
    assert records.Relationship.objects.published().get() == world["pair"]


def test_a_draft_relationship_and_its_figures_levels_and_milestones_reach_no_reader(client, staff_client, world):
    pair = draft_pair(world)
    assert client.get(pair.get_absolute_url()).status_code == 404
    indicator = records.Indicator.objects.get()
    paths = ["/", world["north"].get_absolute_url(), world["south"].get_absolute_url(), "/statistics/"]
    paths += ["/timeline/", indicator.get_absolute_url(), f"{indicator.get_absolute_url()}?format=csv"]
    paths += [world["source"].get_absolute_url(), "/sitemap-relationships.xml", "/sitemap-indicators.xml"]
    paths += [f"/search/?q={words}" for words in ("northland southland", "strategic partnership", "partnership")]
    everything = "\n".join(page(client, path) for path in paths)
    assert "DRAFT NOTE" not in everything and pair.get_absolute_url() not in everything
    assert "Northland and Southland" not in everything and "Northland – Southland" not in everything
    assert "5 billion" not in everything and "5000000000" not in everything
    assert "Partnership" not in everything.replace("strategic partnership", "")
    for model in (records.Statistic, records.RelationshipLevel, records.Milestone):
        assert not model.objects.published().exists(), model
    # Named in a list's filter, it is unknown to readers.
    for path in ("/visits/", "/missions/", "/councils/", "/organizations/", "/statistics/", "/timeline/"):
        response = client.get(f"{path}?relationship={pair.slug}")
        assert response.status_code == 400, path
        assert f"No relationship is known by “{pair.slug}”." in response.content.decode()
    assert client.get(f"{indicator.get_absolute_url()}?relationship={pair.slug}").status_code == 400

    preview = page(staff_client, pair.get_absolute_url())
    assert "Draft preview" in preview and "DRAFT NOTE" in preview
    assert "Strategic partnership" in preview
    # Staff see the pair's own published records as readers will once it is published.
    assert "$5 billion" in preview and "Partnership" in preview.replace("Strategic partnership", "")


def test_publishing_a_relationship_brings_it_and_its_records_back(world):
    pair = draft_pair(world)
    pair.publication_status = records.PublicationStatus.PUBLISHED
    pair.save()
    for model in (records.Statistic, records.RelationshipLevel, records.Milestone):
        assert model.objects.published().exists(), model
    reader = Client()
    home = page(reader, "/")
    assert "DRAFT NOTE" in home and pair.get_absolute_url() in home
    assert "5 billion" in page(reader, "/statistics/")
