"""One registry of record types: the navigation, the sitemap and the sources readers see all follow it."""

import re

import pytest
from django.urls import reverse

from relations.models.reference import citing_models
from relations.registry import LISTED, RECORD_TYPES

pytestmark = pytest.mark.django_db


def test_the_navigation_links_every_public_list_of_the_registry_in_its_order(client, article):
    html = client.get("/").content.decode()
    nav = html[html.index('<nav aria-label="Sections">') : html.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    listed = [(reverse(record_type.list_url), str(record_type.list_label)) for record_type in LISTED]
    assert links == [*listed, ("/timeline/", "Timeline")]


def test_the_sitemap_lists_every_public_list_of_the_registry(client, article):
    xml = client.get("/sitemap-sections.xml").content.decode()
    for record_type in LISTED:
        assert f"{reverse(record_type.list_url)}</loc>" in xml


def test_a_source_is_public_when_a_record_type_the_registry_shows_under_it_cites_it():
    """SourceQuerySet.cited reads the models, not the registry (which imports them): the two agree."""
    assert set(citing_models()) == {record_type.model for record_type in RECORD_TYPES if record_type.cites_as}
