"""The editors' side: every record with search, filters, inlines, and import/export."""

import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, display_for_value, flatten_fieldsets, model_ngettext
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import models, router
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from import_export.admin import ImportExportActionModelAdmin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.tmp_storages import MediaStorage
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import history, resources
from . import models as records
from .dates import (
    DATE_HINT,
    Precision,
    coarser,
    format_partial_date,
    last_day,
    parse_partial_date,
    parse_whole_date,
    typed_form,
)
from .formats import FORMATS, MB, UnreadableFile, keeps_native_types
from .models.milestones import timeline_date
from .resources import describe_errors

logger = logging.getLogger(__name__)

admin.site.empty_value_display = "—"

SOURCE_FIELDSET = ("Source", {"fields": ("source", "quote")})
PUBLICATION_FIELDSET = ("Publication", {"fields": ("publication_status",)})


# ---------------------------------------------------------------------------
# Import and export on every record type
# ---------------------------------------------------------------------------


# Records named on the confirmation page of a deletion from the list; the others are counted.
DELETION_SAMPLE = 20

# An upload waits in MEDIA_ROOT between its preview and its confirmation; one older than this
# was abandoned (the page closed, another file chosen) and is removed.
PREVIEW_LIFETIME = datetime.timedelta(days=1)

ALREADY_IMPORTED = "This file has already been imported, or its preview has expired: upload it again."
UPLOAD_NOT_STORED = (
    "The file could not be stored for its preview: the server's upload folder cannot be written to. "
    "Nothing was imported; please tell the site's administrator."
)


class UploadNotStored(Exception):
    """The upload folder (MEDIA_ROOT) is full or cannot be written to."""


class ImportFileForm(ImportForm):
    """The library's upload form, with a size limit stated in words."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size / MB:.1f} MB; files of up to {limit / MB:.0f} MB "
                "can be imported. Split it into smaller files."
            )
        return upload


class ExportFileForm(SelectableFieldsExportForm):
    """The library's export form, CSV chosen to start with and each column named as the file names it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        format_field = self.fields["format"]
        format_field.choices = [(value, title) for value, title in format_field.choices if value]
        format_field.initial = "0"
        for resource in resources:
            columns = resource().fields
            for name in resource().get_export_order():
                self.fields[self.create_boolean_field_name(resource, name)].label = columns[name].column_name


def remove_abandoned_previews():
    """Remove the uploads of previews older than PREVIEW_LIFETIME from the library's MediaStorage folder.

    Called whenever an import page is shown or posted: that is when uploads arrive, so the folder
    holds at most a day of them, with no scheduled job for the site to run.
    """
    storage = storages["import_export"] if "import_export" in storages.backends else storages["default"]
    folder = MediaStorage().MEDIA_FOLDER
    if not storage.exists(folder):
        return
    cutoff = timezone.now() - PREVIEW_LIFETIME
    for name in storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
        except FileNotFoundError:
            continue  # confirmed, or removed by another request, since the folder was listed


