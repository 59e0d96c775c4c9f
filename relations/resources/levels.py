"""The levels of relationships, each as one source dates it."""

from django.db.models import F

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource
from .columns import with_translations


class RelationshipLevelResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.RelationshipLevel
        fields = with_translations(
            records.RelationshipLevel, ("relationship", "level", "since", "since_precision", *SOURCED, *PUBLISHED)
        )
        import_id_fields = ("relationship", "since", "source")

    def export_ordering(self):
        """Each relationship's levels in date order, an undated one first on every database (PostgreSQL would
        put it last), as its ladder reads them."""
        return ["relationship__slug", F("since").asc(nulls_first=True), "source__slug"]
