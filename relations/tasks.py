"""Long work run by a worker (`manage.py db_worker`) rather than in the editor's request, through Django's
tasks framework (the django-tasks backport, with django-tasks-db's database backend on both databases).

A task's writes are one transaction: killed half-way, it leaves the database as it was. Its progress (rows done
of the total, refused so far, when it last moved) is written to the cache, which every process of the site
shares, outside that transaction; a task also beats a heartbeat there while it runs, so a page asking about a
task whose worker died (`kill -9`, a lost host) says it stopped with nothing written.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import history
from . import models as records
from .registry import RECORD_TYPES

# A job of more records than this runs as a task; fewer are done at once, in the request, as ever.
BACKGROUND_RECORDS = 1000
# Progress is written at most this often (seconds), and the heartbeat beats this often.
PROGRESS_EVERY = 0.5
HEARTBEAT_EVERY = 2
# A running job whose heartbeat is older than this has lost its worker.
HEARTBEAT_LOST = 30
# The records of a list action written between two reports of progress.
BATCH = 500

logger = logging.getLogger(__name__)

FAILED = "The site met an error of its own and wrote nothing. It is in the server's log; try again later."

MODELS = {record_type.name: record_type.model for record_type in RECORD_TYPES}


class Cancelled(Exception):
    """The editor cancelled the job before it wrote anything: its transaction is rolled back."""


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
    at most every PROGRESS_EVERY seconds, and raises Cancelled once the editor has cancelled the job."""

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
        if not writing and cache.get(cancel_key(self.job.pk)):
            raise Cancelled
        if time.time() - self.written >= PROGRESS_EVERY or self.done == self.total:
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


def start(job):
    """Mark a waiting job running; False when it was cancelled (or already taken) meanwhile."""
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
    model = MODELS[job.record_type]
    ids = job.selected
    try:
        with Progress(job, len(ids)) as progress, transaction.atomic():
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
