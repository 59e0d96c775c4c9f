"""International organizations in the admin: organizations, their former names and memberships."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .base import PUBLICATION_FIELDSET, PublishableAdmin, RecordAdmin
from .forms import RecordForm


class OrganizationNameInline(admin.TabularInline):
    model = records.OrganizationName
    extra = 1


class MembershipInline(admin.TabularInline):
    """Every column a memberships file has, quotation and note for readers included."""

    model = records.Membership
    form = RecordForm
    extra = 1
    autocomplete_fields = ["country", "source"]
    fields = [
        "country",
        "role",
        "joined_on",
        "joined_on_precision",
        "source",
        "quote",
        "reader_note",
        "publication_status",
    ]
    # A row of a table: its long texts start small and grow as the editor drags them.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}}


@admin.register(records.Organization)
class OrganizationAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "kind", "parent", "publication_status"]
    list_filter = ["publication_status", "kind", "memberships__country"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym", "slug", "former_names__name", "description"]
    autocomplete_fields = ["parent", "source"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [OrganizationNameInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "parent", "website", "description"]}),
        (_("Founded"), {"fields": ["founded_on", "founded_on_precision"]}),
        (_("Source"), {"fields": ["source"]}),
        PUBLICATION_FIELDSET,
    ]


@admin.register(records.OrganizationName)
class OrganizationNameAdmin(RecordAdmin):
    list_display = ["name", "organization", "kind", "start_year", "end_year"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(records.Membership)
class MembershipAdmin(PublishableAdmin):
    list_display = ["__str__", "organization", "country", "role", "joined_display", "publication_status"]
    list_filter = ["publication_status", "role", "country", "organization"]
    list_select_related = ["organization", "country"]
    search_fields = ["organization__name", "organization__acronym", "country__name"]
    autocomplete_fields = ["organization", "country", "source"]

    @admin.display(description=_("joined"), ordering="joined_on")
    def joined_display(self, membership):
        return membership.joined_display()
