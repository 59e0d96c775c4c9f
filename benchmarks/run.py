"""`make bench`: pages, imports, export, backup and restore, and load, on the article's data and at scale.

    python benchmarks/run.py [--pairs 100] [--requests 30] [--load-seconds 10] [--mixed-seconds 30] [--quick]
                             [--only site,imports,background]

Works in scratch databases of its own (SQLite files in a temporary folder, or
BENCH_DATABASE_URL for PostgreSQL: it is emptied). The mixed load test uses the
production cache, Redis, in the database BENCH_REDIS_URL names (redis://127.0.0.1:6379/14
unless set: it is emptied), or local memory when no Redis answers there. Prints a
table and writes it as JSON under benchmarks/results/.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "benchmarks" / "results"
MIXED_LOAD_SCRIPT = ROOT / "benchmarks" / "mixed_load.lua"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

PAGE_TIMING_SCRIPT = """
import json, statistics, sys, time
from urllib.parse import urlencode
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
    # A typo corrected against the vocabulary of names, and a pair of countries named by their names.
    # The last country's name less its third letter ("Kazakstan").
    "/search/?q= typo": "/search/?"
    + urlencode({"q": (lambda name: name[:2] + name[3:])(r.Country.objects.order_by("-pk").first().name.split()[0])}),
    "/search/?q= pair": "/search/?"
    + urlencode({"q": " ".join(map(str, r.Relationship.objects.order_by("-pk").first().countries))}),
    "country page": r.Country.objects.order_by("-pk").first().get_absolute_url(),
    # The country every seeded pair shares: thousands of missions, visits and memberships.
    "hub country page": r.Relationship.objects.order_by("-pk").first().country_a.get_absolute_url(),
    "source page": r.Source.objects.cited().order_by("-pk").first().get_absolute_url(),
}
# The lists a pair's page links to, narrowed to that pair.
pair = "?relationship=" + r.Relationship.objects.order_by("-pk").first().slug
for name in ("/visits/", "/councils/", "/missions/", "/statistics/", "/organizations/", "/timeline/"):
    pages[name + pair[:14]] = name + pair
pages["indicator page" + pair[:14]] = pages["indicator page"] + pair
# The API beside the pages (relations/api/): lists a page of JSON at a time (100 records, and the largest page,
# 1,000), records, and a pair's every figure as CSV (streamed, so never stored by the page cache).
api_pair = "?relationship=" + r.Relationship.objects.order_by("-pk").first().slug
pages.update({
    "API /visits": "/api/v1/visits",
    "API /visits?country=": "/api/v1/visits?country=" + r.Country.objects.order_by("pk").first().code,
    "API visit": "/api/v1/visits/" + r.Visit.objects.published().order_by("-pk").first().slug,
    "API /missions": "/api/v1/missions",
    "API meeting": "/api/v1/council-meetings/%s/%d" % (meeting.council.slug, meeting.number),
    "API /statistics" + api_pair[:14]: "/api/v1/statistics" + api_pair,
    "API /statistics 1,000 a page": "/api/v1/statistics" + api_pair + "&page_size=1000",
    "API /statistics?latest=1": "/api/v1/statistics?latest=1",
    "API figure": "/api/v1/statistics/%d" % r.Statistic.objects.published().order_by("-pk").first().pk,
    "API /statistics CSV of a pair": "/api/v1/statistics" + api_pair + "&format=csv",
})
results = {}
for name, url in pages.items():
    client.get(url)
    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                # A streamed answer (CSV) is written as it is read: read whole.
                b"".join(response.streaming_content)
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


# What the list filters accept, for addresses the mixed load test asks for once each.
FILTER_VALUES_SCRIPT = """
import json
from relations import models as r
print(json.dumps({
    "countries": list(r.Country.objects.values_list("code", flat=True)),
    "topics": list(r.Topic.objects.values_list("slug", flat=True)),
    "years": [day.year for day in r.Visit.objects.dates("start_date", "year")],
    "visit_kinds": r.Visit.Kind.values,
    "mission_kinds": r.Mission.Kind.values,
    "organization_kinds": r.Organization.Kind.values,
}))
"""

