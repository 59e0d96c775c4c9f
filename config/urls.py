from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Bilateral Relations CMS"
admin.site.site_title = "Bilateral Relations CMS"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("relations.urls")),
]
