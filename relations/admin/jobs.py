"""Your imports and exports: the long work an editor started, its progress while a worker runs it, its end."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import models as records
from .. import tasks
from ..extraction.review import status_label
from ..registry import BY_NAME

# Jobs that wrote nothing, which their editor may run again as they were (the same file, or the same records).
AGAIN = (records.Job.Status.STOPPED, records.Job.Status.FAILED, records.Job.Status.CANCELLED)

# A page of a job still running reloads itself this often (seconds): no script, the Content Security Policy
# forbids inline ones.
REFRESH_SECONDS = 2

# What a finished job counted, by the key its outcome keeps (a review's counts are keyed by its rows' statuses).
COUNT_LABELS = {"done": gettext_lazy("done"), "rows": gettext_lazy("rows")}


def count_label(key):
    return COUNT_LABELS.get(key) or status_label(key)


@admin.register(records.Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "record_type", "user", "status", "created_at", "finished_at")
    list_filter = ("status", "kind")
    list_per_page = 50

    # Every editor sees the work they started (a superuser, everyone's); jobs are made by imports, exports and
    # list actions, never by hand.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or request.user.is_superuser or obj.user_id == request.user.pk
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).started_by(request.user).select_related("user")

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Your imports and exports"), **(extra_context or {})})

    def get_urls(self):
        return [
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="relations_job_cancel"),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="relations_job_confirm"),
            path("<int:pk>/download/", self.admin_site.admin_view(self.download_view), name="relations_job_download"),
            path("<int:pk>/again/", self.admin_site.admin_view(self.again_view), name="relations_job_again"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(self.get_queryset(request), pk=object_id)
        tasks.notice_lost_worker(job)
        progress = tasks.progress_of(job) if job.status == records.Job.Status.RUNNING else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "progress": progress,
            "done": f"{progress.get('done', 0):,}",
            "total": f"{progress.get('total') or 0:,}",
            "rows": None if job.total is None else f"{job.total:,}",
            "percent": round(100 * progress["done"] / progress["total"]) if progress.get("total") else None,
            "refresh": None if job.finished or job.status == records.Job.Status.PREVIEWED else REFRESH_SECONDS,
            "may_cancel": job.status in (records.Job.Status.WAITING, records.Job.Status.RUNNING),
            "may_run_again": job.status in AGAIN and (job.stored_file or job.selected),
            "result": tasks.KeptPreview.load(job.outcome["preview"]) if "preview" in job.outcome else None,
            # The job's counts and messages, kept in English in its outcome, in the editor's language (a message
            # the site wrote without parameters, tasks.FAILED, is translated; one with them stays as written).
            "counts": [(count_label(key), count) for key, count in job.outcome.get("counts", {}).items()],
            "outcome_messages": [_(message) for message in job.outcome.get("messages", [])],
            "list_url": reverse(f"admin:relations_{BY_NAME[job.record_type].model._meta.model_name}_changelist"),
        }
        return TemplateResponse(request, "admin/relations/job/progress.html", context)

    def cancel_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST" and not job.finished:
            tasks.cancel(job)
            self.message_user(request, _("Cancelled: nothing will be written."), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:relations_job_change", args=[job.pk]))

    def confirm_view(self, request, pk):
        """Import the file a preview read, once: a second confirmation (a double click, the back button) finds the
        preview already confirmed and goes to the import it started."""
        preview = get_object_or_404(self.get_queryset(request), pk=pk, kind=records.Job.Kind.PREVIEW)
        model_admin = self.admin_site.get_model_admin(BY_NAME[preview.record_type].model)
        if request.method != "POST" or not model_admin.has_import_permission(request):
            raise PermissionDenied
        with transaction.atomic():
            confirmed = records.Job.objects.filter(pk=preview.pk, status=records.Job.Status.PREVIEWED).update(
                status=records.Job.Status.DONE, finished_at=timezone.now()
            )
            if not confirmed:
                started = records.Job.objects.filter(preview=preview).first()
                self.message_user(request, _("This preview was already confirmed."), messages.WARNING)
                return HttpResponseRedirect((started or preview).get_absolute_url())
            job = tasks.enqueue(
                kind=records.Job.Kind.IMPORT,
                record_type=preview.record_type,
                user=request.user,
                file_name=preview.file_name,
                stored_file=preview.stored_file,
                file_format=preview.file_format,
                preview=preview,
                total=preview.total,
            )
        return HttpResponseRedirect(job.get_absolute_url())

    def download_view(self, request, pk):
        """The file an export job wrote, for the editor who started it."""
        job = get_object_or_404(
            self.get_queryset(request), pk=pk, kind=records.Job.Kind.EXPORT, status=records.Job.Status.DONE
        )
        try:
            stored = default_storage.open(job.stored_file, "rb")
        except OSError:
            raise Http404(_("This file is no longer kept: export the records again.")) from None
        return FileResponse(stored, as_attachment=True, filename=job.file_name)

    def again_view(self, request, pk):
        """Run a job that wrote nothing (stopped with its worker, failed, cancelled) again, as it was."""
        job = get_object_or_404(self.get_queryset(request), pk=pk, status__in=AGAIN)
        model_admin = self.admin_site.get_model_admin(BY_NAME[job.record_type].model)
        if request.method != "POST" or not model_admin.has_change_permission(request):
            raise PermissionDenied
        if job.stored_file and not default_storage.exists(job.stored_file):
            self.message_user(request, _("This file is no longer kept: upload it again."), messages.ERROR)
            return HttpResponseRedirect(job.get_absolute_url())
        again = tasks.enqueue(
            kind=job.kind,
            record_type=job.record_type,
            user=request.user,
            file_name=job.file_name,
            stored_file=job.stored_file,
            file_format=job.file_format,
            selected=job.selected,
            preview=job.preview,
            total=job.total,
            outcome={key: value for key, value in job.outcome.items() if key == "fields"},
        )
        return HttpResponseRedirect(again.get_absolute_url())
