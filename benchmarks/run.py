"""`make bench`: pages, imports, export and load, on the article's data and at scale.

    python benchmarks/run.py [--pairs 100] [--requests 30] [--load-seconds 10] [--quick]

Works in scratch databases of its own (SQLite files in a temporary folder, or
BENCH_DATABASE_URL for PostgreSQL: it is emptied). Prints a table and writes it
as JSON under benchmarks/results/.
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "benchmarks" / "results"

PAGE_TIMING_SCRIPT = """
import json, statistics, sys, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from relations import models as r

requests = int(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1")
meeting = r.CouncilMeeting.objects.published().order_by("-pk").first()
pages = {
    "trivial (/healthz)": "/healthz",
    "/": "/",
    "relationship": r.Relationship.objects.order_by("-pk").first().get_absolute_url(),
    "/visits/": "/visits/",
    "/visits/?country=": "/visits/?country=" + r.Country.objects.order_by("pk").first().code,
    "visit detail": r.Visit.objects.published().order_by("-pk").first().get_absolute_url(),
    "/councils/": "/councils/",
    "council detail": meeting.council.get_absolute_url(),
    "meeting detail": meeting.get_absolute_url(),
    "/missions/": "/missions/",
    "mission detail": r.Mission.objects.published().order_by("-pk").first().get_absolute_url(),
    "/statistics/": "/statistics/",
    "indicator page": r.Indicator.objects.filter(statistics__isnull=False).order_by("-pk").first().get_absolute_url(),
    "/organizations/": "/organizations/",
    "organization detail": r.Organization.objects.published().order_by("-pk").first().get_absolute_url(),
    "/timeline/": "/timeline/",
    "/search/?q=": "/search/?q=turk",
}
results = {}
for name, url in pages.items():
    client.get(url)
    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    results[name] = {"url": url, "median_ms": statistics.median(times) * 1000, "queries": len(queries)}
print(json.dumps(results))
"""

EXPORT_SCRIPT = """
import json, resource, time
from relations.resources import StatisticResource
from relations.formats import export_bytes
from relations.models import Statistic
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
data = export_bytes(StatisticResource().export(Statistic.objects.all()), "csv")
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": Statistic.objects.count(), "seconds": seconds, "peak_mb": peak / 1024,
                  "before_mb": before / 1024, "bytes": len(data)}))
