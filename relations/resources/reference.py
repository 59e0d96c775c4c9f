"""Reference records, named by natural key in every other file: countries, sources, topics, places,
their former names, people and relationships."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields

from .. import models as records
from ..dates import Precision
from .base import PUBLISHED, SOURCED, RecordResource
from .columns import with_translations
from .widgets import IntegerWidget, TextWidget


class CountryResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Country
        fields = with_translations(records.Country, ("code", "name", "official_name", "adjective", "slug"))
        import_id_fields = ("code",)


class SourceResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Source
        fields = (
            "slug",
            "title",
            "publisher",
            "url",
            "published_on",
            "published_on_precision",
            "retrieved_on",
            "reported_in",
        )
        import_id_fields = ("slug",)


class TopicResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Topic
        fields = with_translations(records.Topic, ("slug", "name", "description"))
        import_id_fields = ("slug",)


class PlaceResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Place
        fields = with_translations(records.Place, ("slug", "name", "country", "is_capital", "latitude", "longitude"))
        import_id_fields = ("slug",)


class PlaceNameResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.PlaceName
        fields = ("place", "name", "kind", "start_year", "end_year")
        import_id_fields = ("place", "name")


class PersonResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Person
        fields = with_translations(
            records.Person,
            ("slug", "name", "country", "role", "in_office_since", "in_office_since_precision", "source"),
        )
        import_id_fields = ("slug",)


class StatedLevelField(fields.Field):
    """'Current level' or 'Level reached in (year)': columns of relationships files from before levels were
    records of their own (relationship-levels). Exported, they show the current level, derived from the level
    records; imported, the row's value waits on the record under `attribute` until RelationshipResource has
    made sure a level record states it."""

    def __init__(self, part, **kwargs):
        super().__init__(attribute=f"stated_{part}", **kwargs)
        self.part = part

    def get_value(self, instance):
        if self.attribute in vars(instance):
            return vars(instance)[self.attribute]
        step = instance.current_level() if instance.pk else None
        if step is None:
            return None
        return step.level if self.part == "level" else step.since_year


class RelationshipResource(RecordResource):
    """Relationships. The optional columns 'Current level' and 'Level reached in (year)', non-blank, make
    sure a level record of the relationship names that level (reached that year): if none does, the
    relationship's own source is recorded as stating it."""

    level = StatedLevelField("level", column_name="Current level", widget=TextWidget())
    level_since = StatedLevelField("level_since", column_name="Level reached in (year)", widget=IntegerWidget())

    class Meta(RecordResource.Meta):
        model = records.Relationship
        fields = with_translations(
            records.Relationship,
            (
                "slug",
                "country_a",
                "country_b",
                "established_on",
                "established_on_precision",
                "established_with",
                "established_source",
                "established_quote",
                "level",
                "level_since",
                "summary",
                *SOURCED,
                "position",
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)

    # Read with each relationship: its current level (exported) and whether a level record states the row's level.
    prefetched = ("levels",)

    def import_instance(self, instance, row, **kwargs):
        """The row's cells, then the level record its level cells call for, checked now and saved after the
        relationship (RecordResource.save_m2m). A file of relationships imported with a relationship-levels file
        (`import all` of a folder) takes the levels from that file."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            level = self.level_the_row_adds(instance, kwargs.get("levels_in_their_own_file", False))
            if level is not None:
                self.check_level(instance, level)
                self.run.row.follows.append((level, "relationship"))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def level_the_row_adds(self, relationship, levels_in_their_own_file):
        """The level record the row's level cells call for, unsaved; None when a record of the relationship
        already names that level (in that year) or the cells are blank. Then the cells no longer differ from
        the stored record, and an unchanged row stays unchanged."""
        stated = vars(relationship)
        level, year = stated.get("stated_level") or "", stated.get("stated_level_since")
        if levels_in_their_own_file or not level:
            stated.pop("stated_level", None)
            stated.pop("stated_level_since", None)
            return None
        since = None
        if year is not None:
            try:
                since = datetime.date(year, 1, 1)
            except ValueError:
                raise ValidationError({"stated_level_since": f"“{year}” is not a year."}) from None
        stored = list(relationship.levels.all()) if relationship.pk else []
        if any(
            record.names_level(level) and (since is None or (record.since and record.since.year == year))
            for record in stored
        ):
            stated.pop("stated_level")
            stated.pop("stated_level_since", None)
            return None
        # The relationship's source dating a level to that year is one record (the model's rule): the file
        # changes its level; otherwise the source's statement is a new record.
        found = [r for r in stored if r.source_id == relationship.source_id and r.since == since] if since else []
        record = found[0] if found else records.RelationshipLevel(since=since, since_precision=Precision.YEAR)
        record.level = level
        return record

    def check_level(self, relationship, record):
        """The level record's own rules, its errors under the level columns."""
        if relationship.source_id is None:
            return
        record.source_id = relationship.source_id
        if relationship.pk is not None:
            record.relationship = relationship
        try:
            # A new relationship has no level yet for this one to clash with.
            record.full_clean(exclude=["relationship"] if relationship.pk is None else None)
        except ValidationError as error:
            columns = {"level": "stated_level", "since": "stated_level_since"}
            errors = {}
            for key, messages in error.message_dict.items():
                errors.setdefault(columns.get(key, NON_FIELD_ERRORS), []).extend(messages)
            raise ValidationError(errors) from None
