"""A statistics file's way through a worker, as an editor meets it: uploaded in the admin, previewed by a worker
(`manage.py db_worker`, a process of its own), confirmed, imported; while a reader asks for a public page and the
editor's job page reloads, each request timed.

    python benchmarks/background.py [--rows 1000,10000,100000] [--one-worker] [--json]

For each size: the floors of the same rows in this process (simple-history's bulk_create_with_history, and the
driver's bulk API with the versions: benchmarks/statistics_rows.py), then three uploads of the file, each previewed
and confirmed: its rows new, the same file again (unchanged), and the file with every value changed. Each job runs
in a worker started for it alone, so that its peak memory (VmHWM) is that job's; with --one-worker (the tiny run of
`run.py --quick`, which only proves that the way through a worker works) one worker takes the three jobs, a few
seconds less, and its peak memory is then its peak so far.

The site is configured as on one host with production settings: a scratch SQLite database (or BENCH_DATABASE_URL,
emptied), django-tasks-db's queue, and the file-based cache in a scratch folder, which this process (the admin's
pages, through Django's test client) and the worker share, as the site's processes share it without REDIS_URL.
The page cache is off, so that every public request reads the database the worker writes.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import PRODUCTION, render_background  # noqa: E402

scratch = tempfile.mkdtemp(prefix="relations-bgbench-")
os.environ.update(
    {
        **PRODUCTION,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/site.sqlite3"),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_CACHE_DIR": f"{scratch}/cache",
        "DJANGO_MEDIA_ROOT": f"{scratch}/media",
        "DJANGO_SESSION_DIR": f"{scratch}/sessions",
        "DJANGO_PAGE_CACHE": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
)
# The worker and this process share the cache only if both use the folder: not a Redis named by the caller's shell.
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from import_export.results import RowResult  # noqa: E402

from benchmarks.statistics_rows import FLOORS, export_files, measure_floors, prepare  # noqa: E402
from relations import models as records  # noqa: E402
from relations import tasks  # noqa: E402
from relations.formats import FORMATS  # noqa: E402

CSV = str([format_class.__name__ for format_class in FORMATS].index("CSV"))
# The editor's page reloads every 2 s; here the reader and the editor ask again 0.25 s after each answer, so that
# a slow moment is not missed.
PAUSE = 0.25
POLL = 0.1
PUBLIC_PAGE = "/statistics/"
# The longest a job may take before the benchmark gives up on it.
TIMEOUT = 1800


def megabytes(pid, key):
    """A process's VmRSS (now) or VmHWM (its peak so far), in MB, as the kernel counts it."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return None


