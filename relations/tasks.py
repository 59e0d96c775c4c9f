"""Long work run by a worker (`manage.py db_worker`) rather than in the editor's request, through Django's
tasks framework (the django-tasks backport, with django-tasks-db's database backend on both databases).

A task's writes are one transaction: killed half-way, it leaves the database as it was. Its progress (rows done
of the total, refused so far, when it last moved) is written to the cache, which every process of the site
shares, outside that transaction; a task also beats a heartbeat there while it runs, so a page asking about a
task whose worker died (`kill -9`, a lost host) says it stopped with nothing written.
"""

import datetime
import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop
from django_tasks import task
from django_tasks_db.utils import exclusive_transaction
from import_export.results import RowResult

from . import history
from . import models as records
from .formats import FORMATS_BY_NAME, UnreadableFile, keeps_native_types
from .registry import BY_NAME, RESOURCES
from .resources import describe_errors
from .resources.preview import REFUSED_ROWS_SHOWN

# A job of more records than this runs as a task; fewer are done at once, in the request, as ever.
BACKGROUND_RECORDS = 1000
# Progress is written at most this often (seconds), and the heartbeat beats this often.
PROGRESS_EVERY = 0.5
HEARTBEAT_EVERY = 2
# A running job whose heartbeat is older than this has lost its worker.
HEARTBEAT_LOST = 30
# The records of a list action written between two reports of progress.
BATCH = 500
# An upload larger than this (bytes; about 700 rows of figures) is previewed and imported by a worker.
BACKGROUND_IMPORT_BYTES = 100 * 1024
# An export of more rows than this is written by a worker, and ends with a link to download the file.
BACKGROUND_EXPORT_ROWS = 10_000
# Rows of an export written between two reports of progress.
EXPORT_BATCH = 2000
# Where finished exports wait to be downloaded, in Django's default storage.
EXPORTS = "exports"
# Where uploads wait for their worker, in Django's default storage (a folder, or a bucket several hosts share).
UPLOADS = "imports"

logger = logging.getLogger(__name__)

# Kept in English in the job's outcome, translated when its page is shown (relations.admin.jobs).
FAILED = gettext_noop("The site met an error of its own and wrote nothing. It is in the server's log; try again later.")


class Cancelled(BaseException):  # noqa: N818
    """The editor cancelled the job before it wrote anything: its transaction is rolled back. Not an Exception,
    which django-import-export would take for one row's error and go on to the next row."""


def progress_key(job_pk):
    return f"job-progress-{job_pk}"


def heartbeat_key(job_pk):
    return f"job-heartbeat-{job_pk}"


def cancel_key(job_pk):
    return f"job-cancel-{job_pk}"


def progress_of(job):
    """What the job's page shows while it runs: {'done', 'total', 'refused', 'started', 'seconds_left'}."""
    return cache.get(progress_key(job.pk)) or {}


def worker_lost(job):
    """Whether a running job's worker died: no heartbeat for HEARTBEAT_LOST seconds."""
    beat = cache.get(heartbeat_key(job.pk))
    if beat is None:
        started = job.outcome.get("started_at")
        beat = started if started is not None else job.created_at.timestamp()
    return time.time() - beat > HEARTBEAT_LOST


def notice_lost_worker(job):
    """A running job whose worker died is marked stopped: its transaction died with it, nothing was written."""
    if job.status == records.Job.Status.RUNNING and worker_lost(job):
        updated = records.Job.objects.filter(pk=job.pk, status=records.Job.Status.RUNNING).update(
            status=records.Job.Status.STOPPED, finished_at=timezone.now()
        )
        if updated:
            job.refresh_from_db()
    return job


def cancel(job):
    """Stop a job before it writes: one still waiting never starts; a running one stops at its next report."""
    cache.set(cancel_key(job.pk), True, timeout=None)
    records.Job.objects.filter(pk=job.pk, status=records.Job.Status.WAITING).update(
        status=records.Job.Status.CANCELLED, finished_at=timezone.now()
    )


