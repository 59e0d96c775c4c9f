from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from relations import views
from relations.sitemaps import SITEMAPS

admin.site.site_header = "Bilateral Relations CMS"
admin.site.site_title = "Bilateral Relations CMS"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("relations.urls")),
]

handler400 = "relations.views.bad_request"