class PartialDateField(forms.DateField):
    """A date as editors type it: '2012', 'March 2024', '2024-03', '29.07.2025', '29/07/2025', '2025-07-29'.
    Day first, never month first: Django's own date field would read '05/03/2024' as 3 May."""

    widget = AdminDateWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return self.parse(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def parse(self, text):
        return parse_partial_date(text)[0]


class WholeDateField(PartialDateField):
    """A date kept without a precision: typed day first like the others, and known to the day."""

    def parse(self, text):
        return parse_whole_date(text)


def partial_dates(model):
    """The date fields of a model stored with a precision beside them (`start_date` and `start_date_precision`)."""
    names = {field.name for field in model._meta.fields}
    return [
        field.name
        for field in model._meta.fields
        if isinstance(field, models.DateField) and f"{field.name}_precision" in names
    ]


class RecordForm(forms.ModelForm):
    """The admin's form of every record.

    - Its many-to-many values (topics, co-chairs, members) are saved into the same version as its other
      fields, and on an earlier version's Revert page they are offered from that version.
    - A date with a precision is typed as it is known ('2012', 'March 2024', '29.07.2025'), shown at its
      precision, and its precision follows from what was typed unless a coarser one is chosen.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        links = history.restored_links(self.instance)
        if links and not self.is_bound:
            self.initial.update({name: ids for name, ids in links.items() if name in self.fields})
        model = self._meta.model
        periods = {name for period in getattr(model, "PERIODS", ()) for name in period}
        for name in partial_dates(model):
            if name not in self.fields:
                continue
            self.fields[name] = self.typed_date_field(PartialDateField, self.fields[name])
            precision = self.fields.get(f"{name}_precision")
            if precision is not None:
                precision.required = False
                precision.choices = [("", "As typed"), *Precision.choices]
                precision.help_text = "Left at “As typed”, it follows from the date: '2012' is a year."
            if not self.is_bound:
                # A new record's precision starts at "As typed" too, as its help says.
                self.initial[f"{name}_precision"] = ""
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = typed_form(value, getattr(self.instance, f"{name}_precision"))
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField) and not isinstance(field, PartialDateField):
                kind = PartialDateField if name in periods else WholeDateField
                self.fields[name] = self.typed_date_field(kind, field)

    @staticmethod
    def typed_date_field(kind, field):
        return kind(label=field.label, required=field.required, help_text=DATE_HINT, widget=field.widget)

    def clean(self):
        cleaned = super().clean()
        for name in partial_dates(self._meta.model):
            field = f"{name}_precision"
            if name not in self.fields or field not in self.fields:
                continue
            chosen = cleaned.get(field)
            if not cleaned.get(name):
                # No date, nothing to follow: the stored precision is the model's own default.
                cleaned[field] = chosen or self._meta.model._meta.get_field(field).default
                continue
            cleaned[field] = coarser(self.typed_precision(name), chosen) if chosen else self.typed_precision(name)
        for start, end in getattr(self._meta.model, "PERIODS", ()):
            self.fill_period(cleaned, start, end)
        return cleaned

    def typed_precision(self, name):
        """How precisely the editor typed the date of field `name` ('2012': a year)."""
        data = self[name].data
        return parse_partial_date(data)[1] if isinstance(data, str) and data.strip() else Precision.DAY

    def fill_period(self, cleaned, start, end):
        """A period typed as a year or a month covers it: '2012' as the start runs to 31 December 2012
        when no end is given, and '2012' or 'March 2024' as the end is its last day."""
        if start not in self.fields or end not in self.fields or not cleaned.get(start):
            return
        if cleaned.get(end):
            cleaned[end] = last_day(cleaned[end], self.typed_precision(end))
        elif not self[end].data:
            cleaned[end] = last_day(cleaned[start], self.typed_precision(start))

    def save(self, commit=True):
        instance = super().save(commit=False)
        save_links = self.save_m2m

        def save_links_in_the_same_version():
            with history.one_history_entry(instance):
                save_links()

        self.save_m2m = save_links_in_the_same_version
        if commit:
            instance.save()
            self.save_m2m()
        return instance


def version_read_only(adminform, model_admin):
    """A version's form as Django's change form for a user who may only view: each field read-only, none
    prepopulated (a read-only field is not in the form to fill in).

    Django reads a read-only field from the record, here the version. A many-to-many field would read
    today's links of the record, and a date with a precision its full date: these are shown, in their
    place, as the editable form offers them, the version's links and the date at its precision."""
    form = adminform.form
    model = form._meta.model
    shown = {
        name: version_links(model._meta.get_field(name), ids)
        for name, ids in (history.restored_links(form.instance) or {}).items()
    }
    shown.update({name: date_at_precision(model._meta.get_field(name)) for name in partial_dates(model)})

    def in_place(line):
        if isinstance(line, (list, tuple)):
            return tuple(shown.get(name, name) for name in line)
        return shown.get(line, line)

    fieldsets = [
        (title, {**options, "fields": [in_place(line) for line in options["fields"]]})
        for title, options in adminform.fieldsets
    ]
    return helpers.AdminForm(form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=model_admin)


def version_links(field, ids):
    """A read-only field showing the records a version was linked to by the many-to-many `field`."""

    def links(version):
        linked = field.related_model._default_manager.filter(pk__in=ids)
        return ", ".join(str(record) for record in linked) or admin.site.empty_value_display

    return shown_as(links, field)


def date_at_precision(field):
    """A read-only field showing a date as it is known: '2009', 'March 2024', '29 July 2025'."""

    def date(version):
        value, precision = getattr(version, field.name), getattr(version, f"{field.name}_precision")
        return format_partial_date(value, precision) or admin.site.empty_value_display

    return shown_as(date, field)


def shown_as(display, field):
    # Named as the field it stands for, so that the row keeps the field's help text and CSS class.
    display.__name__ = field.name
    return admin.display(description=capfirst(field.verbose_name))(display)


# What made a version saved without a user, by its reason, where the reason does not say it already
# (history.give_first_versions gives "Loaded from the fixtures"; an import of figures gives "Import").
MADE_WITHOUT_A_USER = {"Import": "An import from the command line"}
NO_USER_RECORDED = "No user recorded"


def made_by(version):
    """Who or what made a version, as the history list's "Changed by" says it: its user, or for a version made
    without one (a fixture load, a restore, a command) the wording of its reason, never "None"."""
    if version.history_user_id is not None:
        return version.history_user
    reason = version.history_change_reason
    return MADE_WITHOUT_A_USER.get(reason, reason) or NO_USER_RECORDED


class VersionListed:
    """A version as simple-history's list of versions (its object_history_list.html) shows it, that template
    reading these names: `history_user` is who or what made it (made_by); `history_user_id` the user its name
    links to, or "" where there is no page to link to (no user; a viewer who may not see users), the template's
    {% url %} then finding no address and showing the name alone. The rest is the version's own."""

    def __init__(self, version, link_user):
        self.version = version
        self.history_user = made_by(version)
        self.history_user_id = version.history_user_id if link_user and version.history_user_id is not None else ""

    def __getattr__(self, name):
        return getattr(self.version, name)


def shown_in_history(model, name):
    """How the history list shows field `name` of a version, or None to leave it to simple-history: an amount
    as the site writes it, with its unit ('$5 billion': `value` with `unit`, `equivalent_value` with
    `equivalent_unit`), a date kept with a precision at that precision ('2012', 'March 2024')."""
    field = model._meta.get_field(name)
    if name in partial_dates(model):
        return lambda version: format_partial_date(getattr(version, name), getattr(version, f"{name}_precision"))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return lambda version: format_partial_date(getattr(version, name))
    unit = f"{name.removesuffix('value')}unit"
    names = {f.name for f in model._meta.fields}
    if isinstance(field, models.DecimalField) and name.endswith("value") and unit in names:
        return lambda version: records.format_amount(getattr(version, name), getattr(version, unit))
    return None


class VersionChanges(HistoricalRecordContextHelper):
    """A version's changes as the history list shows them (simple-history's helper for them, shown_in_history
    for amounts and dates), each side read from its own version: an amount with that version's unit, a date at
    that version's precision."""

    def context_for_delta_changes(self, delta):
        shown = super().context_for_delta_changes(delta)
        for change, entry in zip(delta.changes, shown, strict=True):
            display = shown_in_history(self.model, change.field)
            if display is not None:
                entry["old"] = display(delta.old_record) or admin.site.empty_value_display
                entry["new"] = display(delta.new_record) or admin.site.empty_value_display
            # A value that was or became empty reads as the admin's dash, not "None".
            if change.old in (None, ""):
                entry["old"] = admin.site.empty_value_display
            if change.new in (None, ""):
                entry["new"] = admin.site.empty_value_display
        return shown


class RecordAdmin(SimpleHistoryAdmin, ImportExportActionModelAdmin):
    """A record type in the admin: its history with restore, and CSV, XLSX and JSON in and out for staff
    holding the import or export right.

    Export works on the filtered list (the Export button) or on selected rows (the action).
    An import is previewed, then written whole or not at all.
    """

    # Both buttons on the list (the library's import-and-action admin shows only Import).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_form_class = ImportFileForm
    export_form_class = ExportFileForm
    import_formats = FORMATS
    export_formats = FORMATS
    list_per_page = 50
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = RecordForm

    delete_selected_confirmation_template = "admin/relations/delete_selected_confirmation.html"

    def get_deleted_objects(self, objs, request):
        """What a deletion takes, as Django's admin lists it, but bounded: a selection of thousands ("Select all
        10000") is shown as counts by type and a sample of names, with the protected records that stop it, not
        a page of every record and every record hanging from it (megabytes, seconds to build)."""
        if not isinstance(objs, models.QuerySet) or (selected := objs.count()) <= DELETION_SAMPLE:
            return super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        model_count = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
        perms_needed = {
            model._meta.verbose_name
            for model in collector.model_objs
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        sample = super().get_deleted_objects(list(objs[:DELETION_SAMPLE]), request)[0]
        sample.append(f"… and {selected - DELETION_SAMPLE:,} more {self.opts.verbose_name_plural}")
        protected = [str(record) for record in collector.protected]
        if len(protected) > DELETION_SAMPLE:
            protected = [*protected[:DELETION_SAMPLE], f"… and {len(protected) - DELETION_SAMPLE:,} more"]
        return sample, model_count, perms_needed, protected

    def delete_queryset(self, request, queryset):
        with history.deleting_in_bulk(queryset):
            super().delete_queryset(request, queryset)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets whoever may view a record's history post this form, which saves the record:
        # a revert is a change, so it takes the right to change.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # simple-history's page of a version gives whoever may view the record an editable form, only hiding its
        # Revert button from one who may not change it (revert_disabled). To them it shows the version as
        # Django's admin shows a record to a user who may only view it: every field as text.
        if template == self.object_history_form_template and context.get("revert_disabled"):
            context["adminform"] = version_read_only(context["adminform"], self)
        # simple-history's list of versions prints an absent reason (an edit on the form) as "None", and has
        # no block to change that cell alone: the page's versions, already read, show the admin's dash instead.
        if template == self.object_history_template:
            # Its "Changed by" says who or what made each version (never "None"), linking the name to the
            # user's page only for a viewer who may open it (an editor would be answered 403).
            page = context["page_obj"]
            link_user = self.may_view_users(request)
            page.object_list = [VersionListed(version, link_user) for version in page]
            for version in page:
                if version.history_change_reason is None:
                    version.version.history_change_reason = self.get_empty_value_display()
        return super().render_history_view(request, template, context, **kwargs)

    def may_view_users(self, request):
        User = get_user_model()
        return self.admin_site.is_registered(User) and self.admin_site.get_model_admin(User).has_view_permission(
            request
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return VersionChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        # Pressing Revert on a version's page saves the record built from that version (simple-history's
        # history_form_view): the version this makes says which one it went back to, and who did it.
        reason = history.revert_reason(obj, request.user)
        if reason is not None:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def get_data_for_export(self, request, queryset, **kwargs):
        # The rows of the Export button and of the export action: a workbook keeps numbers and dates as such,
        # by the rule `manage.py export` follows (keeps_native_types). The library's own test of the chosen
        # format misses this site's XLSX and would write 14 and 2019-01-01 as text.
        export_form = kwargs.get("export_form")
        if export_form is not None:
            chosen = self.get_export_formats()[int(export_form.cleaned_data["format"])]
            kwargs["force_native_type"] = keeps_native_types(chosen)
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def import_action(self, request, **kwargs):
        if issubclass(self.get_tmp_storage_class(), MediaStorage):
            remove_abandoned_previews()
        try:
            response = super().import_action(request, **kwargs)
        except UploadNotStored:
            self.message_user(request, UPLOAD_NOT_STORED, messages.ERROR)
            return HttpResponseRedirect(request.path)
        # The library keeps each upload until its confirmation; a refused one will never be confirmed.
        stored_name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if stored_name and not response.context_data.get("confirm_form"):
            self.get_tmp_storage_class()(name=stored_name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def write_to_tmp_storage(self, import_file, input_format):
        try:
            return super().write_to_tmp_storage(import_file, input_format)
        except OSError as error:
            logger.error("An import file could not be stored for its preview (%s: %s).", type(error).__name__, error)
            raise UploadNotStored from error

    def process_import(self, request, **kwargs):
        # A second confirmation of one preview (a double click, the back button) finds its upload
        # already removed by the first, as does one confirmed after remove_abandoned_previews.
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            self.message_user(request, ALREADY_IMPORTED, messages.WARNING)
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, UnreadableFile):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def process_result(self, result, request):
        # The records may have changed between preview and confirmation: then nothing is written.
        if result.has_errors() or result.has_validation_errors():
            for line in describe_errors(result)[:50]:
                messages.error(request, line)
            messages.error(request, "Nothing was imported: correct the file and import it again.")
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


class PublishableAdmin(RecordAdmin):
    """A record with a publication status: filters and actions to publish or withdraw it."""

    actions = ["publish", "unpublish"]

    def get_changeform_initial_data(self, request):
        # A new record starts as a draft: it reaches readers when an editor publishes it.
        return {"publication_status": records.PublicationStatus.DRAFT, **super().get_changeform_initial_data(request)}

    @admin.action(description="Publish the selected records", permissions=["change"])
    def publish(self, request, queryset):
        count = history.update_with_history(
            queryset, request.user, "Published from the list", publication_status=records.PublicationStatus.PUBLISHED
        )
        self.message_user(request, f"{count:,} {model_ngettext(self.opts, count)} published.", messages.SUCCESS)

    @admin.action(description="Withdraw the selected records to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        count = history.update_with_history(
            queryset,
            request.user,
            "Withdrawn to draft from the list",
            publication_status=records.PublicationStatus.DRAFT,
        )
        self.message_user(request, f"{count:,} {model_ngettext(self.opts, count)} set back to draft.", messages.SUCCESS)


# ---------------------------------------------------------------------------
# Reference records
# ---------------------------------------------------------------------------


@admin.register(records.Country)
class CountryAdmin(RecordAdmin):
    resource_classes = [resources.CountryResource]
    list_display = ["name", "code", "official_name", "adjective"]
    search_fields = ["name", "official_name", "code", "adjective", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PlaceNameInline(admin.TabularInline):
    model = records.PlaceName
    extra = 1


@admin.register(records.Place)
class PlaceAdmin(RecordAdmin):
    resource_classes = [resources.PlaceResource]
    list_display = ["name", "country", "is_capital", "former_names_list"]
    list_filter = ["country", "is_capital"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "former_names__name", "country__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlaceNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("former_names")

    @admin.display(description="former names")
    def former_names_list(self, place):
        return ", ".join(str(name) for name in place.former_names.all())


@admin.register(records.PlaceName)
class PlaceNameAdmin(RecordAdmin):
    resource_classes = [resources.PlaceNameResource]
    list_display = ["name", "place", "kind", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["name", "place__name"]
    autocomplete_fields = ["place"]


@admin.register(records.Person)
class PersonAdmin(RecordAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["name", "role", "country", "in_office_since_display"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "role"]
    autocomplete_fields = ["country", "source"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="in office since", ordering="in_office_since")
    def in_office_since_display(self, person):
        return person.in_office_since_display()


@admin.register(records.Topic)
class TopicAdmin(RecordAdmin):
    resource_classes = [resources.TopicResource]
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(records.Source)
class SourceAdmin(RecordAdmin):
    resource_classes = [resources.SourceResource]
    list_display = ["title", "publisher", "published_display", "reported_in", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "slug"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["reported_in"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["reported_in"]

    @admin.display(description="publication date", ordering="published_on")
    def published_display(self, source):
        return source.published_display()


class RelationshipLevelInline(admin.TabularInline):
    """A relationship's levels, each as one source dates it: the current level is the latest published one."""

    model = records.RelationshipLevel
    form = RecordForm
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["level", "since", "since_precision", "source", "quote", "publication_status"]


@admin.register(records.Relationship)
class RelationshipAdmin(PublishableAdmin):
    resource_classes = [resources.RelationshipResource]
    list_display = ["__str__", "position", "current_level", "established_display", "anniversary"]
    list_editable = ["position"]
    list_filter = ["publication_status"]
    search_fields = ["slug", "country_a__name", "country_b__name", "levels__level"]
    autocomplete_fields = ["country_a", "country_b", "source"]
    list_select_related = ["country_a", "country_b"]
    readonly_fields = ["anniversary"]
    inlines = [RelationshipLevelInline]
    fieldsets = [
        (None, {"fields": ["slug", "country_a", "country_b", "summary", "position"]}),
        ("Status", {"fields": ["established_on", "established_on_precision", "anniversary"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description="current level (derived from its levels)")
    def current_level(self, relationship):
        step = relationship.current_level()
        if step is None:
            return "—"
        return f"{step.level} since {step.since_year}" if step.since_year else step.level

    @admin.display(description="diplomatic relations since", ordering="established_on")
    def established_display(self, relationship):
        return relationship.established_display()

    @admin.display(description="anniversary (computed)")
    def anniversary(self, relationship):
        return relationship.anniversary_display() if relationship.pk else "—"


@admin.register(records.RelationshipLevel)
class RelationshipLevelAdmin(PublishableAdmin):
    resource_classes = [resources.RelationshipLevelResource]
    list_display = ["level", "relationship", "since_display", "source", "publication_status"]
    list_filter = ["publication_status", "relationship"]
    list_select_related = ["relationship__country_a", "relationship__country_b", "source"]
    search_fields = ["level", "quote", "relationship__slug", "source__title"]
    date_hierarchy = "since"
    autocomplete_fields = ["relationship", "source"]
    fieldsets = [
        (None, {"fields": ["relationship", "level"]}),
        ("Since", {"fields": ["since", "since_precision"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="since", ordering="since")
    def since_display(self, level):
        return level.since_display()


# ---------------------------------------------------------------------------
# The record types of the site
# ---------------------------------------------------------------------------


@admin.register(records.Visit)
class VisitAdmin(PublishableAdmin):
    resource_classes = [resources.VisitResource]
    list_display = ["__str__", "kind", "guest", "host", "place", "dates", "publication_status"]
    list_filter = ["publication_status", "kind", "country", "topics"]
    list_select_related = ["guest", "host", "country", "place"]
    search_fields = ["slug", "guest__name", "host__name", "place__name", "summary", "quote"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["guest", "host", "country", "place", "invited_by", "topics", "source"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "guest", "host", "invited_by"]}),
        (
            "When and where",
            {"fields": ["start_date", "start_date_precision", "end_date", "country", "place", "occasion"]},
        ),
        ("What", {"fields": ["summary", "protocol", "topics"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="dates", ordering="start_date")
    def dates(self, visit):
        return visit.dates_display()


@admin.register(records.Council)
class CouncilAdmin(PublishableAdmin):
    resource_classes = [resources.CouncilResource]
    list_display = ["name", "short_name", "meeting_count", "publication_status"]
    list_filter = ["publication_status", "members"]
    search_fields = ["name", "short_name", "slug", "description"]
    autocomplete_fields = ["members", "source"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "members", "description"]}),
        ("When", {"fields": ["established_on", "established_on_precision"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    @admin.display(description="meetings", ordering="meeting_total")
    def meeting_count(self, council):
        return council.meeting_total


class AgendaItemInline(admin.TabularInline):
    model = records.AgendaItem
    extra = 1
    autocomplete_fields = ["topic"]


class OutcomeInline(admin.StackedInline):
    model = records.Outcome
    extra = 0
    autocomplete_fields = ["source"]


class DatePassedStillScheduledFilter(admin.SimpleListFilter):
    """Meetings whose date is over but still marked scheduled: public pages say 'date passed, outcome not
    yet recorded' of them until an editor records what happened."""

    title = "date passed, still scheduled"
    parameter_name = "date_passed"

    def lookups(self, request, model_admin):
        return [("yes", "Date passed, still scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.date_passed_still_scheduled()
        return queryset


@admin.register(records.CouncilMeeting)
class CouncilMeetingAdmin(PublishableAdmin):
    resource_classes = [resources.CouncilMeetingResource]
    list_display = ["__str__", "council", "number", "date_display", "place", "status", "publication_status"]
    list_filter = ["publication_status", "status", DatePassedStillScheduledFilter, "council"]
    list_select_related = ["council", "place"]
    search_fields = ["council__name", "council__short_name", "summary", "agenda_items__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["council", "place", "co_chairs", "visit", "source"]
    inlines = [AgendaItemInline, OutcomeInline]
    fieldsets = [
        (None, {"fields": ["council", "number", "status", "co_chairs", "visit", "summary"]}),
        ("When and where", {"fields": ["date", "date_precision", "place"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="date", ordering="date")
    def date_display(self, meeting):
        return meeting.date_display()


@admin.register(records.AgendaItem)
class AgendaItemAdmin(RecordAdmin):
    resource_classes = [resources.AgendaItemResource]
    list_display = ["title", "meeting", "position", "topic"]
    list_filter = ["topic"]
    list_select_related = ["meeting__council", "topic"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting", "topic"]


@admin.register(records.Outcome)
class OutcomeAdmin(RecordAdmin):
    resource_classes = [resources.OutcomeResource]
    list_display = ["title", "meeting", "kind", "signed", "count", "source"]
    list_filter = ["kind", "signed"]
    list_select_related = ["meeting__council", "source"]
    search_fields = ["title", "description", "quote"]
    autocomplete_fields = ["meeting", "source"]


@admin.register(records.Mission)
class MissionAdmin(PublishableAdmin):
    resource_classes = [resources.MissionResource]
    list_display = ["__str__", "kind", "sender", "host", "place", "opened_display", "publication_status"]
    list_filter = ["publication_status", "kind", "sender", "host"]
    list_select_related = ["sender", "host", "place"]
    search_fields = ["slug", "place__name", "place__former_names__name", "sender__name", "host__name", "address"]
    autocomplete_fields = ["sender", "host", "place", "source"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "sender", "host", "place"]}),
        ("Details", {"fields": ["opened_on", "opened_on_precision", "address", "website"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="opened", ordering="opened_on")
    def opened_display(self, mission):
        return mission.opened_display()


@admin.register(records.Indicator)
class IndicatorAdmin(RecordAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = ["name", "unit", "has_direction", "is_headline", "position"]
    list_filter = ["is_headline", "has_direction", "topic"]
    list_editable = ["position", "is_headline"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["topic"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(records.Statistic)
class StatisticAdmin(PublishableAdmin):
    resource_classes = [resources.StatisticResource]
    list_display = ["indicator", "relationship", "period", "figure", "direction", "preferred", "publication_status"]
    list_filter = [
        "publication_status",
        "kind",
        "indicator",
        "relationship",
        "qualifier",
        "period_kind",
        "is_preferred",
    ]
    list_select_related = [
        "indicator",
        "relationship__country_a",
        "relationship__country_b",
        "from_country",
        "to_country",
    ]
    search_fields = ["indicator__name", "note", "quote", "source__title"]
    date_hierarchy = "period_end"
    autocomplete_fields = ["indicator", "relationship", "from_country", "to_country", "source"]
    fieldsets = [
        (None, {"fields": ["indicator", "relationship", "kind", "is_preferred"]}),
        ("Figure", {"fields": ["qualifier", "value", "unit", "equivalent_value", "equivalent_unit", "note"]}),
        ("Period", {"fields": ["period_kind", "period_start", "period_end"]}),
        (
            "Target or change",
            {
                "fields": ["stated_on", "stated_on_precision", "horizon_wording", "base_year"],
                "description": "A target: when it was set, and its horizon in the source's words if it gives no year "
                "(period “not stated”). A change: the year it is compared with ('down 5.4% on 2021').",
            },
        ),
        ("Direction", {"fields": ["from_country", "to_country"]}),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="figure", ordering="value")
    def figure(self, statistic):
        return statistic.statement_display()

    @admin.display(description="period", ordering="period_end")
    def period(self, statistic):
        return statistic.period_display()

    @admin.display(description="direction")
    def direction(self, statistic):
        return statistic.direction_display()

    @admin.display(description="preferred value", ordering="is_preferred", empty_value="")
    def preferred(self, statistic):
        # Yes or no for an observed figure, as the admin shows a boolean; nothing for a target or a change,
        # which is never a preferred one (a per-row choice the column's `boolean` option cannot make).
        if statistic.kind != records.Statistic.Kind.FIGURE:
            return None
        return display_for_value(statistic.is_preferred, "", boolean=True)


class OrganizationNameInline(admin.TabularInline):
    model = records.OrganizationName
    extra = 1


class MembershipInline(admin.TabularInline):
    model = records.Membership
    form = RecordForm
    extra = 1
    autocomplete_fields = ["country", "source"]
    fields = ["country", "role", "joined_on", "joined_on_precision", "source", "publication_status"]


@admin.register(records.Organization)
class OrganizationAdmin(PublishableAdmin):
    resource_classes = [resources.OrganizationResource]
    list_display = ["name", "acronym", "kind", "parent", "publication_status"]
    list_filter = ["publication_status", "kind", "memberships__country"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym", "slug", "former_names__name", "description"]
    autocomplete_fields = ["parent", "source"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [OrganizationNameInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "parent", "website", "description"]}),
        ("Founded", {"fields": ["founded_on", "founded_on_precision"]}),
        ("Source", {"fields": ["source"]}),
        PUBLICATION_FIELDSET,
    ]


@admin.register(records.OrganizationName)
class OrganizationNameAdmin(RecordAdmin):
    resource_classes = [resources.OrganizationNameResource]
    list_display = ["name", "organization", "kind", "start_year", "end_year"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(records.Membership)
class MembershipAdmin(PublishableAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["__str__", "organization", "country", "role", "joined_display", "publication_status"]
    list_filter = ["publication_status", "role", "country", "organization"]
    list_select_related = ["organization", "country"]
    search_fields = ["organization__name", "organization__acronym", "country__name"]
    autocomplete_fields = ["organization", "country", "source"]

    @admin.display(description="joined", ordering="joined_on")
    def joined_display(self, membership):
        return membership.joined_display()


@admin.register(records.Milestone)
class MilestoneAdmin(PublishableAdmin):
    resource_classes = [resources.MilestoneResource]
    list_display = ["title", "date_display", "kind", "relationship", "publication_status"]
    list_filter = ["publication_status", "kind", "relationship", "topics"]
    list_select_related = ["relationship__country_a", "relationship__country_b"]
    search_fields = ["title", "slug", "description", "quote"]
    date_hierarchy = "date"
    autocomplete_fields = ["relationship", "topics", "source"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "relationship", "description", "topics"]}),
        (
            "When",
            {
                "fields": ["date", "date_precision", "sort_year", "date_wording"],
                "description": "Without a date, give the year for sorting; the source's own words for a rough "
                "time ('before 1992') are shown instead of the date.",
            },
        ),
        SOURCE_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    @admin.display(description="date", ordering=timeline_date())
    def date_display(self, milestone):
        return milestone.date_display() or f"undated ({milestone.sort_year})"
