"""The editors' admin site: its home lists the record types as editors think of them, not alphabetically."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .registry import ADMIN_GROUPS


class EditorsAdminSite(admin.AdminSite):
    site_header = _("Bilateral Relations CMS")
    site_title = _("Bilateral Relations CMS")
    index_title = _("Records")
    # An empty value reads as a dash, on the lists as in the history of a record.
    empty_value_display = "—"
    # The home page lists every record type; without the sidebar a list keeps its full width at 1366 px,
    # and its columns stay readable.
    enable_nav_sidebar = False

    def get_urls(self):
        # Before the admin's own, whose catch-all would take /admin/relations/article/… for a model's pages.
        from .admin import articles

        return articles.urls(self) + super().get_urls()

    def get_app_list(self, request, app_label=None):
        """The app's record types in the registry's groups and order; other apps (accounts) after them."""
        app_list = super().get_app_list(request, app_label)
        grouped = []
        for app in app_list:
            if app["app_label"] != "relations":
                grouped.append(app)
                continue
            by_model = {entry["model"]: entry for entry in app["models"]}
            for title, models in ADMIN_GROUPS:
                entries = [by_model[model] for model in models if model in by_model]
                if entries:
                    grouped.append({**app, "name": title, "models": entries})
        relations_first = sorted(grouped, key=lambda app: app["app_label"] != "relations")
        return relations_first
