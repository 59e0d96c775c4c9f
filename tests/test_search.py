"""One search over every record, blind to accents and case, the same on SQLite and PostgreSQL."""

import datetime

import pytest
from django.apps import apps
from django.db import connection

from relations import models as records
from relations.search import search
from relations.text import fold

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("turksoy", "Organizations", "International Organization of Turkic Culture (TÜRKSOY)"),
        ("TÜRKSOY", "Organizations", "International Organization of Turkic Culture (TÜRKSOY)"),
        ("Turkiye", "Countries", "Türkiye"),
        ("erdogan", "People", "Recep Tayyip Erdoğan"),
        ("ERDOĞAN", "People", "Recep Tayyip Erdoğan"),
        ("istanbul", "Places", "İstanbul"),
        ("İSTANBUL", "Missions", "Kazakh consulate general in İstanbul"),
        ("izmir", "Places", "İzmir"),
        ("Nur-Sultan", "Places", "Astana"),
        ("turkic council", "Organizations", "Organization of Turkic States (OTS)"),
        ("tokayev ankara", "Visits", "Kassym-Jomart Tokayev to Türkiye, 29 July 2025"),
        ("bilateral trade", "Statistics", "Bilateral trade"),
    ],
)
def test_search_finds_records_whatever_the_accents(article, query, group, expected):
    groups = {label: [str(record) for record in found] for label, found, _ in search(query)}
    assert expected in groups.get(group, []), groups


def test_search_page_groups_results_by_record_type(client, article):
    html = client.get("/search/", {"q": "astana"}).content.decode()
    assert '<h2 id="group-1">Missions</h2>' in html
    assert "Places</h2>" in html
    assert "Turkish embassy in Astana" in html


def test_search_does_not_find_drafts(article):
    records.Organization.objects.filter(acronym="TÜRKSOY").update(publication_status="draft")
    assert search("turksoy") == []


def test_renamed_place_is_found_by_its_new_and_former_name(article):
    astana = records.Place.objects.get(slug="astana")
    records.PlaceName.objects.create(place=astana, name="Akmola", start_year=1961, end_year=1992)
    found = {label: [str(r) for r in rows] for label, rows, _ in search("akmola")}
    assert found["Places"] == ["Astana"]
    assert found["Missions"] == ["Turkish embassy in Astana"]


def test_a_former_name_deleted_no_longer_finds_the_place_or_its_missions(article):
    astana = records.Place.objects.get(slug="astana")
    name = records.PlaceName.objects.create(place=astana, name="Akmola", start_year=1961, end_year=1992)
    name.delete()
    assert search("akmola") == []


def test_a_renamed_country_finds_the_places_visits_and_missions_naming_it(article):
    """Every search text holding a country's name follows its renaming, as the registry's `indexed_with` says."""
    kazakhstan = records.Country.objects.get(code="KZ")
    kazakhstan.name = "Qazaqstan"
    kazakhstan.save()
    found = {label: [str(r) for r in rows] for label, rows, _ in search("qazaqstan")}
    assert "Astana" in found["Places"]
    assert "Turkish embassy in Astana" in found["Missions"]


def test_a_published_level_finds_its_relationship(article):
    relationship = records.Relationship.objects.get()
    records.RelationshipLevel.objects.create(
        relationship=relationship,
        level="Enhanced zebra partnership",
        source=relationship.source,
        publication_status="published",
    )
    found = {label: [str(r) for r in rows] for label, rows, _ in search("zebra")}
    assert found["Relationships"] == [str(relationship)]


def test_kazakh_and_turkish_letters_fold_to_their_plain_forms():
    assert fold("Қазақстан") == fold("казакстан") == "казакстан"
    assert fold("Iğdır") == fold("IGDIR") == "igdir"


def test_empty_search_finds_nothing(article):
    assert search("   ") == []