class Progress:
    """A running job's progress and heartbeat in the cache. `advance` may be called for every row: it writes
    at most every PROGRESS_EVERY seconds, and then raises Cancelled if the editor has cancelled the job (asking the
    cache for every row cost 80 µs a row, a tenth of an import's time)."""

    def __init__(self, job, total):
        self.job = job
        self.total = total
        self.done = 0
        self.refused = 0
        self.started = time.time()
        self.written = 0.0
        self.stopped = threading.Event()
        self.beating = threading.Thread(target=self.beat, daemon=True)

    def __enter__(self):
        self.beating.start()
        self.write()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.beating.join()
        cache.delete(heartbeat_key(self.job.pk))
        return False

    def beat(self):
        while True:
            cache.set(heartbeat_key(self.job.pk), time.time(), timeout=HEARTBEAT_LOST * 10)
            if self.stopped.wait(HEARTBEAT_EVERY):
                return

    def advance(self, done=None, refused=None, writing=False):
        self.done = self.done + 1 if done is None else done
        if refused is not None:
            self.refused = refused
        if time.time() - self.written >= PROGRESS_EVERY or self.done == self.total:
            if not writing and cache.get(cancel_key(self.job.pk)):
                raise Cancelled
            self.write()

    def write(self):
        self.written = time.time()
        elapsed = self.written - self.started
        left = None
        if self.total and self.done:
            left = round(elapsed / self.done * (self.total - self.done))
        cache.set(
            progress_key(self.job.pk),
            {"done": self.done, "total": self.total, "refused": self.refused, "seconds_left": left},
            timeout=24 * 3600,
        )


# A file waits this long for its download or its confirmation; then it is removed.
FILES_KEPT = datetime.timedelta(days=1)


def remove_old_files():
    """Remove the files of jobs that ended, and of previews left unconfirmed, longer than FILES_KEPT ago."""
    before = timezone.now() - FILES_KEPT
    old = records.Job.objects.exclude(stored_file="").filter(
        status__in=[*records.Job.FINISHED, records.Job.Status.PREVIEWED], finished_at__lt=before
    )
    # A confirmed preview's file is its import's, which may be waiting or running still.
    in_use = set(
        records.Job.objects.filter(status__in=[records.Job.Status.WAITING, records.Job.Status.RUNNING]).values_list(
            "stored_file", flat=True
        )
    )
    for stored in set(old.values_list("stored_file", flat=True)) - in_use:
        default_storage.delete(stored)
    old.filter(status=records.Job.Status.PREVIEWED).update(status=records.Job.Status.CANCELLED)
    old.update(stored_file="")


def writing():
    """The job's one transaction. On SQLite it takes the write lock as it begins (django-tasks-db's own way to
    begin one so): a transaction that reads first and writes later fails at once ("database is locked") when
    another connection wrote in between, as a web request saving a session does, whatever the busy timeout."""
    return exclusive_transaction()


def enqueue(**fields):
    """Make a job of `fields` and queue the task that runs its kind: the one way work reaches a worker."""
    job = records.Job.objects.create(**fields)
    if job.total is None and job.selected:
        job.total = len(job.selected)
    runs = {
        records.Job.Kind.PREVIEW: run_import,
        records.Job.Kind.IMPORT: run_import,
        records.Job.Kind.EXPORT: run_export,
        records.Job.Kind.ARTICLE: run_article,
    }
    job.task_id = str(runs.get(job.kind, run_list_action).enqueue(job.pk).id)
    job.save(update_fields=["total", "task_id"])
    return job


def start(job):
    """Mark a waiting job running; False when it was cancelled (or already taken) meanwhile."""
    remove_old_files()
    started = records.Job.objects.filter(pk=job.pk, status=records.Job.Status.WAITING).update(
        status=records.Job.Status.RUNNING, outcome={**job.outcome, "started_at": time.time()}
    )
    job.refresh_from_db()
    return bool(started)


def failed(job):
    """A fault of ours: the editor is told plainly, the log gets the traceback (the task's result keeps it too)."""
    logger.exception("Job %s (%s of %s) failed.", job.pk, job.kind, job.record_type)
    finish(job, records.Job.Status.FAILED, messages=[FAILED])


def finish(job, status, **outcome):
    job.status = status
    job.finished_at = timezone.now()
    job.outcome = {**job.outcome, **outcome}
    job.save(update_fields=["status", "finished_at", "outcome"])


