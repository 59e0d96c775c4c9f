"""Reference records, named by natural key in every other file: countries, sources, topics, places,
their former names, people and relationships."""

from .. import models as records
from .base import SOURCED, RecordResource


class CountryResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Country
        fields = ("code", "name", "official_name", "adjective", "slug")
        import_id_fields = ("code",)


class SourceResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Source
        fields = ("slug", "title", "publisher", "url", "published_on", "retrieved_on", "reported_in")
        import_id_fields = ("slug",)


class TopicResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Topic
        fields = ("slug", "name", "description")
        import_id_fields = ("slug",)


class PlaceResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Place
        fields = ("slug", "name", "country", "is_capital", "latitude", "longitude")
        import_id_fields = ("slug",)


class PlaceNameResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.PlaceName
        fields = ("place", "name", "kind", "start_year", "end_year")
        import_id_fields = ("place", "name")


class PersonResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Person
        fields = ("slug", "name", "country", "role", "in_office_since", "in_office_since_precision", "source")
        import_id_fields = ("slug",)


class RelationshipResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Relationship
        fields = (
            "slug",
            "country_a",
            "country_b",
            "established_on",
            "established_on_precision",
            "level",
            "level_since",
            "summary",
            *SOURCED,
            "position",
        )
        import_id_fields = ("slug",)
