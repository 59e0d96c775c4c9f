"""A cache of the public pages for anonymous readers, emptied whenever any record changes.

Every cached page is stored under the current *generation* of the records; a
change to any record of this app (save, delete, many-to-many change, import,
fixture load) moves to a new generation, so no reader sees a stale page.

A new generation starts once the change is committed (`records_changed`), never before: a
reader loading a page during a save would otherwise store the old rows under the new generation.

The cache is only ever a cache: when it fails (Redis down or hung), pages are
served uncached, the failure is logged, and `/healthz` says so. A change that could not
be announced meanwhile is noted in the database (`MissedPageCacheChange`) and announced
by whichever process reaches the cache first, even after the one that made it has exited.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from .models import MissedPageCacheChange, SiteSettings

logger = logging.getLogger(__name__)

GENERATION_KEY = "relations:generation"
SITE_SETTINGS_KEY = "relations:site-settings"
PAGE_TIMEOUT = 60 * 60
# Search takes free text: each query would be a page of its own, so it is never stored.
UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/search/")
# The admin says its own (never cached); the health check is about this moment.
NOT_FOR_CACHES_BETWEEN = ("/admin/", "/healthz")
# After a failure the cache is left alone this long, so a hung Redis costs one timeout, not one per request.
PAUSE_AFTER_FAILURE = 30
# The longest query value stored; a longer one is served but not stored.
MAX_STORED_VALUE_LENGTH = 64


class PageCache:
    """The cache calls of this module, each failing soft: None (a miss) when the cache cannot be reached."""

    def __init__(self):
        self.paused_until = 0.0

    def available(self):
        return time.monotonic() >= self.paused_until

    def call(self, operation, *args, **kwargs):
        if not self.available():
            return None
        try:
            return operation(*args, **kwargs)
        except Exception as error:
            self.paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
            logger.error(
                "Page cache unavailable (%s: %s): serving pages uncached for %s s.",
                type(error).__name__,
                error,
                PAUSE_AFTER_FAILURE,
            )
            return None

    def generation(self):
        value = self.call(cache.get, GENERATION_KEY)
        if value is None:
            # A new or emptied cache (or one that evicted the key): start above every generation it may still
            # hold pages of, whichever process gets here first.
            self.call(cache.add, GENERATION_KEY, time.time_ns(), timeout=None)
            value = self.call(cache.get, GENERATION_KEY)
        if value is not None and (last_missed := self.last_missed_change()):
            # Changes made while the cache was unreachable, by any process: announced now that it answers.
            if self.bump():
                MissedPageCacheChange.objects.filter(pk__lte=last_missed).delete()
            value = self.call(cache.get, GENERATION_KEY)
        return value

    @staticmethod
    def last_missed_change():
        """The id of the latest change not yet announced, or None. One query on a table that is nearly always
        empty: the price of never serving a page older than a change made while the cache was unreachable."""
        try:
            return MissedPageCacheChange.objects.aggregate(last=Max("pk"))["last"]
        except DatabaseError:
            # The database is down: the page's own view will say so; a stored page may still be served.
            return None

    def bump(self):
        """Start a new generation: every cached page is out of date. False when the cache could not be told:
        the change is then kept in the database, to be announced when it answers again."""
        if self.call(self.increment) is not None:
            return True
        try:
            MissedPageCacheChange.objects.create()
        except DatabaseError as error:
            logger.error("A change could not be noted for the page cache (%s: %s).", type(error).__name__, error)
        return False

    @staticmethod
    def increment():
        try:
            return cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
            return True


page_cache = PageCache()


def records_changed(**kwargs):
    """Records changed (connected to every record type's save, delete and many-to-many change, and called after
    bulk writes): a new generation starts once the change is committed.

    Started before the commit, a reader loading a page meanwhile would read the old rows and store them under
    the new generation, where they would stay. Inside a transaction this waits for its commit, once however
    many records it changes, and never happens if it is rolled back (an import's preview); outside one (a
    command, the shell) it happens at once.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        page_cache.bump()
    elif not announcement_waiting(connection):
        transaction.on_commit(announce_change)


def announce_change():
    page_cache.bump()


