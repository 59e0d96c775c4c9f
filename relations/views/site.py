"""The site's own addresses: the health check for the operators and robots.txt for crawlers."""

import errno
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, JsonResponse

from .. import models as records

logger = logging.getLogger(__name__)


@transaction.non_atomic_requests
def healthz(request):
    """Which part is down. 503 when the database does not answer: the site cannot work without it.
    200 "degraded" when only the page cache cannot store pages (they are served uncached) or uploads cannot
    be stored (imports in the admin wait); "full" names a full disk."""
    parts = {"database": database_status(), "cache": cache_status(), "uploads": uploads_status()}
    if parts["database"] != "ok":
        return JsonResponse({"status": "database unavailable", **parts}, status=503)
    return JsonResponse({"status": "ok" if set(parts.values()) == {"ok"} else "degraded", **parts})


# It reads no query string (and the page cache never stores it: cache.UNCACHED_PREFIXES).
healthz.query_parameters = ()


def database_status():
    try:
        # Any query will do: it answers only when the database does.
        records.Country.objects.exists()
    except Exception as error:
        logger.error("Health check: the database does not answer (%s: %s).", type(error).__name__, error)
        return "unavailable"
    return "ok"


def write_failure(error):
    """How a failed write is reported: "full" for a full disk or quota, "unwritable" for any other refusal."""
    return "full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "unwritable"


def cache_status():
    """Whether the page cache stores a value and gives it back. Only a write shows a full disk under the
    file-based cache (its reads still work), so a probe key is written, read and removed."""
    key = f"relations:healthz:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    try:
        cache.set(key, token, 60)
        kept = cache.get(key) == token
        cache.delete(key)
    except OSError as error:
        # The file-based cache's folder; Redis's failures are not OSErrors.
        status = write_failure(error)
        logger.error("Health check: the page cache cannot store pages (%s: %s).", type(error).__name__, error)
        return status
    except Exception as error:
        logger.error("Health check: the page cache does not answer (%s: %s).", type(error).__name__, error)
        return "unavailable"
    if not kept:
        logger.error("Health check: the page cache answers but keeps nothing.")
        return "unwritable"
    return "ok"


def uploads_status():
    """Whether an import file can wait in MEDIA_ROOT for its confirmation: a probe file is written and removed
    (the folder is made when missing, as the first upload would make it)."""
    probe = Path(settings.MEDIA_ROOT) / f".healthz-{uuid.uuid4().hex}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        try:
            probe.write_bytes(b"ok\n")
        finally:
            probe.unlink(missing_ok=True)
    except OSError as error:
        status = write_failure(error)
        logger.error("Health check: import files cannot be stored in MEDIA_ROOT (%s: %s).", type(error).__name__, error)
        return status
    return "ok"


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap}\n", content_type="text/plain")


robots_txt.query_parameters = ()
