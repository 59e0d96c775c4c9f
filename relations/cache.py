"""A cache of the public pages for anonymous readers, emptied whenever any record changes.

Every cached page is stored under the current *generation* of the records; a
change to any record of this app (save, delete, many-to-many change, import,
fixture load) moves to a new generation, so no reader sees a stale page.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "relations:generation"
PAGE_TIMEOUT = 60 * 60
UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def records_changed(**kwargs):
    """Start a new generation: every cached page is out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def on_record_signal(sender, **kwargs):
    if sender._meta.app_label == "relations":
        records_changed()


def connect():
    post_save.connect(on_record_signal, dispatch_uid="relations-cache-save")
    post_delete.connect(on_record_signal, dispatch_uid="relations-cache-delete")
    m2m_changed.connect(on_record_signal, dispatch_uid="relations-cache-m2m")


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests of public pages from the cache, keyed by address and generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"relations:page:{generation()}:{address}"
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, PAGE_TIMEOUT)
        return response

    def cacheable(self, request):
        return (
            settings.PUBLIC_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.user.is_authenticated
        )
