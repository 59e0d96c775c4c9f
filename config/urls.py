from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from relations import api
from relations.sitemaps import SITEMAPS
from relations.views import site
from relations.views.base import read_only

urlpatterns = [
    path("healthz", read_only(site.healthz), name="healthz"),
    path("robots.txt", read_only(site.robots_txt), name="robots"),
    path("sitemap.xml", read_only(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        read_only(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    *i18n_patterns(
        # Editors work in their language too: `/tr/admin/` is the Turkish admin.
        path("admin/", admin.site.urls),
        # The read-only API and its OpenAPI description (relations/api/); records' names and texts in the
        # address's language.
        path("api/v1/", api.urls()),
        path("", include("relations.urls")),
        # English, the default language, has no prefix: `/visits/`, `/tr/visits/`, `/kk/visits/`, `/ru/visits/`.
        prefix_default_language=False,
    ),
]

handler400 = "relations.errors.bad_request"
handler404 = "relations.errors.not_found"
handler500 = "relations.errors.server_error"