@contextlib.contextmanager
def worker(log_path):
    """`manage.py db_worker` with this site's environment, as `make run` starts it (interval 0.2 s rather than
    0.5 s, so that waiting for the next poll weighs less in the times); yields it once it polls the queue."""
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            # No random delay before its first poll: the benchmark waits until it polls anyway.
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_LOG_LEVEL": "INFO"},  # INFO: it says when it starts polling
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.time() + 120
        while "Starting worker" not in Path(log_path).read_text():
            if process.poll() is not None or time.time() > deadline:
                raise SystemExit(f"The worker did not start:\n{Path(log_path).read_text()[-3000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


class Readers(threading.Thread):
    """A reader asking for a public page and the editor's job page reloading, one after the other until stopped,
    each request timed (Django's test client, in this process: the server's time, without a network)."""

    def __init__(self, editor):
        super().__init__(daemon=True)
        # Signed in on a client of its own: the test client is not made to be shared between threads.
        self.editor = editor
        self.job_url = None
        self.stopping = threading.Event()
        self.seconds = {"public": [], "job": []}
        self.errors = []

    def run(self):
        reader = Client()
        try:
            while not self.stopping.is_set():
                for kind, client, url in (("public", reader, PUBLIC_PAGE), ("job", self.editor, self.job_url)):
                    if url is None:
                        continue
                    started = time.perf_counter()
                    try:
                        status = client.get(url).status_code
                    except Exception as error:  # counted, not fatal: the run says how many failed
                        status = f"{type(error).__name__}: {error}"
                    self.seconds[kind].append(time.perf_counter() - started)
                    if status != 200:
                        self.errors.append(f"{url}: {status}")
                self.stopping.wait(PAUSE)
        finally:
            connection.close()  # this thread's own connection

    def stop(self):
        self.stopping.set()
        self.join()
        return {
            "slowest_public_s": max(self.seconds["public"], default=0),
            "slowest_job_page_s": max(self.seconds["job"], default=0),
            "requests": sum(len(times) for times in self.seconds.values()),
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
        }


def timed_get(client, url):
    started = time.perf_counter()
    client.get(url)
    return time.perf_counter() - started


def follow(job, since, log_path):
    """Watch a job as its page does (status in the database, progress in the cache) until it ends: seconds from
    `since` to its first progress shown, and to its end."""
    first = None
    deadline = time.time() + TIMEOUT
    while True:
        job.refresh_from_db()
        now = time.perf_counter() - since
        # What JobAdmin.change_view shows: a running job's progress, from the cache the worker writes.
        if first is None and job.status == records.Job.Status.RUNNING and tasks.progress_of(job):
            first = now
        if job.status == records.Job.Status.PREVIEWED or job.finished:
            break
        if time.time() > deadline:
            raise SystemExit(f"Job {job.pk} still {job.status} after {TIMEOUT} s")
        time.sleep(POLL)
    if job.status not in (records.Job.Status.PREVIEWED, records.Job.Status.DONE):
        messages = job.outcome.get("messages") or job.outcome.get("preview", {}).get("messages")
        raise SystemExit(f"Job {job.pk} ended {job.status}: {messages}\n{Path(log_path).read_text()[-3000:]}")
    return first, now


def run_job(editor, watcher, name, data, rows, expected, process, log_path):
    """Upload `data` in the admin as `editor` does, follow its preview, confirm it, follow its import; taken by the
    worker `process` (its log at `log_path`), and the readers' requests timed meanwhile (the job's page through
    `watcher`)."""
    readers = Readers(watcher)
    figures = {"worker_start_mb": megabytes(process.pid, "VmRSS")}
    # The public page's own cost at this size, no job running: what the worker adds is the difference.
    figures["public_without_job_s"] = max(timed_get(Client(), PUBLIC_PAGE) for _ in range(3))
    readers.start()
    started = time.perf_counter()
    upload = SimpleUploadedFile(f"statistics-{rows}-{name}.csv", data, content_type="text/csv")
    answer = editor.post(reverse("admin:relations_statistic_import"), {"format": CSV, "import_file": upload})
    figures["upload_s"] = time.perf_counter() - started
    preview = records.Job.objects.filter(kind=records.Job.Kind.PREVIEW).latest("pk")
    if answer.status_code != 302 or answer.url != preview.get_absolute_url():
        raise SystemExit(f"The upload did not start a job: {answer.status_code}")
    readers.job_url = answer.url
    figures["preview_first_progress_s"], figures["preview_s"] = follow(preview, started, log_path)

    started = time.perf_counter()
    answer = editor.post(reverse("admin:relations_job_confirm", args=[preview.pk]))
    job = records.Job.objects.get(preview=preview)
    readers.job_url = answer.url
    figures["import_first_progress_s"], figures["import_s"] = follow(job, started, log_path)
    figures["worker_peak_mb"] = megabytes(process.pid, "VmHWM")
    figures.update(readers.stop())
    # A benchmark that imported something else than it says would measure nothing.
    totals = job.outcome["preview"]["totals"]
    if totals.get(expected) != rows:
        raise SystemExit(f"{name}: expected {rows} rows {expected}, the job gave {totals}")
    figures["preview_rate"] = rows / figures["preview_s"]
    figures["import_rate"] = rows / figures["import_s"]
    # The job's own time in the worker, without the wait for the worker's next look at the queue.
    figures["import_in_worker_s"] = job.finished_at.timestamp() - job.outcome["started_at"]
    return figures


def measure(rows, one_worker=False):
    floors = measure_floors(rows, {name: FLOORS[name] for name in ("history", "driver")})
    new_file, changed_file = export_files()
    _, user = prepare(0)
    if len(new_file) <= tasks.BACKGROUND_IMPORT_BYTES:
        # A file this small is imported in the request, not by a worker (a tiny --quick run's): the admin's threshold
        # is lowered in this process, the admin's, so that every size takes the worker's way.
        tasks.BACKGROUND_IMPORT_BYTES = len(new_file) - 1
    editor, watcher = Client(), Client()
    for client in (editor, watcher):
        client.force_login(user)
    # The first requests of a process load the admin's code and templates: not the worker's doing, so not timed.
    editor.get(reverse("admin:relations_statistic_import"))
    Client().get(PUBLIC_PAGE)
    jobs = {}
    with contextlib.ExitStack() as workers:
        if one_worker:
            shared_log = Path(scratch) / f"worker-{rows}.log"
            shared = workers.enter_context(worker(shared_log))
        for name, data, expected in (
            ("new", new_file, RowResult.IMPORT_TYPE_NEW),
            ("unchanged", new_file, RowResult.IMPORT_TYPE_SKIP),
            ("changed", changed_file, RowResult.IMPORT_TYPE_UPDATE),
        ):
            if one_worker:
                jobs[name] = run_job(editor, watcher, name, data, rows, expected, shared, shared_log)
                continue
            # A worker and a log of its own for each job: the log's first line says when it polls the queue.
            log_path = Path(scratch) / f"worker-{rows}-{name}.log"
            with worker(log_path) as process:
                jobs[name] = run_job(editor, watcher, name, data, rows, expected, process, log_path)
    return {"floors": floors, "file_bytes": len(new_file), "jobs": jobs, "one_worker": one_worker}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="1000,10000,100000", help="Sizes of the file, comma-separated.")
    parser.add_argument(
        "--one-worker",
        action="store_true",
        help="One worker for the three jobs of a size rather than one each (peak memory is then the worker's so far).",
    )
    parser.add_argument("--json", action="store_true", help="Print the numbers as one line of JSON.")
    options = parser.parse_args()
    sizes = [int(size) for size in options.rows.split(",")]

    try:
        report = measure_sizes(sizes, options.one_worker)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # the uploads, the cache, the sessions and the workers' logs
    if options.json:
        print(json.dumps(report))
    else:
        print("\n".join(render_background(report)))


def measure_sizes(sizes, one_worker=False):
    call_command("migrate", verbosity=0)
    # Production settings serve the admin's pages from hashed static files.
    call_command("collectstatic", "--no-input", verbosity=0)
    report = {
        "database": connection.vendor,
        "cache": "file-based, a folder this process and the worker share",
        "public_page": PUBLIC_PAGE,
        "sizes": {},
    }
    for rows in sizes:
        report["sizes"][str(rows)] = measure(rows, one_worker)
    return report


if __name__ == "__main__":
    main()
