"""Your imports and exports: the long work an editor started, its progress while a worker runs it, its end."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .. import models as records
from .. import tasks

# A page of a job still running reloads itself this often (seconds): no script, the Content Security Policy
# forbids inline ones.
REFRESH_SECONDS = 2


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

    def get_urls(self):
        return [
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="relations_job_cancel"),
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
            "percent": round(100 * progress["done"] / progress["total"]) if progress.get("total") else None,
            "refresh": None if job.finished or job.status == records.Job.Status.PREVIEWED else REFRESH_SECONDS,
            "may_cancel": job.status in (records.Job.Status.WAITING, records.Job.Status.RUNNING),
        }
        return TemplateResponse(request, "admin/relations/job/progress.html", context)

    def cancel_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST" and not job.finished:
            tasks.cancel(job)
            self.message_user(request, _("Cancelled: nothing will be written."), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:relations_job_change", args=[job.pk]))
