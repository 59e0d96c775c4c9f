"""What every record type's admin shares: history with restore, import and export, publishing."""

import logging

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import NestedObjects, model_ngettext
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from import_export.admin import ImportExportActionModelAdmin
from import_export.tmp_storages import MediaStorage
from simple_history.admin import SimpleHistoryAdmin

from .. import history, languages, tasks
from .. import models as records
from ..formats import FORMATS, FORMATS_BY_NAME, UnreadableFile, keeps_native_types
from ..registry import OF_MODEL
from ..resources import describe_errors
from .forms import ExportFileForm, ImportFileForm, RecordForm
from .uploads import ALREADY_IMPORTED, UPLOAD_NOT_STORED, UploadNotStored, remove_abandoned_previews
from .versions import VersionChanges, VersionListed, version_read_only

logger = logging.getLogger(__name__)

SOURCE_FIELDSET = (gettext_lazy("Source"), {"fields": ("source", "quote", "reader_note")})
PUBLICATION_FIELDSET = (gettext_lazy("Publication"), {"fields": ("publication_status",)})


# Records named on the confirmation page of a deletion from the list; the others are counted.
DELETION_SAMPLE = 20

# The resource of each record type, as the registry pairs them: its import and export in the admin.
FORMAT_NAMES = {format_class: name for name, format_class in FORMATS_BY_NAME.items()}


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

    def get_fieldsets(self, request, obj=None):
        """The record type's fieldsets, with its translations in one fieldset of their own at the end, each beside
        the others of its field ('Summary (tr)', 'Summary (kk)', 'Summary (ru)'), folded until opened."""
        fieldsets = super().get_fieldsets(request, obj)
        translations = [field.name for field in self.model._meta.fields if languages.is_translation(field.name)]
        if not translations:
            return fieldsets
        shown = [
            (name, {**options, "fields": [field for field in options["fields"] if field not in translations]})
            for name, options in fieldsets
        ]
        return [*shown, (gettext_lazy("Translations"), {"fields": translations, "classes": ["collapse"]})]

    delete_selected_confirmation_template = "admin/relations/delete_selected_confirmation.html"
    # Ours in place of the site's action of that name: a large selection is deleted by a worker.
    actions = ["delete_selected"]

    def get_resource_classes(self, request):
        # The record type's resource from the registry, which pairs each model with its resource once.
        return [OF_MODEL[self.model].resource]

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
        more = selected - DELETION_SAMPLE
        sample.append(
            ngettext("… and %(count)s more %(records)s", "… and %(count)s more %(records)s", more)
            % {"count": f"{more:,}", "records": self.opts.verbose_name_plural}
        )
        protected = [str(record) for record in collector.protected]
        if len(protected) > DELETION_SAMPLE:
            more = len(protected) - DELETION_SAMPLE
            protected = [
                *protected[:DELETION_SAMPLE],
                ngettext("… and %(count)s more", "… and %(count)s more", more) % {"count": f"{more:,}"},
            ]
        return sample, model_count, perms_needed, protected

    @admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request, queryset):
        """Django's action, its confirmation page included; once confirmed, more than tasks.BACKGROUND_RECORDS
        records are deleted by a worker, all or none, the editor following its progress."""
        if request.POST.get("post") and queryset.count() > tasks.BACKGROUND_RECORDS:
            _, _, perms_needed, protected = self.get_deleted_objects(queryset, request)
            if not protected:
                if perms_needed:
                    raise PermissionDenied
                return self.start_job(request, queryset, records.Job.Kind.DELETE)
        return delete_selected(self, request, queryset)

    def start_job(self, request, queryset, kind):
        """Hand a list action on the selected records to a worker; the editor is taken to its progress page."""
        return self.hand_to_worker(request, kind, selected=list(queryset.values_list("pk", flat=True)))

    def hand_to_worker(self, request, kind, **fields):
        """Make a job of this record type for a worker (relations.tasks); the editor is taken to its page."""
        job = tasks.enqueue(kind=kind, record_type=OF_MODEL[self.model].name, user=request.user, **fields)
        return HttpResponseRedirect(job.get_absolute_url())

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

    def export_action(self, request):
        """The library's export page; an export of more than tasks.BACKGROUND_EXPORT_ROWS rows is written by a
        worker, and its job's page ends with the link to the file. The form is read as the library reads it (its
        export_action offers no hook between reading the form and writing the file)."""
        if request.method == "POST" and self.has_export_permission(request) and "export_items" not in request.POST:
            formats = self.get_export_formats()
            form = self.get_export_form_class()(formats, self.get_export_resource_classes(request), data=request.POST)
            if form.is_valid():
                queryset = self.get_export_queryset(request)
                if queryset.count() > tasks.BACKGROUND_EXPORT_ROWS:
                    chosen = formats[int(form.cleaned_data["format"])]
                    return self.export_in_background(request, queryset, form, chosen)
        return super().export_action(request)

    def export_in_background(self, request, queryset, form, chosen):
        return self.hand_to_worker(
            request,
            records.Job.Kind.EXPORT,
            file_name=self.get_export_filename(request, queryset, chosen()),
            file_format=FORMAT_NAMES[chosen],
            selected=list(queryset.values_list("pk", flat=True)),
            outcome={"fields": self.get_export_resource_fields_from_form(form)},
        )

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
        if request.method == "POST" and self.has_import_permission(request):
            import_form = self.create_import_form(request)
            if import_form.is_valid() and import_form.cleaned_data["import_file"].size > tasks.BACKGROUND_IMPORT_BYTES:
                return self.import_in_background(request, import_form)
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

    def import_in_background(self, request, import_form):
        """A large file is previewed by a worker: the editor follows it, then confirms on the job's page."""
        upload = import_form.cleaned_data["import_file"]
        chosen = self.get_import_formats()[int(import_form.cleaned_data["format"])]
        try:
            stored = tasks.keep_upload(upload)
        except OSError as error:
            logger.error("An import file could not be stored for its preview (%s: %s).", type(error).__name__, error)
            self.message_user(request, UPLOAD_NOT_STORED, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return self.hand_to_worker(
            request,
            records.Job.Kind.PREVIEW,
            file_name=upload.name,
            stored_file=stored,
            file_format=FORMAT_NAMES[chosen],
        )

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
            messages.error(request, gettext("Nothing was imported: correct the file and import it again."))
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


class PublishableAdmin(RecordAdmin):
    """A record with a publication status: filters and actions to publish or withdraw it."""

    actions = [*RecordAdmin.actions, "publish", "unpublish"]

    def get_changeform_initial_data(self, request):
        # A new record starts as a draft: it reaches readers when an editor publishes it.
        return {"publication_status": records.PublicationStatus.DRAFT, **super().get_changeform_initial_data(request)}

    @admin.action(description=gettext_lazy("Publish the selected records"), permissions=["change"])
    def publish(self, request, queryset):
        if queryset.count() > tasks.BACKGROUND_RECORDS:
            return self.start_job(request, queryset, records.Job.Kind.PUBLISH)
        count = history.update_with_history(
            queryset, request.user, "Published from the list", publication_status=records.PublicationStatus.PUBLISHED
        )
        self.message_user(
            request,
            ngettext("%(count)s %(records)s published.", "%(count)s %(records)s published.", count)
            % {"count": f"{count:,}", "records": model_ngettext(self.opts, count)},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Withdraw the selected records to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        if queryset.count() > tasks.BACKGROUND_RECORDS:
            return self.start_job(request, queryset, records.Job.Kind.WITHDRAW)
        count = history.update_with_history(
            queryset,
            request.user,
            "Withdrawn to draft from the list",
            publication_status=records.PublicationStatus.DRAFT,
        )
        self.message_user(
            request,
            ngettext("%(count)s %(records)s set back to draft.", "%(count)s %(records)s set back to draft.", count)
            % {"count": f"{count:,}", "records": model_ngettext(self.opts, count)},
            messages.SUCCESS,
        )
