"""Filter forms of the public lists: the query string in, a narrowed queryset out."""

import difflib
from html import escape
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, F, Q, When
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import languages
from . import models as records
from .text import fold

# What a filter says of a value that names nothing, by what it names.
UNKNOWN = {
    "country": _("No country is known by “%(value)s”."),
    "city": _("No city is known by “%(value)s”."),
}
# The empty choice of a filter: no narrowing; and a kind filter's label.
ANY = _("Any")
KIND = _("Kind")

# Close matches offered beside a value that names nothing, and the records read to find them.
SUGGESTIONS_SHOWN = 3
SUGGESTION_CANDIDATES = 2000


class PlainSelect(forms.Select):
    """A select rendered in Python: Django renders each option with a template, which a list of
    every country makes the slowest part of a page."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(choice) for choice in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(choice))}"{" selected" if str(choice) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for choice, label in self.choices
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), mark_safe(options)
        )


class PlainChoiceIterator(forms.models.ModelChoiceIterator):
    """A select's options read as plain values (its field's `option_rows`), not as records: every list page
    draws a select of every country or pair, whose records cost more to make than the rest of the page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.option_rows()


class FilterForm(forms.Form):
    """Every field is optional; a value that is not one of the choices makes the page answer 400, the form
    saying which value beside its field, with close matches to choose instead."""

    def problems(self):
        """What the form could not read, in words: 'City: No city is known by “Paris”.'"""
        return " ".join(
            f"{self.fields[name].label}: {' '.join(messages)}" if name in self.fields else " ".join(messages)
            for name, messages in self.errors.items()
        )

    def suggest(self, path, query):
        """Give each field holding a value that names nothing its close matches (`suggestions`: label and
        address of the list with that value instead), and mark it invalid for assistive technology."""
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})
            typed = fold(" ".join(str(self.data.get(name, "")).split()))
            candidates = {}
            for value, label, names in choice_names(field):
                for candidate in names:
                    if candidate:
                        candidates.setdefault(fold(str(candidate)), (value, label))
            kept = {key: value for key, value in query.items() if key != "page"}
            found = {}
            for match in difflib.get_close_matches(typed, list(candidates), n=SUGGESTIONS_SHOWN * 3):
                value, label = candidates[match]
                found.setdefault(value, (label, f"{path}?{urlencode({**kept, name: value})}"))
            field.suggestions = list(found.values())[:SUGGESTIONS_SHOWN]

    def canonical_query(self):
        """The filters read, written the one way the site links to them: codes and slugs, plain numbers,
        no empty field ('?city=Almaty&year=' is '?city=almaty')."""
        return {
            name: str(field.prepare_value(self.cleaned_data[name]))
            for name, field in self.fields.items()
            if self.cleaned_data.get(name) not in (None, "")
        }

    def filter_relationship(self, queryset, relationship):
        return queryset.of_relationship(relationship)

    def apply(self, queryset):
        for name, value in self.cleaned_data.items():
            if value not in (None, ""):
                queryset = getattr(self, f"filter_{name}")(queryset, value)
        return queryset


class NamedChoiceField(forms.ModelChoiceField):
    """A record chosen from a list, or typed in the address as a reader would: its code or slug, or any of
    its names, in any case, with or without accents ("?city=Almaty", "?sender=tr", "?city=Nur-Sultan")."""

    iterator = PlainChoiceIterator

    def __init__(self, queryset, to_field_name, noun, **kwargs):
        super().__init__(
            queryset,
            to_field_name=to_field_name,
            required=False,
            error_messages={"invalid_choice": UNKNOWN.get(noun) or f"No {noun} is known by “%(value)s”."},
            **kwargs,
        )

    def option_rows(self):
        """(value, name) of each choice, named in the page's language where the records have translated names."""
        return self.queryset.values_list(self.to_field_name, translated_name(self.queryset.model, "name"))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.named(value)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice", {"value": value})
        return found


def choice_names(field):
    """(value in the address, label, names a reader may mean it by) of each choice of a filter field."""
    if isinstance(field, forms.ModelChoiceField):
        queryset = field.queryset
        if queryset.model is records.Place:
            queryset = queryset.prefetch_related("former_names")
        for record in queryset[:SUGGESTION_CANDIDATES]:
            value = str(field.prepare_value(record))
            names = record.reader_names() if hasattr(record, "reader_names") else [str(record)]
            yield value, str(record), [value, str(record), *names]
    elif isinstance(field, forms.ChoiceField):
        for value, label in field.choices:
            if value:
                yield value, label, [value, label]