# What a backup holds, counted in the database: after a restore, it should be what the backup wrote.
COUNT_SCRIPT = """
from relations.management.commands.backup import backed_up_models
records, history = backed_up_models()
print(sum(model._default_manager.count() for model in records + history))
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


def run_script(name, database_url, *args):
    """One of the benchmarks' own scripts, with production settings, in `database_url` (which it empties); what it
    prints last, as JSON."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / name), *args, "--json"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "BENCH_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmarks/{name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_import(database_url, rows):
    return run_script("import_statistics.py", database_url, "--rows", str(rows))


def run_background(database_url, sizes, one_worker=False):
    # The tiny run only proves that a file goes through a worker: one worker for its three jobs saves two starts.
    return run_script(
        "background.py", database_url, "--rows", ",".join(map(str, sizes)), *(["--one-worker"] if one_worker else [])
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env):
    """The site under gunicorn, 2 workers, as `make serve` runs it; yields its address."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def load_test(database_url, seconds):
    """Requests per second and errors of wrk on `/` and `/missions/` under gunicorn, from the page cache."""
    wrk = shutil.which("wrk")
    if not wrk:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    results = {}
    with gunicorn(django_env(database_url, DJANGO_PAGE_CACHE="true")) as site:
        for path in ("/", "/missions/"):
            url = site + path
            subprocess.run([wrk, "-t2", "-c16", "-d2s", url], capture_output=True, check=False)  # warm the cache
            output = subprocess.run(
                [wrk, "-t2", "-c16", f"-d{seconds}s", url], capture_output=True, text=True, check=False
            ).stdout
            results[path] = wrk_figures(output)
    return results


def wrk_figures(output):
    """Requests per second and errors (non-2xx and socket errors together) from wrk's report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(rate.group(1)) if rate else None,
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def fresh_addresses(values, pages):
    """Addresses no reader asked for before, shuffled: list filters with values their forms accept (each
    a page rendered anew), and, a third as many, public pages with an unknown parameter."""
    countries, years, rng = values["countries"], values["years"], random.Random(1)
    filters = [
        *(f"/visits/?country={code}&year={year}" for code in countries for year in years),
        *(f"/visits/?year={year}&topic={topic}&page=1" for topic in values["topics"] for year in years),
        *(f"/visits/?kind={kind}&year={year}&page=1" for kind in values["visit_kinds"] for year in years),
        *(f"/missions/?sender={code}&kind={kind}" for code in countries for kind in values["mission_kinds"]),
        *(f"/missions/?host={code}&page=1" for code in countries),
        *(f"/organizations/?country={code}&kind={kind}" for code in countries for kind in values["organization_kinds"]),
        *(f"/timeline/?year={year}" for year in range(1800, 2201)),
    ]
    junk = [
        f"{page}{'&' if '?' in page else '?'}utm_x={rng.getrandbits(64):016x}"
        for page in rng.choices(pages, k=len(filters) // 2)
    ]
    addresses = filters + junk
    rng.shuffle(addresses)
    return addresses


def stored_pages(redis_url):
    return sum(1 for _ in redis.Redis.from_url(redis_url).scan_iter("*relations:page:*", count=1000))


def mixed_load_test(database_url, pages, values, seconds, scratch):
    """70% repeated public pages, 30% addresses asked for once (list filters, unknown parameters), under
    gunicorn with the production cache; checks that the unknown parameters took no place in the cache."""
    wrk = shutil.which("wrk")
    if not wrk:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    cache, extra = production_cache()
    pages_file, fresh_file = Path(scratch) / "pages.txt", Path(scratch) / "fresh.txt"
    pages_file.write_text("\n".join(pages) + "\n")
    fresh = fresh_addresses(values, pages)
    fresh_file.write_text("\n".join(fresh) + "\n")
    with gunicorn(django_env(database_url, DJANGO_PAGE_CACHE="true", **extra)) as site:
        for page in pages:  # the repeated pages are in the cache from the start
            urllib.request.urlopen(site + page, timeout=60).read()
        command = [wrk, "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-s", str(MIXED_LOAD_SCRIPT), site]
        output = subprocess.run(
            [*command, "--", str(pages_file), str(fresh_file), "2"], capture_output=True, text=True, check=True
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result.update(cache=cache, seconds_asked=seconds, pages=len(pages), fresh_addresses=len(fresh))
    result["requests_per_second"] = result["requests"] / result["seconds"]
    if extra:
        # Each repeated page and each filtered list may be stored once; an address with an unknown parameter never.
        result["pages_stored"] = stored_pages(REDIS_URL)
        result["junk_stored"] = result["pages_stored"] > len(pages) + result["unique"]
    return result


def production_cache():
    """Redis at REDIS_URL, emptied, when it answers; else each worker's local memory. What the output calls
    it, and the environment that selects it."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        return f"local memory, one per worker (no Redis at {REDIS_URL}: {error})", {}
    return f"Redis, {REDIS_URL}", {"REDIS_URL": REDIS_URL}


def backup_and_restore(env, scratch):
    """`manage.py backup` of the site at scale, then `manage.py restore` of it into the emptied database."""
    path = Path(scratch) / "backup.json"
    started = time.perf_counter()
    written = manage(env, "backup", "--output", str(path))
    backup_seconds = time.perf_counter() - started
    manage(env, "flush", "--no-input")
    started = time.perf_counter()
    manage(env, "restore", str(path))
    restore_seconds = time.perf_counter() - started
    return {
        "objects": int(re.search(r"(\d+) objects", written).group(1)),
        "restored_objects": int(manage(env, "shell", "-c", COUNT_SCRIPT).strip().splitlines()[-1]),
        "megabytes": path.stat().st_size / 1e6,
        "backup_seconds": backup_seconds,
        "restore_seconds": restore_seconds,
    }


# Pages of the timing table that the page cache never stores.
UNCACHED_PAGES = {
    "trivial (/healthz)",
    "/search/?q=",
    "/search/?q= typo",
    "/search/?q= pair",
    "API /statistics CSV of a pair",
}


def main():
    options = parse_options()
    report = describe_run(options)
    scratch = tempfile.mkdtemp(prefix="relations-bench-")
    try:
        measure(report, options, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    path = write_report(report)
    print(render(report))
    print(f"\nWritten to {path.relative_to(ROOT)}")


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--mixed-seconds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="A tiny run that only proves the benchmark works.")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help="Which parts to run, comma-separated: site (pages, export, load, mixed load, backup), imports "
        "(rows per second of the import and its floors), background (a file through a worker). Default: all.",
    )
    parser.add_argument(
        "--import-sizes",
        dest="import_sizes_asked",
        metavar="ROWS",
        help="Rows of the import benchmark, comma-separated (default 10000,100000; 500 if --quick).",
    )
    options = parser.parse_args()
    options.only = set(options.only.split(","))
    if options.only - set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}")
    if options.quick:
        options.pairs, options.requests, options.load_seconds, options.mixed_seconds = 1, 2, 1, 1
    options.import_sizes = (500,) if options.quick else (10_000, 100_000)
    if options.import_sizes_asked:
        options.import_sizes = tuple(int(rows) for rows in options.import_sizes_asked.split(","))
    # The smallest file taken by a worker is about 700 rows; the tiny run's 200 go there too (background.py).
    options.background_sizes = (200,) if options.quick else (1_000, 10_000, 100_000)
    return options


PARTS = ("site", "imports", "background")


def describe_run(options):
    """The machine, date, scale and database of this run: the head of its report."""
    return {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "pairs": options.pairs,
        "database": "PostgreSQL (BENCH_DATABASE_URL)" if os.environ.get("BENCH_DATABASE_URL") else "SQLite",
        "parts": sorted(options.only),
    }


def measure(report, options, scratch):
    """Every measurement, one after the other, each added to `report` as soon as it is taken."""
    # Other work on the machine slows every figure: the load average (1, 5, 15 minutes) as each part ends.
    report["load_averages"] = {"before": load_average()}
    if "site" in options.only:
        measure_site(report, options, scratch)
        report["load_averages"]["after site"] = load_average()
    # The import scripts empty the site's database and use it again: SQLite's is then migrated once (half a minute).
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/site.sqlite3"
    if "imports" in options.only:
        report["imports"] = {str(rows): run_import(database, rows) for rows in options.import_sizes}
        report["load_averages"]["after imports"] = load_average()
    if "background" in options.only:
        report["background"] = run_background(database, options.background_sizes, one_worker=options.quick)
        report["load_averages"]["after background"] = load_average()


def measure_site(report, options, scratch):
    """The public pages, export, load tests and backup of the site on the article's data and at scale."""
    database = fresh_database("site", scratch)
    env = django_env(database)
    prepare_site(env)
    report["pages_article"], report["pages_article_cached"] = time_pages_uncached_and_cached(env, options.requests)
    report["seed_seconds"] = seed_at_scale(env, options.pairs)
    report["pages_scale"], report["pages_scale_cached"] = time_pages_uncached_and_cached(env, options.requests)
    report["export"] = export_statistics(env)
    report["load"] = load_test(database, options.load_seconds)
    pages = [page["url"] for name, page in report["pages_scale"].items() if name not in UNCACHED_PAGES]
    values = json.loads(manage(env, "shell", "-c", FILTER_VALUES_SCRIPT).strip().splitlines()[-1])
    report["mixed_load"] = mixed_load_test(database, pages, values, options.mixed_seconds, scratch)
    report["backup"] = backup_and_restore(env, scratch)


def prepare_site(env):
    """The site with the article's data, as `make serve` runs it."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "bootstrap")


def time_pages_uncached_and_cached(env, requests):
    return time_pages(env, requests), time_pages({**env, "DJANGO_PAGE_CACHE": "true"}, requests)


def seed_at_scale(env, pairs):
    """Seconds `manage.py seed_scale` takes (its process included)."""
    started = time.perf_counter()
    manage(env, "seed_scale", "--pairs", str(pairs), "--seed", "1")
    return time.perf_counter() - started


def export_statistics(env):
    """Seconds and peak memory of exporting every statistic to CSV through the admin's resource."""
    export = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", EXPORT_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return json.loads(export.stdout.strip().splitlines()[-1])


def write_report(report):
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(report, indent=2))
    return path


def render(report):
    """The report as the README shows it: the pages table, the imports tables, the background table, then a line
    per measurement of the site. Parts left out (--only) are not shown."""
    lines = [
        f"Machine: {report['machine']}; {report['date']}; scale: {report['pairs']} pairs; "
        f"database: {report['database']}",
        "Load average (1, 5, 15 min): " + "; ".join(f"{when} {load}" for when, load in report["load_averages"].items()),
    ]
    if "pages_scale" in report:
        lines += [
            "",
            "Uncached: every request runs the view. Cached: what anonymous readers get (the page cache).",
            "",
            *render_pages(report),
        ]
    if "imports" in report:
        lines += ["", *render_imports(report["imports"])]
    if "background" in report:
        lines += ["", *render_background(report["background"])]
    if "export" in report:
        lines += [
            "",
            render_export(report["export"]),
            f"Seeding {report['pairs']} pairs: {report['seed_seconds']:.1f} s.",
            *render_load(report["load"]),
            render_mixed(report["mixed_load"]),
            render_backup(report["backup"]),
        ]
    return "\n".join(lines)


def load_average():
    """The machine's load average (1, 5, 15 minutes): other work on it slows every figure."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def render_pages(report):
    """Each page's median time and queries, on the article's data and at scale, uncached and cached."""
    small, large = report["pages_article"], report["pages_scale"]
    small_cached, cached = report["pages_article_cached"], report["pages_scale_cached"]
    trivial = large["trivial (/healthz)"]["median_ms"]
    lines = [
        "| page | article ms | queries | scale ms | queries | scale ÷ article | scale ÷ trivial "
        "| cached: article ms | scale ms | scale ÷ article | scale ÷ trivial |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in small:
        a, b, ca, cb = small[name], large[name], small_cached[name], cached[name]
        lines.append(
            f"| {name} | {a['median_ms']:.1f} | {a['queries']} | {b['median_ms']:.1f} | {b['queries']} "
            f"| {b['median_ms'] / a['median_ms']:.2f}× | {b['median_ms'] / trivial:.1f}× "
            f"| {ca['median_ms']:.2f} | {cb['median_ms']:.2f} | {cb['median_ms'] / ca['median_ms']:.2f}× "
            f"| {cb['median_ms'] / trivial:.1f}× |"
        )
    return lines


# The import's measurements beside its floors, in the order of benchmarks/import_statistics.py.
IMPORT_ROWS = {
    "raw": "floor: Django bulk_create (no versions)",
    "history": "floor: simple-history bulk_create_with_history",
    "driver": "floor: driver bulk API, figures and versions (executemany / COPY)",
    "preview_new": "preview (dry run) of new rows",
    "new": "import of new rows",
    "unchanged": "import of unchanged rows",
    "preview_changed": "preview (dry run) of changed rows",
    "changed": "import of changed rows",
}
# The background issue's goals: {ratio: (what it says, goal)}.
IMPORT_GOALS = {
    "new_vs_history": ("new rows ÷ bulk_create_with_history", 0.75),
    "unchanged_vs_history": ("unchanged rows ÷ bulk_create_with_history", 1.0),
    "changed_vs_new": ("changed rows ÷ new rows", 0.5),
}


def render_imports(imports):
    """Rows per second of each measurement (queries in brackets) with a column per size, then the goals' ratios."""
    sizes = list(imports)
    lines = [
        f"| import of statistics, rows/s (queries) | {' | '.join(f'{int(rows):,} rows' for rows in sizes)} |",
        f"| --- |{' ---: |' * len(sizes)}",
    ]
    for key, label in IMPORT_ROWS.items():
        cells = []
        for rows in sizes:
            result = imports[rows]
            queries = result.get(f"{key}_queries")
            cells.append(f"{result[f'{key}_rate']:,.0f}" + (f" ({queries})" if queries is not None else ""))
        lines.append(f"| {label} | {' | '.join(cells)} |")
    for key, (label, goal) in IMPORT_GOALS.items():
        cells = []
        for rows in sizes:
            ratio = imports[rows]["ratios"][key]
            cells.append(f"{ratio:.2f} {'met' if ratio >= goal else 'MISSED'}")
        lines.append(f"| {label} (goal ≥ {goal}) | {' | '.join(cells)} |")
    return lines


def seconds(value):
    """A time of the table; a job that ended between two looks showed no progress: a dash."""
    return "–" if value is None else f"{value:.2f}"


def without_job(job):
    """The public page's slowest time before the job, the same data stored (reports before it was measured: ?)."""
    return seconds(job["public_without_job_s"]) if "public_without_job_s" in job else "?"


# The slowest request a reader or an editor may meet while a worker imports (the background issue's goal).
SLOWEST_REQUEST_GOAL = 2.0


def render_background(background):
    """A file through a worker, for each size and each of its three uploads: the editor's times, the worker's peak
    memory, the slowest requests meanwhile; each size's floors of the same run beside its import's rows/s."""
    lines = [
        f"Statistics through a worker ({background['database']}; progress through the cache: {background['cache']}; "
        f"readers asked for {background['public_page']} and the job's page meanwhile). Times in seconds from the "
        "upload (preview) or the confirmation (import).",
        "",
        "| rows | file | upload | first progress | preview | preview rows/s | import: first progress | import "
        "| import rows/s | ÷ bulk_create_with_history | ÷ driver floor | worker peak MB (preview and import) "
        "| slowest public page (with no job) | slowest job page | requests (errors) |",
        "| ---: | --- |" + " ---: |" * 13,
    ]
    slowest = 0
    for rows, size in background["sizes"].items():
        floors = size["floors"]
        for name, job in size["jobs"].items():
            slowest = max(slowest, job["slowest_public_s"], job["slowest_job_page_s"])
            lines.append(
                f"| {int(rows):,} | {name} | {job['upload_s']:.2f} | {seconds(job['preview_first_progress_s'])} "
                f"| {job['preview_s']:.1f} | {job['preview_rate']:,.0f} | {seconds(job['import_first_progress_s'])} "
                f"| {job['import_s']:.1f} | {job['import_rate']:,.0f} "
                f"| {job['import_rate'] / floors['history_rate']:.2f} "
                f"| {job['import_rate'] / floors['driver_rate']:.2f} "
                f"| {job['worker_peak_mb']:.0f} | {job['slowest_public_s']:.2f} ({without_job(job)}) "
                f"| {job['slowest_job_page_s']:.2f} "
                f"| {job['requests']} ({job['errors']}) |"
            )
    lines.append("")
    if any(size.get("one_worker") for size in background["sizes"].values()):
        lines.append("One worker took the three jobs of a size (--quick): its peak memory is its peak so far.")
    for rows, size in background["sizes"].items():
        floors = size["floors"]
        lines.append(
            f"Floors at {int(rows):,} rows ({size['file_bytes'] / 1e6:.1f} MB of CSV), same run: "
            f"bulk_create_with_history {floors['history_rate']:,.0f} rows/s, "
            f"driver bulk API {floors['driver_rate']:,.0f} rows/s."
        )
    verdict = "met" if slowest <= SLOWEST_REQUEST_GOAL else "MISSED"
    lines.append(
        f"Slowest web request during the jobs: {slowest:.2f} s (goal: none over {SLOWEST_REQUEST_GOAL} s: {verdict})."
    )
    return lines


def render_export(export):
    return (
        f"Export of {export['rows']:,} statistics to CSV: {export['seconds']:.1f} s, "
        f"peak memory {export['peak_mb']:.0f} MB (process, {export['before_mb']:.0f} MB before the export)."
    )


def render_load(load):
    if "skipped" in load:
        return [f"Load test skipped: {load['skipped']}."]
    return [
        f"Load, gunicorn 2 workers, wrk 16 connections, local-memory cache, {path}: "
        f"{result['requests_per_second']:,.0f} requests/s, {result['errors']} errors."
        for path, result in load.items()
    ]


def render_mixed(result):
    if "skipped" in result:
        return f"Mixed load test skipped: {result['skipped']}."
    text = (
        f"Mixed load, gunicorn 2 workers, wrk 16 connections, {result['seconds']:.0f} s, cache: {result['cache']}; "
        f"70% repeated public pages ({result['pages']} addresses), 30% asked once: {result['unique']:,} list filters "
        f"and {result['junk']:,} pages with an unknown parameter ({result['fresh_asked_again']:,} asked again): "
        f"{result['requests_per_second']:,.0f} requests/s, {result['non_2xx'] + result['socket_errors']} errors "
        f"({result['non_2xx']} non-2xx, {result['socket_errors']} socket), "
        f"latency p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms."
    )
    if "pages_stored" in result:
        verdict = "some WERE stored" if result["junk_stored"] else "none was stored"
        text += (
            f" Pages in the cache afterwards: {result['pages_stored']:,} "
            f"(at most {result['pages'] + result['unique']:,} without the unknown parameters: {verdict})."
        )
    return text


def render_backup(backup):
    return (
        f"Backup of the site at scale: {backup['objects']:,} objects, {backup['megabytes']:.0f} MB, "
        f"{backup['backup_seconds']:.1f} s; restore into the emptied database: {backup['restore_seconds']:.1f} s, "
        f"{backup['restored_objects']:,} objects back (each time a manage.py process, start included)."
    )


if __name__ == "__main__":
    main()
