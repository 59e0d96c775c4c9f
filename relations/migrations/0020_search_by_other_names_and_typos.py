"""Search finds a country by its names in other languages and by CLDR's alternative names, and tolerates typos:
pg_trgm on PostgreSQL (a no-op elsewhere), and every country's search text rebuilt with its other names."""

from django.db import migrations

from relations.text import country_names, fold


def create_trigram_extension(apps, schema_editor):
    # Not django.contrib.postgres's TrigramExtension: migrating back past it on SQLite asks for pg_extension.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def index_other_names(apps, schema_editor):
    # As Country.search_terms builds it when a country is saved.
    Country = apps.get_model("relations", "Country")
    countries = list(Country.objects.all())
    for country in countries:
        terms = [country.name, country.official_name, country.adjective, country.code, *country_names(country.code)]
        country.search_text = fold(" ".join(str(term) for term in terms if term))
    Country.objects.bulk_update(countries, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0019_relationship_publication_status"),
    ]

    operations = [
        migrations.RunPython(create_trigram_extension, migrations.RunPython.noop),
        migrations.RunPython(index_other_names, migrations.RunPython.noop),
    ]