def announcement_waiting(connection):
    # Django has no public way to ask whether a callback already waits for the commit; its list of them is read
    # here so that an import of 10,000 rows starts one generation, not 10,000. A callback of a savepoint rolled
    # back has left that list, so a later change is announced again.
    return any(callback is announce_change for _, callback, _ in connection.run_on_commit)


def site_settings():
    """The site's settings, which every page's footer states, kept in the cache rather than read on every page."""
    stored = page_cache.call(cache.get, SITE_SETTINGS_KEY)
    if stored is None:
        stored = SiteSettings.current()
        page_cache.call(cache.set, SITE_SETTINGS_KEY, stored, PAGE_TIMEOUT)
    return stored


def site_settings_changed(**kwargs):
    transaction.on_commit(lambda: page_cache.call(cache.delete, SITE_SETTINGS_KEY))
    records_changed()


def declared_parameters(request):
    """The query parameters the page's view reads (its `query_parameters`), or None when it declares none."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "query_parameters", None)


def canonical(value):
    """Whether a query value is spelled the one way its page would link to it: '2020', not '02020' or ' 2020'
    (forms read those as the same year, and each spelling would otherwise store a page of its own)."""
    if len(value) > MAX_STORED_VALUE_LENGTH or value != value.strip():
        return False
    # ASCII digits only: "²" and "①" are digits to str.isdigit() but not numbers to int().
    return not (value.isascii() and value.isdigit()) or value == str(int(value))


def page_address(request):
    """(address, storable): what a page is stored under, None when it is never cached; and whether this
    response may be stored.

    Only what the page's own parameters can produce is stored: a request with an unknown, repeated or
    oddly spelled parameter is served (from the cache, when its known parameters match a stored page) but
    never stored, so no query string a client makes up takes cache memory. Host and scheme are part of the
    address: robots.txt, the sitemap and canonical links name them.
    """
    try:
        host = request.get_host()
    except DisallowedHost:
        return None, False
    known = declared_parameters(request)
    if known is None:
        return (None, False) if request.GET else (address_hash(request, host, []), True)
    read = sorted((name, request.GET[name]) for name in request.GET if name in known)
    storable = (
        len(read) == len(request.GET)
        and all(len(request.GET.getlist(name)) == 1 for name in request.GET)
        and all(canonical(value) for _, value in read)
    )
    return address_hash(request, host, read), storable


def address_hash(request, host, parameters):
    address = f"{request.scheme}://{host}{request.path}?{parameters}"
    return hashlib.sha256(address.encode()).hexdigest()


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests of public pages from the cache, keyed by address and generation; and say to
    the caches in between (a proxy, a CDN, the reader's browser) how they may keep what it serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable(request):
            return self.for_caches_between(request, self.get_response(request))
        address, storable = page_address(request)
        generation = page_cache.generation() if address else None
        if generation is None:
            return self.for_caches_between(request, self.get_response(request))
        key = f"relations:page:{generation}:{address}"
        response = page_cache.call(cache.get, key)
        if response is not None:
            return response
        response = self.for_caches_between(request, self.get_response(request))
        if (
            storable
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # Stored with its validators: Django's ConditionalGetMiddleware, outside this one, answers 304 to a
            # client that has this generation's page, without a hash of the page on each request.
            set_response_etag(response)
            response.headers.setdefault("Last-Modified", http_date())
            page_cache.call(cache.set, key, response, PAGE_TIMEOUT)
        return response

    @staticmethod
    def for_caches_between(request, response):
        """Public pages may be kept by any cache, which must ask again before serving them (`no-cache`, answered
        304 while nothing changed) unless the site allows an age (DJANGO_PUBLIC_MAX_AGE): a withdrawn record
        leaves every copy at once. What a signed-in editor sees (draft previews) is for their browser only."""
        if request.path.startswith(NOT_FOR_CACHES_BETWEEN) or "Cache-Control" in response.headers:
            return response
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            max_age = settings.PUBLIC_MAX_AGE
            patch_cache_control(response, public=True, **({"max_age": max_age} if max_age else {"no_cache": True}))
        # The same address answers a reader and a signed-in editor differently.
        patch_vary_headers(response, ["Cookie"])
        return response

    def cacheable(self, request):
        return (
            settings.PUBLIC_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.user.is_authenticated
        )
