"""How long a request may wait on the database: a reader's page gives up within seconds (the 503 page) rather
than hold a server process while a table is locked; the admin, where an import writes thousands of rows, may
take longer, though still less than the server's own request timeout."""

import logging
import weakref

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
            seconds = settings.ADMIN_STATEMENT_TIMEOUT if admin else settings.PUBLIC_STATEMENT_TIMEOUT
            try:
                self.bound(int(1000 * seconds))
            except DatabaseError as error:
                logger.error("The database does not answer (%s: %s).", type(error).__name__, error)
                # /healthz says so in its own words; any other page would wait as long again to fail the same way.
                if request.path.startswith("/healthz"):
                    return self.get_response(request)
                return unavailable(request)
        return self.get_response(request)

    @staticmethod
    def bound(milliseconds):
        """Set the timeouts on the connection this request uses, unless they are already set on it: a connection
        is kept between requests (CONN_MAX_AGE), and a public request after an admin one needs its own."""
        connection.ensure_connection()
        done = getattr(connection, "relations_timeouts", None)
        if done is not None and done[0]() is connection.connection and done[1] == milliseconds:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
                [str(milliseconds), str(milliseconds)],
            )
        # The connection itself, weakly: a new connection (the old one closed) has none of its settings.
        connection.relations_timeouts = (weakref.ref(connection.connection), milliseconds)
