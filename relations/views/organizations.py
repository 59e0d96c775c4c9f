"""International organizations and the countries' memberships of them."""

from django.db.models import F, Prefetch
from django.views.generic import DetailView, ListView

from .. import forms
from .. import models as records
from .base import AddressesMixin, FilteredListMixin, PreviewMixin


class OrganizationListView(AddressesMixin, FilteredListMixin, ListView):
    filter_form_class = forms.OrganizationFilterForm
    template_name = "relations/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self):
        memberships = records.Membership.objects.published().select_related("country")
        return self.filtered(
            records.Organization.objects.published()
            .select_related("parent")
            .prefetch_related("former_names", Prefetch("memberships", queryset=memberships))
            .order_by(F("parent__name").asc(nulls_first=True), "name")
        )


class OrganizationDetailView(AddressesMixin, PreviewMixin, DetailView):
    template_name = "relations/organization_detail.html"
    context_object_name = "organization"
    queryset = records.Organization.objects.select_related("parent", "source__reported_in").prefetch_related(
        "former_names",
        Prefetch(
            "memberships",
            queryset=records.Membership.objects.published().select_related("country", "source__reported_in"),
        ),
        Prefetch("affiliates", queryset=records.Organization.objects.published()),
    )