"""


def manage(env, *args, capture=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# Every measurement runs the production configuration: no debug query log, hashed static files.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_LOG_LEVEL": "ERROR",
}


def django_env(database_url, **extra):
    return {**os.environ, **PRODUCTION, "DATABASE_URL": database_url, "DJANGO_PAGE_CACHE": "false", **extra}


def fresh_database(name, scratch):
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{scratch}/{name}.sqlite3"
    env = django_env(url)
    manage(env, "flush", "--no-input")
    return url


def time_pages(env, requests):
    output = manage(env, "shell", "-c", PAGE_TIMING_SCRIPT.replace("sys.argv[1]", str(requests)))
    return json.loads(output.strip().splitlines()[-1])


def run_import(rows):
    env = {**os.environ, **PRODUCTION}
    output = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "import_statistics.py"), "--rows", str(rows), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_test(database_url, seconds):
    wrk = shutil.which("wrk")
    if not wrk:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    port = free_port()
    env = django_env(database_url, DJANGO_PAGE_CACHE="true")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for path in ("/", "/missions/"):
            url = f"http://127.0.0.1:{port}{path}"
            subprocess.run([wrk, "-t2", "-c16", "-d2s", url], capture_output=True, check=False)  # warm the cache
            output = subprocess.run(
                [wrk, "-t2", "-c16", f"-d{seconds}s", url], capture_output=True, text=True, check=False
            ).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
            errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
            socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
            results[path] = {
                "requests_per_second": float(rate.group(1)) if rate else None,
                "errors": (int(errors.group(1)) if errors else 0)
                + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
            }
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="A tiny run that only proves the benchmark works.")
    options = parser.parse_args()
    if options.quick:
        options.pairs, options.requests, options.load_seconds = 1, 2, 1
    import_sizes = (500,) if options.quick else (10_000, 100_000)

    scratch = tempfile.mkdtemp(prefix="relations-bench-")
    report = {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "pairs": options.pairs,
    }
    try:
        database = fresh_database("site", scratch)
        env = django_env(database)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        manage(env, "bootstrap")
        report["pages_article"] = time_pages(env, options.requests)
        report["pages_article_cached"] = time_pages({**env, "DJANGO_PAGE_CACHE": "true"}, options.requests)
        started = time.perf_counter()
        manage(env, "seed_scale", "--pairs", str(options.pairs), "--seed", "1")
        report["seed_seconds"] = time.perf_counter() - started
        report["pages_scale"] = time_pages(env, options.requests)
        report["pages_scale_cached"] = time_pages({**env, "DJANGO_PAGE_CACHE": "true"}, options.requests)
        export = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", EXPORT_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
        )
        report["export"] = json.loads(export.stdout.strip().splitlines()[-1])
        report["load"] = load_test(database, options.load_seconds)
        report["imports"] = {str(rows): run_import(rows) for rows in import_sizes}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(report, indent=2))
    print(render(report))
    print(f"\nWritten to {path.relative_to(ROOT)}")


def render(report):
    lines = [f"Machine: {report['machine']}; {report['date']}; scale: {report['pairs']} pairs", ""]
    small, large = report["pages_article"], report["pages_scale"]
    small_cached, cached = report["pages_article_cached"], report["pages_scale_cached"]
    trivial = large["trivial (/healthz)"]["median_ms"]
    lines.append("Uncached: every request runs the view. Cached: what anonymous readers get (the page cache).")
    lines.append("")
    lines.append(
        "| page | article ms | queries | scale ms | queries | scale ÷ article | scale ÷ trivial "
        "| cached: article ms | scale ms | scale ÷ article | scale ÷ trivial |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in small:
        a, b, ca, cb = small[name], large[name], small_cached[name], cached[name]
        lines.append(
            f"| {name} | {a['median_ms']:.1f} | {a['queries']} | {b['median_ms']:.1f} | {b['queries']} "
            f"| {b['median_ms'] / a['median_ms']:.2f}× | {b['median_ms'] / trivial:.1f}× "
            f"| {ca['median_ms']:.2f} | {cb['median_ms']:.2f} | {cb['median_ms'] / ca['median_ms']:.2f}× "
            f"| {cb['median_ms'] / trivial:.1f}× |"
        )
    import_header = "| import of statistics | rows/s new | rows/s unchanged | queries new / unchanged"
    lines += ["", import_header + " | raw bulk_create rows/s | new ÷ raw |"]
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows, result in report["imports"].items():
        lines.append(
            f"| {int(rows):,} | {result['new_rate']:,.0f} | {result['unchanged_rate']:,.0f} "
            f"| {result['new_queries']} / {result['unchanged_queries']} | {result['raw_rate']:,.0f} "
            f"| {result['new_rate'] / result['raw_rate']:.0%} |"
        )
    export = report["export"]
    lines += [
        "",
        f"Export of {export['rows']:,} statistics to CSV: {export['seconds']:.1f} s, "
        f"peak memory {export['peak_mb']:.0f} MB (process, {export['before_mb']:.0f} MB before the export).",
        f"Seeding {report['pairs']} pairs: {report['seed_seconds']:.1f} s.",
    ]
    load = report["load"]
    if "skipped" in load:
        lines.append(f"Load test skipped: {load['skipped']}.")
    else:
        for path, result in load.items():
            lines.append(
                f"Load, gunicorn 2 workers, wrk 16 connections, {path}: "
                f"{result['requests_per_second']:,.0f} requests/s, {result['errors']} errors."
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
