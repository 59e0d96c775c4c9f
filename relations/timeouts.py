"""How long a request may wait on the database: a reader's page gives up within seconds (the 503 page) rather
than hold a server process while a table is locked; the admin, where an import writes thousands of rows, may
take longer, though still less than the server's own request timeout."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection

from .errors import unavailable

logger = logging.getLogger(__name__)


class StatementTimeoutMiddleware:
    """PostgreSQL's statement and lock timeouts for each request, public or admin (SQLite waits at most its
    own busy timeout, 5 seconds, for a lock)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.vendor == "postgresql":
            admin = request.path.startswith("/admin/")
            milliseconds = str(
                int(1000 * (settings.ADMIN_STATEMENT_TIMEOUT if admin else settings.PUBLIC_STATEMENT_TIMEOUT))
            )
            try:
                with connection.cursor() as cursor:
                    # Session settings on a connection kept between requests: set on each, so a public request
                    # after an admin one has its own.
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
                        [milliseconds, milliseconds],
                    )
            except DatabaseError as error:
                logger.error("The database does not answer (%s: %s).", type(error).__name__, error)
                # The database does not answer. /healthz says so in its own words; any other page would wait
                # as long again to fail the same way.
                if request.path.startswith("/healthz"):
                    return self.get_response(request)
                return unavailable(request)
        return self.get_response(request)
