from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EditorsAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "relations.admin_site.EditorsAdminSite"


class RelationsConfig(AppConfig):
    default = True
    name = "relations"
    verbose_name = _("Bilateral relations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks register themselves)

        signals.connect()
