"""The site's settings in the admin: one page of one row, which editors change and nobody adds or deletes."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from .. import models as records


@admin.register(records.SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [(None, {"fields": ["data_licence", "data_publisher"]})]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # A list of one row says nothing: the settings' own page, saved or still at its defaults.
        return HttpResponseRedirect(reverse("admin:relations_sitesettings_change", args=[records.SiteSettings.ONE]))

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) != str(records.SiteSettings.ONE):
            return None
        return records.SiteSettings.current()