LIST_ACTIONS = {
    records.Job.Kind.PUBLISH: ("publication_status", records.PublicationStatus.PUBLISHED),
    records.Job.Kind.WITHDRAW: ("publication_status", records.PublicationStatus.DRAFT),
}


@task()
def run_list_action(job_pk):
    """Publish, withdraw or delete the records a job selected, all of them or none."""
    job = records.Job.objects.get(pk=job_pk)
    if not start(job):
        return
    model = BY_NAME[job.record_type].model
    ids = job.selected
    try:
        with Progress(job, len(ids)) as progress, writing():
            for first in range(0, len(ids), BATCH):
                batch = model._default_manager.filter(pk__in=ids[first : first + BATCH])
                if job.kind == records.Job.Kind.DELETE:
                    with history.acting_as(job.user, job.reason), history.deleting_in_bulk(batch):
                        batch.delete()
                else:
                    field, value = LIST_ACTIONS[job.kind]
                    history.update_with_history(batch, job.user, job.reason, **{field: value})
                progress.advance(min(first + BATCH, len(ids)))
    except Cancelled:
        finish(job, records.Job.Status.CANCELLED)
    except Exception:
        failed(job)
        raise
    else:
        finish(job, records.Job.Status.DONE, counts={"done": len(ids)})


def keep_upload(upload):
    """Store an uploaded file where every web and worker host finds it (Django's default storage): its name."""
    return default_storage.save(f"{UPLOADS}/{upload.name}", ContentFile(b"".join(upload.chunks())))


@dataclass
class KeptPreview:
    """An import's preview kept with its job (as JSON), in the shape the admin's preview templates read from the
    library's Result (relations.resources.preview.PreviewResult): counts, the first rows of each kind with
    their cells, the first refused rows with their messages."""

    counts: dict
    totals: dict
    diff_headers: list
    changed_rows_shown: list = field(default_factory=list)
    new_rows_shown: list = field(default_factory=list)
    refused_rows_shown: list = field(default_factory=list)
    messages: list = field(default_factory=list)

    @classmethod
    def of(cls, result):
        def shown(rows):
            return [
                {"number": row.number, "import_type": row.import_type, "diff": [str(cell) for cell in row.diff]}
                for row in rows
            ]

        refused = [
            {
                "number": invalid.number,
                "errors": [[column, list(messages)] for column, messages in invalid.error_dict.items()],
                "values": [None if value is None else str(value) for value in invalid.values],
            }
            for invalid in result.refused_rows_shown
        ]
        return cls(
            counts=result.counts,
            totals=dict(result.totals),
            diff_headers=list(result.diff_headers),
            changed_rows_shown=shown(result.changed_rows_shown),
            new_rows_shown=shown(result.new_rows_shown),
            refused_rows_shown=refused,
            messages=describe_errors(result)[:REFUSED_ROWS_SHOWN] if result.has_errors() else [],
        )

    @classmethod
    def load(cls, kept):
        preview = cls(**kept)
        for row in (*preview.changed_rows_shown, *preview.new_rows_shown):
            # The cells' HTML was written by relations.resources.preview.cell_html, which escapes the file's text.
            row["diff"] = [mark_safe(cell) for cell in row["diff"]]  # noqa: S308
        for row in preview.refused_rows_shown:
            row["field_specific_errors"] = {
                column: messages for column, messages in row["errors"] if column != NON_FIELD_ERRORS
            }
            row["non_field_specific_errors"] = [
                m for column, messages in row["errors"] if column == NON_FIELD_ERRORS for m in messages
            ]
        return preview

    @property
    def refused(self):
        return bool(self.refused_rows_shown or self.messages)

    @property
    def changed_rows_not_shown(self):
        return self.totals.get(RowResult.IMPORT_TYPE_UPDATE, 0) - len(self.changed_rows_shown)

    @property
    def new_rows_not_shown(self):
        return self.totals.get(RowResult.IMPORT_TYPE_NEW, 0) - len(self.new_rows_shown)

    @property
    def refused_rows_not_shown(self):
        return max(int(self.counts.get("refused", "0").replace(",", "")) - len(self.refused_rows_shown), 0)


