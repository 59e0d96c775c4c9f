"""The admin as the registry describes it: every record type with its one resource, on the editors' site."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from relations import models as records
from relations.admin_site import EditorsAdminSite
from relations.registry import RECORD_TYPES


def relations_admins():
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "relations"
    }


def test_every_record_type_has_an_admin_and_nothing_else_of_the_app_does_but_the_jobs_list_and_the_settings():
    assert set(relations_admins()) == {record_type.model for record_type in RECORD_TYPES} | {
        records.Job,
        records.SiteSettings,
    }


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda record_type: record_type.name)
def test_each_admin_imports_and_exports_exactly_the_registrys_resource(record_type):
    model_admin = relations_admins()[record_type.model]
    request = RequestFactory().get("/")
    assert list(model_admin.get_import_resource_classes(request)) == [record_type.resource]
    assert list(model_admin.get_export_resource_classes(request)) == [record_type.resource]
    # Named once, in the registry: no admin names its resource again.
    assert not any(
        "resource_classes" in vars(cls) for cls in type(model_admin).__mro__ if cls.__module__.startswith("relations")
    )


def test_the_site_shows_an_empty_value_as_a_dash():
    assert isinstance(admin.site, EditorsAdminSite)
    assert EditorsAdminSite.empty_value_display == "—"
    assert admin.site.empty_value_display == "—"