def test_search_finds_a_relationship_by_either_country_in_any_order_and_spelling(client, article):
    page = client.get("/search/", {"q": "kazakhstan turkiye"}).content.decode()
    assert "<h2" in page and ">Relationships<" in page
    assert 'href="/relationships/turkiye-kazakhstan/"' in page
    renamed = records.Country.objects.get(code="KZ")
    renamed.name = "Qazaqstan"
    renamed.save()
    page = client.get("/search/", {"q": "qazaqstan"}).content.decode()
    assert 'href="/relationships/turkiye-kazakhstan/"' in page


# Names readers type, typos, the pair of countries, and what each result shows (issue 20, item 14).


def found_in(query):
    return {label: [str(record) for record in rows] for label, rows, _ in search(query)}


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("turkey", "Türkiye"),  # CLDR's alternative English name
        ("Kazakistan", "Kazakhstan"),  # Turkish
        ("Казахстан", "Kazakhstan"),  # Russian
        ("Қазақстан", "Kazakhstan"),  # Kazakh
        ("Түркия", "Türkiye"),  # Kazakh
        ("Турция", "Türkiye"),  # Russian
    ],
)
def test_search_finds_a_country_by_its_names_in_other_languages(article, query, country):
    assert country in found_in(query).get("Countries", []), found_in(query)


def test_a_country_saved_is_found_by_its_names_in_other_languages(db):
    records.Country.objects.create(code="DE", name="Germany")
    assert found_in("almanya")["Countries"] == ["Germany"]
    assert found_in("германия")["Countries"] == ["Germany"]


def test_the_migration_indexed_the_other_names_of_countries_already_stored(article):
    # loaddata stores the article's countries as the migrations left the table; their text holds the names.
    text = records.Country.objects.get(code="TR").search_text
    assert "turkey" in text and "турция" in text


def test_a_typo_finds_the_country_and_the_page_suggests_the_word(client, article):
    assert "Kazakhstan" in found_in("kazakstan")["Countries"]
    page = client.get("/search/", {"q": "kazakstan"}).content.decode()
    assert 'Did you mean <a href="?q=kazakhstan">kazakhstan</a>?' in page
    assert 'href="/countries/kazakhstan/"' in page


def test_a_word_found_as_typed_is_not_corrected(client, article):
    page = client.get("/search/", {"q": "erdogan"}).content.decode()
    assert "Did you mean" not in page


def test_a_word_close_to_nothing_suggests_nothing(client, article):
    page = client.get("/search/", {"q": "zzqxv"}).content.decode()
    assert "Did you mean" not in page and "Nothing matches" in page


@pytest.mark.parametrize("query", ["kazakhstan turkiye", "kazakhstan turkey", "Казахстан Турция", "kazakstan turkey"])
def test_two_countries_named_list_their_relationship_first_then_its_records(client, article, query):
    groups = search(query)
    labels = [label for label, _, _ in groups]
    assert labels[0] == "Relationships", labels
    assert [str(record) for record in groups[0][1]] == ["Türkiye – Kazakhstan"]
    found = found_in(query)
    assert "Kassym-Jomart Tokayev to Türkiye, 29 July 2025" in found["Visits"]
    assert found["Council meetings"], found
    assert any(figure.startswith("Bilateral trade") for figure in found["Figures"]), found["Figures"]
    assert labels.index("Visits") < labels.index("Council meetings") < labels.index("Figures")


def test_two_countries_and_a_word_narrow_the_pairs_records_to_that_word(article):
    found = found_in("kazakhstan turkiye trade")
    assert found["Figures"] and all(figure.startswith("Bilateral trade") for figure in found["Figures"])


def test_results_show_type_date_and_a_snippet_with_the_words_marked(client, article):
    page = client.get("/search/", {"q": "tokayev ankara"}).content.decode()
    assert 'class="search-result__meta">Visit · 29 July 2025' in page
    assert "<mark>Tokayev</mark>" in page and "<mark>Ankara</mark>" in page
    page = client.get("/search/", {"q": "turkey"}).content.decode()
    assert "<mark>Turkey</mark>" in page


