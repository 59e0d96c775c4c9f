"""International organizations and the countries' memberships of them."""

from typing import Literal

from django import forms as django_forms
from django.db.models import F, Prefetch
from ninja import Field, Query, Router

from .. import forms
from .. import models as records
from . import lists
from .schemas import (
    CountryRef,
    Error,
    LastChanged,
    LicenceOut,
    PartialDate,
    Precision,
    Quotation,
    ReaderNote,
    RecordOut,
    SourceOut,
    licence,
    partial_date,
)

router = Router(tags=["Organizations"])


class MembershipOut(RecordOut):
    organization: str = Field(description="Slug of the organization: with the country's code, the membership's key.")
    country: CountryRef
    url: str = Field(description="The organization's page on this site.")
    role: Literal[tuple(records.Membership.Role.values)]
    joined_on: PartialDate | None
    joined_on_precision: Precision
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_organization(membership):
        return membership.organization.slug

    @staticmethod
    def resolve_joined_on(membership):
        return partial_date(membership.joined_on, membership.joined_on_precision)


class OrganizationOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site.")
    name: str
    acronym: str
    kind: Literal[tuple(records.Organization.Kind.values)]
    parent: str | None = Field(description="Slug of the published organization whose family it belongs to.")
    website: str
    founded_on: PartialDate | None
    founded_on_precision: Precision
    description: str
    former_names: list[str] = Field(description="Its former and other names, with their years.")
    members: list[str] = Field(description="ISO codes of the countries with a published membership.")
    source: SourceOut | None
    last_changed: LastChanged

    @staticmethod
    def resolve_parent(organization):
        parent = organization.parent
        return parent.slug if parent is not None and parent.is_published else None

    @staticmethod
    def resolve_founded_on(organization):
        return partial_date(organization.founded_on, organization.founded_on_precision)

    @staticmethod
    def resolve_former_names(organization):
        return [str(name) for name in organization.former_names.all()]

    @staticmethod
    def resolve_members(organization):
        return [membership.country.code for membership in organization.memberships.all()]


class OrganizationDetailOut(OrganizationOut):
    memberships: list[MembershipOut] = Field(description="Its published memberships, by country.")
    affiliates: list[str] = Field(description="Slugs of the published organizations of its family.")
    licence: LicenceOut

    @staticmethod
    def resolve_affiliates(organization):
        return [affiliate.slug for affiliate in organization.affiliates.all()]

    @staticmethod
    def resolve_licence(organization):
        return licence()


def published_memberships():
    return records.Membership.objects.published().select_related("organization", "country", "source__reported_in")


def published_organizations(memberships=None):
    """Published organizations with their published `memberships` (by default, enough to name their members)."""
    if memberships is None:
        memberships = records.Membership.objects.published().select_related("country")
    return (
        records.Organization.objects.published()
        .select_related("parent", "source__reported_in")
        .prefetch_related("former_names", Prefetch("memberships", queryset=memberships.order_by("country__name")))
        .order_by(F("parent__name").asc(nulls_first=True), "name", "pk")
    )


OrganizationParameters = lists.parameters_of(forms.OrganizationFilterForm)


@router.get(
    "/organizations",
    response=lists.list_responses(OrganizationOut),
    openapi_extra=lists.CSV_TOO,
    summary="Organizations",
)
def organization_list(request, filters: Query[OrganizationParameters]):
    """International organizations, each family together, with the countries that belong to them."""
    return lists.answer_list(
        request,
        "organizations",
        forms.OrganizationFilterForm,
        published_organizations(),
        OrganizationOut,
        filters,
    )


@router.get("/organizations/{slug}", response={200: OrganizationDetailOut, 404: Error}, summary="An organization")
def organization_detail(request, slug: str = lists.key_in_path()):
    memberships = lists.with_last_changed(published_memberships())
    organizations = published_organizations(memberships).prefetch_related(
        Prefetch("affiliates", queryset=records.Organization.objects.published().order_by("name"))
    )
    return lists.found(
        lists.with_last_changed(organizations), f"No published organization is known by “{slug}”.", slug=slug
    )


# ---------------------------------------------------------------------------
# Memberships
# ---------------------------------------------------------------------------


class MembershipFilters(forms.FilterForm):
    organization = django_forms.ModelChoiceField(
        queryset=records.Organization.objects.published(), to_field_name="slug", required=False, label="Organization"
    )
    country = forms.country_field("Member country")
    role = forms.kind_field(records.Membership.Role.choices, label="Role")

    def filter_organization(self, queryset, organization):
        return queryset.filter(organization=organization)

    def filter_country(self, queryset, country):
        return queryset.filter(country=country)

    def filter_role(self, queryset, role):
        return queryset.filter(role=role)


MembershipParameters = lists.parameters_of(MembershipFilters)


@router.get(
    "/memberships", response=lists.list_responses(MembershipOut), openapi_extra=lists.CSV_TOO, summary="Memberships"
)
def membership_list(request, filters: Query[MembershipParameters]):
    """Countries' memberships of organizations, by organization, then country."""
    memberships = published_memberships().order_by("organization__name", "country__name", "pk")
    return lists.answer_list(request, "memberships", MembershipFilters, memberships, MembershipOut, filters)


class MembershipDetailOut(MembershipOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(membership):
        return licence()


@router.get(
    "/memberships/{organization}/{country}",
    response={200: MembershipDetailOut, 404: Error},
    summary="A membership",
)
def membership_detail(
    request, organization: str = lists.key_in_path(), country: str = lists.key_in_path("The ISO code of the country.")
):
    """A country's membership of an organization, by the organization's slug and the country's ISO code."""
    memberships = lists.with_last_changed(published_memberships())
    return lists.found(
        memberships,
        f"No published membership of “{organization}” is known for “{country}”.",
        organization__slug=organization,
        country__code=country.upper(),
    )
