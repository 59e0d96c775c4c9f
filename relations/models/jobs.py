"""Long work an editor started (a large import, export or list action), run by a worker as a task.

The record is what the editor finds again under "Your imports and exports": who started it, on which file
or records, when, and how it ended. While it runs, its progress lives in the cache (relations.tasks), written
outside the work's own transaction, which leaves the database as it was until the work is whole.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def started_by(self, user):
        """The jobs a user may see: their own; a superuser's list holds everyone's."""
        return self if user.is_superuser else self.filter(user=user)


class Job(models.Model):
    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Import preview")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        PUBLISH = "publish", _("Publish")
        WITHDRAW = "withdraw", _("Withdraw to draft")
        DELETE = "delete", _("Delete")
        ARTICLE = "article", _("Facts from an article")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        PREVIEWED = "previewed", _("Previewed: waiting for confirmation")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused: nothing written")
        FAILED = "failed", _("Failed: nothing written")
        CANCELLED = "cancelled", _("Cancelled: nothing written")
        STOPPED = "stopped", _("Stopped, nothing written: run it again")

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED, Status.CANCELLED, Status.STOPPED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The registry's name of the record type ("statistics").
    record_type = models.CharField(_("record type"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("started by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    # The file as the editor named it, and where the upload (or the export) waits in the media storage.
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    stored_file = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=20, blank=True)
    # The records a list action is about, by id, as selected when the editor chose the action.
    selected = models.JSONField(default=list, blank=True)
    # The preview this import confirms.
    preview = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("rows or records"), null=True, blank=True)
    # What the editor reads once it ends: counts by kind of row, messages, and a preview's rows and cells.
    outcome = models.JSONField(default=dict, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import, export or list action")
        verbose_name_plural = _("your imports and exports")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        what = self.file_name or self.record_type
        return f"{self.get_kind_display()} · {what} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:relations_job_change", args=[self.pk])

    @property
    def finished(self):
        return self.status in self.FINISHED

    @property
    def reason(self):
        """The reason of the versions it writes, so History names it."""
        what = f"“{self.file_name}”" if self.file_name else f"{len(self.selected):,} selected"
        return f"{self.get_kind_display()} of {what} (job {self.pk})"
