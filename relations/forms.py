"""Filter forms of the public lists: the query string in, a narrowed queryset out."""

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import models as records


class PlainSelect(forms.Select):
    """A select rendered in Python: Django renders each option with a template, which a list of
    every country makes the slowest part of a page."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(choice) for choice in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), options
        )


class FilterForm(forms.Form):
    """Every field is optional; a value that is not one of the choices makes the page answer 400."""

    def apply(self, queryset):
        for name, value in self.cleaned_data.items():
            if value not in (None, ""):
                queryset = getattr(self, f"filter_{name}")(queryset, value)
        return queryset


def country_field(label):
    return forms.ModelChoiceField(
        queryset=records.Country.objects.all(),
        to_field_name="code",
        required=False,
        label=label,
        empty_label="Any",
        widget=PlainSelect,
    )


def year_field():
    return forms.IntegerField(required=False, min_value=1800, max_value=2200, label="Year")


def kind_field(choices, label="Kind"):
    return forms.ChoiceField(choices=[("", "Any"), *choices], required=False, label=label, widget=PlainSelect)


class VisitFilterForm(FilterForm):
    country = country_field("Country (guest or destination)")
    kind = kind_field(records.Visit.Kind.choices)
    year = year_field()
    topic = forms.ModelChoiceField(
        queryset=records.Topic.objects.all(),
        to_field_name="slug",
        required=False,
        label="Topic",
        empty_label="Any",
        widget=PlainSelect,
    )

    def filter_country(self, queryset, country):
        return queryset.filter(Q(country=country) | Q(guest__country=country))

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)

    def filter_year(self, queryset, year):
        return queryset.filter(start_date__year=year)

    def filter_topic(self, queryset, topic):
        return queryset.filter(topics=topic)


class MissionFilterForm(FilterForm):
    sender = country_field("Sending country")
    host = country_field("Host country")
    kind = kind_field(records.Mission.Kind.choices)
    city = forms.SlugField(required=False, label="City (slug)")

    def clean_city(self):
        city = self.cleaned_data["city"]
        if city and not records.Place.objects.filter(slug=city).exists():
            raise forms.ValidationError(f"No city is known by “{city}”.")
        return city

    def filter_sender(self, queryset, country):
        return queryset.filter(sender=country)

    def filter_host(self, queryset, country):
        return queryset.filter(host=country)

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)

    def filter_city(self, queryset, city):
        return queryset.filter(place__slug=city)


class OrganizationFilterForm(FilterForm):
    country = country_field("Member country")
    kind = kind_field(records.Organization.Kind.choices)

    def filter_country(self, queryset, country):
        members = records.Membership.objects.published().filter(country=country)
        return queryset.filter(pk__in=members.values("organization"))

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)


class TimelineFilterForm(FilterForm):
    year = year_field()

    def filter_year(self, queryset, year):
        return queryset.filter(on__year=year)