class RelationshipField(forms.ModelChoiceField):
    """A published relationship by its slug, or by its two countries' slugs in the other order
    ('kazakhstan-turkiye'), which leads (301) to its own ('turkiye-kazakhstan'). A draft is unknown."""

    iterator = PlainChoiceIterator

    def __init__(self, **kwargs):
        super().__init__(
            queryset=records.Relationship.objects.published().select_related("country_a", "country_b"),
            to_field_name="slug",
            required=False,
            label=_("Relationship"),
            empty_label=ANY,
            widget=PlainSelect,
            error_messages={"invalid_choice": _("No relationship is known by “%(value)s”.")},
            **kwargs,
        )

    def option_rows(self):
        """(slug, name) of each pair, named as Relationship.__str__ names it, in the page's language."""
        pairs = self.queryset.values_list(
            "slug",
            translated_name(records.Country, "country_a__name"),
            translated_name(records.Country, "country_b__name"),
        )
        return ((slug, f"{a} – {b}") for slug, a, b in pairs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            found = self.queryset.named_by_countries(value)
            if found is None:
                raise
            return found


def translated_name(model, path):
    """The column `path` ('name', 'country_a__name') of `model`'s name as `values_list` reads it: the English one,
    or on a page in another language, its translation where the record has one."""
    language = languages.current()
    if language == languages.DEFAULT or not hasattr(model, f"name_{language}"):
        return path
    return Case(When(**{f"{path}_{language}": ""}, then=F(path)), default=F(f"{path}_{language}"))


def country_field(label):
    return NamedChoiceField(
        records.Country.objects.all(), "code", "country", label=label, empty_label=ANY, widget=PlainSelect
    )


def relationship_field():
    return RelationshipField()


def year_field():
    return forms.IntegerField(required=False, min_value=1800, max_value=2200, label=_("Year"))


def kind_field(choices, label=KIND):
    stated = [(value, name) for value, name in choices if value]
    return forms.ChoiceField(choices=[("", ANY), *stated], required=False, label=label, widget=PlainSelect)


class VisitFilterForm(FilterForm):
    relationship = relationship_field()
    country = country_field(_("Country (guest or destination)"))
    kind = kind_field(records.Visit.Kind.choices)
    year = year_field()
    topic = forms.ModelChoiceField(
        queryset=records.Topic.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Topic"),
        empty_label=ANY,
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
    relationship = relationship_field()
    sender = country_field(_("Sending country"))
    host = country_field(_("Host country"))
    kind = kind_field(records.Mission.Kind.choices)
    city = NamedChoiceField(records.Place.objects.all(), "slug", "city", label=_("City"), widget=forms.TextInput)

    def filter_sender(self, queryset, country):
        return queryset.filter(sender=country)

    def filter_host(self, queryset, country):
        return queryset.filter(host=country)

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)

    def filter_city(self, queryset, city):
        return queryset.filter(place=city)


class OrganizationFilterForm(FilterForm):
    relationship = relationship_field()
    country = country_field(_("Member country"))
    kind = kind_field(records.Organization.Kind.choices)

    def filter_country(self, queryset, country):
        members = records.Membership.objects.published().filter(country=country)
        return queryset.filter(pk__in=members.values("organization"))

    def filter_kind(self, queryset, kind):
        return queryset.filter(kind=kind)


class CouncilFilterForm(FilterForm):
    relationship = relationship_field()


class StatisticsFilterForm(FilterForm):
    """The statistics list is a list of relationships, each with its latest figures."""

    relationship = relationship_field()

    def filter_relationship(self, queryset, relationship):
        return queryset.filter(pk=relationship.pk)


class IndicatorFilterForm(FilterForm):
    """One pair's series of an indicator: its own chart, table and CSV."""

    relationship = relationship_field()


class TimelineFilterForm(FilterForm):
    relationship = relationship_field()
    year = year_field()

    def filter_year(self, queryset, year):
        return queryset.filter(on__year=year)