@task()
def run_import(job_pk):
    """Preview an uploaded file (a dry run, rolled back) or import it (confirming a preview), whole or not at all."""
    job = records.Job.objects.get(pk=job_pk)
    if not start(job):
        return
    previewing = job.kind == records.Job.Kind.PREVIEW
    try:
        with default_storage.open(job.stored_file, "rb") as stored:
            dataset = FORMATS_BY_NAME[job.file_format]().create_dataset(stored.read())
        records.Job.objects.filter(pk=job.pk).update(total=len(dataset))
        with Progress(job, len(dataset)) as progress, writing():
            result = RESOURCES[job.record_type]().import_data(
                dataset,
                dry_run=previewing,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                file_name=job.file_name,
                user=job.user,
                progress=progress,
                change_reason=job.reason,
            )
            refused = result.totals[RowResult.IMPORT_TYPE_INVALID] + result.totals[RowResult.IMPORT_TYPE_ERROR]
            progress.advance(len(dataset), refused=refused, writing=True)
    except Cancelled:
        finish(job, records.Job.Status.CANCELLED)
        return
    except UnreadableFile as error:
        finish(job, records.Job.Status.REFUSED, messages=[str(error)])
        return
    except Exception:
        failed(job)
        raise
    preview = KeptPreview.of(result)
    if preview.refused:
        finish(job, records.Job.Status.REFUSED, preview=vars(preview))
    elif previewing:
        finish(job, records.Job.Status.PREVIEWED, preview=vars(preview))
    else:
        default_storage.delete(job.stored_file)
        finish(job, records.Job.Status.DONE, preview=vars(preview), counts=preview.counts)


@task()
def run_export(job_pk):
    """Write the selected records as a file in the chosen format and columns, kept until downloaded."""
    job = records.Job.objects.get(pk=job_pk)
    if not start(job):
        return
    resource = RESOURCES[job.record_type]()
    file_format = FORMATS_BY_NAME[job.file_format]()
    options = {"export_fields": job.outcome.get("fields"), "force_native_type": keeps_native_types(type(file_format))}
    # The file's rows in the order of their natural keys, as every export of the site writes them.
    ordered = resource.filter_export(BY_NAME[job.record_type].model._default_manager.filter(pk__in=job.selected))
    ids = list(ordered.values_list("pk", flat=True))
    try:
        with Progress(job, len(ids)) as progress:
            dataset = None
            for first in range(0, len(ids), EXPORT_BATCH):
                part = resource.export(queryset=ordered.filter(pk__in=ids[first : first + EXPORT_BATCH]), **options)
                if dataset is None:
                    dataset = part
                else:
                    dataset.extend(part)
                progress.advance(min(first + EXPORT_BATCH, len(ids)))
            name = f"{EXPORTS}/{job.file_name}"
            stored = default_storage.save(name, ContentFile(file_format.export_data(dataset)))
    except Cancelled:
        finish(job, records.Job.Status.CANCELLED)
        return
    except Exception:
        failed(job)
        raise
    job.stored_file = stored
    job.save(update_fields=["stored_file"])
    finish(job, records.Job.Status.DONE, counts={"rows": f"{len(ids):,}"})


# An article of more words than this is read by a worker; a news article (a few hundred to 2,000 words, about a
# second a thousand words on a 2-core machine) is read in the request.
BACKGROUND_ARTICLE_WORDS = 3000


@task()
def run_article(job_pk):
    """Find the facts of an article and check them as an import would: the review waits in the job's outcome for
    its editor (relations.admin.articles), nothing written."""
    from .extraction.review import Review

    job = records.Job.objects.get(pk=job_pk)
    if not start(job):
        return
    article = job.outcome["article"]
    try:
        with Progress(job, None) as progress, writing():
            review = Review.of_article(
                article["text"],
                title=article["title"],
                published_on=datetime.date.fromisoformat(article["published_on"]),
                source=article["source"],
                user=job.user,
                progress=progress,
            )
    except Cancelled:
        finish(job, records.Job.Status.CANCELLED)
    except Exception:
        failed(job)
        raise
    else:
        finish(job, records.Job.Status.DONE, review=review.as_data(), counts=review.counts())
