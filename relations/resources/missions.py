"""Diplomatic missions. A row without a slug gets the model's (sending country's code, kind, city's name)."""

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource
from .columns import with_translations


class MissionResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Mission
        fields = with_translations(
            records.Mission,
            (
                "slug",
                "sender",
                "host",
                "place",
                "kind",
                "opened_on",
                "opened_on_precision",
                "address",
                "website",
                *SOURCED,
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)