def test_snippets_escape_the_records_text(client, article):
    records.Topic.objects.create(name='Trade <script>alert("x")</script> & <b>bold</b>')
    page = client.get("/search/", {"q": "script"}).content.decode()
    assert '<script>alert("x")' not in page and "<b>bold" not in page
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;" in page


def test_snippet_marks_words_whatever_the_accents_and_keeps_the_original_letters():
    from relations.search import snippet

    assert snippet("Straße in İzmir <x>", ["strasse", "izmir"]) == "<mark>Straße</mark> in <mark>İzmir</mark> &lt;x&gt;"


@pytest.mark.parametrize("query", ["–", "?!…", "«»", " - . "])
def test_a_query_of_punctuation_only_finds_nothing_and_says_so(client, article, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["result_total"] == 0
    assert "Nothing to search for" in response.content.decode()


def test_control_characters_and_long_queries_are_no_server_error(client, article):
    assert client.get("/search/", {"q": "a" * 201}).status_code == 400
    response = client.get("/search/", {"q": "\x00\x07kazak\x1bstan"})
    assert response.status_code == 200
    assert client.get("/search/", {"q": "\x00\x01"}).status_code == 200
    # Many words, each unknown: only the first few are looked up, within the length allowed.
    many = " ".join(f"zq{a}{b}" for a in "abc" for b in "abcdefghijklm")
    assert len(many) <= 200 and client.get("/search/", {"q": many}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
def test_every_searched_table_has_a_trigram_index_on_its_search_text():
    from relations.models import Searchable

    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%%gin_trgm_ops%%'")
        indexed = {table for table, definition in cursor.fetchall() if "search_text" in definition}
    searched = {
        model._meta.db_table
        for model in apps.get_app_config("relations").get_models()
        if issubclass(model, Searchable) and not model._meta.abstract
    }
    assert searched <= indexed


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_on_sqlite_search_reads_an_index_that_follows_every_change(world):
    visits = records.Visit.objects.filter(search_text__contains="ana guest")
    with connection.cursor() as cursor:
        sql, params = visits.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(step) for step in cursor.fetchall())
    assert "relations_visit_search VIRTUAL TABLE" in plan
    assert visits.count() == 1
    guest = world["guest"]
    guest.name = "Anna Gast"
    guest.save()  # re-indexes the visits of the guest
    assert records.Visit.objects.filter(search_text__contains="anna gast").count() == 1
    assert not records.Visit.objects.filter(search_text__contains="ana guest").exists()
    world["visit"].delete()
    assert not records.Visit.objects.filter(search_text__contains="anna gast").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_on_sqlite_every_searched_table_keeps_the_triggers_of_its_index(world):
    """SQLite rebuilds a table to alter it, dropping its triggers: a migration that does so must make them again
    (as 0022's make_sqlite_indexes does), or the index would stop following the records."""
    from relations.models import Searchable

    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())
    for model in apps.get_app_config("relations").get_models():
        if issubclass(model, Searchable):
            table = model._meta.db_table
            for trigger in ("insert", "delete", "update"):
                assert (table, f"{table}_search_{trigger}") in triggers
    records.Topic.objects.create(name="Hydrogen")
    assert records.Topic.objects.filter(search_text__contains="hydrogen").count() == 1
    records.Topic.objects.create(name="Uranium")
    assert records.Topic.objects.filter(search_text__contains="uranium").count() == 1


def test_a_renamed_person_rewrites_the_search_text_of_all_their_visits_in_a_few_queries(
    world, django_assert_max_num_queries
):
    visit = world["visit"]
    guest = visit.guest
    for day in range(1, 41):
        records.Visit.objects.create(
            guest=guest,
            host=visit.host,
            country=visit.country,
            place=visit.place,
            start_date=datetime.date(2020, 1, day % 28 + 1) + datetime.timedelta(days=31 * (day // 28)),
            source=visit.source,
        )
    guest.name = "Ana Zebraguest"
    with django_assert_max_num_queries(20):
        guest.save()
    assert len({label: rows for label, rows, _ in search("zebraguest")}["Visits"]) == 20  # a group shows 20
