"""International organizations, their former names and the countries' memberships."""

from .. import models as records
from .base import PUBLISHED, SOURCED, RecordResource
from .columns import with_translations


class OrganizationResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Organization
        fields = with_translations(
            records.Organization,
            (
                "slug",
                "name",
                "acronym",
                "kind",
                "parent",
                "website",
                "founded_on",
                "founded_on_precision",
                "description",
                "source",
                *PUBLISHED,
            ),
        )
        import_id_fields = ("slug",)


class OrganizationNameResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.OrganizationName
        fields = ("organization", "name", "kind", "start_year", "end_year")
        import_id_fields = ("organization", "name")


class MembershipResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = records.Membership
        fields = with_translations(
            records.Membership,
            ("organization", "country", "role", "joined_on", "joined_on_precision", *SOURCED, *PUBLISHED),
        )
        import_id_fields = ("organization", "country")
