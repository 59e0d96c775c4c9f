"""The levels of relationships, each as one source dates it."""

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource


class RelationshipLevelResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.RelationshipLevel
        fields = ("relationship", "level", "since", "since_precision", *SOURCED, *PUBLISHED)
        import_id_fields = ("relationship", "since", "source")
